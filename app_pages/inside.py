"""Inside a cell: the shapes of nn.RNN / nn.LSTM / nn.GRU, and one time step of a tiny cell worked by hand.

The arithmetic is rnn_core.inside.cells' (checked against PyTorch there and in tests/test_cells.py); this page
only lays it out. Everything is tiny and computed afresh on each run, from a seed kept in session state.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st
import torch

from rnn_core.inside.cells import (GATE_NAMES, SHAPE_CHOICES, CellSpec, GRUStep, LSTMStep, RNNStep, Step,
                                  parameter_table, parameter_total, seeded_module, tensor_shapes, unroll)
from ui.cell_diagram import unrolled_svg
from ui.engine_words import engine_words
from ui.i18n import N_, _, join_sentences, ngettext, number as localized
from ui.page_header import page_header
from ui.page_links import Choice, Flag, LinkField, WholeNumber, follow_link, keep_in_link, link_notes
from ui.pages import INSIDE
from ui.projector import aside

CELLS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
STEP_INPUT, STEP_HIDDEN, STEP_COUNT = 2, 3, 5  # the hand-worked cell: small enough to read every number
GATE_TITLES = {"i": N_("Input gate"), "f": N_("Forget gate"), "g": N_("Cell candidate"), "o": N_("Output gate"),
               "r": N_("Reset gate"), "z": N_("Update gate"), "n": N_("New candidate")}  # shown through _()
# One sentence per cell: the English article depends on the cell's name (an RNN, an LSTM, a GRU).
HAND_WORKED = {
    "rnn": N_("An RNN with {inputs} inputs and {hidden} hidden units reads a sequence of {steps} steps; its weights "
              "are PyTorch's default start, uniform in ±1/√{hidden}."),
    "lstm": N_("An LSTM with {inputs} inputs and {hidden} hidden units reads a sequence of {steps} steps; its weights "
               "are PyTorch's default start, uniform in ±1/√{hidden}."),
    "gru": N_("A GRU with {inputs} inputs and {hidden} hidden units reads a sequence of {steps} steps; its weights "
              "are PyTorch's default start, uniform in ±1/√{hidden}.")}
DEFAULTS = {"cell": "lstm", "input": 4, "hidden": 3, "layers": 1, "bidirectional": False, "batch_first": True,
            "batch": 2, "seq_len": 5, "seed": 0, "step": 0}
MAX_SEED = 999_999  # "New weights" counts up from 0: a link's seed stays short enough to read out
# The setup a link carries: the cell, its sizes, and the hand-worked step (counted from 1, as shown) and seed.
LINK_KINDS = {"cell": Choice(tuple(CELLS)), "input": Choice(SHAPE_CHOICES["input_size"]),
              "hidden": Choice(SHAPE_CHOICES["hidden_size"]), "layers": Choice(SHAPE_CHOICES["num_layers"]),
              "seq_len": Choice(SHAPE_CHOICES["seq_len"]), "batch": Choice(SHAPE_CHOICES["batch"]),
              "bidirectional": Flag(), "batch_first": Flag(), "step": WholeNumber(1, STEP_COUNT, shown_from=1),
              "seed": WholeNumber(0, MAX_SEED)}
LINK = tuple(LinkField(name, f"inside_{name}", DEFAULTS[name], kind) for name, kind in LINK_KINDS.items())


def key(name: str) -> str:
    return f"inside_{name}"


# ----------------------------------------------------------------------------- shapes

def shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ")"


def pytorch_code(spec: CellSpec) -> str:
    call = "out, (h_n, c_n) = rnn(x, (h0, c0))" if spec.cell == "lstm" else "out, h_n = rnn(x, h0)"
    return f"from torch import nn\n\nrnn = {spec.pytorch_line()}\n{call}"


def show_shapes(spec: CellSpec, batch: int, seq_len: int) -> None:
    st.code(pytorch_code(spec), language="python", wrap_lines=True)
    caption = _("Unrolled: layers bottom to top, time left to right. Each arrow is labelled with the shape it "
                "carries at one step: (batch, hidden) for the memory, (batch, input) for x_t.")
    if spec.bidirectional:
        caption = join_sentences([caption, _("Amber: the backward direction, reading from the last step to the "
                                             "first.")])
    st.image(unrolled_svg(spec, batch, seq_len), width="stretch", caption=caption)
    st.markdown("##### " + _("Tensors in and out"))
    tensor, shape, why = _("tensor"), _("shape"), _("why")
    st.table(pd.DataFrame([{tensor: row.name, shape: shape_text(row.shape), why: engine_words(row.reason)}
                           for row in tensor_shapes(spec, batch, seq_len)]), hide_index=True)


def show_parameters(spec: CellSpec) -> None:
    module = seeded_module(spec, seed=0)
    total = parameter_total(module)
    st.markdown("##### " + ngettext("Parameters: {count} in all", "Parameters: {count} in all", total)
                .format(count=localized(total)))
    name, shape, count, does, layout = _("parameter"), _("shape"), _("count"), _("what it does"), _("rows and columns")
    # A plain table, not a data grid: a grid cuts a long name (bias_ih_l0_reverse) at its column's width.
    st.table(pd.DataFrame([{name: row.name, shape: shape_text(row.shape), count: localized(row.count),
                            does: engine_words(row.does), layout: engine_words(row.layout)}
                           for row in parameter_table(module)]), hide_index=True)
    st.caption(_("Read from the module's own named_parameters(). Every weight is (rows, columns) = (gates x hidden, "
                 "what it multiplies): PyTorch computes x @ W.T, as nn.Linear does. Biases come in pairs, b_ih and "
                 "b_hh: one would do, but cuDNN's kernels have both, so PyTorch keeps both."))


# ----------------------------------------------------------------------------- one step by hand

def previous_step() -> None:
    st.session_state[key("step")] = max(0, st.session_state[key("step")] - 1)


def next_step() -> None:
    st.session_state[key("step")] = min(STEP_COUNT - 1, st.session_state[key("step")] + 1)


def restart() -> None:
    st.session_state[key("step")] = 0


def new_weights() -> None:
    st.session_state[key("seed")] = (st.session_state[key("seed")] + 1) % (MAX_SEED + 1)
    st.session_state[key("step")] = 0


def number(value: float, decimals: int = 3) -> str:
    return f"{value:.{decimals}f}".replace("-", "−")  # a true minus: lines up with the plus-less positives


def vector(values: torch.Tensor) -> str:
    return "(" + ", ".join(number(float(v)) for v in values) + ")"


def table(rows: list[tuple[str, torch.Tensor]], result_rows: int = 1) -> str:
    """A markdown table: one row per named vector (label in LaTeX), one column per hidden unit; the last
    `result_rows` rows in bold."""
    units = len(rows[0][1])
    unit = _("unit {number}")
    lines = ["| | " + " | ".join(unit.format(number=u + 1) for u in range(units)) + " |", "|---" * (units + 1) + "|"]
    for k, (label, values) in enumerate(rows):
        bold = k >= len(rows) - result_rows
        cells = [f"**{number(float(v))}**" if bold else number(float(v)) for v in values]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def block(values: torch.Tensor, k: int) -> torch.Tensor:
    """Gate block k of a stacked (G * H) vector, for the first (only) sequence of the batch."""
    values = values[0] if values.dim() == 2 else values
    return values[k * STEP_HIDDEN:(k + 1) * STEP_HIDDEN]


def show_rnn_step(step: RNNStep) -> None:
    st.markdown(r"$h_t = \tanh(W_{ih}\,x_t + b_{ih} + W_{hh}\,h_{t-1} + b_{hh})$")
    st.markdown(table([(r"$W_{ih}\,x_t$", step.wx[0]), (r"$W_{hh}\,h_{t-1}$", step.wh[0]), (r"$b_{ih}$", step.b_ih),
                       (r"$b_{hh}$", step.b_hh), (_("sum") + " $a_t$", step.pre[0]),
                       (r"$h_t = \tanh(a_t)$", step.h[0])],
                      result_rows=1))


def gate_rows(step: Step, k: int, letter: str) -> list[tuple[str, torch.Tensor]]:
    """The rows of gate k: its input part, memory part, biases, their sum, and the gate (the squashed sum)."""
    total = block(step.wx, k) + block(step.wh, k) + block(step.b_ih, k) + block(step.b_hh, k)
    return [(rf"$W_{{i{letter}}}\,x_t$", block(step.wx, k)), (rf"$W_{{h{letter}}}\,h_{{t-1}}$", block(step.wh, k)),
            (rf"$b_{{i{letter}}} + b_{{h{letter}}}$", block(step.b_ih, k) + block(step.b_hh, k)), (_("sum"), total),
            (rf"${letter}$", getattr(step, letter)[0])]


def show_gate(title: str, formula: str, rows: list[tuple[str, torch.Tensor]], result_rows: int = 1) -> None:
    st.markdown("**" + _(title) + "** " + formula)
    st.markdown(table(rows, result_rows))


def show_lstm_step(step: LSTMStep) -> None:
    st.markdown(_(r"Gates in PyTorch's order $i, f, g, o$: each block of 3 rows of $W_{ih}$ and $W_{hh}$ is one "
                  r"gate. $\sigma$ squashes to $0 \ldots 1$ (shut to open), $\tanh$ to $-1 \ldots 1$."))
    for pair in ("if", "go"):  # two gates a row; on a phone the columns stack in the order i, f, g, o
        for column, letter in zip(st.columns(2, gap="large"), pair):
            k, squash = "ifgo".index(letter), r"\tanh" if letter == "g" else r"\sigma"
            with column:
                show_gate(GATE_TITLES[letter],
                          rf"${letter} = {squash}(W_{{i{letter}}}x_t + b_{{i{letter}}} + W_{{h{letter}}}h_{{t-1}} + "
                          rf"b_{{h{letter}}})$", gate_rows(step, k, letter))
    kept, written = step.f[0] * step.c_prev[0], step.i[0] * step.g[0]
    left, right = st.columns(2, gap="large")
    with left:
        show_gate(N_("The memory"), r"$c_t = f \odot c_{t-1} + i \odot g$",
                  [(r"$c_{t-1}$", step.c_prev[0]), (_(r"$f \odot c_{t-1}$ kept"), kept),
                   (_(r"$i \odot g$ written"), written),
                   (r"$c_t$", step.c[0])])
    with right:
        show_gate(N_("What it shows"), r"$h_t = o \odot \tanh(c_t)$",
                  [(r"$\tanh(c_t)$", torch.tanh(step.c[0])), (r"$o$", step.o[0]), (r"$h_t$", step.h[0])])


def show_gru_step(step: GRUStep) -> None:
    st.markdown(_(r"Gates in PyTorch's order $r, z, n$: each block of 3 rows of $W_{ih}$ and $W_{hh}$ is one "
                  r"gate. $\sigma$ squashes to $0 \ldots 1$ (shut to open), $\tanh$ to $-1 \ldots 1$."))
    left, right = st.columns(2, gap="large")
    for column, (k, letter) in zip((left, right), enumerate("rz")):
        with column:
            show_gate(GATE_TITLES[letter],
                      rf"${letter} = \sigma(W_{{i{letter}}}x_t + b_{{i{letter}}} + W_{{h{letter}}}h_{{t-1}} + "
                      rf"b_{{h{letter}}})$", gate_rows(step, k, letter))
    memory_part = block(step.wh, 2) + block(step.b_hh, 2)
    input_part = block(step.wx, 2) + block(step.b_ih, 2)
    left, right = st.columns(2, gap="large")
    with left:
        show_gate(N_("New candidate"), r"$n = \tanh(W_{in}x_t + b_{in} + r \odot (W_{hn}h_{t-1} + b_{hn}))$",
                  [(r"$W_{in}\,x_t + b_{in}$", input_part), (r"$W_{hn}\,h_{t-1} + b_{hn}$", memory_part),
                   (r"$r \odot (W_{hn}\,h_{t-1} + b_{hn})$", step.r[0] * memory_part),
                   (_("sum"), input_part + step.r[0] * memory_part), (r"$n$", step.n[0])])
    with right:
        show_gate(N_("The new state"), r"$h_t = (1 - z) \odot n + z \odot h_{t-1}$",
                  [(r"$(1 - z) \odot n$", (1 - step.z[0]) * step.n[0]),
                   (r"$z \odot h_{t-1}$", step.z[0] * step.h_prev[0]),
                   (r"$h_t$", step.h[0])])


def sequence_table(x: torch.Tensor, hidden: torch.Tensor, current: int) -> str:
    """The whole input sequence and the states so far: one column per step, the current one in bold (two
    decimals, so that five steps fit a phone)."""
    header = "| $t$ | " + " | ".join(f"**{t + 1}**" if t == current else f"{t + 1}" for t in range(STEP_COUNT)) + " |"
    lines = [header, "|---" * (STEP_COUNT + 1) + "|"]
    rows = ([(f"$x[{i + 1}]$", x[:, i], STEP_COUNT) for i in range(x.shape[1])]
            + [(f"$h[{u + 1}]$", hidden[:, u], current + 1) for u in range(hidden.shape[1])])
    for name, values, shown in rows:
        cells = [(f"**{number(float(v), 2)}**" if t == current else number(float(v), 2)) if t < shown else "·"
                 for t, v in enumerate(values)]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def show_step_by_hand(cell: str) -> None:
    seed, t = st.session_state[key("seed")], st.session_state[key("step")]
    spec = CellSpec(cell, STEP_INPUT, STEP_HIDDEN, batch_first=True)
    module = seeded_module(spec, seed)
    x = torch.randn((1, STEP_COUNT, STEP_INPUT), generator=torch.Generator().manual_seed(seed))  # (B, T, I)
    by_hand = unroll(module, x)
    with torch.no_grad():
        pytorch_out, _final_state = module(x)  # (1, T, H): h_t at every step, from PyTorch's own kernel
    step = by_hand.step(t)

    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.button(_("Previous"), icon=":material/skip_previous:", key=key("previous"), on_click=previous_step,
                  disabled=t == 0)
        st.button(_("Next step"), icon=":material/skip_next:", key=key("next"), on_click=next_step,
                  disabled=t == STEP_COUNT - 1, type="primary")
        st.button(_("Restart"), icon=":material/restart_alt:", key=key("restart"), on_click=restart, disabled=t == 0)
        st.button(_("New weights"), icon=":material/casino:", key=key("new_weights"), on_click=new_weights)
        st.caption(_("Step {step} of {count} · weights and inputs from seed {seed}").format(
            step=t + 1, count=STEP_COUNT, seed=seed), width="content")

    st.markdown(sequence_table(x[0], by_hand.output[0], t))
    reads = [_("the input {value}").format(value=f"$x_{{{t + 1}}} = {vector(step.x[0])}$"),
             _("its memory {value}").format(value=f"$h_{{{t}}} = {vector(step.h_prev[0])}$")]
    if isinstance(step, LSTMStep):
        reads.append(_("its cell state {value}").format(value=f"$c_{{{t}}} = {vector(step.c_prev[0])}$"))
    lead = (_("At step {step} the cell reads (its memory starts at zero):") if t == 0
            else _("At step {step} the cell reads:")).format(step=t + 1)
    st.markdown(lead + "\n" + "".join(f"\n- {line}" for line in reads))
    {"rnn": show_rnn_step, "lstm": show_lstm_step, "gru": show_gru_step}[cell](step)

    difference = float((step.h[0] - pytorch_out[0, t]).abs().max())
    verdict = (":material/check_circle: " + _("the same") if difference < 1e-5
               else ":material/error: " + _("not the same"))
    st.markdown(_("**Check:** PyTorch's {module} gives {value} for this step: {verdict} (largest difference "
                  "{difference}).").format(module=f"`nn.{CELLS[cell]}`",
                                           value=f"$h_{{{t + 1}}} = {vector(pytorch_out[0, t])}$",
                                           verdict=verdict, difference=f"{difference:.1e}"))
    with st.expander(_("The matrix products, in full")):
        w_ih, w_hh = module.weight_ih_l0.detach(), module.weight_hh_l0.detach()
        st.latex(rf"W_{{ih}}\,x_t = {matrix(w_ih)} {matrix(step.x[0, :, None])} = {matrix(step.wx[0, :, None])}")
        st.latex(rf"W_{{hh}}\,h_{{t-1}} = {matrix(w_hh)} {matrix(step.h_prev[0, :, None])} = "
                 rf"{matrix(step.wh[0, :, None])}")
        if spec.gates > 1:
            gates = GATE_NAMES[cell]
            st.caption(_("Rows 1-3 belong to gate {first}, rows 4-6 to {second}, and so on ({all}): PyTorch "
                         "stacks the gates' weights in one matrix.").format(first=gates[0], second=gates[1],
                                                                             all=", ".join(gates)))


def matrix(values: torch.Tensor) -> str:
    rows = [" & ".join(f"{float(v):.2f}" for v in row) for row in values]
    return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"


# ----------------------------------------------------------------------------- page

follow_link("inside", LINK)
for name, value in DEFAULTS.items():
    st.session_state.setdefault(key(name), value)

page_header(INSIDE, link=keep_in_link("inside", LINK))
link_notes("inside")
aside("intro").caption(_("What nn.RNN, nn.LSTM and nn.GRU hold and compute: every parameter and tensor shape, "
                         "and one time step of a tiny cell worked out by hand, number by number."))

explain_left, explain_right = aside("explain").columns(2)
with explain_left.expander(_("What you are seeing")):
    st.markdown(_(
        "- **Shapes**: the line of PyTorch that builds the cell you choose, the network unrolled over time, "
        "the shape of every tensor going in and out, and every parameter, read from the real module.\n"
        "- **One step by hand**: a cell with 2 inputs and 3 hidden units reads 5 steps. Each table is one "
        "line of the cell's formula with its real numbers; the check below compares the result with what "
        "PyTorch's own module computes."))
with explain_right.expander(_("Try this")):
    st.markdown(_(
        "- Switch RNN → GRU → LSTM: the weights grow 3x and 4x (one block per gate), the shapes in and out do not.\n"
        "- Turn on **bidirectional**: the output doubles in width, h_n in height, and layer 2's input is 2 x hidden.\n"
        "- Turn off **batch_first**: only the input and output swap their first two dimensions; h0 and h_n never do.\n"
        "- Step through the LSTM: where the forget gate is near 1, $c_t$ stays close to $c_{t-1}$."))

st.radio(_("Cell"), list(CELLS), format_func=CELLS.get, key=key("cell"), horizontal=True)
cell = st.session_state[key("cell")]

st.subheader(_("Shapes"), anchor=False)
sizes = st.columns(4)
sizes[0].select_slider(_("Input size"), SHAPE_CHOICES["input_size"], key=key("input"),
                       help=_("Features per time step (28 for the digit models: one row of pixels)."))
sizes[1].select_slider(_("Hidden size"), SHAPE_CHOICES["hidden_size"], key=key("hidden"))
sizes[2].select_slider(_("Layers"), SHAPE_CHOICES["num_layers"], key=key("layers"))
sizes[3].select_slider(_("Sequence length"), SHAPE_CHOICES["seq_len"], key=key("seq_len"))
options = st.columns([1, 2], vertical_alignment="center")
options[0].select_slider(_("Batch size"), SHAPE_CHOICES["batch"], key=key("batch"))
with options[1].container(horizontal=True):
    st.toggle(_("Bidirectional"), key=key("bidirectional"),
              help=_("A second set of weights reads the sequence backwards."))
    st.toggle("batch_first", key=key("batch_first"), help=_("Input and output as (batch, time, features)."))
chosen = CellSpec(cell, st.session_state[key("input")], st.session_state[key("hidden")],
                  st.session_state[key("layers")], st.session_state[key("bidirectional")],
                  st.session_state[key("batch_first")])
show_shapes(chosen, st.session_state[key("batch")], st.session_state[key("seq_len")])
show_parameters(chosen)

st.subheader(_("One step by hand"), anchor=False)
st.caption(_(HAND_WORKED[cell]).format(inputs=STEP_INPUT, hidden=STEP_HIDDEN, steps=STEP_COUNT))
show_step_by_hand(cell)
