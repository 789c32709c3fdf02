"""Vega-Lite charts for the live wave regressor, one chart per panel, redrawn on every tick.

Each chart's spec stays the same from tick to tick and only its named datasets change: Streamlit sends
those apart from the spec, and the browser then updates the drawn chart in place. A Plotly chart is
rebuilt instead (its element id hashes the whole figure), and was caught blank in about one sample of
six while playing: flicker on a projector. So titles carry no step number (the status line does), and
everything that varies goes into the data, a clipping threshold included (a rule drawn from a dataset
that is empty when clipping is off). Non-finite values never reach a chart: a diverged model shows gaps,
not an error.

Those rules, and the dots on the lines, are placed through the chart's scales and never take part in
working them out: an empty dataset that did would leave Vega an empty extent, and a warning in the console
on every tick. The lines alone set the scales.

Numbers a class reads (log axes, and text beside the charts) have two significant digits, plainly written
from 0.01 to 10,000 and as m×10ⁿ beyond: never as 2e+06.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from rnn_core.waves.trainer import WaveWindowRecord
from ui.i18n import _

INPUT, TARGET, PREDICTION, EVALUATION = "#9ca3af", "#4f46e5", "#f97316", "#059669"
CARRYING, RESETTING = "#4f46e5", "#dc2626"
GRADIENT, THRESHOLD = "#7c3aed", "#dc2626"
MAX_CURVE_POINTS = 300
WAVE_RANGE = [-1.3, 1.3]
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
PLAIN_RANGE = (0.01, 10_000)  # written plainly in between, as m×10ⁿ outside


def readable(value: float) -> str:
    """A number as a class writes it: 0.52, 1,200, 2×10⁶, 3.5×10⁻⁴ (two significant digits)."""
    if not math.isfinite(value) or value == 0:
        return f"{value:g}"
    if PLAIN_RANGE[0] <= abs(value) < PLAIN_RANGE[1]:
        return f"{float(f'{value:.2g}'):,g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    power = "10" + str(int(exponent)).translate(SUPERSCRIPTS)
    mantissa = mantissa.removesuffix(".0")
    return power if mantissa == "1" else f"{mantissa}×{power}"


def _superscript(number: str) -> str:
    """A Vega expression: the digits and minus sign of a number, raised."""
    text = f"'' + ({number})"
    for plain, raised in zip("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"):
        text = f"replace({text}, regexp('{plain}', 'g'), '{raised}')"
    return text


# A log axis: a tick at each power of ten (Vega keeps those inside the scale's domain, and thins them when
# they are too many for the height), labelled as readable() writes it: 0.01, 1, 1,000, 10⁶.
_DECADES = "round(log(datum.value) / LN10)"
LOG_LABELS = (f"datum.value >= {PLAIN_RANGE[0]} && datum.value < {PLAIN_RANGE[1]} ? format(datum.value, ',~g') : "
              f"'10' + {_superscript(_DECADES)}")
LOG_AXIS = {"values": [float(f"1e{n}") for n in range(-15, 16)], "labelExpr": LOG_LABELS}


@dataclass
class Series:
    name: str
    color: str
    dashed: bool = False
    points: bool = False  # mark each sample: short or sparse series


@dataclass
class Panel:
    """One chart: line series over a shared x, or a heatmap of hidden units."""
    title: str
    series: list[Series]
    rows: pa.Table  # long form: columns x, y, series; a heatmap's: x, unit, value
    y_scale: dict = field(default_factory=dict)
    x_scale: dict = field(default_factory=dict)  # beside x's own settings: a domain for a chart with no data yet
    x_title: str = "t"
    window_starts: list[float] = field(default_factory=list)  # faint vertical lines where windows begin
    height: int = 280  # pixels in all: title, legend and axes included
    heatmap: bool = False
    legend_columns: int = 3  # one for a chart in half the width, where a row of labels would be cut
    legend: bool = True
    subtitle: str | None = None  # a second, smaller title line
    h_rules: list[float] | None = None  # horizontal rules (a threshold) drawn from data; None: no such layer


def series_rows(*series: tuple[str, np.ndarray, np.ndarray], positive: bool = False) -> pa.Table:
    """Long-form rows (x, y, series) of each (name, x, y), built by columns, never a dict per point (those
    dicts were most of a tick's CPU); non-finite values (and, for a log scale, non-positive ones) left out."""
    xs, ys, names = [], [], []
    for name, x, y in series:
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        keep = np.isfinite(x) & np.isfinite(y) & ((y > 0) if positive else True)
        xs.append(x[keep])
        ys.append(y[keep])
        names += [name] * int(keep.sum())
    return pa.table({"x": np.concatenate(xs), "y": np.concatenate(ys), "series": pa.array(names, pa.string())})


def arrow(table: pa.Table) -> pa.Table | list:
    """A dataset as Streamlit takes it: an Arrow table, sent as it is (a list of dicts goes through a pandas
    DataFrame first, about ten times the CPU); a table without rows, an empty list."""
    return table if table.num_rows else []


def chart_spec(panel: Panel) -> dict:
    """The Vega-Lite spec of a panel: fixed for a given panel, its data in named datasets."""
    title = {"text": panel.title, "anchor": "start", "fontSize": 13}
    if panel.subtitle:
        title.update(subtitle=panel.subtitle, subtitleFontSize=12, subtitleColor="#6b7280")
    if panel.heatmap:
        return {"title": title, "height": panel.height, "width": "container",
                "datasets": {"cells": arrow(panel.rows)}, "data": {"name": "cells"}, "mark": "rect",
                "encoding": {"x": {"field": "x", "type": "ordinal", "axis": None},
                             "y": {"field": "unit", "type": "ordinal", "axis": None},
                             "color": {"field": "value", "type": "quantitative", "legend": None,
                                       "scale": {"domain": [-1, 1], "scheme": "redblue", "reverse": True}}}}
    names = [s.name for s in panel.series]
    x = {"field": "x", "type": "quantitative", "title": panel.x_title or None,
         "scale": {"zero": False, "nice": False, **panel.x_scale}, "axis": {"format": ",.1~f", "tickCount": 5}}
    y = {"field": "y", "type": "quantitative", "title": None, "scale": panel.y_scale}
    if panel.y_scale.get("type") == "log":
        y["axis"] = LOG_AXIS
    # Colour and dashes share one legend (or none): Vega-Lite merges the two, and warns when they disagree.
    # Its symbols are short strokes, coloured and dashed as the lines are.
    legend = ({"orient": "top", "columns": panel.legend_columns, "labelLimit": 220, "symbolType": "stroke",
               "symbolStrokeWidth": 2} if panel.legend else None)
    color = {"field": "series", "type": "nominal", "title": None,
             "scale": {"domain": names, "range": [s.color for s in panel.series]}, "legend": legend}
    layers = [
        {"data": {"name": "starts"}, "mark": {"type": "rule", "color": "#d1d5db", "clip": True},
         "encoding": {"x": {"value": {"expr": "scale('x', datum.x)"}}}},
        {"mark": {"type": "line", "strokeWidth": 2, "clip": True},
         "encoding": {"x": x, "y": y, "color": color,
                      "strokeDash": {"field": "series", "type": "nominal", "legend": legend,
                                     "scale": {"domain": names,
                                               "range": [[4, 3] if s.dashed else [1, 0] for s in panel.series]}}}},
    ]
    marked = [s.name for s in panel.series if s.points]
    if marked:  # the lines' own samples (often none yet, as held-out losses): placed through their scales too
        layers.append({"transform": [{"filter": {"field": "series", "oneOf": marked}}],
                       "mark": {"type": "point", "filled": True, "size": 30, "clip": True},
                       "encoding": {"x": {"value": {"expr": "scale('x', datum.x)"}},
                                    "y": {"value": {"expr": "scale('y', datum.y)"}}, "color": color}})
    starts = pa.table({"x": pa.array(panel.window_starts[1:], pa.float64())})
    datasets = {"lines": arrow(panel.rows), "starts": arrow(starts)}
    if panel.h_rules is not None:  # the layer is always there; its data is empty when there is no rule
        layers.append({"data": {"name": "rules"},
                       "mark": {"type": "rule", "color": THRESHOLD, "strokeDash": [6, 4], "strokeWidth": 1.5,
                                "clip": True},
                       "encoding": {"y": {"value": {"expr": "scale('y', datum.y)"}}}})
        datasets["rules"] = arrow(pa.table({"y": pa.array([y for y in panel.h_rules if np.isfinite(y) and y > 0],
                                                             pa.float64())}))
    return {"title": title, "height": panel.height, "width": "container", "datasets": datasets,
            "data": {"name": "lines"}, "layer": layers}


def thin(steps: np.ndarray, values: np.ndarray, largest: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Shrink a long curve to at most MAX_CURVE_POINTS points: over equal runs of steps, the mean value, or
    the largest one (spikes stay visible). Non-finite values are left out first."""
    keep = np.isfinite(values)
    if not keep.all():
        steps, values = steps[keep], values[keep]
    if len(values) <= MAX_CURVE_POINTS:
        return steps, values
    starts = np.linspace(0, len(values), MAX_CURVE_POINTS, endpoint=False).astype(np.int64)
    counts = np.diff(np.append(starts, len(values)))
    values = values.astype(np.float64)
    return (np.add.reduceat(steps.astype(np.float64), starts) / counts,
            np.maximum.reduceat(values, starts) if largest else np.add.reduceat(values, starts) / counts)


def window_panel(record: WaveWindowRecord, target_name: str) -> Panel:
    """The window just trained on: target against prediction (and the input, faint)."""
    series = [Series(_("input"), INPUT, dashed=True), Series(target_name, TARGET, points=True),
              Series(_("prediction"), PREDICTION, points=True)]
    rows = series_rows((_("input"), record.t, record.inputs), (target_name, record.t, record.targets),
                       (_("prediction"), record.t, record.predictions))
    return Panel(_("Current window"), series, rows, {"domain": WAVE_RANGE}, height=300, legend_columns=1)


def loss_panel(steps: np.ndarray, losses: np.ndarray, eval_steps: np.ndarray, eval_losses: np.ndarray,
               height: int = 320) -> Panel:
    series = [Series(_("training"), PREDICTION), Series(_("held-out"), EVALUATION, points=True)]
    rows = series_rows((_("training"), *thin(steps, losses)), (_("held-out"), eval_steps, eval_losses),
                       positive=True)
    return Panel(_("Loss (MSE, log scale)"), series, rows, {"type": "log"}, x_title="", height=height, legend=False,
                 subtitle=_("dots: held-out windows"))


def gradient_panel(steps: np.ndarray, norms: np.ndarray, clip: float | None, height: int = 320) -> Panel:
    """The gradient norm of each optimizer step, before clipping (the largest of each run of steps when
    thinned), and the clipping threshold as a dashed red rule."""
    rows = series_rows((_("gradient norm"), *thin(steps, norms, largest=True)), positive=True)
    return Panel(_("Gradient norm (log)"), [Series(_("gradient norm"), GRADIENT)], rows,
                 {"type": "log"}, x_title=_("optimizer step"), height=height, legend=False,
                 h_rules=[clip] if clip else [], subtitle=_("red dashes: clipping"))


def stream_panel(stream: WaveWindowRecord, window_starts: list[float], target_name: str) -> Panel:
    """The last few windows stitched end to end, with a faint line where each window begins."""
    series = [Series(_("input"), INPUT, dashed=True), Series(target_name, TARGET), Series(_("prediction"), PREDICTION)]
    rows = series_rows((_("input"), stream.t, stream.inputs), (target_name, stream.t, stream.targets),
                       (_("prediction"), stream.t, stream.predictions))
    return Panel(_("Recent stream (grey lines: where each window begins)"), series, rows, {"domain": WAVE_RANGE},
                 window_starts=window_starts)


def hidden_panel(stream: WaveWindowRecord) -> Panel:
    """Hidden units (rows) over time (columns): the network's memory as it reads the stream."""
    hidden = np.nan_to_num(stream.hidden, nan=0.0).astype(np.float64)  # (T, H)
    steps, units = hidden.shape
    rows = pa.table({"x": np.repeat(np.arange(steps), units), "unit": np.tile(np.arange(units), steps),
                     "value": hidden.ravel()})  # row-major: x = 0 for every unit, then x = 1, ...
    return Panel(_("Hidden state over time (one row per unit; red +1, white 0, blue -1)"), [], rows, height=180,
                 heatmap=True)


def generation_panel(t: np.ndarray, generated: np.ndarray, truth: np.ndarray, read: WaveWindowRecord) -> Panel:
    """Next-step task: the window the model read, then what it generates alone, against the truth."""
    series = [Series(_("read (true samples)"), INPUT), Series(_("truth"), TARGET, dashed=True),
              Series(_("free-running generation"), PREDICTION)]
    rows = series_rows((_("read (true samples)"), read.t, read.targets), (_("truth"), t, truth),
                       (_("free-running generation"), t, generated))
    return Panel(_("Free-running: each output is fed back as the next input"), series, rows, {"domain": [-1.5, 1.5]},
                 window_starts=[float(read.t[0]), float(t[0])])


def comparison_panel(carrying: WaveWindowRecord, resetting: WaveWindowRecord, window_starts: list[float],
                     target_name: str) -> Panel:
    """Both models' predictions over the same recent stream: the one without memory fails at each border."""
    series = [Series(target_name, TARGET), Series(_("carries its state"), CARRYING, dashed=True),
              Series(_("starts each window from zeros"), RESETTING, dashed=True)]
    rows = series_rows((target_name, carrying.t, carrying.targets),
                       (_("carries its state"), carrying.t, carrying.predictions),
                       (_("starts each window from zeros"), resetting.t, resetting.predictions))
    return Panel(_("Carry vs reset: two more models on the same recent stream"), series, rows, {"domain": WAVE_RANGE},
                 window_starts=window_starts)
