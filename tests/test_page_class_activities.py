"""The class's two activities in AppTest: students send surnames and drawings, the teacher's board shows the
languages, the gallery with its accuracy and confusion strip, and opens a drawing's row-by-row story; and what
a bad surname or drawing gets.

Every AppTest of one test shares the process's one class store, as the sessions of one server do; each test
gets its own SQLite file.
"""
from __future__ import annotations

import io

import numpy as np
import pyarrow as pa
import pytest
import torch
from PIL import Image
from streamlit.testing.v1 import AppTest

from harness.canvas import HORIZONTAL_LINE, STROKE_WIDTH, VERTICAL_LINE, canvas_state
from harness.class_app import GETTEXT, click, join, shown, start_class
from harness.page_reading import charts
from rnn_core.digits.inference import read_digit
from rnn_core.digits.preprocess import canvas_from_strokes, preprocess_canvas
from ui import class_session
from ui.class_names import REMOVE_KEY, SURNAME_KEY
from ui.engine_words import ENGINE_WORDS
from ui.i18n import percent
from ui.resources import digit_models

pytestmark = pytest.mark.usefixtures("class_db")


def send_surname(student: AppTest, surname: str) -> AppTest:
    student.text_input(key=SURNAME_KEY).input(surname)
    return click(student, GETTEXT[student.query_params["lang"]]("Send"))


def class_names(teacher: AppTest) -> tuple[dict[str, int], list[dict]]:
    """The teacher's chart (names per language) and list of the class's names."""
    teacher.run()
    charts = [chart for chart in teacher.get("vega_lite_chart")
              if any(data.name == "languages" for data in chart.proto.datasets)]
    if not charts:
        return {}, []
    languages = next(data for data in charts[0].proto.datasets if data.name == "languages")
    bars = pa.ipc.open_stream(languages.data.data).read_all().to_pylist()
    return {bar["language"]: bar["names"] for bar in bars}, teacher.dataframe[0].value.to_dict("records")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_class_sends_names_and_the_teacher_sees_their_languages(lang, moves):
    gettext = GETTEXT[lang]
    teacher, code, _key = start_class(lang)
    student = join(lang, code, "<b>Ada</b>")
    assert gettext("Surname") not in [box.label for box in student.text_input]  # not before the teacher starts
    assert gettext("No names yet: start the activity, and the class's surnames appear here as they come.") in \
        shown(teacher)
    click(teacher, gettext("Start: every student sends a surname"))
    student.run()
    assert moves[-1] == ("app_pages/class.py", {"activity": "names"})
    assert student.text_input(key=SURNAME_KEY).max_chars == 40  # the names page's limit, as the box's
    send_surname(student, "Nakamura")
    japanese = gettext("Japanese")
    assert any(gettext("Sent. The network reads it as {language} ({percent:.0%} sure).").split("{")[0] in s.value
               and japanese in s.value for s in student.success)
    assert "Nakamura" in [t.value for t in student.text]
    send_surname(join(lang, code), "*Smith*")  # markup stays text, in the list and the chart's data
    counts, rows = class_names(teacher)
    assert counts[japanese] == 1 and sum(counts.values()) == 2
    student_column, surname_column = gettext("Student"), gettext("Surname")
    assert [row[surname_column] for row in rows] == ["Nakamura", "*Smith*"]
    assert rows[0][student_column] == "<b>Ada</b>" and rows[0][gettext("Language")] == japanese
    assert "*Smith*" not in " ".join(m.value for m in teacher.markdown)

    teacher.toggle(key="class_control_hide").set_value(True).run()
    _counts, rows = class_names(teacher)
    assert rows[0][student_column] == gettext("Student {number}").format(number=1)

    teacher.selectbox(key=REMOVE_KEY).set_value("2. *Smith*")
    click(teacher, gettext("Remove"))
    counts, rows = class_names(teacher)
    assert [row[surname_column] for row in rows] == ["Nakamura"] and counts == {japanese: 1}
    click(teacher, gettext("Clear the names"))
    assert class_names(teacher) == ({}, [])
    assert gettext("No names yet: start the activity, and the class's surnames appear here as they come.") in \
        shown(teacher)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("surname, code", [("", "names.empty"), ("12345", "names.no_letters"),
                                           ("Иванов", "names.unknown_characters")])
