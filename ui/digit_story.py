"""A digit's row-by-row story: the model's view beside what it would answer after each row, then its memory.

The digit page (app_pages/digits.py) shows it under a visitor's drawing; the class page's handwriting board
(ui/class_drawings.py) shows it for a drawing of the class the teacher opens. `prefix` keeps the two apart:
the row slider's key and each chart's container key start with it.
"""
from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from rnn_core.digits.inference import DigitReading
from ui import digit_charts
from ui.i18n import _, join_sentences, percent
from ui.projector import chart_scale, scaled

ROWS = digit_charts.ROWS


def draw_chart(name: str, spec: dict, width: str = "stretch", prefix: str = "digits") -> None:
    """A chart in a keyed container of its own: the same spec every drawing, so the browser updates it in place."""
    with st.container(key=f"{prefix}_{name}_chart"):
        st.vega_lite_chart(scaled(spec), width=width)


def show_row_story(image: torch.Tensor, reading: DigitReading | None, redrawn: bool, prefix: str = "digits",
                   pixel_size: int = 6, columns: tuple[float, float] = (1, 1.6)) -> None:
    """The model's view beside the per-row answers, both following the row slider; then the memory.

    The charts are there with or without a reading (empty without), each always in the same place, and
    what comes and goes around them has a container of its own: so a drawing, or Clear, updates the drawn
    charts in place, which costs a slow browser a fraction of building them again.
    `redrawn`: the view is the visitor's strokes drawn again with MNIST's thin pen. `pixel_size`: screen
    pixels per pixel of the model's view (in projector mode, the nearest whole number to it grown as the
    charts grow, so no seams show between the cells). `columns`: the widths of the view's column and the
    story's, side by side."""
    with st.container():
        rows_read = None if reading is None else st.slider(_("Rows read"), 1, ROWS, ROWS, key=f"{prefix}_rows_read")
    view_column, story_column = st.columns(list(columns), gap="medium")
    with view_column:
        st.markdown("##### " + _("What the model sees"))
        scale = chart_scale()
        draw_chart("view", digit_charts.model_view(image.numpy(), rows_read, round(pixel_size * scale) / scale),
                   width="content", prefix=prefix)
        st.caption(join_sentences(
            [_("Drawings are cropped, shrunk to {rows}x{rows} pixels and centred, the way MNIST's digits were "
               "made.").format(rows=ROWS)]
            + ([_("Your strokes are drawn again with a pen as thin as MNIST's, so a small digit reads like a "
                  "large one.")] if redrawn else [])
            + ([] if rows_read in (None, ROWS) else [_("Amber: row {row}; shaded: rows not read yet.").format(
                row=rows_read)])))
    with story_column:
        with st.container():
            if reading is None:
                st.info(_("The story appears here once a model reads a digit."), icon=":material/menu_book:")
            else:
                guess = reading.row_probabilities[rows_read - 1]
                st.markdown("##### " + _("After {read} of {rows} rows it would say {digit} ({share})").format(
                    read=rows_read, rows=ROWS, digit=int(guess.argmax()), share=percent(guess.max())))
        row_probabilities = np.zeros((ROWS, 10)) if reading is None else reading.row_probabilities
        draw_chart("story", digit_charts.row_story(row_probabilities, rows_read), prefix=prefix)
        with st.container():
            if reading is not None:
                st.caption(_("It settles on its final answer, {digit}, after row {row}.").format(
                    digit=reading.digit, row=reading.settled_row))
    st.markdown("##### " + _("Hidden state"))
    if reading is None:
        st.caption(_("The network's memory after each row shows here once a model reads a digit."))
        hidden = np.zeros((ROWS, digit_charts.HIDDEN_UNITS_SHOWN))
    else:
        hidden = reading.hidden
        shown = min(digit_charts.HIDDEN_UNITS_SHOWN, hidden.shape[1])
        st.caption(_("The network's memory after each row: {units} numbers (red positive, blue negative) that "
                     "carry what it has read so far on to the next row. Shown: the {shown} that change most on "
                     "this drawing, each row one unit, sorted by the row where it changes most. Empty rows barely "
                     "move them; strokes do. This memory is the only link from one row to the next.").format(
                         units=hidden.shape[1], shown=shown))
    draw_chart("hidden", digit_charts.hidden_story(hidden, rows_read), prefix=prefix)
