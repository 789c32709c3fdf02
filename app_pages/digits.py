"""Draw a digit: a recurrent network reads the drawing one row of pixels at a time, and names the digit.

The canvas, the answer and the row-by-row story live in one fragment, so a stroke, a model switch or a
move of the row slider reruns only that part of the page (no whole-page flicker).
"""
import html
from dataclasses import replace

import numpy as np
import streamlit as st
import torch

from rnn_core.data_root import data_root
from rnn_core.digits.data import to_unit_range
from rnn_core.checkpoint_meta import ClassifierMetrics
from rnn_core.checkpoints import Checkpoint
from rnn_core.digits.inference import DigitReading, read_digit
from rnn_core.digits.recipe import fine_tune_on_drawings
from rnn_core.digits.preprocess import (Drawing, InvalidDrawingError, decode_canvas_image, preprocess_strokes,
                                 strokes_from_canvas_json)
from rnn_core.metrics import evaluate_classifier
from ui import digit_charts
from ui.canvas import drawing_canvas, without_last_stroke  # importable only inside a running Streamlit script
from ui.digit_story import draw_chart, show_row_story
from ui.digits import mnist_test_set
from ui.engine_words import engine_words
from ui.gate_view import show_gates
from ui.resources import DIGIT_CHECKPOINTS, LoadedModel, digit_models, training_data
from ui.session_models import add_session_model, session_models
from ui.live_updates import interactive_run
from ui.i18n import _, ngettext, number, percent
from ui.page_header import page_header
from ui.page_links import Choice, Flag, LinkField, follow_link, keep_in_link, link_notes
from ui.pages import DIGITS
from ui.projector import aside

CANVAS_SIZE = 280
# MNIST strokes are 2-3 pixels wide on digits 20 pixels tall. A pen a tenth of the canvas wide, on a
# digit drawn most of the canvas tall, comes out of the preprocessing just as thick.
STROKE_WIDTH = 28
LOW_CONFIDENCE = 60  # percent, as shown: below it the answer is flagged as a guess
LOW_MARGIN = 0.3  # a lead over the runner-up smaller than this is a guess too, however high the top score
SMALL_DRAWING = 0.45  # ink spanning less than this share of the square: MNIST's digits fill their box
OFF_CENTRE = 0.25  # the ink's centre this far from the square's (share of its side): off to one side
MNIST_TEST_DIGITS = 10_000  # the whole test split, on which the shipped models are measured
TUNED_CHECK_DIGITS = 1000  # MNIST test digits that measure a fine-tuned copy, before and after
ROWS = digit_charts.ROWS
# The setup a link carries: a shipped model (a visitor's own is theirs alone) and whether the gates show.
LINK = (LinkField("model", "digits_model", next(iter(DIGIT_CHECKPOINTS)),
                  Choice({label.lower(): label for label in DIGIT_CHECKPOINTS})),
        LinkField("gates", "digits_gates", False, Flag()))

def canvas_key() -> str:
    return f"digits_canvas_{state.digits_canvas_round}"


def clear_canvas() -> None:
    state.digits_canvas_round += 1
    state.digits_mnist_index = None
    state.digits_initial = None


def undo_stroke() -> None:
    drawing = (state.get(canvas_key()) or {}).get("drawing") or {}
    state.digits_undo_count += 1
    state.digits_initial = without_last_stroke(drawing.get("raw"), state.digits_undo_count)


def stroke_count() -> int:
    drawing = (state.get(canvas_key()) or {}).get("drawing") or {}
    return len((drawing.get("raw") or {}).get("objects", []))


def show_mnist_digit(count: int) -> None:
    clear_canvas()
    state.digits_mnist_index = int(state.digits_rng.integers(count))


def back_to_drawing() -> None:
    state.digits_mnist_index = None


def model_label(name: str, loaded: LoadedModel) -> str:
    if loaded.checkpoint is None:
        return f"{name} · " + _("not available")
    metrics = loaded.checkpoint.metadata.test_metrics or ClassifierMetrics()
    accuracy, examples = metrics.accuracy, metrics.examples
    if accuracy is None:
        return f"{name} · " + _("not measured")
    partial = examples is not None and examples != MNIST_TEST_DIGITS  # a fine-tuned copy: a fixed sample
    if partial:
        return _("{model} · {accuracy} on {count} test digits").format(model=name, accuracy=percent(accuracy, 2),
                                                                       count=number(examples))
    return f"{name} · {percent(accuracy, 2)}"


