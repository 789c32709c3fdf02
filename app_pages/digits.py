"""Draw a digit: a recurrent network reads the drawing one row of pixels at a time, and names the digit.

The canvas, the answer and the row-by-row story live in one fragment, so a stroke, a model switch or a
move of the row slider reruns only that part of the page (no whole-page flicker).
"""
import random

import streamlit as st
import torch
from streamlit_drawable_canvas import st_canvas  # importable only inside a running Streamlit script

from rnn_core.data import data_root
from rnn_core.data.mnist import to_unit_range
from rnn_core.checkpoints import Checkpoint
from rnn_core.inference import DigitReading, read_digit
from rnn_core.recipes import fine_tune_on_drawings
from rnn_core.preprocess import InvalidDrawingError, decode_canvas_image, preprocess_canvas
from ui import digit_charts
from ui.digits import mnist_test_set
from ui.resources import LoadedModel, digit_models, training_data
from ui.session_models import add_session_model, session_models

CANVAS_SIZE = 280
# MNIST strokes are 2-3 pixels wide on digits 20 pixels tall. A pen a tenth of the canvas wide, on a
# digit drawn most of the canvas tall, comes out of the preprocessing just as thick.
STROKE_WIDTH = 28
LOW_CONFIDENCE = 60  # percent, as shown: below it the answer is flagged as a guess
ROWS = digit_charts.ROWS
CHART_CONFIG = {"displayModeBar": False}

state = st.session_state
state.setdefault("digits_canvas_round", 0)  # part of the canvas key: a new key is a fresh, empty canvas
state.setdefault("digits_mnist_index", None)  # a test image being shown instead of the drawing
state.setdefault("digits_taught", [])  # this visitor's corrected drawings: (28x28 image, true label)
state.setdefault("digits_tuned", None)  # (label of the fine-tuned model, before/after table)


def clear_canvas() -> None:
    state.digits_canvas_round += 1
    state.digits_mnist_index = None


def show_mnist_digit(count: int) -> None:
    state.digits_canvas_round += 1
    state.digits_mnist_index = random.randrange(count)


def back_to_drawing() -> None:
    state.digits_mnist_index = None


def model_label(name: str, loaded: LoadedModel) -> str:
    if loaded.checkpoint is None:
        return f"{name} · not available"
    accuracy = loaded.checkpoint.metadata.get("test_metrics", {}).get("accuracy")
    return name if accuracy is None else f"{name} · {accuracy:.2%}"


def show_answer(reading: DigitReading, label: int | None) -> None:
    percent = round(100 * reading.confidence)
    sure = percent >= LOW_CONFIDENCE
    color = digit_charts.INDIGO if sure else "#9ca3af"
    # Fixed markup from numbers only (never user text), so HTML is safe here.
    st.markdown(
        f'<div class="digit-answer" style="font-size:7.5rem;font-weight:800;line-height:1;color:{color};'
        f'text-align:center">{reading.digit}</div>'
        f'<div class="digit-confidence" style="font-size:1.5rem;text-align:center">'
        f'{percent}% sure</div>', unsafe_allow_html=True)
    if not sure:
        runner_up = int(reading.probabilities.argsort()[-2])
        st.warning(f"Not sure: this does not look much like any one digit. Next best guess: {runner_up} "
                   f"({reading.probabilities[runner_up]:.0%}).", icon=":material/help:")
    if label is not None:
        if label == reading.digit:
            st.success(f"Right: the test set labels it {label}.", icon=":material/check_circle:")
        else:
            st.error(f"Wrong: the test set labels it {label}.", icon=":material/cancel:")
    st.plotly_chart(digit_charts.probability_bars(reading.probabilities, height=230), config=CHART_CONFIG,
                    theme=None)


