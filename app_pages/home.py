"""Home: what a recurrent network is, in one screen, and the way to each page, in the order of a lesson."""
import streamlit as st

from ui.i18n import _, ngettext
from ui.page_header import page_header
from ui.pages import (
    CLASS, DIGITS, GENERATE, HOME, INSIDE, LONG_LESSON, NAMES, SHORT_LESSON, TRANSLATE, WAVES, PageEntry,
)

CARDS_PER_ROW = 3  # readable cards on a laptop; Streamlit stacks them on a phone
RNN_FORMULA = r"h_t = \tanh(W x_t + U h_{t-1} + b)"
SHAPE_CARD_WIDTH = 172  # px: five shape cards to a wide screen's row, three to a laptop's, two to a phone's
INPUT, CELL, OUTPUT = ("#f3f4f6", "#1f2333"), ("#eef2ff", "#4f46e5"), ("#fef3c7", "#d97706")  # (fill, line)


def shape_svg(inputs: list[bool], outputs: list[bool]) -> str:
    """One shape of recurrent network, Karpathy style: a cell per time step (middle, memory passed right),
    inputs below the steps that read one, outputs above the steps that give one."""
    steps = len(inputs)
    box, gap = (46, 24) if steps <= 3 else (40, 14)  # four steps fit the same width
    width = steps * box + (steps - 1) * gap
    left = (220 - width) / 2
    parts = []

    def rect(x: float, y: float, colours: tuple[str, str], label: str) -> None:
        parts.append(f'<rect x="{x}" y="{y}" width="{box}" height="34" rx="7" fill="{colours[0]}" '
                     f'stroke="{colours[1]}" stroke-width="2"/><text x="{x + box / 2}" y="{y + 23}">{label}</text>')

    def arrow(x1: float, y1: float, x2: float, y2: float) -> None:
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{CELL[1]}" stroke-width="2" '
                     'marker-end="url(#arrow)"/>')

    for t in range(steps):
        x = left + t * (box + gap)
        middle = x + box / 2
        rect(x, 68, CELL, "h")
        if inputs[t]:
            rect(x, 128, INPUT, "x")
            arrow(middle, 127, middle, 105)
        if outputs[t]:
            rect(x, 8, OUTPUT, "y")
            arrow(middle, 67, middle, 45)
        if t:
            arrow(x - gap, 85, x - 2, 85)
    marker = ('<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
              f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{CELL[1]}"/></marker>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 220 170" font-family="sans-serif" '
            f'font-size="15" text-anchor="middle"><defs>{marker}</defs>{"".join(parts)}</svg>')


# (title, inputs, outputs, what it is, pages): the demos of this app under their shape.
SHAPES = [
    (_("One to one"), [True], [True],
     _("One input, one output, no sequence: a plain network, here for contrast. A single step of a cell is one."),
     [INSIDE]),
    (_("One to many"), [True, False, False], [True, True, True],
     _("One input, a sequence out: a melody, a caption for a photo, a name. Each output is read back in."),
     [GENERATE]),
    (_("Many to one"), [True, True, True], [False, False, True],
     _("A sequence in, one answer at the end: what a review feels, which digit, which language."),
     [DIGITS, NAMES]),
    (_("Many to many"), [True, True, True], [True, True, True],
     _("An output at every step: a wave turned into another wave, a word tagged at a time."),
     [WAVES]),
    (_("Many to many, encoder-decoder"), [True, True, False, False], [False, False, True, True],
     _("Read the whole input, then write: translation. The output can be longer or shorter than the input, "
       "and in another order."),
     [TRANSLATE]),
]


def lesson_minutes(lesson: list[tuple[PageEntry, int]]) -> int:
    return sum(minutes for _page, minutes in lesson)


def lesson_cards(lesson: list[tuple[PageEntry, int]]) -> None:
    """A card per page, numbered in the lesson's order, with the minutes it suggests and a link."""
    for start in range(0, len(lesson), CARDS_PER_ROW):
        for column, (number, (entry, minutes)) in zip(st.columns(CARDS_PER_ROW),
                                                      enumerate(lesson[start:start + CARDS_PER_ROW], start + 1)):
            with column.container(border=True):
                title = _(entry.title)
                st.markdown(f"**{number}. {entry.icon} {title}**")
                st.caption(":material/schedule: "
                           + ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes))
                st.markdown(_(entry.summary))
                st.page_link(entry.path, label=_("Open"), icon=":material/arrow_forward:")


