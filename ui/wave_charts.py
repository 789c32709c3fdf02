"""Plotly figures for the live wave regressor, rebuilt and sent on every tick, so built to be cheap.

Panels are grouped into few figures (live_figure): each chart on a page costs the browser a full Plotly
render per tick, and measured here one chart ticks about 12 times a second where four separate ones
tick 2 to 4 times. The figure is assembled as plain dicts and
wrapped without validation: plotly validates every property of a figure it builds (about 20 ms for this
one, four times the training step), and st.plotly_chart validates dicts but passes Figure objects on.
The dicts here are fixed in code, so there is nothing to validate. Arrays go in as float32 numpy arrays,
which plotly sends as compact binary; long curves are averaged down to a few hundred points;
`uirevision` keeps a user's zoom while the data changes underneath it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import plotly.graph_objects as go

from rnn_core.training import WaveWindowRecord

INPUT, TARGET, PREDICTION, EVALUATION = "#9ca3af", "#4f46e5", "#f97316", "#059669"
CARRYING, RESETTING = "#4f46e5", "#dc2626"
MAX_CURVE_POINTS = 300
WAVE_RANGE = [-1.3, 1.3]
HIDDEN_COLORS = [[0.0, "#2563eb"], [0.5, "#ffffff"], [1.0, "#dc2626"]]  # hidden state -1 blue, 0 white, +1 red


@dataclass
class Panel:
    """One chart inside the live figure."""
    title: str
    traces: list[dict]
    yaxis: dict = field(default_factory=dict)
    window_starts: list[float] = field(default_factory=list)  # faint vertical lines where windows begin
    height: int = 200  # pixels of plot area


TITLE_SPACE, AXIS_SPACE, LEGEND_SPACE = 30, 28, 52  # pixels: a panel's title, its tick labels; the legend


def live_figure(rows: list[list[Panel]]) -> go.Figure:
    """Panels laid out in rows (one or two per row), each with its own axes and title, and one legend on
    top (each name once: a colour means the same thing in every panel). One legend, not one per panel:
    legends are among the costliest parts of redrawing a figure."""
    total = LEGEND_SPACE + sum(TITLE_SPACE + max(p.height for p in row) + AXIS_SPACE for row in rows)
    data, shapes, annotations, named = [], [], [], set()
    layout: dict = {"height": total, "uirevision": "keep", "margin": {"l": 48, "r": 10, "t": 0, "b": 0},
                    "legend": {"orientation": "h", "x": 0, "y": 1, "yanchor": "top", "font": {"size": 11}}}
    top, index = total - LEGEND_SPACE, 0
    for row in rows:
        row_height = max(p.height for p in row)
        y_top = (top - TITLE_SPACE) / total
        y_bottom = (top - TITLE_SPACE - row_height) / total
        widths = [(0.0, 1.0)] if len(row) == 1 else [(0.0, 0.45), (0.55, 1.0)]  # room for tick labels
        for panel, (x0, x1) in zip(row, widths):
            index += 1
            suffix = "" if index == 1 else str(index)
            # Fixed margins, no automargin: automargin makes Plotly measure and redraw, on every update.
            layout[f"xaxis{suffix}"] = {"domain": [x0, x1], "anchor": f"y{suffix}", "automargin": False}
            layout[f"yaxis{suffix}"] = {**panel.yaxis, "domain": [y_bottom, y_top], "anchor": f"x{suffix}",
                                        "automargin": False}
            for trace in panel.traces:
                name = trace.get("name")
                data.append({**trace, "xaxis": f"x{suffix}", "yaxis": f"y{suffix}", "legendgroup": name,
                             "showlegend": name is not None and name not in named})
                named.add(name)
            annotations.append({"text": f"<b>{panel.title}</b>", "x": x0, "y": y_top, "xref": "paper",
                                "yref": "paper", "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                                "font": {"size": 13}})
            shapes += [{"type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, "xref": f"x{suffix}",
                        "yref": f"y{suffix} domain", "line": {"color": "#d1d5db", "width": 1}}
                       for x in panel.window_starts[1:]]
        top -= TITLE_SPACE + row_height + AXIS_SPACE
    return go.Figure({"data": data, "layout": {**layout, "shapes": shapes, "annotations": annotations}},
                     _validate=False)


def _line(x: np.ndarray, y: np.ndarray, name: str, color: str, dash: str = "solid",
          markers: bool = False) -> dict:
    return {"type": "scatter", "x": np.asarray(x, np.float32), "y": np.asarray(y, np.float32), "name": name,
            "mode": "lines+markers" if markers else "lines", "line": {"color": color, "dash": dash, "width": 2},
            "marker": {"size": 5}}


def thin(steps: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Average a long curve down to at most MAX_CURVE_POINTS points (means over equal runs of steps)."""
    if len(values) <= MAX_CURVE_POINTS:
        return steps, values
    starts = np.linspace(0, len(values), MAX_CURVE_POINTS, endpoint=False).astype(np.int64)
    counts = np.diff(np.append(starts, len(values)))
    return (np.add.reduceat(steps.astype(np.float64), starts) / counts,
            np.add.reduceat(values.astype(np.float64), starts) / counts)


