"""Plotly figures for the "Invent a name" page: one step's candidates, and the whole story as a heatmap.

A name can hold letters the visitor typed, so every character drawn goes through shown_char (HTML escaped,
blanks made visible): Plotly would otherwise read tags such as <b> inside chart text.
"""
from __future__ import annotations

import html

import plotly.graph_objects as go

from rnn_core.generator.model import END, GeneratorVocab
from rnn_core.generator.sampling import GeneratedName, GenerationStep
from ui.i18n import _
from ui.name_charts import ACCENT, LABEL_FONT, MUTED, PROBABILITY_SCALE, shown_char

END_COLOUR = "#d97706"  # the end mark stands out from the letters in every chart
GIVEN_COLOUR = "#6b7280"  # letters the visitor gave, read rather than drawn
STORY_RANKS = 5  # candidates per step in the story heatmap
STEP_CANDIDATES = 8  # bars in one step's chart


def token_label(vocab: GeneratorVocab, token: int) -> str:
    return _("end") if token == END else shown_char(vocab.char(token))


def step_title(story: GeneratedName, index: int) -> str:
    """'Step 3: after “Ro”', escaped for Plotly."""
    if index == 0:
        return _("Step 1: the first letter")
    # every step before it took a letter
    return _("Step {step}: after “{letters}”").format(step=index + 1, letters=html.escape(story.name[:index]))


def step_candidates(step: GenerationStep, k: int = STEP_CANDIDATES) -> list[int]:
    """The k likeliest tokens, likeliest first, and the token taken when it is not among them."""
    ids = [int(i) for i in step.probabilities.topk(k).indices if step.probabilities[i] > 0]
    return ids if step.token in ids else ids + [step.token]


def step_figure(story: GeneratedName, index: int, vocab: GeneratorVocab) -> go.Figure:
    """Bars: the next-character distribution at one step, the token taken in colour, the end mark in amber."""
    step = story.steps[index]
    ids = step_candidates(step)
    probabilities = [float(step.probabilities[i]) for i in ids]
    taken_colour = GIVEN_COLOUR if step.forced == "prefix" else ACCENT
    colours = [taken_colour if i == step.token else END_COLOUR if i == END else MUTED for i in ids]
    labels = [token_label(vocab, i) for i in ids]
    given, taken = "  ◀ " + _("given"), "  ◀ " + _("taken")
    marks = [given if i == step.token and step.forced == "prefix" else taken if i == step.token
             else "" for i in ids]
    figure = go.Figure(go.Bar(
        x=probabilities, y=list(range(len(ids))), orientation="h", marker_color=colours,
        text=[f"{p:.0%}{mark}" if p >= 0.005 else f"<1%{mark}" for p, mark in zip(probabilities, marks)],
        textposition="outside", cliponaxis=False, customdata=labels,
        hovertemplate="%{customdata}: %{x:.1%}<extra></extra>"))
    figure.update_layout(
        title=dict(text=step_title(story, index), font=dict(size=15), x=0, xanchor="left"),
        height=64 + 26 * len(ids), margin=dict(l=0, r=80, t=36, b=26), showlegend=False,
        xaxis=dict(range=[0, 1], tickformat=".0%", title=None, fixedrange=True),
        yaxis=dict(tickmode="array", tickvals=list(range(len(ids))), ticktext=labels, autorange="reversed",
                   tickfont=dict(size=16), fixedrange=True))
    return figure


def story_figure(story: GeneratedName, shown: int, vocab: GeneratorVocab) -> go.Figure:
    """Steps (across, each labelled with the token it took) x the likeliest candidates (down, by rank), and a
    last row for the end mark's probability at every step. The token taken is boxed."""
    steps = story.steps[:shown]
    columns = list(range(len(steps)))
    ranked = [[int(i) for i in s.probabilities.topk(STORY_RANKS).indices] for s in steps]
    lower = [s.token not in ids for s, ids in zip(steps, ranked)]  # the token taken was not in the top ranks
    rows = ([f"#{r + 1}" for r in range(STORY_RANKS)] + ([_("taken, lower")] if any(lower) else [])
            + [_("end mark")])
    z, text, hover = [], [], []
    for r in range(STORY_RANKS):
        z.append([float(s.probabilities[ids[r]]) for s, ids in zip(steps, ranked)])
        text.append([token_label(vocab, ids[r]) for ids in ranked])
        hover.append([f"{token_label(vocab, ids[r])}: {float(s.probabilities[ids[r]]):.1%}"
                      for s, ids in zip(steps, ranked)])
    if any(lower):
        z.append([s.probability if low else None for s, low in zip(steps, lower)])
        text.append([token_label(vocab, s.token) if low else "" for s, low in zip(steps, lower)])
        hover.append([f"{token_label(vocab, s.token)}: {s.probability:.1%}" if low else "" for s, low in
                      zip(steps, lower)])
    z.append([s.end_probability for s in steps])
    text.append([f"{s.end_probability:.0%}" if s.end_probability >= 0.005 else "0%" for s in steps])
    end = _("end")
    hover.append([f"{end}: {s.end_probability:.1%}" for s in steps])
    figure = go.Figure(go.Heatmap(
        z=z, x=columns, y=rows, zmin=0, zmax=1, colorscale=PROBABILITY_SCALE, xgap=2, ygap=2,
        text=text, texttemplate="%{text}", textfont=dict(size=14), customdata=hover,
        hovertemplate=_("step %{x}") + "<br>%{customdata}<extra></extra>", showscale=False))
    boxes_x, boxes_y, boxes_colour = [], [], []
    for c, (s, ids, low) in enumerate(zip(steps, ranked, lower)):
        boxes_x.append(c)
        boxes_y.append(rows[-2] if low else f"#{ids.index(s.token) + 1}")
        boxes_colour.append(GIVEN_COLOUR if s.forced == "prefix" else END_COLOUR if s.token == END else ACCENT)
    figure.add_trace(go.Scatter(
        x=boxes_x, y=boxes_y, mode="markers", hoverinfo="skip", showlegend=False,
        marker=dict(symbol="square-open", size=30, line=dict(width=3, color=boxes_colour), color=boxes_colour)))
    width = max(len(steps), 6)
    figure.update_layout(
        height=70 + 34 * len(rows), margin=dict(l=0, r=0, t=6, b=40),
        xaxis=dict(tickmode="array", tickvals=columns, ticktext=[token_label(vocab, s.token) for s in steps],
                   tickfont=dict(size=16), range=[-0.5, width - 0.5], title=_("the token taken at each step"),
                   fixedrange=True),
        yaxis=dict(autorange="reversed", tickfont=LABEL_FONT, fixedrange=True, type="category",
                   categoryorder="array", categoryarray=rows))
    return figure
