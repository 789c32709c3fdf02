"""The "Draw a digit" page under AppTest; drawings are injected into the canvas key (AppTest cannot draw)."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import ui.resources
from rnn_core.checkpoints import load_checkpoint
from rnn_core.digits.data import load_mnist
from rnn_core.digits.inference import read_digit
from rnn_core.digits.drawn import drawn_digit_set
from rnn_core.digits.preprocess import canvas_from_image, canvas_from_strokes, preprocess_canvas, preprocess_strokes
from harness.canvas import HORIZONTAL_LINE, STROKE_WIDTH, VERTICAL_LINE, canvas_state
from harness.page_reading import charts, shown_answer

REPO = Path(__file__).resolve().parent.parent
PAGE = "app_pages/digits.py"
CANVAS_KEY = "digits_canvas_0"  # the first canvas; "Clear" moves on to digits_canvas_1, ...


def open_page() -> AppTest:
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    app.run()
    app.switch_page(PAGE)
    app.run()
    assert not app.exception
    return app


def draw(app: AppTest, canvas: np.ndarray, key: str = CANVAS_KEY) -> AppTest:
    app.session_state[key] = canvas_state(canvas)
    app.run()
    assert not app.exception
    return app


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def shown_confidence(app: AppTest) -> str:
    return next(re.search(r"(\d+)% sure", m.value).group(0) for m in app.markdown if "% sure" in m.value)


@pytest.fixture(scope="module")
def lstm():
    return load_checkpoint(REPO / "checkpoints" / "digits-lstm.pt", expected_kind="row_classifier").model


@pytest.fixture
def mnist_root(data_dir, monkeypatch) -> Path:
    monkeypatch.setenv("RNN_DATA_DIR", str(data_dir))
    return data_dir


def test_blank_page_prompts_and_offers_every_model():
    app = open_page()
    assert app.title[0].value == "Draw a digit"
    assert shown_answer(app) is None
    assert any("Draw a digit on the black square" in info.value for info in app.info)
    picker = app.radio(key="digits_model")
    assert [option.split(" · ")[0] for option in picker.options] == ["LSTM", "GRU", "RNN"]
    assert re.fullmatch(r"LSTM · \d{2}\.\d{2}%", picker.options[0])  # the shipped LSTM's test accuracy
    assert picker.value == "LSTM"


def test_a_canvas_with_nothing_on_it_gets_the_prompt_not_an_answer():
    app = draw(open_page(), canvas_from_strokes([], STROKE_WIDTH))
    assert shown_answer(app) is None
    assert any("Draw a digit on the black square" in info.value for info in app.info)
    assert not app.error and not app.slider


@pytest.mark.parametrize("state", [
    canvas_state(np.zeros((4, 4, 4), dtype=np.uint8)),  # too small to be a drawing
    {"drawing": {"raw": {"objects": []}, "data": "data:image/png;base64,bm90IGEgcG5n"}},  # not a PNG
])
def test_an_image_the_canvas_did_not_make_gets_a_message_not_a_traceback(state):
    app = open_page()
    app.session_state[CANVAS_KEY] = state
    app.run()
    assert not app.exception
    assert shown_answer(app) is None
    assert any(e.value.startswith("This drawing cannot be read") for e in app.error)


@pytest.mark.integration
def test_an_mnist_digit_drawn_on_the_canvas_is_read_with_its_story(mnist_root):
    mnist = load_mnist(mnist_root, download=False)
    app = open_page()
    for index in (0, 1, 2, 3, 4):  # the test set's first digits: 7, 2, 1, 0, 4
        label = int(mnist.test_labels[index])
        key = f"digits_canvas_{app.session_state['digits_canvas_round']}"
        draw(app, canvas_from_image(mnist.test_images[index]), key=key)
        assert shown_answer(app) == label, f"test image {index}"
        assert app.slider(key="digits_rows_read").value == 28
        assert any(f"it would say {label}" in m.value for m in app.markdown)
        button(app, "Clear").click().run()  # a fresh canvas under the next key, and the prompt again
        assert shown_answer(app) is None


def test_a_stroke_that_is_no_digit_shows_how_unsure_the_answer_is(lstm):
    for strokes in (HORIZONTAL_LINE, VERTICAL_LINE):
        canvas = canvas_from_strokes(strokes, STROKE_WIDTH)
        expected = read_digit(lstm, preprocess_canvas(canvas).image)
        app = draw(open_page(), canvas)
        assert shown_answer(app) == expected.digit
        percent = round(100 * expected.confidence)
        assert shown_confidence(app) == f"{percent}% sure"
        unsure = [w.value for w in app.warning if w.value.startswith("Not sure")]
        assert bool(unsure) == (percent < 60)
    assert expected.digit == 1 and not unsure  # the vertical line is a confident "1"


def specs_without_data(found: dict[str, dict]) -> dict[str, dict]:
    return {name: {k: v for k, v in spec.items() if k not in ("datasets", "rows")} for name, spec in found.items()}


def datasets_by_chart(found: dict[str, dict]) -> dict[str, dict]:
    """{"story": {"cells": rows, "marker": rows}, ...} from the keys digits_<chart>_chart."""
    return {name.removeprefix("digits_").removesuffix("_chart"): spec["datasets"] for name, spec in found.items()}


def chart_places(app: AppTest) -> dict[str, tuple[int, ...]]:
    """Each keyed chart container's place in the page: the path by which the browser matches elements."""
    places = {}

    def walk(node, path: tuple[int, ...]) -> None:
        for index, child in getattr(node, "children", {}).items():
            key = getattr(getattr(child, "proto", None), "id", "")
            if key.endswith("_chart"):
                places[key.rsplit("-", 1)[-1]] = (*path, index)
            walk(child, (*path, index))

    walk(app._tree, ())
    return places


