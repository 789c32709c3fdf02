"""Vega-Lite charts for "Why gates remember": the three cells' accuracy, how far back their gradient
reaches, and how an RNN's gradient grows with the distance when its recurrent weights are large.

As on the wave page, each spec stays the same while the page plays and only its named datasets change, so
the browser updates the drawn chart in place. The chance level and the clipping threshold are data (rules
drawn from a dataset), and the heatmaps' colour scale has a fixed domain. Nothing non-finite is drawn.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from rnn_core.memory.data import CHANCE
from rnn_core.memory.trainer import GradientGrowth, MemoryTrainer
from ui.i18n import _
from ui.wave_charts import LOG_LABELS, Panel, Series, arrow, series_rows, thin

CELL_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
CELL_COLORS = {"rnn": "#dc2626", "lstm": "#4f46e5", "gru": "#059669"}
RAW, CLIPPED = "#7c3aed", "#f97316"
# |dL/dh_t| / |dL/dh_T| on a log scale: below 1e-8 is as good as nothing, above 1e2 has exploded.
REACH_DOMAIN = [1e-8, 1e2]


def accuracy_panel(trainers: dict[str, MemoryTrainer], height: int = 240) -> Panel:
    """Each cell's accuracy over the whole run (means over runs of batches), and chance as a dashed rule."""
    series = [Series(CELL_NAMES[cell], CELL_COLORS[cell]) for cell in trainers]
    rows = series_rows(*[(CELL_NAMES[cell], *thin(*trainer.accuracy.curve())) for cell, trainer in trainers.items()])
    return Panel(_("Accuracy on each new batch (dashes: chance)"), series, rows, {"domain": [0, 1]},
                 x_title=_("optimizer step"), height=height, legend_columns=3, h_rules=[CHANCE])


def reach_rows(trainer: MemoryTrainer) -> pa.Table:
    """One cell per (row of the run, time step t): |dL/dh_t| relative to the last step (geometric means over
    the row's stretch of training), kept just outside the colour scale's domain at both ends."""
    steps, log_profiles = trainer.reach.curve()  # (R,), (R, T)
    if not len(steps):
        return pa.table({"t": [], "step": [], "value": []})
    finite = np.isfinite(log_profiles).all(axis=1)
    steps, log_profiles = steps[finite].astype(np.int64), log_profiles[finite]
    relative = np.clip(10.0 ** (log_profiles - log_profiles[:, -1:]), REACH_DOMAIN[0] / 10, REACH_DOMAIN[1] * 10)
    length = log_profiles.shape[1]
    return pa.table({"t": np.tile(np.arange(1, length + 1), len(steps)), "step": np.repeat(steps, length),
                     "value": relative.ravel()})  # row-major: every t of the first row, then the next row


def reach_spec(title: str, rows: pa.Table, height: int = 300) -> dict:
    """A heatmap: time step t across (1 = the symbol, T = the question), the run down (newest at the
    bottom, labelled by the step each row ends at), colour = how much of the gradient at the last step
    reaches step t (log scale, fixed domain)."""
    return {
        "title": {"text": title, "anchor": "start", "fontSize": 13},
        "height": height, "width": "container",
        "datasets": {"reach": arrow(rows)}, "data": {"name": "reach"}, "mark": "rect",
        "encoding": {
            "x": {"field": "t", "type": "ordinal", "title": _("time step t (1: the symbol)"),
                  "axis": {"labelExpr": "datum.value == 1 || datum.value % 10 == 0 ? datum.label : ''",
                           "labelAngle": 0, "ticks": False}},
            "y": {"field": "step", "type": "ordinal", "title": _("training step"),
                  "axis": {"labelOverlap": "greedy", "ticks": False}},
            # The colour bar no longer than the plot is wide: three heatmaps share a 1024-pixel screen.
            "color": {"field": "value", "type": "quantitative", "title": None,
                      "scale": {"type": "log", "domain": REACH_DOMAIN, "scheme": "viridis", "clamp": True},
                      "legend": {"orient": "bottom", "labelExpr": LOG_LABELS, "values": [1e-8, 1e-4, 1],
                                 "gradientLength": {"expr": "clamp(width - 30, 60, 140)"}, "gradientThickness": 8}},
            "tooltip": [{"field": "t", "title": "t"}, {"field": "step", "title": _("up to step")},
                        {"field": "value", "title": _("gradient at t ÷ at T"), "format": ".1e"}]}}


def growth_panel(growth: GradientGrowth, clip: float | None, height: int = 380) -> Panel:
    """An untrained RNN's gradient norm against the distance T, before and after clipping: tall enough for
    its seven or so decades to be labelled one by one, under its two title lines and its legend."""
    distances = np.array(growth.distances, dtype=np.float64)
    norms = np.array(growth.norms, dtype=np.float64)
    series = [Series(_("gradient norm"), RAW, points=True),
              Series(_("after clipping"), CLIPPED, dashed=True, points=True)]
    applied = np.minimum(norms, clip) if clip else norms
    rows = series_rows((_("gradient norm"), distances, norms), (_("after clipping"), distances, applied), positive=True)
    return Panel(_("Gradient norm against the distance T (log)"), series, rows, {"type": "log"},
                 x_title=_("distance T (steps)"), height=height, legend_columns=2, h_rules=[clip] if clip else [],
                 subtitle=_("one step of an untrained RNN · red dashes: clipping"))
