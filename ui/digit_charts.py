"""Plotly figures for the "Draw a digit" page: the model's view, the answer, and the row-by-row story.

Every figure that shows rows puts row 1 (the top of the image) first, and marks the row being read in
the same amber, so the eye can follow one row from the image to the heatmaps.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import torch

from rnn_core.gates import telling_units
from ui.i18n import _

ROWS = 28
HIDDEN_UNITS_SHOWN = 32  # of 128: the ones that change most, so a pattern shows
INDIGO, AMBER, GREY = "#4f46e5", "#f59e0b", "#c7cbe0"
PROBABILITY_SCALE = [[0.0, "#ffffff"], [0.15, "#e0e7ff"], [1.0, INDIGO]]
FONT = dict(family="Source Sans Pro, Source Sans, sans-serif", size=15, color="#1f2333")


def _layout(height: int, margin: dict, **extra) -> dict:
    return dict(height=height, margin=margin, font=FONT, plot_bgcolor="white", paper_bgcolor="white",
                dragmode=False, **extra)


def probability_bars(probabilities: np.ndarray, height: int = 260) -> go.Figure:
    """Ten bars, one per digit; the chosen digit's bar in indigo, the others grey."""
    best = int(np.argmax(probabilities))
    colors = [INDIGO if digit == best else GREY for digit in range(10)]
    bars = go.Bar(x=list(range(10)), y=probabilities, marker_color=colors,
                  text=[f"{p:.0%}" if p >= 0.01 else "" for p in probabilities], textposition="outside",
                  textfont_size=14, constraintext="none", cliponaxis=False,
                  hovertemplate=_("digit %{x}: %{y:.1%}") + "<extra></extra>")
    return go.Figure(bars, _layout(
        height, dict(l=50, r=10, t=10, b=35), uniformtext=dict(minsize=14, mode="show"),
        xaxis=dict(tickmode="array", tickvals=list(range(10)), tickfont=dict(size=20), fixedrange=True),
        yaxis=dict(range=[0, 1.12], tickformat=".0%", showgrid=True, gridcolor="#eef0f6", fixedrange=True,
                   dtick=0.25)))


def model_view(image: np.ndarray, rows_read: int | None = None, height: int = 260) -> go.Figure:
    """The 28x28 input, large and pixelated; the row being read outlined, rows not read yet veiled."""
    pixels = go.Heatmap(z=image, x=np.arange(1, ROWS + 1), y=np.arange(1, ROWS + 1), zmin=0, zmax=1,
                        colorscale=[[0, "black"], [1, "white"]], showscale=False,
                        hovertemplate=_("row %{y}, column %{x}: %{z:.2f}") + "<extra></extra>")
    shapes = []
    if rows_read is not None and rows_read < ROWS:
        shapes.append(dict(type="rect", x0=0.5, x1=ROWS + 0.5, y0=rows_read + 0.5, y1=ROWS + 0.5,
                           fillcolor="rgba(79, 70, 229, 0.45)", line_width=0, layer="above"))
    if rows_read is not None:
        shapes.append(dict(type="rect", x0=0.5, x1=ROWS + 0.5, y0=rows_read - 0.5, y1=rows_read + 0.5,
                           line=dict(color=AMBER, width=3), layer="above"))
    return go.Figure(pixels, _layout(
        height, dict(l=45, r=5, t=10, b=15), shapes=shapes,
        xaxis=dict(visible=False, range=[0.5, ROWS + 0.5], fixedrange=True, constrain="domain"),
        yaxis=dict(title=_("row"), autorange="reversed", tickvals=[1, 7, 14, 21, 28], fixedrange=True,
                   scaleanchor="x", constrain="domain", showgrid=False, zeroline=False)))


def _row_marker(rows_read: int | None, y0: float, y1: float) -> list[dict]:
    """An amber frame around the column of the row being read."""
    if rows_read is None:
        return []
    return [dict(type="rect", x0=rows_read - 0.5, x1=rows_read + 0.5, y0=y0, y1=y1,
                 line=dict(color=AMBER, width=3), layer="above")]


def row_story(row_probabilities: np.ndarray, rows_read: int | None = None, height: int = 300) -> go.Figure:
    """Digits x rows: the probability of each digit after each row is read (left to right, like time)."""
    cells = go.Heatmap(z=row_probabilities.T, x=np.arange(1, ROWS + 1), y=np.arange(10), zmin=0, zmax=1,
                       colorscale=PROBABILITY_SCALE, xgap=1, ygap=1,
                       colorbar=dict(title="P", tickformat=".0%", thickness=12, len=0.9),
                       hovertemplate=_("after row %{x}: digit %{y} at %{z:.0%}") + "<extra></extra>")
    return go.Figure(cells, _layout(
        height, dict(l=60, r=10, t=10, b=50), shapes=_row_marker(rows_read, -0.5, 9.5),
        xaxis=dict(title=_("rows read"), tickvals=[1, 7, 14, 21, 28], fixedrange=True, showgrid=False),
        yaxis=dict(title=_("digit"), tickvals=list(range(10)), fixedrange=True, showgrid=False,
                   tickfont=dict(size=16))))


def ordered_units(hidden: np.ndarray, count: int) -> np.ndarray:
    """The `count` units that move most over the rows (rows, units), ordered by the row where each changes
    most: a wall of 128 colours becomes a staircase a student can follow."""
    busiest = telling_units(torch.from_numpy(np.ascontiguousarray(hidden)), count).numpy()
    change = np.abs(np.diff(hidden[:, busiest], axis=0, prepend=0.0))
    return busiest[np.argsort(change.argmax(0), kind="stable")]


def hidden_story(hidden: np.ndarray, rows_read: int | None = None, height: int = 320,
                 units: int = HIDDEN_UNITS_SHOWN) -> go.Figure:
    """The most active hidden units x rows: the network's memory after each row (red positive, blue
    negative).

    RNN, GRU and LSTM outputs all lie in [-1, 1], so one fixed scale lets the models be compared.
    """
    shown = ordered_units(hidden, min(units, hidden.shape[1]))
    units = [_("unit {number}").format(number=u + 1) for u in shown]
    cells = go.Heatmap(z=hidden[:, shown].T, x=np.arange(1, ROWS + 1), y=units,
                       zmin=-1, zmax=1, colorscale="RdBu_r",
                       colorbar=dict(title=_("activation"), thickness=14, len=0.9),
                       hovertemplate=_("after row %{x}: %{y} = %{z:.2f}") + "<extra></extra>")
    return go.Figure(cells, _layout(
        height, dict(l=60, r=10, t=10, b=50), shapes=_row_marker(rows_read, -0.5, len(shown) - 0.5),
        xaxis=dict(title=_("rows read"), tickvals=[1, 7, 14, 21, 28], fixedrange=True, showgrid=False),
        yaxis=dict(title=_("hidden unit"), autorange="reversed", fixedrange=True, showgrid=False,
                   showticklabels=False)))