def test_the_charts_keep_their_place_and_spec_from_blank_to_drawn_and_back(lstm):
    # The browser updates a chart in place only where the same spec arrives at the same place: rebuilding
    # the three charts on every drawing made a slow browser's first answer seconds late.
    app = open_page()
    blank, blank_places = charts(app), chart_places(app)
    draw(app, canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH))
    drawn, drawn_places = charts(app), chart_places(app)
    button(app, "Clear").click().run()
    assert shown_answer(app) is None
    assert set(blank_places) == {"digits_bars_chart", "digits_view_chart", "digits_story_chart",
                                 "digits_hidden_chart"}
    assert blank_places == drawn_places == chart_places(app)
    assert specs_without_data(blank) == specs_without_data(drawn) == specs_without_data(charts(app))
    assert not any(bar["p"] for bar in datasets_by_chart(blank)["bars"]["bars"])
    assert max(bar["p"] for bar in datasets_by_chart(drawn)["bars"]["bars"]) > 0.5


def test_the_row_slider_replays_the_reading(lstm):
    canvas = canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH)
    expected = read_digit(lstm, preprocess_canvas(canvas).image)
    app = draw(open_page(), canvas)
    whole = charts(app)
    app.slider(key="digits_rows_read").set_value(5).run()
    at_five = charts(app)
    # The same specs, so the browser redraws the charts in place; only the amber frame and the veil move.
    assert specs_without_data(whole) == specs_without_data(at_five)
    before, data = datasets_by_chart(whole), datasets_by_chart(at_five)
    assert before["story"]["marker"] == [{"row": 28}] and not before["view"]["veiled"]
    assert data["story"]["marker"] == data["hidden"]["marker"] == [{"row": 5}]
    assert [row["row"] for row in data["view"]["veiled"]] == list(range(6, 29))
    story = {(cell["row"], cell["digit"]): cell["p"] for cell in data["story"]["cells"]}
    assert story[(5, 3)] == pytest.approx(float(expected.row_probabilities[4, 3]))
    assert [bar["p"] for bar in data["bars"]["bars"]] == pytest.approx(expected.probabilities.tolist())
    after_five = expected.row_probabilities[4]
    assert any(f"After 5 of 28 rows it would say {after_five.argmax()}" in m.value for m in app.markdown)
    assert any("row 5; shaded: rows not read yet" in c.value for c in app.caption)
    assert shown_answer(app) == expected.digit  # the answer itself is the last row's


