"""Vega-Lite charts for the "Draw a digit" page: the model's view, the answer, and the row-by-row story.

Every chart that shows rows puts row 1 (the top of the image) first, and marks the row being read in
the same amber, so the eye can follow one row from the image to the heatmaps.

Each spec is the same from one drawing to the next, and from one position of the row slider to the next:
what varies (the pixels, the probabilities, the row being read) is in named datasets, Arrow tables built
by columns. The browser then updates a drawn chart in place instead of building it again, which is most
of what a slow browser spends on an answer (with the page keeping each chart in one place, even when empty).
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import torch

from rnn_core.digits.gates import telling_units
from ui.i18n import _

ROWS = 28
HIDDEN_UNITS_SHOWN = 32  # of 128: the ones that change most, so a pattern shows
INDIGO, AMBER, GREY = "#4f46e5", "#f59e0b", "#c7cbe0"
ROW_TICKS = [1, 7, 14, 21, 28]
ROW_NUMBERS = np.arange(1, ROWS + 1)
ROW_AXIS = {"values": ROW_TICKS, "labelAngle": 0, "ticks": False, "domain": False}  # the image and both stories


def _marker_rows(rows_read: int | None) -> pa.Table:
    """The row being read, as a dataset of one row (none when there is no reading)."""
    return pa.table({"row": pa.array([] if rows_read is None else [rows_read], pa.int64())})


def _row_marker_layer() -> dict:
    """An amber frame around the column of the row being read, drawn from the "marker" dataset."""
    return {"data": {"name": "marker"}, "mark": {"type": "rect", "fill": None, "stroke": AMBER, "strokeWidth": 3},
            "encoding": {"x": {"field": "row", "type": "ordinal"}}}


# Hundreds of cells: drawn on a canvas, without an accessible description per cell (which a screen reader
# could not use either), they cost the browser a fraction of as many SVG elements, most on a slow phone.
CANVAS_RENDERER = {"embedOptions": {"renderer": "canvas"}}  # the spec's "usermeta"
NO_ARIA_PER_CELL = {"aria": False}  # the spec's config for marks


def _rows_axis() -> dict:
    return {"field": "row", "type": "ordinal", "title": _("rows read"), "scale": {"domain": ROW_NUMBERS.tolist()},
            "axis": ROW_AXIS}


def probability_bars(probabilities: np.ndarray, height: int = 260) -> dict:
    """Ten bars, one per digit; the chosen digit's bar in indigo, the others grey."""
    best = int(np.argmax(probabilities))
    bars = pa.table({"digit": np.arange(10), "p": probabilities.astype(np.float64),
                     "colour": [INDIGO if digit == best else GREY for digit in range(10)],
                     "label": [f"{p:.0%}" if p >= 0.01 else "" for p in probabilities]})
    # Every digit labelled, at every width: Vega would otherwise drop every other label of a narrow chart.
    x = {"field": "digit", "type": "ordinal", "title": None,
         "axis": {"labelAngle": 0, "labelFontSize": 20, "labelOverlap": False, "ticks": False}}
    y = {"field": "p", "type": "quantitative", "title": None, "scale": {"domain": [0, 1.12]},
         "axis": {"format": ".0%", "values": [0, 0.25, 0.5, 0.75, 1], "gridColor": "#eef0f6"}}
    tooltip = [{"field": "digit", "type": "ordinal", "title": _("digit")},
               {"field": "p", "type": "quantitative", "title": _("probability"), "format": ".1%"}]
    return {"height": height, "width": "container", "datasets": {"bars": bars}, "data": {"name": "bars"},
            "encoding": {"x": x, "y": y, "tooltip": tooltip},
            "layer": [{"mark": "bar", "encoding": {"color": {"field": "colour", "type": "nominal", "scale": None}}},
                      {"mark": {"type": "text", "baseline": "bottom", "dy": -3, "fontSize": 14},
                       "encoding": {"text": {"field": "label", "type": "nominal"}}}]}


def model_view(image: np.ndarray, rows_read: int | None = None, pixel_size: int = 6) -> dict:
    """The 28x28 input, large and pixelated; the row being read outlined, rows not read yet veiled.

    `pixel_size`: screen pixels per image pixel, a whole number so no seams show between the cells. Six
    fits the narrow column of a 1024-pixel laptop screen, axis included."""
    rows, columns = np.divmod(np.arange(ROWS * ROWS), ROWS)
    pixels = pa.table({"row": rows + 1, "column": columns + 1,
                       "value": np.asarray(image, dtype=np.float64).ravel()})
    veiled = pa.table({"row": pa.array([] if rows_read is None else list(range(rows_read + 1, ROWS + 1)), pa.int64())})
    y = {"field": "row", "type": "ordinal", "title": _("row"), "scale": {"domain": ROW_NUMBERS.tolist()},
         "axis": ROW_AXIS}
    side = pixel_size * ROWS
    # "pad": width and height are the image's own, so it stays square beside the axis.
    return {"height": side, "width": side, "autosize": {"type": "pad"},
            "datasets": {"pixels": pixels, "veiled": veiled, "marker": _marker_rows(rows_read)},
            "layer": [{"data": {"name": "pixels"}, "mark": "rect",
                       "encoding": {"x": {"field": "column", "type": "ordinal", "axis": None,
                                          "scale": {"domain": ROW_NUMBERS.tolist()}},
                                    "y": y,
                                    "color": {"field": "value", "type": "quantitative", "legend": None,
                                              "scale": {"domain": [0, 1], "range": ["black", "white"]}},
                                    "tooltip": [{"field": "row", "type": "ordinal", "title": _("row")},
                                                {"field": "column", "type": "ordinal", "title": _("column")},
                                                {"field": "value", "type": "quantitative", "format": ".2f",
                                                 "title": _("ink")}]}},
                      {"data": {"name": "veiled"}, "mark": {"type": "rect", "color": INDIGO, "opacity": 0.45},
                       "encoding": {"y": {"field": "row", "type": "ordinal"}}},
                      {"data": {"name": "marker"}, "mark": {"type": "rect", "fill": None, "stroke": AMBER,
                                                            "strokeWidth": 3},
                       "encoding": {"y": {"field": "row", "type": "ordinal"}}}],
            "usermeta": CANVAS_RENDERER, "config": {"view": {"stroke": None}, "mark": NO_ARIA_PER_CELL}}