def test_a_bad_surname_gets_the_names_page_message(lang, surname, code, moves):
    gettext = GETTEXT[lang]
    teacher, class_code, _key = start_class(lang)
    click(teacher, gettext("Start: every student sends a surname"))
    student = send_surname(join(lang, class_code), surname)
    assert any(gettext(ENGINE_WORDS[code]).split("{")[0] in info.value for info in student.info), \
        [info.value for info in student.info]
    assert not any(s.icon == ":material/send:" for s in student.success)  # no "Sent"
    assert class_names(teacher) == ({}, [])


def draw(student: AppTest, canvas: np.ndarray) -> AppTest:
    student.session_state["class_canvas_0"] = canvas_state(canvas)  # each student's first square
    return click(student, GETTEXT[student.query_params["lang"]]("Send the drawing"))


def gallery(teacher: AppTest) -> tuple[int, dict[tuple[str, str], int]]:
    """How many drawings the teacher's gallery shows, and the confusion strip's counts (asked, read)."""
    teacher.run()
    charts = [chart for chart in teacher.get("vega_lite_chart")
              if any(data.name == "confusion" for data in chart.proto.datasets)]
    if not charts:
        return 0, {}
    cells = next(data for data in charts[0].proto.datasets if data.name == "confusion")
    counts = {(cell["asked"], cell["read"]): cell["drawings"]
              for cell in pa.ipc.open_stream(cells.data.data).read_all().to_pylist()}
    return len(teacher.get("image")) - 1, counts  # the QR code is the page's one other image


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_class_draws_and_the_teacher_sees_the_gallery_accuracy_and_confusion(lang, moves):
    gettext = GETTEXT[lang]
    teacher, code, _key = start_class(lang)
    teacher.selectbox(key="class_drawing_ask").set_value("1")
    click(teacher, gettext("Start: every student draws"))
    ada, bo = join(lang, code, "Ada"), join(lang, code)
    assert moves[-1] == ("app_pages/class.py", {"activity": "drawing", "digit": "1"})
    line = canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH)
    expected = read_digit(digit_models()["LSTM"].checkpoint.model, preprocess_canvas(line).image)
    draw(ada, line)
    assert any(gettext("Sent. The network reads it as {digit} ({percent:.0%} sure).").format(
        digit=expected.digit, percent=expected.confidence) == s.value for s in ada.success)
    draw(bo, line)
    shown_images, counts = gallery(teacher)
    assert shown_images == 2 and counts == {("1", str(expected.digit)): 2}
    assert any(m.label == gettext("The network read the digit asked for") for m in teacher.metric)
    entry = class_session.class_store().drawings(code, _key)[0]
    assert entry.image.startswith(b"\x89PNG") and entry.label == "1" and entry.reading == str(expected.digit)

    teacher.selectbox(key="class_drawings_remove").set_value(teacher.selectbox(key="class_drawings_remove").options[1])
    teacher.button(key="class_drawings_remove_button").click().run()
    assert gallery(teacher)[1] == {("1", str(expected.digit)): 1}
    click(teacher, gettext("Clear the drawings"))
    assert gallery(teacher) == (0, {})


