"""Home: what a recurrent network is, in one screen, and the way to each demo."""
import streamlit as st

CARDS_PER_ROW = 3  # readable cards on a laptop; Streamlit stacks them on a phone

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

st.title("RNN Playground")
st.markdown(
    "A **recurrent neural network** reads a sequence one step at a time. At every step the *same* cell "
    "takes two things: the next input $x_t$ and its own memory from the step before, the **hidden "
    "state** $h_{t-1}$. It returns a new hidden state $h_t$ (and, if we ask, an output $y_t$). The "
    "hidden state is all the network remembers of what it has read so far: that loop is what makes it "
    "*recurrent*.")
left, right = st.columns([3, 2], vertical_alignment="center")
left.image(UNROLLED_RNN_SVG, caption="One cell, unrolled over time: the arrows to the right are its memory.",
           width="stretch")
right.markdown(
    "- **RNN**: the plain cell, $h_t = \\tanh(W x_t + U h_{t-1} + b)$.\n"
    "- **LSTM** and **GRU**: cells with gates that decide what to keep and what to forget, so the "
    "memory lasts over longer sequences.\n"
    "- Below are three of them at work, and one you train yourself. Each page says what you are seeing "
    "and what to try.")

st.subheader("Try it")
demos = [
    ("app_pages/digits.py", ":material/draw: Draw a digit",
     "Draw a digit; a network reads your drawing **row by row**, 28 rows of 28 pixels, and you watch its "
     "guess change as it reads."),
    ("app_pages/waves.py", ":material/waves: Wave regressor",
     "Watch an RNN **learn live** to turn a sine into a cosine, its memory carried from one window to "
     "the next; switch the memory off and see what breaks."),
    ("app_pages/names.py", ":material/translate: Name classifier",
     "Type a surname; a network that reads **letter by letter**, in both directions, says which of 18 "
     "languages it comes from."),
    ("app_pages/inside.py", ":material/memory: Inside a cell",
     "Open up **nn.RNN, nn.LSTM and nn.GRU**: every weight and tensor shape of the real modules, and one "
     "time step worked out by hand, gate by gate."),
    ("app_pages/train.py", ":material/model_training: Train it yourself",
     "Train a digit or name classifier **while you watch** its loss fall and its accuracy rise, then "
     "try it on the demo pages, or teach the digit model your own handwriting."),
]
for start in range(0, len(demos), CARDS_PER_ROW):
    for column, (path, title, text) in zip(st.columns(CARDS_PER_ROW), demos[start:start + CARDS_PER_ROW]):
        with column.container(border=True):
            st.markdown(f"**{title}**")
            st.markdown(text)
            st.page_link(path, label="Open", icon=":material/arrow_forward:")