def row_story(row_probabilities: np.ndarray, rows_read: int | None = None, height: int = 300) -> dict:
    """Digits x rows: the probability of each digit after each row is read (left to right, like time)."""
    cells = pa.table({"row": np.repeat(ROW_NUMBERS, 10), "digit": np.tile(np.arange(10), ROWS),
                      "p": np.asarray(row_probabilities, dtype=np.float64).ravel()})  # (rows, digits), row-major
    colour = {"field": "p", "type": "quantitative", "title": "P",
              "scale": {"domain": [0, 0.15, 1], "range": ["#ffffff", "#e0e7ff", INDIGO]},
              "legend": {"format": ".0%", "gradientThickness": 12, "gradientLength": height - 120}}
    tooltip = [{"field": "row", "type": "ordinal", "title": _("rows read")},
               {"field": "digit", "type": "ordinal", "title": _("digit")},
               {"field": "p", "type": "quantitative", "title": _("probability"), "format": ".0%"}]
    return {"height": height, "width": "container",
            "datasets": {"cells": cells, "marker": _marker_rows(rows_read)},
            "layer": [{"data": {"name": "cells"}, "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1},
                       "encoding": {"x": _rows_axis(),
                                    "y": {"field": "digit", "type": "ordinal", "title": _("digit"),
                                          "axis": {"labelFontSize": 16, "labelOverlap": False, "labelFlush": False,
                                                   "ticks": False, "domain": False}},
                                    "color": colour, "tooltip": tooltip}},
                      _row_marker_layer()],
            "usermeta": CANVAS_RENDERER, "config": {"mark": NO_ARIA_PER_CELL}}


def ordered_units(hidden: np.ndarray, count: int) -> np.ndarray:
    """The `count` units that move most over the rows (rows, units), ordered by the row where each changes
    most: a wall of 128 colours becomes a staircase a student can follow."""
    busiest = telling_units(torch.from_numpy(np.ascontiguousarray(hidden)), count).numpy()
    change = np.abs(np.diff(hidden[:, busiest], axis=0, prepend=0.0))
    return busiest[np.argsort(change.argmax(0), kind="stable")]


def hidden_story(hidden: np.ndarray, rows_read: int | None = None, height: int = 320,
                 units: int = HIDDEN_UNITS_SHOWN) -> dict:
    """The most active hidden units x rows: the network's memory after each row (red positive, blue
    negative).

    RNN, GRU and LSTM outputs all lie in [-1, 1], so one fixed scale lets the models be compared.
    """
    shown = ordered_units(hidden, min(units, hidden.shape[1]))
    cells = pa.table({"row": np.repeat(ROW_NUMBERS, len(shown)), "place": np.tile(np.arange(len(shown)), ROWS),
                      "unit": np.tile(shown + 1, ROWS),
                      "value": np.asarray(hidden[:, shown], dtype=np.float64).ravel()})  # (rows, units shown)
    colour = {"field": "value", "type": "quantitative", "title": _("activation"),
              "scale": {"domain": [-1, 1], "scheme": "redblue", "reverse": True},
              "legend": {"gradientThickness": 12, "gradientLength": height - 120}}
    tooltip = [{"field": "row", "type": "ordinal", "title": _("rows read")},
               {"field": "unit", "type": "ordinal", "title": _("hidden unit")},
               {"field": "value", "type": "quantitative", "title": _("activation"), "format": ".2f"}]
    return {"height": height, "width": "container",
            "datasets": {"cells": cells, "marker": _marker_rows(rows_read)},
            "layer": [{"data": {"name": "cells"}, "mark": "rect",
                       "encoding": {"x": _rows_axis(),
                                    "y": {"field": "place", "type": "ordinal", "title": _("hidden unit"),
                                          "scale": {"domain": list(range(len(shown)))},
                                          "axis": {"labels": False, "ticks": False, "domain": False}},
                                    "color": colour, "tooltip": tooltip}},
                      _row_marker_layer()],
            "usermeta": CANVAS_RENDERER, "config": {"mark": NO_ARIA_PER_CELL}}
