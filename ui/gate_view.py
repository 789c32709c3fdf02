"""The gates of a digit model, row by row: show_gates(model, image, cell_label) draws them under a drawing.

For each layer, one heatmap per gate (rows read left to right, like time; the units whose gate moves most
on this drawing top to bottom), and each gate's mean over all units per row as a line. A plain RNN gets a
note instead: it has no gates.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st
import torch

from rnn_core.digits.gates import CANDIDATES, DigitGates, NoGatesError, digit_gates, gate_means, telling_units
from rnn_core.digits.model import RowClassifier
from ui.digit_charts import AMBER, INDIGO, ROWS
from ui.i18n import N_, _, join_sentences
from ui.projector import scaled_figure

UNITS = 20  # units per heatmap: the most telling ones, enough to see patterns, few enough to read
GATE_SCALE = [[0.0, "#ffffff"], [0.5, "#a5b4fc"], [1.0, INDIGO]]  # closed (0) white, open (1) indigo
GATE_COLOURS = {"input": INDIGO, "forget": AMBER, "output": "#10b981", "reset": AMBER, "update": INDIGO}
CHART_CONFIG = {"displayModeBar": False}
FONT = dict(family="Source Sans Pro, Source Sans, sans-serif", size=15, color="#1f2333")
GATE_NAMES = {"input": N_("input gate"), "forget": N_("forget gate"), "output": N_("output gate"),
              "reset": N_("reset gate"), "update": N_("update gate")}
CAPTIONS = {  # translated where shown
    "lstm": N_("Every square is one gate of one hidden unit after a row is read, from 0 (white, closed) to 1 "
            "(indigo, open). A **forget** gate near 1 keeps that unit's memory (its cell state) as it was; "
            "near 0 it wipes it. The **input** gate says how much of the new candidate to write into the "
            "memory, the **output** gate how much of the memory to show as the hidden state the next row "
            "and the answer see. Watch the gates move where the pen crossed a row, and stay still on empty "
            "rows."),
    "gru": N_("Every square is one gate of one hidden unit after a row is read, from 0 (white, closed) to 1 "
           "(indigo, open). An **update** gate near 1 keeps that unit's memory as it was (h_t = h_(t-1)); "
           "near 0 it replaces it with the new candidate. The **reset** gate says how much of the old "
           "memory the candidate may look at: near 0, the candidate is made from the row alone. Watch the "
           "gates move where the pen crossed a row, and stay still on empty rows."),
}


def gate_name(name: str) -> str:
    return _(GATE_NAMES[name]) if name in GATE_NAMES else name


def _layout(height: int, **extra) -> dict:
    return dict(height=height, font=FONT, plot_bgcolor="white", paper_bgcolor="white", dragmode=False, **extra)


def gate_heatmap(values: np.ndarray, units: np.ndarray, name: str, height: int = 300) -> go.Figure:
    """Units x rows for one gate: values (rows, H) in [0, 1], `units` the ones to show, top to bottom."""
    labels = [_("unit {number}").format(number=u + 1) for u in units]
    cells = go.Heatmap(z=values[:, units].T, x=np.arange(1, ROWS + 1), y=labels, zmin=0, zmax=1,
                       colorscale=GATE_SCALE, showscale=False,
                       hovertemplate=_("{gate} of %{{y}} after row %{{x}}: %{{z:.2f}}").format(gate=gate_name(name))
                       + "<extra></extra>")
    return go.Figure(cells, _layout(
        height, margin=dict(l=70, r=10, t=35, b=55),
        title=dict(text=gate_name(name), x=0.5, xanchor="center", font_size=16),
        xaxis=dict(title=dict(text=_("rows read"), standoff=8), tickvals=[1, 7, 14, 21, 28], fixedrange=True,
                   showgrid=False),
        yaxis=dict(autorange="reversed", fixedrange=True, showgrid=False, tickfont_size=11)))


def gate_means_figure(means: dict[str, np.ndarray], height: int = 240) -> go.Figure:
    """Each gate's mean over all units, per row: one line per gate, 0 to 1."""
    lines = [go.Scatter(x=np.arange(1, ROWS + 1), y=values, name=gate_name(name), mode="lines+markers",
                        line=dict(color=GATE_COLOURS.get(name, INDIGO), width=2.5), marker_size=5,
                        hovertemplate=_("{gate} after row %{{x}}: mean %{{y:.2f}}").format(gate=gate_name(name))
                        + "<extra></extra>")
             for name, values in means.items()]
    return go.Figure(lines, _layout(
        height, margin=dict(l=60, r=10, t=10, b=55),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        xaxis=dict(title=_("rows read"), tickvals=[1, 7, 14, 21, 28], fixedrange=True, showgrid=False),
        yaxis=dict(title=_("mean over units"), range=[0, 1], fixedrange=True, gridcolor="#eef0f6")))


def gate_figures(found: DigitGates, layer: int) -> tuple[list[go.Figure], go.Figure]:
    """One layer's heatmaps (one per gate, candidates left out) and its line of means."""
    gates = {name: values for name, values in found.gates[layer].items() if name not in CANDIDATES}
    heatmaps = [gate_heatmap(values.numpy(), telling_units(values, UNITS).numpy(), name)
                for name, values in gates.items()]
    means = {name: values.numpy() for name, values in gate_means(found, layer).items() if name in gates}
    return heatmaps, gate_means_figure(means)


def show_gates(model: RowClassifier, image: torch.Tensor, cell_label: str) -> None:
    """The gates of a digit model reading `image` (28, 28) in [0, 1], per layer; a note for a plain RNN."""
    try:
        found = digit_gates(model, image)
    except NoGatesError:  # the engine's words are English: the page says it in the visitor's language
        st.info(_("{model}: A plain RNN has no gates: at every row it overwrites its whole memory, "
                  "h_t = tanh(W_ih x_t + W_hh h_(t-1) + b), with nothing deciding what to keep.").format(
                      model=cell_label), icon=":material/info:")
        return
    hidden = found.hidden[0].shape[1]
    st.markdown("##### " + _("Gates, row by row"))
    st.caption(join_sentences([_(CAPTIONS[found.cell]), _(
        "Shown: in each gate the {shown} of {units} units that move most on this drawing; below, each gate's mean "
        "over all units.").format(shown=min(UNITS, hidden), units=hidden)]))
    layers = len(found.gates)
    names = [_("Layer {number}").format(number=k + 1) + (" · " + _("reads the pixels") if k == 0 else "")
             + (" · " + _("feeds the answer") if k == layers - 1 else "") for k in range(layers)]
    for layer, tab in enumerate(st.tabs(names)):
        with tab:
            heatmaps, means = gate_figures(found, layer)
            for column, figure in zip(st.columns(len(heatmaps)), heatmaps):
                column.plotly_chart(scaled_figure(figure), config=CHART_CONFIG, theme=None)
            st.plotly_chart(scaled_figure(means), config=CHART_CONFIG, theme=None)