def show_answer(reading: DigitReading, label: int | None, drawing: Drawing | None) -> None:
    shown = round(100 * reading.confidence)
    sure = shown >= LOW_CONFIDENCE and reading.margin >= LOW_MARGIN
    confidence = html.escape(_("{percent:.0%} sure").format(percent=shown / 100))  # a number in the catalog's words
    color = digit_charts.INDIGO if sure else "#9ca3af"
    # Fixed markup from numbers and one escaped message of the catalog (never user text), so HTML is safe here.
    st.markdown(
        f'<div class="digit-answer" style="font-size:7.5rem;font-weight:800;line-height:1;color:{color};'
        f'text-align:center">{reading.digit}</div>'
        f'<div class="digit-confidence" style="font-size:1.5rem;text-align:center">'
        f'{confidence}</div>', unsafe_allow_html=True)
    if drawing is not None and drawing.extent < SMALL_DRAWING:
        st.warning(_("Your digit is small. Draw it bigger, filling most of the square: it is scaled up to the "
                     "size of MNIST's digits, and every wobble of the pen grows with it."),
                   icon=":material/zoom_out_map:")
    elif drawing is not None and drawing.off_centre > OFF_CENTRE:
        st.warning(_("Your digit is off to one side. Draw it in the middle of the square, filling most of it."),
                   icon=":material/center_focus_weak:")
    if not sure:
        runner_up = int(reading.probabilities.argsort()[-2])
        st.warning(_("Not sure: this does not look much like any one digit. Next best guess: {digit} "
                     "({share}).").format(digit=runner_up, share=percent(reading.probabilities[runner_up])),
                   icon=":material/help:")
    if label is not None:
        if label == reading.digit:
            st.success(_("Right: the test set labels it {digit}.").format(digit=label), icon=":material/check_circle:")
        else:
            st.error(_("Wrong: the test set labels it {digit}.").format(digit=label), icon=":material/cancel:")


def add_taught_drawing(image: torch.Tensor) -> None:
    state.digits_taught.append((image.clone(), state.digits_truth))


def mnist_check_accuracy(model: torch.nn.Module) -> float | None:
    """Accuracy on a fixed sample of the MNIST test set (the same digits every time); None without MNIST."""
    mnist = mnist_test_set(str(data_root()))
    if mnist.images is None:
        return None
    images = to_unit_range(mnist.images[:TUNED_CHECK_DIGITS])
    return evaluate_classifier(model, (images,), mnist.labels[:TUNED_CHECK_DIGITS], 10).accuracy


def fine_tune_taught(model_name: str, checkpoint: Checkpoint) -> None:
    """Fine-tune a private copy on the taught drawings; keep it as this visitor's model, with before/after."""
    images = torch.stack([image for image, _ in state.digits_taught])
    labels = torch.tensor([label for _, label in state.digits_taught])
    mnist = training_data("mnist").data  # None offline without MNIST: then the drawings alone
    tuned = fine_tune_on_drawings(checkpoint.model, images, labels, mnist)
    before, after = mnist_check_accuracy(checkpoint.model), mnist_check_accuracy(tuned)
    # The copy's own figure, measured on it; never the original's.
    metrics = None if after is None else ClassifierMetrics(accuracy=after, examples=TUNED_CHECK_DIGITS)
    metadata = replace(checkpoint.metadata, test_metrics=metrics, fine_tuned_on=len(labels))
    label = add_session_model(ngettext("{model} + your {count} drawing", "{model} + your {count} drawings",
                                       len(labels)).format(model=model_name, count=number(len(labels))),
                              Checkpoint("row_classifier", tuned, metadata))
    table = [{"drew": int(truth), "before": read_digit(checkpoint.model, image).digit,
              "after": read_digit(tuned, image).digit} for image, truth in zip(images, labels)]
    state.digits_tuned = (label, table, before, after)


