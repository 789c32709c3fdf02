"""Vega-Lite charts for the "Invent a name" page: one step's candidates, and the whole story as a heatmap.

Each spec stays the same from one step to the next and only its named datasets change, so the browser
updates the drawn chart in place on every step and every tick of a play. A Plotly figure would be drawn
anew instead (its element id hashes the whole figure): a new chart, empty until drawn, at every step. So
everything that varies is data: the step's title, the columns, even the unwritten columns that keep a
short story's cells narrow. Vega draws text as plain SVG text, so letters the visitor typed are shown as
they are; only blanks are made visible.
"""
from __future__ import annotations

import pyarrow as pa

from rnn_core.generator.model import END, GeneratorVocab
from rnn_core.generator.sampling import GeneratedName, GenerationStep
from ui.i18n import _
from ui.name_charts import ACCENT, MUTED

END_COLOUR = "#d97706"  # the end mark stands out from the letters in every chart
GIVEN_COLOUR = "#6b7280"  # letters the visitor gave, read rather than drawn
TEXT_COLOUR = "#1f2333"
STORY_RANKS = 5  # candidates per step in the story heatmap
STORY_MIN_COLUMNS = 6  # a short story keeps cells of this width, not a few cells across the whole chart
STEP_CANDIDATES = 8  # bars in one step's chart
PROBABILITY_COLOURS = {"domain": [0, 0.15, 1], "range": ["#ffffff", "#e0e3ff", ACCENT]}


def token_label(vocab: GeneratorVocab, token: int) -> str:
    if token == END:
        return _("end")
    char = vocab.char(token)
    return "␣" if char.isspace() else char


def step_title(story: GeneratedName, index: int) -> str:
    """'Step 3: after “Ro”'."""
    if index == 0:
        return _("Step 1: the first letter")
    # every step before it took a letter
    return _("Step {step}: after “{letters}”").format(step=index + 1, letters=story.name[:index])


def step_candidates(step: GenerationStep, k: int = STEP_CANDIDATES) -> list[int]:
    """The k likeliest tokens, likeliest first, and the token taken when it is not among them."""
    ids = step.ranked(k)
    return ids if step.token in ids else ids + [step.token]


def step_spec(story: GeneratedName, index: int, vocab: GeneratorVocab) -> dict:
    """Bars: the next-character distribution at one step, the token taken in colour, the end mark in amber.

    The title is drawn from a dataset of one row, so it changes with the step while the spec does not."""
    step = story.steps[index]
    ids = step_candidates(step)
    probabilities = [float(step.probabilities[i]) for i in ids]
    taken_colour = GIVEN_COLOUR if step.forced == "prefix" else ACCENT
    labels = [token_label(vocab, i) for i in ids]
    given, taken = "  ◀ " + _("given"), "  ◀ " + _("taken")
    marks = [given if i == step.token and step.forced == "prefix" else taken if i == step.token
             else "" for i in ids]
    bars = pa.table({
        "rank": list(range(len(ids))), "label": labels, "p": probabilities,
        "colour": [taken_colour if i == step.token else END_COLOUR if i == END else MUTED for i in ids],
        "text": [f"{p:.0%}{mark}" if p >= 0.005 else f"<1%{mark}" for p, mark in zip(probabilities, marks)],
        "tip": [f"{label}: {p:.1%}" for label, p in zip(labels, probabilities)]})
    title = pa.table({"text": [step_title(story, index)]})
    y = {"field": "label", "type": "nominal", "title": None, "sort": {"field": "rank", "op": "min"},
         "axis": {"labelFontSize": 16, "ticks": False, "labelPadding": 6}}
    x = {"field": "p", "type": "quantitative", "title": None, "scale": {"domain": [0, 1]},
         "axis": {"format": ".0%", "values": [0, 0.2, 0.4, 0.6, 0.8, 1], "gridColor": "#eef0f6"}}
    return {"height": {"step": 26}, "width": "container", "padding": {"top": 30, "right": 90},
            "datasets": {"bars": bars, "title": title}, "data": {"name": "bars"},
            "layer": [{"mark": "bar",
                       "encoding": {"x": x, "y": y, "color": {"field": "colour", "type": "nominal", "scale": None},
                                    "tooltip": {"field": "tip", "type": "nominal"}}},
                      {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 13, "color": TEXT_COLOUR},
                       "encoding": {"x": x, "y": y, "text": {"field": "text", "type": "nominal"}}},
                      {"data": {"name": "title"},
                       "mark": {"type": "text", "align": "left", "baseline": "bottom", "fontSize": 15,
                                "fontWeight": "bold", "color": TEXT_COLOUR, "x": 0, "y": -12},
                       "encoding": {"text": {"field": "text", "type": "nominal"}}}],
            "config": {"view": {"stroke": None}}}