def window_panel(record: WaveWindowRecord, target_name: str) -> Panel:
    """The window just trained on: target against prediction (and the input, faint)."""
    return Panel(f"Current window (step {record.step:,})",
                 [_line(record.t, record.inputs, "input", INPUT, "dot"),
                  _line(record.t, record.targets, target_name, TARGET, markers=True),
                  _line(record.t, record.predictions, "prediction", PREDICTION, markers=True)],
                 {"range": WAVE_RANGE})


def loss_panel(steps: np.ndarray, losses: np.ndarray, eval_steps: np.ndarray, eval_losses: np.ndarray) -> Panel:
    return Panel("Loss by optimizer step (MSE, log scale)",
                 [_line(*thin(steps, losses), "training (per window)", PREDICTION),
                  _line(eval_steps, eval_losses, "held-out", EVALUATION, markers=True)],
                 {"type": "log", "exponentformat": "power"})


def stream_panel(stream: WaveWindowRecord, window_starts: list[float], target_name: str) -> Panel:
    """The last few windows stitched end to end, with a faint line where each window begins."""
    return Panel("Recent stream (grey lines: where each window begins)",
                 [_line(stream.t, stream.inputs, "input", INPUT, "dot"),
                  _line(stream.t, stream.targets, target_name, TARGET),
                  _line(stream.t, stream.predictions, "prediction", PREDICTION)],
                 {"range": WAVE_RANGE}, window_starts)


def hidden_panel(stream: WaveWindowRecord) -> Panel:
    """Hidden units (rows) over time (columns): the network's memory as it reads the stream."""
    heatmap = {"type": "heatmap", "x": np.asarray(stream.t, np.float32), "z": np.asarray(stream.hidden.T, np.float32),
               "colorscale": HIDDEN_COLORS, "zmin": -1, "zmax": 1, "showscale": False, "hoverinfo": "skip"}
    return Panel("Hidden state over time (one row per unit; red +1, white 0, blue -1)", [heatmap],
                 {"showticklabels": False}, height=150)


def generation_panel(t: np.ndarray, generated: np.ndarray, truth: np.ndarray, read: WaveWindowRecord) -> Panel:
    """Next-step task: the window the model read, then what it generates alone, against the truth."""
    return Panel("Free-running: each output is fed back as the next input",
                 [_line(read.t, read.targets, "read (true samples)", INPUT),
                  _line(t, truth, "truth", TARGET, "dot"),
                  _line(t, generated, "free-running generation", PREDICTION)],
                 {"range": [-1.5, 1.5]}, [float(read.t[0]), float(t[0])])


def comparison_panel(carrying: WaveWindowRecord, resetting: WaveWindowRecord, window_starts: list[float],
                     target_name: str) -> Panel:
    """Both models' predictions over the same recent stream: the one without memory fails at each border."""
    return Panel("Carry vs reset: two more models on the same recent stream",
                 [_line(carrying.t, carrying.targets, target_name, TARGET),
                  _line(carrying.t, carrying.predictions, "carries its state", CARRYING, "dash"),
                  _line(resetting.t, resetting.predictions, "starts each window from zeros", RESETTING, "dash")],
                 {"range": WAVE_RANGE}, window_starts)