def teach(image: torch.Tensor, reading: DigitReading, model_name: str, checkpoint: Checkpoint) -> None:
    """Teach it your handwriting: collect corrected drawings, fine-tune a private copy of the model."""
    # The same label every time: a new label is a new expander, which would close as a drawing is added.
    with st.expander(_("Teach it your handwriting")):
        st.caption(_("Was the answer wrong? Say what you drew and add it. Then fine-tune a copy of the model "
                     "on your drawings, mixed with MNIST digits so it does not forget the rest. The shared "
                     "model stays as it is; the copy is yours, in this browser tab."))
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.selectbox(_("This drawing is a"), range(10), index=reading.digit, key="digits_truth")
            st.button(_("Add this drawing"), icon=":material/add:", on_click=add_taught_drawing, args=(image,))
        taught = len(state.digits_taught)
        st.caption(ngettext("{count} drawing so far.", "{count} drawings so far.", taught).format(count=number(taught)))
        if not state.digits_taught:
            return
        st.button(ngettext("Fine-tune a copy of {model} on your {count} drawing",
                           "Fine-tune a copy of {model} on your {count} drawings", taught).format(
                               model=model_name, count=number(taught)),
                  icon=":material/school:", type="primary", on_click=fine_tune_taught,
                  args=(model_name, checkpoint))
        if state.digits_tuned is not None:
            label, table, before, after = state.digits_tuned
            right_before = sum(r["drew"] == r["before"] for r in table)
            right_after = sum(r["drew"] == r["after"] for r in table)
            st.success(_("“{model}” is ready: pick it above to use it.").format(model=label), icon=":material/school:")
            st.markdown(_("- **The drawings it was tuned on**: right on {before} of {count} before, {after} after. "
                          "It has seen these, so this says little: draw new ones to judge it.").format(
                              before=right_before, count=len(table), after=right_after))
            if after is not None:
                st.markdown(_("- **{count} MNIST test digits it has never seen** (the same ones each time): "
                              "{before} before, {after} after.").format(
                                  count=number(TUNED_CHECK_DIGITS), before=percent(before, 1),
                                  after=percent(after, 1)))
            else:
                st.markdown(_("- The MNIST test set is not on this server, so the copy's accuracy on it was not "
                              "measured."))
            headers = {"drew": _("you drew"), "before": _("before"), "after": _("after")}
            st.dataframe([{headers[k]: v for k, v in row.items()} for row in table], hide_index=True)