def test_a_missing_model_shows_its_error_and_the_drawing_survives_the_switch(monkeypatch):
    monkeypatch.setitem(ui.resources.DIGIT_CHECKPOINTS, "GRU", "no-such-digits-gru.pt")
    app = draw(open_page(), canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH))
    picker = app.radio(key="digits_model")
    assert picker.options[1] == "GRU · not available"
    picker.set_value("GRU").run()
    assert not app.exception
    assert shown_answer(app) is None
    assert any("The GRU model is not available" in e.value and "does not exist" in e.value for e in app.error)
    app.radio(key="digits_model").set_value("LSTM").run()
    assert shown_answer(app) == 1


@pytest.mark.integration
def test_try_a_real_mnist_digit_shows_it_with_its_label(mnist_root):
    app = open_page()
    real_digit = button(app, "Try a real MNIST digit")
    assert not real_digit.disabled
    real_digit.click().run()
    assert not app.exception
    shown = next(c.value for c in app.caption if c.value.startswith("Showing MNIST test digit #"))
    index = int(shown.split("#")[1].split(".")[0].replace(",", ""))
    label = int(load_mnist(mnist_root, download=False).test_labels[index])
    verdicts = [s.value for s in app.success] + [e.value for e in app.error]
    verdict = "Right" if shown_answer(app) == label else "Wrong"
    assert verdicts == [f"{verdict}: the test set labels it {label}."]


def test_without_mnist_the_button_says_why_not(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_DATA_DIR", str(tmp_path))  # an empty data root
    app = open_page()
    real_digit = button(app, "Try a real MNIST digit")
    assert real_digit.disabled
    assert "Not available" in real_digit.help and str(tmp_path) in real_digit.help
    assert any("needs the MNIST test set" in c.value for c in app.caption)
    assert shown_answer(app) is None and not app.exception


def test_teaching_fine_tunes_a_private_copy(monkeypatch, tmp_path):
    from rnn_core.checkpoints import weights_digest

    monkeypatch.setenv("RNN_DATA_DIR", str(tmp_path / "no-data"))  # drawings only: no MNIST to mix in
    monkeypatch.setattr("rnn_core.digits.data.MNIST.mirrors", [])
    app = draw(open_page(), canvas_from_strokes(HORIZONTAL_LINE, STROKE_WIDTH))
    shipped = ui.resources.digit_models()["LSTM"].checkpoint.model
    before = weights_digest(shipped)
    next(s for s in app.selectbox if s.label == "This drawing is a").set_value(7).run()
    button(app, "Add this drawing").click().run()
    assert any(c.value == "1 drawing so far." for c in app.caption)
    fine_tune = next(b for b in app.button if b.label.startswith("Fine-tune a copy of LSTM"))
    fine_tune.click().run()
    assert not app.exception
    assert weights_digest(shipped) == before  # the shared model is untouched
    assert any("right on" in m.value and "before" in m.value and "after" in m.value for m in app.markdown)
    tuned_label = "LSTM + your 1 drawing"
    assert tuned_label in app.session_state["session_models"]["row_classifier"]
    # Without MNIST the copy cannot be measured, and it says so instead of showing the original's figure.
    assert any("was not measured" in m.value for m in app.markdown)
    assert "LSTM + your 1 drawing · not measured" in app.radio(key="digits_model").options
    app.radio(key="digits_model").set_value(tuned_label).run()
    assert not app.exception and shown_answer(app) == 7  # the copy learned this visitor's "7"


@pytest.mark.integration
def test_a_fine_tuned_copy_shows_its_own_measured_accuracy(mnist_root, monkeypatch):
    monkeypatch.setenv("RNN_DATA_DIR", str(mnist_root))
    app = draw(open_page(), canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH))
    button(app, "Add this drawing").click().run()
    next(b for b in app.button if b.label.startswith("Fine-tune a copy of LSTM")).click().run()
    assert not app.exception
    option = next(o for o in app.radio(key="digits_model").options if o.startswith("LSTM + your 1 drawing"))
    shipped = ui.resources.digit_models()["LSTM"].checkpoint.metadata.test_metrics.accuracy
    assert option.endswith(" on 1,000 test digits") and f"{shipped:.2%}" not in option
    measured = app.session_state["session_models"]["row_classifier"]["LSTM + your 1 drawing"]
    assert measured.metadata.test_metrics.examples == 1000
    assert any("1,000 MNIST test digits it has never seen" in m.value for m in app.markdown)


