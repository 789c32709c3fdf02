"""Home: what a recurrent network is, in one screen, and the way to each demo."""
import streamlit as st

from ui.i18n import _
from ui.page_header import page_header
from ui.pages import DIGITS, GENERATE, HOME, HOME_CARDS, INSIDE, NAMES, WAVES

CARDS_PER_ROW = 3  # readable cards on a laptop; Streamlit stacks them on a phone
SHAPE_CARD_WIDTH = 210  # px: the shape cards wrap, four to a wide screen's row, two to a laptop's
INPUT, CELL, OUTPUT = ("#f3f4f6", "#1f2333"), ("#eef2ff", "#4f46e5"), ("#fef3c7", "#d97706")  # (fill, line)


def shape_svg(inputs: list[bool], outputs: list[bool]) -> str:
    """One shape of recurrent network, Karpathy style: a cell per time step (middle, memory passed right),
    inputs below the steps that read one, outputs above the steps that give one."""
    steps, box, gap = len(inputs), 46, 24
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
]

UNROLLED_RNN_SVG = """
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 200" font-family="sans-serif" font-size="14">
  <defs><marker id="a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
    <path d="M0,0 L10,5 L0,10 z" fill="#4f46e5"/></marker></defs>
  <g text-anchor="middle">
    <text x="40" y="105" fill="#6b7280">h₀</text>
    <line x1="55" y1="100" x2="95" y2="100" stroke="#4f46e5" stroke-width="2" marker-end="url(#a)"/>
    <rect x="100" y="75" width="90" height="50" rx="10" fill="#eef2ff" stroke="#4f46e5" stroke-width="2"/>
    <text x="145" y="105">cell</text>
    <line x1="190" y1="100" x2="245" y2="100" stroke="#4f46e5" stroke-width="2" marker-end="url(#a)"/>
    <text x="218" y="92" fill="#4f46e5">h₁</text>
    <rect x="250" y="75" width="90" height="50" rx="10" fill="#eef2ff" stroke="#4f46e5" stroke-width="2"/>
    <text x="295" y="105">cell</text>
    <line x1="340" y1="100" x2="395" y2="100" stroke="#4f46e5" stroke-width="2" marker-end="url(#a)"/>
    <text x="368" y="92" fill="#4f46e5">h₂</text>
    <rect x="400" y="75" width="90" height="50" rx="10" fill="#eef2ff" stroke="#4f46e5" stroke-width="2"/>
    <text x="445" y="105">cell</text>
    <line x1="490" y1="100" x2="545" y2="100" stroke="#4f46e5" stroke-width="2" marker-end="url(#a)"/>
    <text x="590" y="105" fill="#4f46e5">h₃ …</text>
    <text x="145" y="190">x₁</text><text x="295" y="190">x₂</text><text x="445" y="190">x₃</text>
    <line x1="145" y1="172" x2="145" y2="130" stroke="#1f2333" stroke-width="2" marker-end="url(#a)"/>
    <line x1="295" y1="172" x2="295" y2="130" stroke="#1f2333" stroke-width="2" marker-end="url(#a)"/>
    <line x1="445" y1="172" x2="445" y2="130" stroke="#1f2333" stroke-width="2" marker-end="url(#a)"/>
    <text x="145" y="20">y₁</text><text x="295" y="20">y₂</text><text x="445" y="20">y₃</text>
    <line x1="145" y1="72" x2="145" y2="30" stroke="#1f2333" stroke-width="2" marker-end="url(#a)"/>
    <line x1="295" y1="72" x2="295" y2="30" stroke="#1f2333" stroke-width="2" marker-end="url(#a)"/>
    <line x1="445" y1="72" x2="445" y2="30" stroke="#1f2333" stroke-width="2" marker-end="url(#a)"/>
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
left, right = st.columns([3, 2], vertical_alignment="center")
left.image(UNROLLED_RNN_SVG.replace(">cell<", ">" + _("cell") + "<"),
           caption=_("One cell, unrolled over time: the arrows to the right are its memory."), width="stretch")
right.markdown(_(
    "- **RNN**: the plain cell, $h_t = \\tanh(W x_t + U h_{t-1} + b)$.\n"
    "- **LSTM** and **GRU**: cells with gates that decide what to keep and what to forget, so the "
    "memory lasts over longer sequences.\n"
    "- Below are four of them at work, and one you train yourself. Each page says what you are seeing "
    "and what to try."))

st.subheader(_("Four shapes of recurrent network"), anchor=False)
st.caption(_("Below: inputs (x). Middle: the cell at each time step, its memory (h) passed to the right. "
             "Above: outputs (y). Each demo of this app is under its shape."))
with st.container(horizontal=True, gap="small"):  # four across a wide screen, two on a laptop, one on a phone
    for title, inputs, outputs, text, links in SHAPES:
        with st.container(border=True, width=SHAPE_CARD_WIDTH):
            st.markdown(f"**{title}**")
            st.image(shape_svg(inputs, outputs), width="stretch")
            st.markdown(text)
            for entry in links:
                st.page_link(entry.path, label=_(entry.title), icon=":material/arrow_forward:")

st.subheader(_("Try it"))
for start in range(0, len(HOME_CARDS), CARDS_PER_ROW):
    for column, entry in zip(st.columns(CARDS_PER_ROW), HOME_CARDS[start:start + CARDS_PER_ROW]):
        with column.container(border=True):
            title = _(entry.title)
            st.markdown(f"**{entry.icon} {title}**")
            st.markdown(_(entry.summary))
            st.page_link(entry.path, label=_("Open"), icon=":material/arrow_forward:")
