"""Charts for the name classifier page: the answer and the letter-by-letter view (Vega-Lite, redrawn as
the visitor types), and the model card (Plotly).

Plotly reads a few HTML tags (<b>, <a>, <br>, ...) inside any text it draws, so every piece of user text
that reaches a Plotly figure goes through html.escape first and is shown literally, never interpreted.
Vega draws text as plain SVG text, so the Vega-Lite charts take user text as it is.
"""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go
import pyarrow as pa

from rnn_core.checkpoint_meta import ClassifierMetrics
from rnn_core.names.inference import NameReading
from ui.i18n import N_, _

ACCENT = "#4f46e5"
MUTED = "#c7cbe0"
PROBABILITY_SCALE = [[0.0, "#ffffff"], [0.15, "#e0e3ff"], [1.0, ACCENT]]
LABEL_FONT = dict(size=13)
CELL_FONT = dict(size=12)  # the smallest a class reads on a projector; Plotly would shrink it to fit the cells


# The 18 languages of the names data set, as the checkpoints label them; shown through language_name().
LANGUAGE_NAMES = {"Arabic": N_("Arabic"), "Chinese": N_("Chinese"), "Czech": N_("Czech"), "Dutch": N_("Dutch"),
                  "English": N_("English"), "French": N_("French"), "German": N_("German"), "Greek": N_("Greek"),
                  "Irish": N_("Irish"), "Italian": N_("Italian"), "Japanese": N_("Japanese"),
                  "Korean": N_("Korean"), "Polish": N_("Polish"), "Portuguese": N_("Portuguese"),
                  "Russian": N_("Russian"), "Scottish": N_("Scottish"), "Spanish": N_("Spanish"),
                  "Vietnamese": N_("Vietnamese")}


def language_name(label: str, gettext=_) -> str:
    """A language label in the visitor's language; a label of another data set (an uploaded model) as it is."""
    return gettext(LANGUAGE_NAMES[label]) if label in LANGUAGE_NAMES else label


def language_names(labels) -> list[str]:
    return [language_name(label) for label in labels]


def shown_char(char: str) -> str:
    """A character as a chart label: blanks made visible, HTML escaped."""
    return "␣" if char.isspace() else html.escape(char)


def top_languages_spec(top: list[tuple[str, float]]) -> dict:
    """Horizontal bars, the most likely language on top, probabilities printed beside the bars.

    A Vega-Lite spec whose only varying part is its dataset, so the browser updates the drawn chart in place
    as the visitor types (a Plotly figure is rebuilt and resent whole, at several times the server's CPU).
    The dataset is an Arrow table, the form Streamlit sends, built by columns: no per-row conversion.
    No probability axis: the printed shares say it all, and its labels would collide in a narrow column.
    """
    names, shares = language_names([language for language, _p in top]), [p for _language, p in top]
    rows = pa.table({"language": names, "p": shares, "rank": list(range(len(top))),
                     "colour": [ACCENT] + [MUTED] * (len(top) - 1),
                     "tip": [f"{name}: {p:.1%}" for name, p in zip(names, shares)]})
    y = {"field": "language", "type": "nominal", "title": None, "sort": {"field": "rank", "op": "min"},
         "axis": {"labelFontSize": 13, "labelLimit": 160}}
    x = {"field": "p", "type": "quantitative", "title": None, "scale": {"domain": [0, 1]}, "axis": None}
    return {"height": 20 + 34 * len(top), "width": "container", "padding": {"right": 50},
            "datasets": {"top": rows}, "data": {"name": "top"},
            "encoding": {"x": x, "y": y, "tooltip": {"field": "tip", "type": "nominal"}},
            "layer": [{"mark": "bar",
                       "encoding": {"color": {"field": "colour", "type": "nominal", "scale": None}}},
                      {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 12, "color": "#6b7280"},
                       "encoding": {"text": {"field": "p", "type": "quantitative", "format": ".1%"}}}]}


def prefix_languages(reading: NameReading, k: int = 5) -> list[int]:
    """Which languages the letter-by-letter view shows: the final top k, plus any language that led the
    answer after some letter (so a lead that was later lost stays visible), ordered by final probability."""
    shown = set(np.argsort(-reading.probabilities)[:k].tolist())
    shown |= set(reading.prefix_probabilities.argmax(1).tolist())
    return sorted(shown, key=lambda i: -reading.probabilities[i])