def show_row_story(image: torch.Tensor, reading: DigitReading | None) -> None:
    """The model's view beside the per-row answers, both following the row slider; then the memory."""
    rows_read = None if reading is None else st.slider("Rows read", 1, ROWS, ROWS, key="digits_rows_read")
    view_column, story_column = st.columns([1, 1.6], gap="medium")
    with view_column:
        st.markdown("##### What the model sees")
        st.plotly_chart(digit_charts.model_view(image.numpy(), rows_read), config=CHART_CONFIG, theme=None)
        st.caption(f"Drawings are cropped, shrunk to {ROWS}x{ROWS} pixels and centred, the way MNIST's "
                   "digits were made." + ("" if rows_read in (None, ROWS)
                                           else f" Amber: row {rows_read}; shaded: rows not read yet."))
    if reading is None:
        story_column.info("The story appears here once a model reads a digit.", icon=":material/menu_book:")
        return
    with story_column:
        guess = reading.row_probabilities[rows_read - 1]
        st.markdown(
            f"##### After {rows_read} of {ROWS} rows it would say {int(guess.argmax())} ({guess.max():.0%})")
        st.plotly_chart(digit_charts.row_story(reading.row_probabilities, rows_read), config=CHART_CONFIG,
                        theme=None)
        st.caption(f"It settles on its final answer, {reading.digit}, after row {reading.settled_row}.")
    st.markdown("##### Hidden state")
    st.caption(f"The network's memory after each row: {reading.hidden.shape[1]} numbers (red positive, "
               "blue negative) that carry what it has read so far on to the next row. Empty rows barely "
               "move it; strokes do. This memory is the only link from one row to the next.")
    st.plotly_chart(digit_charts.hidden_story(reading.hidden, rows_read), config=CHART_CONFIG, theme=None)


def add_taught_drawing(image: torch.Tensor) -> None:
    state.digits_taught.append((image.clone(), state.digits_truth))


def fine_tune_taught(model_name: str, checkpoint: Checkpoint) -> None:
    """Fine-tune a private copy on the taught drawings; keep it as this visitor's model, with before/after."""
    images = torch.stack([image for image, _ in state.digits_taught])
    labels = torch.tensor([label for _, label in state.digits_taught])
    mnist = training_data("mnist").data  # None offline without MNIST: then the drawings alone
    tuned = fine_tune_on_drawings(checkpoint.model, images, labels, mnist)
    label = add_session_model(f"{model_name} + your {len(labels)} drawings",
                              Checkpoint("row_classifier", tuned, {**checkpoint.metadata,
                                                                   "fine_tuned_on": len(labels)}))
    table = [{"you drew": int(truth), "before": read_digit(checkpoint.model, image).digit,
              "after": read_digit(tuned, image).digit} for image, truth in zip(images, labels)]
    state.digits_tuned = (label, table)


def teach(image: torch.Tensor, reading: DigitReading, model_name: str, checkpoint: Checkpoint) -> None:
    """Teach it your handwriting: collect corrected drawings, fine-tune a private copy of the model."""
    with st.expander(f"Teach it your handwriting ({len(state.digits_taught)} drawings so far)"):
        st.caption("Was the answer wrong? Say what you drew and add it. Then fine-tune a copy of the model "
                   "on your drawings, mixed with MNIST digits so it does not forget the rest. The shared "
                   "model stays as it is; the copy is yours, in this browser tab.")
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.selectbox("This drawing is a", range(10), index=reading.digit, key="digits_truth")
            st.button("Add this drawing", icon=":material/add:", on_click=add_taught_drawing, args=(image,))
        if not state.digits_taught:
            return
        st.button(f"Fine-tune a copy of {model_name} on {len(state.digits_taught)} drawing(s)",
                  icon=":material/school:", type="primary", on_click=fine_tune_taught,
                  args=(model_name, checkpoint))
        if state.digits_tuned is not None:
            label, table = state.digits_tuned
            right_before = sum(r["you drew"] == r["before"] for r in table)
            right_after = sum(r["you drew"] == r["after"] for r in table)
            st.success(f"Right on {right_before} of {len(table)} of your drawings before, {right_after} after. "
                       "Pick the new model above to use it.", icon=":material/school:")
            st.text(label)
            st.dataframe(table, hide_index=True)