def story_spec(story: GeneratedName, shown: int, vocab: GeneratorVocab) -> dict:
    """Steps (across, each labelled with the token it took) x the likeliest candidates (down, by rank), and a
    last row for the end mark's probability at every step. The token taken is boxed.

    Each column's key is its position, zero padded so the columns sort in order, then its label: a repeated
    letter keeps a column of its own, and the axis label drops the position. Columns not written yet are
    keys without a label, in a dataset of their own."""
    steps = story.steps[:shown]
    ranked = [s.ranked(STORY_RANKS) for s in steps]  # at temperature 0: only the letter taken
    lower = [s.token not in ids for s, ids in zip(steps, ranked)]  # the token taken was not in the top ranks
    lower_row, end_row = _("taken, lower"), _("end mark")
    ranks = max(len(ids) for ids in ranked)
    rows = [f"#{r + 1}" for r in range(ranks)] + ([lower_row] if any(lower) else []) + [end_row]
    columns = [f"{c:03d}{token_label(vocab, s.token)}" for c, s in enumerate(steps)]
    step_word, end_word = _("step {step}"), _("end")
    cells = []  # (column, row, probability, label, hover text)
    for c, (s, ids, low) in enumerate(zip(steps, ranked, lower)):
        step = step_word.format(step=c + 1)
        for r, token in enumerate(ids):
            p, label = float(s.probabilities[token]), token_label(vocab, token)
            cells.append((c, rows[r], p, label, f"{step}: {label}: {p:.1%}"))
        if low:
            label = token_label(vocab, s.token)
            cells.append((c, lower_row, s.probability, label, f"{step}: {label}: {s.probability:.1%}"))
        cells.append((c, end_row, s.end_probability, f"{s.end_probability:.0%}" if s.end_probability >= 0.005
                      else "0%", f"{step}: {end_word}: {s.end_probability:.1%}"))
    cell_columns, cell_rows, shares, labels, tips = zip(*cells)
    cells_table = pa.table({"column": [columns[c] for c in cell_columns], "row": list(cell_rows),
                            "rank": [rows.index(row) for row in cell_rows], "p": list(shares),
                            "label": list(labels), "tip": list(tips)})
    box_rows = [lower_row if low else f"#{ids.index(s.token) + 1}" for s, ids, low in zip(steps, ranked, lower)]
    boxes = pa.table({
        "column": columns, "row": box_rows, "rank": [rows.index(row) for row in box_rows],
        "colour": [GIVEN_COLOUR if s.forced == "prefix" else END_COLOUR if s.token == END else ACCENT
                   for s in steps]})
    unwritten = pa.table({"column": pa.array([f"{c:03d}" for c in range(len(steps), STORY_MIN_COLUMNS)],
                                             pa.string())})
    x = {"field": "column", "type": "ordinal", "title": _("the token taken at each step"),
         "axis": {"labelExpr": "substring(datum.value, 3)", "labelAngle": 0, "labelFontSize": 16,
                  "labelOverlap": False, "ticks": False, "domain": False, "titlePadding": 8}}
    y = {"field": "row", "type": "nominal", "title": None, "sort": {"field": "rank", "op": "min"},
         "axis": {"labelFontSize": 13, "ticks": False, "domain": False}}
    return {"height": {"step": 34}, "width": "container",
            "datasets": {"cells": cells_table, "boxes": boxes, "unwritten": unwritten},
            "layer": [{"data": {"name": "unwritten"}, "mark": {"type": "rect", "opacity": 0},
                       "encoding": {"x": x}},
                      {"data": {"name": "cells"}, "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
                       "encoding": {"x": x, "y": y, "tooltip": {"field": "tip", "type": "nominal"},
                                    "color": {"field": "p", "type": "quantitative", "legend": None,
                                              "scale": PROBABILITY_COLOURS}}},
                      {"data": {"name": "cells"}, "mark": {"type": "text", "fontSize": 14},
                       "encoding": {"x": x, "y": y, "text": {"field": "label", "type": "nominal"},
                                    "tooltip": {"field": "tip", "type": "nominal"},
                                    "color": {"condition": {"test": "datum.p > 0.6", "value": "white"},
                                              "value": TEXT_COLOUR}}},
                      {"data": {"name": "boxes"},
                       "mark": {"type": "rect", "filled": False, "strokeWidth": 3},
                       "encoding": {"x": x, "y": y,
                                    "stroke": {"field": "colour", "type": "nominal", "scale": None}}}],
            "config": {"view": {"stroke": None}}}
