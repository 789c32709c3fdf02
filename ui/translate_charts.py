"""Vega-Lite charts for the "Translate a number" page: the attention map growing row by row, and exact match
against input length and while training, for the models with and without attention.

As on the generator page, the attention map's spec stays the same from step to step and only its named
datasets change, so the browser updates the drawn chart in place. Rows not written yet are keys without a
label, in a dataset of their own, so the map keeps its height while it fills. Vega draws text as plain SVG
text: the words and characters are shown as they are.
"""
from __future__ import annotations

import pyarrow as pa

from rnn_core.checkpoint_meta import TranslatorMetrics
from rnn_core.translator.decoding import Translation
from ui.i18n import _, number, percent
from ui.name_charts import ACCENT

TEXT_COLOUR = "#1f2333"
GRID_COLOUR = "#eef0f6"
PLAIN_COLOUR = "#d97706"  # the model without attention, in both charts
WEIGHT_COLOURS = {"domain": [0, 0.5, 1], "range": ["#ffffff", "#a5b4fc", ACCENT], "interpolate": "rgb"}
LABEL_SIZE = 16


def row_labels(translation: Translation) -> list[str]:
    """What each step wrote: its character, or "end" for the end mark."""
    return [*translation.text, _("end")][: translation.steps]


def attention_spec(translation: Translation, shown: int) -> dict:
    """Words read (across) x characters written (down); each cell the weight the step gave the word.
    Only the first `shown` rows are filled; the cells of the last of them are outlined. Keys are zero-padded
    positions followed by the label, so repeated words and characters keep rows and columns of their own."""
    words = [f"{i:02d}{word}" for i, word in enumerate(translation.words)]
    rows = [f"{i:02d}{label}" for i, label in enumerate(row_labels(translation))]
    weights = translation.attention
    cells = [(rows[r], words[c], float(weights[r, c])) for r in range(shown) for c in range(len(words))]
    cell_rows, cell_columns, shares = zip(*cells) if cells else ((), (), ())
    table = pa.table({"row": list(cell_rows), "column": list(cell_columns), "weight": list(shares),
                      "text": [f"{w:.0%}" if w >= 0.1 else "" for w in shares],
                      "tip": [f"{row[2:]} ← {column[2:]}: {w:.1%}" for row, column, w in cells],
                      "edge": [TEXT_COLOUR if row == rows[shown - 1] else GRID_COLOUR for row, _c, _w in cells]})
    unwritten = pa.table({"row": pa.array([f"{i:02d}" for i in range(shown, len(rows))], pa.string()),
                          "column": pa.array([words[0]] * (len(rows) - shown), pa.string())})
    label = "slice(datum.value, 2)"
    x = {"field": "column", "type": "nominal", "title": None, "sort": "ascending",
         "axis": {"orient": "top", "labelExpr": label, "labelAngle": -40, "labelFontSize": LABEL_SIZE - 2,
                  "ticks": False, "domain": False, "labelOverlap": False}}
    y = {"field": "row", "type": "nominal", "title": None, "sort": "ascending",
         "axis": {"labelExpr": label, "labelFontSize": LABEL_SIZE + 4, "ticks": False, "domain": False,
                  "labelPadding": 8, "labelOverlap": False}}
    return {"width": "container", "height": {"step": 32},
            "datasets": {"cells": table, "unwritten": unwritten},
            "layer": [
                {"data": {"name": "unwritten"}, "mark": {"type": "rect", "opacity": 0},
                 "encoding": {"x": x, "y": y}},
                {"data": {"name": "cells"}, "mark": {"type": "rect", "strokeWidth": 1.5},
                 "encoding": {"x": x, "y": y, "stroke": {"field": "edge", "type": "nominal", "scale": None},
                              "color": {"field": "weight", "type": "quantitative", "scale": WEIGHT_COLOURS,
                                        "legend": None},
                              "tooltip": {"field": "tip", "type": "nominal"}}},
                {"data": {"name": "cells"}, "mark": {"type": "text", "fontSize": 12},
                 "encoding": {"x": x, "y": y, "text": {"field": "text", "type": "nominal"},
                              # a condition, not a second colour scale: layers share theirs
                              "color": {"condition": {"test": "datum.weight >= 0.5", "value": "white"},
                                        "value": TEXT_COLOUR}}}],
            "config": {"view": {"stroke": None}}}


def two_lines_spec(points: list[tuple[int, float, str, str]], models: list[str], x_title: str) -> dict:
    """Exact match (0 to 1) against a count, one line per model: points are (x, share, model, hover text)."""
    xs, shares, names, tips = zip(*points)
    table = pa.table({"x": list(xs), "share": list(shares), "model": list(names), "tip": list(tips)})
    colour = {"field": "model", "type": "nominal", "title": None,
              "scale": {"domain": models, "range": [ACCENT, PLAIN_COLOUR][: len(models)]},
              "legend": {"orient": "bottom", "labelFontSize": 14}}
    return {"width": "container", "height": 240,
            "datasets": {"points": table}, "data": {"name": "points"},
            "mark": {"type": "line", "point": {"size": 50}, "strokeWidth": 3},
            "encoding": {
                "x": {"field": "x", "type": "quantitative", "title": x_title,
                      "axis": {"tickMinStep": 1, "format": "d", "titleFontSize": 14, "labelFontSize": 13}},
                "y": {"field": "share", "type": "quantitative", "title": _("exact match"),
                      "scale": {"domain": [0, 1]},
                      "axis": {"format": ".0%", "titleFontSize": 14, "labelFontSize": 13}},
                "color": colour, "tooltip": {"field": "tip", "type": "nominal"}},
            "config": {"view": {"stroke": None}}}


def model_series(with_attention: TranslatorMetrics, plain: TranslatorMetrics | None
                 ) -> list[tuple[str, TranslatorMetrics]]:
    return [(_("with attention"), with_attention)] + ([(_("without attention"), plain)] if plain else [])


def length_spec(with_attention: TranslatorMetrics, plain: TranslatorMetrics | None) -> dict:
    """Exact match on the held-out numbers against the number of English words read, one line per model."""
    series = model_series(with_attention, plain)
    tip = _("{model}, {words} words: {share} of {examples} right")
    points = [(int(count), share, name, tip.format(model=name, words=count, share=percent(share, 1),
                                                   examples=number(metrics.words_examples.get(count, 0))))
              for name, metrics in series for count, share in metrics.by_words.items()]
    return two_lines_spec(points, [name for name, _m in series], _("English words read"))


def curve_spec(with_attention: TranslatorMetrics, plain: TranslatorMetrics | None) -> dict:
    """Exact match on a fixed part of the held-out numbers as each model trained, one line per model."""
    series = model_series(with_attention, plain)
    tip = _("{model}, after {steps} steps: {share}")
    points = [(int(steps), share, name, tip.format(model=name, steps=number(int(steps)), share=percent(share, 1)))
              for name, metrics in series for steps, share in metrics.learning_curve.items()]
    return two_lines_spec(points, [name for name, _m in series], _("training steps"))