# Labels in a font size that reads wherever the diagram is drawn: in its column on a laptop, at full width
# on a phone.
UNROLLED_RNN_SVG = """
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 240" font-family="sans-serif" font-size="26">
  <defs><marker id="a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
    <path d="M0,0 L10,5 L0,10 z" fill="#4f46e5"/></marker></defs>
  <g text-anchor="middle">
    <text x="28" y="129" fill="#6b7280">h₀</text>
    <line x1="50" y1="120" x2="78" y2="120" stroke="#4f46e5" stroke-width="2.5" marker-end="url(#a)"/>
    <rect x="80" y="92" width="110" height="56" rx="10" fill="#eef2ff" stroke="#4f46e5" stroke-width="2.5"/>
    <text x="135" y="129">cell</text>
    <line x1="190" y1="120" x2="248" y2="120" stroke="#4f46e5" stroke-width="2.5" marker-end="url(#a)"/>
    <text x="219" y="108" fill="#4f46e5">h₁</text>
    <rect x="250" y="92" width="110" height="56" rx="10" fill="#eef2ff" stroke="#4f46e5" stroke-width="2.5"/>
    <text x="305" y="129">cell</text>
    <line x1="360" y1="120" x2="418" y2="120" stroke="#4f46e5" stroke-width="2.5" marker-end="url(#a)"/>
    <text x="389" y="108" fill="#4f46e5">h₂</text>
    <rect x="420" y="92" width="110" height="56" rx="10" fill="#eef2ff" stroke="#4f46e5" stroke-width="2.5"/>
    <text x="475" y="129">cell</text>
    <line x1="530" y1="120" x2="566" y2="120" stroke="#4f46e5" stroke-width="2.5" marker-end="url(#a)"/>
    <text x="572" y="129" fill="#4f46e5" text-anchor="start">h₃ …</text>
    <text x="135" y="232">x₁</text><text x="305" y="232">x₂</text><text x="475" y="232">x₃</text>
    <line x1="135" y1="204" x2="135" y2="152" stroke="#1f2333" stroke-width="2.5" marker-end="url(#a)"/>
    <line x1="305" y1="204" x2="305" y2="152" stroke="#1f2333" stroke-width="2.5" marker-end="url(#a)"/>
    <line x1="475" y1="204" x2="475" y2="152" stroke="#1f2333" stroke-width="2.5" marker-end="url(#a)"/>
    <text x="135" y="28">y₁</text><text x="305" y="28">y₂</text><text x="475" y="28">y₃</text>
    <line x1="135" y1="90" x2="135" y2="40" stroke="#1f2333" stroke-width="2.5" marker-end="url(#a)"/>
    <line x1="305" y1="90" x2="305" y2="40" stroke="#1f2333" stroke-width="2.5" marker-end="url(#a)"/>
    <line x1="475" y1="90" x2="475" y2="40" stroke="#1f2333" stroke-width="2.5" marker-end="url(#a)"/>
  </g>
</svg>
"""

page_header(HOME, _("RNN Playground"))
st.markdown(_(
    "A **recurrent neural network** reads a sequence one step at a time. At every step the *same* cell "
    "takes two things: the next input $x_t$ and its own memory from the step before, the **hidden "
    "state** $h_{t-1}$. It returns a new hidden state $h_t$ (and, if we ask, an output $y_t$). The "
    "hidden state is all the network remembers of what it has read so far: that loop is what makes it "
    "*recurrent*."))
st.latex(RNN_FORMULA)  # displayed on a line of its own: inline, it wrapped in the middle on a narrow column
left, right = st.columns([3, 2], vertical_alignment="center")
left.image(UNROLLED_RNN_SVG.replace(">cell<", ">" + _("cell") + "<"),
           caption=_("One cell, unrolled over time: the arrows to the right are its memory."), width="stretch")
right.markdown(_(
    "- **RNN**: the plain cell, the formula above.\n"
    "- **LSTM** and **GRU**: cells with gates that decide what to keep and what to forget, so the "
    "memory lasts over longer sequences.\n"
    "- The pages below show them at work, in the order of a short or a long lesson; on the last one you "
    "train your own. Each page says what you are seeing and what to try."))

st.subheader(_("Five shapes of recurrent network"), anchor=False)
st.caption(_("Below: inputs (x). Middle: the cell at each time step, its memory (h) passed to the right. "
             "Above: outputs (y). Each demo of this app is under its shape."))
with st.container(horizontal=True, gap="xsmall"):  # a row on a wide screen, two or three on a laptop, one on a phone
    for number, (title, inputs, outputs, text, links) in enumerate(SHAPES):
        with st.container(border=True, width=SHAPE_CARD_WIDTH, key=f"shape_card_{number}"):
            st.markdown(f"**{title}**")
            st.image(shape_svg(inputs, outputs), width="stretch")
            st.markdown(text)
            for entry in links:
                st.page_link(entry.path, label=_(entry.title), icon=":material/arrow_forward:")

st.subheader(_("Try it: a lesson in pages"), anchor=False)
short_tab, long_tab = st.tabs([_("{minutes}-minute lesson").format(minutes=lesson_minutes(lesson))
                               for lesson in (SHORT_LESSON, LONG_LESSON)])
with short_tab:
    st.caption(_("Three pages: a network reads a sequence, learns with a memory, and remembers far with gates."))
    lesson_cards(SHORT_LESSON)
with long_tab:
    st.caption(_("Every page, each building on the one before: reading, the cell inside, live training, gates, two "
                 "networks that read and write names, one that translates, and one you train yourself."))
    lesson_cards(LONG_LESSON)

with st.container(border=True):  # for a teacher: the class is led from its own page, not a lesson's step
    st.page_link(CLASS.path, label=_(CLASS.title), icon=CLASS.icon)
    st.markdown(_(CLASS.summary))