st.title("Draw a digit")
st.markdown("Draw one digit, 0 to 9, filling the black square. A recurrent network reads your drawing "
            f"**one row of pixels at a time**, top to bottom, {ROWS} rows of {ROWS} pixels, and says which "
            "digit it is.")
@st.fragment
def playground() -> None:
    # The shipped models, then this visitor's own (fine-tuned here, or trained or uploaded on the
    # training page): read on every run, so a model made a moment ago is already in the list.
    models = {**digit_models(), **{label: LoadedModel(checkpoint)
                                   for label, checkpoint in session_models("row_classifier").items()}}
    name = st.radio("Model (test accuracy on 10,000 MNIST digits)", list(models),
                    format_func=lambda n: model_label(n, models[n]), horizontal=True, key="digits_model",
                    help="Switch models to compare them on the same drawing.")
    loaded = models[name]
    drawing_column, answer_column = st.columns([1.4, 1], gap="medium")  # the canvas needs its 280 px

    with drawing_column:
        st.markdown("##### Your drawing")
        canvas = st_canvas(stroke_width=STROKE_WIDTH, stroke_color="#ffffff", background_color="#000000",
                           height=CANVAS_SIZE, width=CANVAS_SIZE, drawing_mode="freedraw",
                           return_image_data=True, key=f"digits_canvas_{state.digits_canvas_round}",
                           on_change=back_to_drawing)
        mnist = mnist_test_set(str(data_root()))
        with st.container(horizontal=True):
            st.button("Clear", icon=":material/ink_eraser:", on_click=clear_canvas)
            st.button("Try a real MNIST digit", icon=":material/casino:", disabled=mnist.images is None,
                      on_click=show_mnist_digit, args=(0 if mnist.images is None else len(mnist.images),),
                      help=f"Not available: {mnist.error}" if mnist.images is None
                      else "Show a random digit from the MNIST test set")
        if mnist.images is None:
            st.caption("“Try a real MNIST digit” needs the MNIST test set, which is not on this server.")

    image, label, problem = None, None, ""
    if state.digits_mnist_index is not None and mnist.images is not None:
        index = state.digits_mnist_index
        image, label = to_unit_range(mnist.images[index]), int(mnist.labels[index])
        drawing_column.caption(f"Showing MNIST test digit #{index:,}. Draw on the square to use your own.")
    else:
        try:
            png = canvas.image_bytes  # the canvas's PNG; None until the first stroke
            image = None if png is None else preprocess_canvas(decode_canvas_image(png)).image  # None: blank
        except (InvalidDrawingError, ValueError) as error:  # an image the canvas did not make, or not base64
            problem = f"This drawing cannot be read: {error}"
    reading = None
    if image is not None and loaded.checkpoint is not None:
        reading = read_digit(loaded.checkpoint.model, image)

    with answer_column:
        st.markdown("##### The answer")
        if loaded.checkpoint is None:
            st.error(f"The {name} model is not available: {loaded.error}", icon=":material/warning:")
            st.caption("Pick another model above; your drawing stays.")
        elif problem:
            st.error(problem, icon=":material/warning:")
        elif reading is None:
            st.info("Draw a digit on the black square with your mouse or finger. The answer appears as "
                    "soon as you lift the pen.", icon=":material/draw:")
        else:
            show_answer(reading, label)

    if reading is not None and label is None:  # the visitor's own drawing, not an MNIST test digit
        teach(image, reading, name, loaded.checkpoint)

    st.markdown("#### Reading row by row")
    st.markdown(
        "The network never sees the whole picture at once. It reads row 1 (the top 28 pixels), updates "
        "its memory, reads row 2, and so on down to row 28; its answer is what it says after the last "
        "row. The heatmap shows what it *would* answer after each row: one column per row read, one "
        "line per digit, darker for more likely. While the rows are empty it can only guess; as the "
        "strokes come in, its guess sharpens. Move the slider to replay the reading: the amber frame "
        "marks the row being read, on the image and on the heatmaps.")
    # With nothing drawn the model's view is an empty black square (and the page's charts are ready).
    show_row_story(torch.zeros(ROWS, ROWS) if image is None else image, reading)


playground()