def prefix_heatmap_spec(reading: NameReading) -> dict:
    """Characters (across) x languages (down): the answer for the name cut off after each character.

    A fixed Vega-Lite spec over one dataset, as top_languages_spec. Each column's key is its position, zero
    padded so the columns sort in reading order, then the character: a repeated letter keeps a column of its
    own, and the axis label drops the position. Vega draws labels as plain SVG text, so nothing is escaped.
    """
    rows = prefix_languages(reading)
    shares = reading.prefix_probabilities[:, rows].T.ravel().tolist()  # languages (down) x characters (across)
    names = language_names(reading.languages[i] for i in rows)
    length = len(reading.name)
    columns = [f"{i:03d}{'␣' if char.isspace() else char}" for i, char in enumerate(reading.name)]
    prefixes = [reading.name[: i + 1] for i in range(length)]
    hover = _("after “{prefix}”, {language}: {share}")
    row_names = [name for name in names for _i in range(length)]
    cells = pa.table({
        "column": columns * len(rows), "language": row_names, "rank": [i // length for i in range(len(shares))],
        "p": shares, "label": [f"{p:.0%}" if p >= 0.1 else "" for p in shares],
        "tip": [hover.format(prefix=prefix, language=name, share=f"{p:.1%}")
                for prefix, name, p in zip(prefixes * len(rows), row_names, shares)]})
    x = {"field": "column", "type": "ordinal", "title": _("the name cut off after this character"),
         "axis": {"labelExpr": "substring(datum.value, 3)", "labelAngle": 0, "labelFontSize": 16,
                  "labelOverlap": False, "ticks": False, "domain": False, "titlePadding": 8}}
    y = {"field": "language", "type": "nominal", "title": None, "sort": {"field": "rank", "op": "min"},
         "axis": {"labelFontSize": 13, "ticks": False, "domain": False, "labelLimit": 160}}
    colour = {"field": "p", "type": "quantitative", "title": _("probability"),
              "scale": {"domain": [0, 0.15, 1], "range": ["#ffffff", "#e0e3ff", ACCENT]},
              "legend": {"format": ".0%", "gradientThickness": 12, "gradientLength": 30 * len(rows),
                         "gradientStrokeColor": "#9ca3af", "gradientStrokeWidth": 0.5}}
    return {"height": 76 + 30 * len(rows), "width": "container", "datasets": {"cells": cells},
            "data": {"name": "cells"}, "encoding": {"x": x, "y": y},
            "layer": [{"mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
                       "encoding": {"color": colour, "tooltip": {"field": "tip", "type": "nominal"}}},
                      {"mark": {"type": "text", "fontSize": {"expr": "clamp(bandwidth('x') / 3.4, 7, 11)"}},
                       "encoding": {"text": {"field": "label", "type": "nominal"},
                                    "color": {"condition": {"test": "datum.p > 0.6", "value": "white"},
                                              "value": "#1f2333"},
                                    "tooltip": {"field": "tip", "type": "nominal"}}}]}


def column_labels(names: list[str]) -> tuple[list[str], int]:
    """The confusion matrix's column labels and their angle: names in Chinese characters written downwards,
    one upright character a line, as Chinese is written in a column; any other names turned on their side."""
    if all(name and all("\u4e00" <= char <= "\u9fff" for char in name) for name in names):
        return ["<br>".join(name) for name in names], 0
    return names, -90


def row_normalised(confusion: np.ndarray) -> np.ndarray:
    """Each true language's row divided by its count: the diagonal is that language's recall."""
    totals = confusion.sum(axis=1, keepdims=True)
    return np.divide(confusion, totals, out=np.zeros_like(confusion, dtype=float), where=totals > 0)


def confusion_figure(confusion: list[list[int]], languages: list[str]) -> go.Figure:
    """Row-normalised confusion matrix: row = true language, column = predicted language.

    Made to be read across a classroom in the page's full width: every cell's share as a whole percentage
    in 12-pixel type (the sign left out, so it fits a cell), narrow column labels, and no colour bar or side
    title: the 18 columns need their room, on a phone most of all. The title on top says it all."""
    counts = np.asarray(confusion, dtype=float)
    shares = row_normalised(counts)
    names = language_names(languages)
    figure = go.Figure(go.Heatmap(
        z=shares, x=names, y=names, zmin=0, zmax=1, colorscale=PROBABILITY_SCALE, showscale=False, xgap=1, ygap=1,
        text=[[f"{100 * s:.0f}" if s >= 0.1 else "" for s in row] for row in shares], texttemplate="%{text}",
        textfont=CELL_FONT, customdata=counts.astype(int),
        hovertemplate=_("true %{y}, predicted %{x}<br>%{z:.1%} of the %{y} test names (%{customdata})")
        + "<extra></extra>"))
    title = _("predicted language<br>rows: the true language<br>cells: percentage of the row")
    labels, angle = column_labels(names)
    figure.update_layout(height=620, margin=dict(l=0, r=0, t=10, b=0),
                         xaxis=dict(title=title, side="top", tickangle=angle, tickmode="array", tickvals=names,
                                    ticktext=labels, tickfont=CELL_FONT, automargin=True),
                         yaxis=dict(autorange="reversed", dtick=1, tickfont=CELL_FONT, automargin=True))
    return figure


def common_mix_ups(confusion: list[list[int]], languages: list[str], count: int = 5) -> list[tuple[str, str, float]]:
    """The largest off-diagonal shares of the row-normalised matrix: (true, answered, share), largest first.
    Readable on a phone, where an 18 x 18 matrix is not."""
    shares = row_normalised(np.asarray(confusion, dtype=float))
    np.fill_diagonal(shares, 0.0)
    order = np.argsort(-shares, axis=None, kind="stable")[:count]
    return [(languages[i], languages[j], float(shares[i, j])) for i, j in zip(*np.unravel_index(order, shares.shape))
            if shares[i, j] > 0]


def data_counts_figure(line_counts: dict[str, int], recall: dict[str, float]) -> go.Figure:
    """Lines per language file as bars, largest on top, with each language's test recall as a diamond."""
    languages = sorted(line_counts, key=lambda language: -line_counts[language])
    counts = [line_counts[language] for language in languages]
    figure = go.Figure(go.Bar(
        x=counts, y=language_names(languages), orientation="h", name=_("names in the data (lines per file)"),
        marker_color=MUTED, text=[f"{c:,}" for c in counts], textposition="outside", cliponaxis=False,
        hovertemplate=_("%{y}: %{x:,} names") + "<extra></extra>"))
    if recall:
        figure.add_trace(go.Scatter(
            x=[recall.get(language) for language in languages], y=language_names(languages), xaxis="x2",
            mode="markers", marker=dict(color=ACCENT, size=11, symbol="diamond"),
            name=_("test recall (share of its test names it gets right)"),
            hovertemplate=_("%{y}: recall %{x:.1%}") + "<extra></extra>"))
    figure.update_layout(
        height=640, margin=dict(l=0, r=40, t=10, b=0), bargap=0.25,
        xaxis=dict(title=_("names"), rangemode="tozero"),
        xaxis2=dict(title=_("test recall"), overlaying="x", side="top", range=[0, 1.04], tickmode="array",
                    tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0], tickformat=".0%", showgrid=False),
        yaxis=dict(autorange="reversed", dtick=1, tickfont=LABEL_FONT, automargin=True),
        legend=dict(orientation="h", yanchor="top", y=-0.1, x=0))
    return figure


def recall_by_language(test_metrics: ClassifierMetrics | None, languages: list[str]) -> dict[str, float]:
    """Each language's test recall: as recorded in the checkpoint, else read off the confusion matrix."""
    if test_metrics is None:
        return {}
    if test_metrics.per_class_recall is not None:
        return {language: r for language, r in test_metrics.per_class_recall.items() if r is not None}
    confusion = np.asarray(test_metrics.confusion or [], dtype=float)
    if confusion.shape != (len(languages), len(languages)):
        return {}
    recall = np.diag(row_normalised(confusion))
    return {language: float(r) for language, r, total in zip(languages, recall, confusion.sum(1)) if total}