@st.fragment
@interactive_run  # live ticks hold back while it answers
def playground() -> None:
    # The shipped models, then this visitor's own (fine-tuned here, or trained or uploaded on the
    # training page): read on every run, so a model made a moment ago is already in the list.
    models = {**digit_models(), **{label: LoadedModel(checkpoint)
                                   for label, checkpoint in session_models("row_classifier").items()}}
    name = st.radio(_("Model (test accuracy on {count} MNIST digits)").format(count=number(MNIST_TEST_DIGITS)),
                    list(models),
                    format_func=lambda n: model_label(n, models[n]), horizontal=True, key="digits_model",
                    help=_("Switch models to compare them on the same drawing."))
    loaded = models[name]
    drawing_column, answer_column = st.columns([1.4, 1], gap="medium")  # the canvas needs its 280 px

    mnist = mnist_test_set(str(data_root()))
    image, label, drawing, problem = None, None, None, ""
    with drawing_column:
        st.markdown("##### " + _("Your drawing"))
        if state.digits_mnist_index is not None and mnist.images is not None:
            # The test digit stands where the drawing was, enlarged to the square's size.
            index = state.digits_mnist_index
            image, label = to_unit_range(mnist.images[index]), int(mnist.labels[index])
            square = np.kron((image.numpy() * 255).astype(np.uint8), np.ones((10, 10), np.uint8))
            st.image(square, width=CANVAS_SIZE)
            answer_line = st.container(key="digits_answer_line")
            st.caption(_("Showing MNIST test digit #{index}. Press “Draw your own” to draw again.").format(
                index=number(index)))
            with st.container(horizontal=True):
                st.button(_("Draw your own"), icon=":material/draw:", on_click=clear_canvas)
                st.button(_("Another MNIST digit"), icon=":material/casino:", on_click=show_mnist_digit,
                          args=(len(mnist.images),))
        else:
            canvas = drawing_canvas(canvas_key(), CANVAS_SIZE, STROKE_WIDTH, state.digits_initial,
                                    on_change=back_to_drawing)
            # On a phone the answer column is stacked below, off the screen: a short answer line here
            # (shown only there, ui/page_style.py).
            answer_line = st.container(key="digits_answer_line")
            with st.container(horizontal=True):
                st.button(_("Undo"), icon=":material/undo:", on_click=undo_stroke, disabled=stroke_count() == 0,
                          help=_("Take back the last stroke"))
                st.button(_("Clear"), icon=":material/ink_eraser:", on_click=clear_canvas)
                st.button(_("Try a real MNIST digit"), icon=":material/casino:", disabled=mnist.images is None,
                          on_click=show_mnist_digit, args=(0 if mnist.images is None else len(mnist.images),),
                          help=_("Not available: MNIST is not in {folder}, or a file there is incomplete or "
                                 "corrupt. Put its four IDX files there, or set RNN_DATA_DIR.").format(
                                     folder=data_root() / "MNIST" / "raw")
                          if mnist.images is None
                          else _("Show a random digit from the MNIST test set"))
            if mnist.images is None:
                st.caption(_("“Try a real MNIST digit” needs the MNIST test set, which is not on this server."))
            try:
                png = canvas.image_bytes  # the canvas's PNG; None until the first stroke
                # The pen's own paths, redrawn at MNIST's stroke width, whatever size the digit was drawn.
                drawing = None if png is None else preprocess_strokes(strokes_from_canvas_json(canvas.json_data),
                                                                      decode_canvas_image(png))
                image = None if drawing is None else drawing.image  # None: blank
            except InvalidDrawingError as error:  # an image the canvas did not make
                problem = _("This drawing cannot be read: {reason}").format(reason=engine_words(error))
            except ValueError as error:  # not base64: Python's own words, which have no translation
                problem = _("This drawing cannot be read: {reason}").format(reason=error)

    reading = None
    if image is not None and loaded.checkpoint is not None:
        reading = read_digit(loaded.checkpoint.model, image)
        answer_line.markdown("**" + _("The answer: {digit}").format(digit=reading.digit) + "** · "
                             + _("{percent:.0%} sure").format(percent=reading.confidence))

    with answer_column:
        st.markdown("##### " + _("The answer"))
        with st.container():  # what it says comes and goes; the bars below keep their place
            if loaded.checkpoint is None:
                st.error(_("The {model} model is not available: {reason}").format(
                    model=name, reason=engine_words(loaded.error)), icon=":material/warning:")
                st.caption(_("Pick another model above; your drawing stays."))
            elif problem:
                st.error(problem, icon=":material/warning:")
            elif reading is None:
                st.info(_("Draw a digit on the black square with your mouse or finger. The answer appears as "
                          "soon as you lift the pen."), icon=":material/draw:")
            else:
                show_answer(reading, label, drawing)
        draw_chart("bars", digit_charts.probability_bars(np.zeros(10) if reading is None else reading.probabilities,
                                                         height=230))

    with aside("teach"):
        if reading is not None and label is None:  # the visitor's own drawing, not an MNIST test digit
            teach(image, reading, name, loaded.checkpoint)

    st.markdown("#### " + _("Reading row by row"))
    aside("row_story").markdown(_(
        "The network never sees the whole picture at once. It reads row 1 (the top 28 pixels), updates "
        "its memory, reads row 2, and so on down to row 28; its answer is what it says after the last "
        "row. The heatmap shows what it *would* answer after each row: one column per row read, one "
        "line per digit, darker for more likely. While the rows are empty it can only guess; as the "
        "strokes come in, its guess sharpens. Move the slider to replay the reading: the amber frame "
        "marks the row being read, on the image and on the heatmaps."))
    # With nothing drawn the model's view is an empty black square, and the other charts are empty.
    show_row_story(torch.zeros(ROWS, ROWS) if image is None else image, reading,
                   redrawn=label is None and drawing is not None and drawing.redrawn)
    if reading is not None:
        # Built only when asked for: the gate charts cost a drawing's answer more server time than all the rest.
        # (An expander that reruns when opened broke pages on a busy server: "Bad delta path index".)
        if st.toggle(_("Inside the cell: its gates at work, row by row"), key="digits_gates"):
            show_gates(loaded.checkpoint.model, image, name)
    keep_in_link("digits", LINK)  # a model or the gates switched in this fragment alone


# ----------------------------------------------------------------------------- the page

state = st.session_state
state.setdefault("digits_canvas_round", 0)  # part of the canvas key: a new key is a fresh, empty canvas
state.setdefault("digits_mnist_index", None)  # a test image being shown instead of the drawing
state.setdefault("digits_taught", [])  # this visitor's corrected drawings: (28x28 image, true label)
state.setdefault("digits_tuned", None)  # (label of the fine-tuned model, its before/after report)
state.setdefault("digits_initial", None)  # the drawing loaded back into the canvas after an undo
state.setdefault("digits_undo_count", 0)
state.setdefault("digits_rng", np.random.default_rng())  # this visitor's own draws of MNIST digits

follow_link("digits", LINK)
page_header(DIGITS, link=keep_in_link("digits", LINK))
link_notes("digits")
aside("intro").markdown(_("Draw one digit, 0 to 9, filling the black square. A recurrent network reads your "
                          "drawing **one row of pixels at a time**, top to bottom, {rows} rows of {rows} pixels, "
                          "and says which digit it is.").format(rows=ROWS))

playground()