def stories(teacher: AppTest) -> dict[str, dict]:
    """The opened drawing's story charts on the teacher's board, by their container's key."""
    return {key: spec for key, spec in charts(teacher).items() if key.startswith("class_story_")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_teacher_opens_a_drawing_and_the_board_shows_its_row_by_row_story(lang, moves):
    gettext = GETTEXT[lang]
    teacher, code, key = start_class(lang)
    teacher.selectbox(key="class_drawing_ask").set_value("1")
    click(teacher, gettext("Start: every student draws"))
    draw(join(lang, code, "Ada"), canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH))
    draw(join(lang, code), canvas_from_strokes(HORIZONTAL_LINE, STROKE_WIDTH))
    first, second = class_session.class_store().drawings(code, key)
    teacher.run()
    assert not stories(teacher) and not any(s.value.endswith("row by row") for s in teacher.subheader)

    teacher.button(key=f"class_story_open_{second.id}").click().run()
    assert not teacher.exception, teacher.exception
    # The stored 28x28 image, read again by the shipped LSTM: the reading the gallery shows.
    image = torch.from_numpy(np.asarray(Image.open(io.BytesIO(second.image)), np.float32) / 255)
    reading = read_digit(digit_models()["LSTM"].checkpoint.model, image)
    assert str(reading.digit) == second.reading and abs(reading.confidence - second.confidence) < 0.01
    assert gettext("Drawing {number}, row by row").format(number=2) in [s.value for s in teacher.subheader]
    assert "##### " + gettext("After {read} of {rows} rows it would say {digit} ({share})").format(
        read=28, rows=28, digit=reading.digit, share=percent(reading.confidence)) in [m.value for m in teacher.markdown]
    shown_story = stories(teacher)
    assert set(shown_story) == {"class_story_view_chart", "class_story_story_chart", "class_story_hidden_chart"}
    cells = shown_story["class_story_story_chart"]["datasets"]["cells"]
    assert len(cells) == 28 * 10
    after = {(cell["row"], cell["digit"]): cell["p"] for cell in cells}
    assert np.allclose([[after[row, digit] for digit in range(10)] for row in range(1, 29)],
                       reading.row_probabilities, atol=1e-6)
    pixels = shown_story["class_story_view_chart"]["datasets"]["pixels"]
    assert np.allclose([pixel["value"] for pixel in pixels], image.numpy().ravel())

    teacher.slider(key="class_story_rows_read").set_value(5).run()  # replayed row by row on the board
    guess = reading.row_probabilities[4]
    assert "##### " + gettext("After {read} of {rows} rows it would say {digit} ({share})").format(
        read=5, rows=28, digit=int(guess.argmax()), share=percent(guess.max())) in [m.value for m in teacher.markdown]
    teacher.button(key=f"class_story_open_{first.id}").click().run()  # another drawing: read to its last row
    assert gettext("Drawing {number}, row by row").format(number=1) in [s.value for s in teacher.subheader]
    assert teacher.slider(key="class_story_rows_read").value == 28

    teacher.button(key="class_story_close").click().run()
    assert not stories(teacher) and not teacher.exception
    assert gallery(teacher)[0] == 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_drawing_removed_while_its_story_is_open_says_so(lang, moves):
    gettext = GETTEXT[lang]
    teacher, code, key = start_class(lang)
    click(teacher, gettext("Start: every student draws"))
    line = canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH)
    draw(join(lang, code), line)
    draw(join(lang, code), line)
    first, second = class_session.class_store().drawings(code, key)
    teacher.run()
    teacher.button(key=f"class_story_open_{first.id}").click().run()
    assert stories(teacher)
    class_session.class_store().remove_entry(code, key, first.id)  # from another tab, say
    teacher.run()
    assert not teacher.exception, teacher.exception
    assert [i.value for i in teacher.info] == [gettext("This drawing was removed from the gallery. Open another one.")]
    assert not stories(teacher) and gallery(teacher)[0] == 1
    teacher.button(key="class_story_close").click().run()
    assert not teacher.info and not teacher.exception
    teacher.button(key=f"class_story_open_{second.id}").click().run()
    assert gettext("Drawing {number}, row by row").format(number=1) in [s.value for s in teacher.subheader]
    click(teacher, gettext("Clear the drawings"))  # nothing left: the story goes with the gallery
    assert not stories(teacher) and gallery(teacher) == (0, {}) and not teacher.exception


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("state, message", [
    (canvas_state(canvas_from_strokes([], STROKE_WIDTH)), "Draw a digit on the black square with your mouse or "
                                                          "finger. The answer appears as soon as you lift the pen."),
    (canvas_state(np.zeros((4, 4, 4), dtype=np.uint8)), "This drawing cannot be read: {reason}"),
    ({"drawing": {"raw": {"objects": []}, "data": "data:image/png;base64,bm90IGEgcG5n"}},
     "This drawing cannot be read: {reason}"),
    ({"drawing": {"raw": {"objects": []}, "data": "data:image/png;base64,not base64!"}},
     "This drawing cannot be read: {reason}")])
def test_a_blank_or_unreadable_drawing_gets_the_digit_page_message_and_is_not_sent(lang, state, message, moves):
    gettext = GETTEXT[lang]
    teacher, code, _key = start_class(lang)
    click(teacher, gettext("Start: every student draws"))
    student = join(lang, code)
    student.session_state["class_canvas_0"] = state
    click(student, gettext("Send the drawing"))
    assert any(info.value.startswith(gettext(message).split("{")[0]) for info in student.info), \
        [info.value for info in student.info]
    assert not any(s.icon == ":material/send:" for s in student.success)
    assert gallery(teacher) == (0, {})