def test_a_small_digit_in_a_corner_is_told_to_be_bigger():
    small_one = [[(230, 20), (230, 80)]]  # a "1" a fifth of the square tall, in the top-right corner
    app = draw(open_page(), canvas_from_strokes(small_one, STROKE_WIDTH))
    assert any("Your digit is small" in w.value for w in app.warning)
    app = draw(open_page(), canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH))  # a big "1" in the middle
    assert not any("small" in w.value or "off to one side" in w.value for w in app.warning)


def test_torn_between_two_digits_is_not_sure_even_above_the_threshold():
    from rnn_core.digits.inference import DigitReading

    torn = DigitReading(np.zeros((28, 28)), np.array([0, 0, 0, 0.35, 0, 0, 0, 0, 0.62, 0.03]),
                        np.zeros((28, 10)), np.zeros((28, 128)))
    assert torn.confidence > 0.6 and torn.margin == pytest.approx(0.27)


@pytest.mark.parametrize("model", ["LSTM", "GRU", "RNN"])
def test_the_gates_of_each_model_under_a_drawing(model):
    app = open_page()
    app.radio(key="digits_model").set_value(model).run()
    app = draw(app, canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH))
    assert any(t.label.startswith("Inside the cell") for t in app.toggle)
    assert not any(m.value == "##### Gates, row by row" for m in app.markdown)  # built only once asked for
    app.toggle(key="digits_gates").set_value(True).run()
    if model == "RNN":
        assert any("no gates" in i.value for i in app.info)
    else:
        assert any(m.value == "##### Gates, row by row" for m in app.markdown)
        assert any(t.label.startswith("Layer 1") for t in app.tabs)


def test_fine_tuning_never_reaches_for_the_network(monkeypatch, tmp_path):
    import ui.resources as resources

    def no_download(root, download=True):
        assert not download, "the fine-tune click tried to download MNIST"
        raise resources.DataMissingError("data.mnist_missing", folder=root, reason="not here")

    monkeypatch.setenv("RNN_DATA_DIR", str(tmp_path / "no-data"))
    monkeypatch.setattr(resources, "load_mnist", no_download)
    app = draw(open_page(), canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH))
    button(app, "Add this drawing").click().run()
    next(b for b in app.button if b.label.startswith("Fine-tune a copy of LSTM")).click().run()
    assert not app.exception
    assert "LSTM + your 1 drawing" in app.session_state["session_models"]["row_classifier"]


def test_the_page_reads_the_pen_paths_so_a_small_digit_keeps_its_loops():
    drawing = drawn_digit_set()[9]  # a small "3" in a corner, whose loops the page's wide pen fills
    canvas = canvas_from_strokes(drawing.strokes, STROKE_WIDTH)
    paths = [{"type": "path", "path": [["M", *points[0]]] + [["L", x, y] for x, y in points[1:]]}
             for points in drawing.strokes]
    state = canvas_state(canvas)
    state["drawing"]["raw"] = {"objects": paths}
    app = open_page()
    app.session_state[CANVAS_KEY] = state
    app.run()
    assert not app.exception
    assert shown_answer(app) == 3
    assert any("drawn again with a pen as thin as MNIST's" in c.value for c in app.caption)
    model = load_checkpoint(REPO / "checkpoints" / "digits-lstm.pt").model
    from_image = read_digit(model, preprocess_canvas(canvas).image).probabilities[3]
    assert from_image < read_digit(model, preprocess_strokes(drawing.strokes, canvas).image).probabilities[3]
