"""The class page and every page's class banner, in AppTest: a teacher opens a class, students join it by code
or link, answer a question, follow the teacher's pacing and pauses; and what a bad code, nickname or link gets.

Every AppTest of one test shares the process's one class store, as the sessions of one server do; each test
gets its own SQLite file.
"""
from __future__ import annotations

import io
from datetime import timedelta

import numpy as np
import pyarrow as pa
import pytest
import streamlit
import torch
from PIL import Image
from streamlit.testing.v1 import AppTest

import classroom.store
from classroom.errors import StoreUnavailable
from classroom.store import utc_now
from harness.canvas import HORIZONTAL_LINE, STROKE_WIDTH, VERTICAL_LINE, canvas_state
from harness.page_reading import charts
from harness.server import APP_PATH
from rnn_core.digits.inference import read_digit
from rnn_core.digits.preprocess import canvas_from_strokes, preprocess_canvas
from ui import class_session
from ui.class_names import REMOVE_KEY, SURNAME_KEY
from ui.class_questions import BY_ID
from ui.engine_words import ENGINE_WORDS
from ui.i18n import percent
from ui.resources import digit_models
from ui.i18n import translations
from ui.pages import PAGES

CLASS_PAGE = "app_pages/class.py"
GETTEXT = {"en": translations("en").gettext, "zh": translations("zh").gettext}


@pytest.fixture(autouse=True)
def class_db(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_CLASS_DB", f"sqlite:///{tmp_path / 'classes.sqlite3'}")
    class_session.class_store.clear()
    class_session._expiry_clock.clear()
    yield
    class_session.class_store.clear()


@pytest.fixture
def moves(monkeypatch):
    """Where the banner sends a student (AppTest stays on the page it was given)."""
    sent = []
    monkeypatch.setattr(streamlit, "switch_page", lambda page, query_params=None: sent.append((page, query_params)))
    return sent


def app(lang: str = "en", page: str = CLASS_PAGE, **query: str) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.query_params.update({"lang": lang, **query})
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(button for button in at.button if button.label == label).click().run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    """Every text on the page and in the sidebar, and the link."""
    elements = [*at.markdown, *at.text, *at.caption, *at.code, *at.success, *at.info, *at.warning, *at.error,
                *at.title, *at.subheader, *at.metric, *at.toast]
    return "\n".join([str(getattr(e, "value", "")) for e in elements] + [str(dict(at.query_params))]
                     + [button.label for button in at.button])


def start_class(lang: str = "en") -> tuple[AppTest, str, str]:
    teacher = click(app(lang), GETTEXT[lang]("Start a class"))
    return teacher, teacher.query_params["class"], teacher.query_params["teacher"]


def join(lang: str, code: str, nickname: str = "") -> AppTest:
    student = app(lang)
    student.text_input(key=class_session.JOIN_CODE_KEY).input(code)
    student.text_input(key="class_nickname").input(nickname)
    return click(student, GETTEXT[lang]("Join"))


def ask(teacher: AppTest, question: str) -> None:
    gettext = GETTEXT[teacher.query_params["lang"]]
    ready = BY_ID[question]
    page = next(entry.title for entry in PAGES if entry.path == f"app_pages/{ready.page}.py")
    teacher.selectbox(key="class_ready_question").set_value(f"{gettext(page)} · {gettext(ready.question)}")
    click(teacher, gettext("Ask the class"))


def send(teacher: AppTest, page: str) -> None:
    gettext = GETTEXT[teacher.query_params["lang"]]
    title = next(entry.title for entry in PAGES if entry.path == page)
    teacher.selectbox(key="class_send_page").set_value(gettext(title))
    click(teacher, gettext("Send the class here"))


def tally(teacher: AppTest) -> dict[str, int]:
    chart = teacher.get("vega_lite_chart")[0]
    bars = next(data for data in chart.proto.datasets if data.name == "bars")
    return {bar["answer"]: bar["students"] for bar in pa.ipc.open_stream(bars.data.data).read_all().to_pylist()}


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
def test_a_teacher_opens_a_class_with_its_code_large_and_a_qr_code(lang):
    teacher, code, key = start_class(lang)
    gettext = GETTEXT[lang]
    assert len(code) == 6 and len(key) >= 32
    assert any(m.value == f"# {code}" for m in teacher.markdown)  # the class_code container's large heading
    assert teacher.get("image")  # the QR code of the join link
    assert any(m.label == gettext("Students in the class") and m.value == "0" for m in teacher.metric)
    assert f"class?class={code}" in " ".join(c.value for c in teacher.code)
    assert key not in " ".join(c.value for c in teacher.code)  # the join link holds no key
    assert gettext("No question yet: ask one, and the class's answers appear here as they come.") in shown(teacher)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_students_join_answer_and_the_teacher_tallies_and_reveals(lang):
    gettext = GETTEXT[lang]
    teacher, code, key = start_class(lang)
    ada = join(lang, code.lower(), "<b>Ada</b>")  # any case; a nickname is plain text
    anonymous = join(lang, code)
    assert [t.value for t in ada.text] == ["<b>Ada</b>"] and "<b>Ada</b>" not in " ".join(m.value for m in ada.markdown)
    assert [t.value for t in anonymous.text] == [gettext("Student {number}").format(number=2)]
    teacher.run()
    assert any(m.value == "2" for m in teacher.metric)

    ask(teacher, "memory_fifty")
    ada.run()
    question = gettext("Which cell still carries the gradient 50 steps back?")
    assert question in shown(ada)
    click(ada, gettext("The plain RNN"))
    assert gettext("Sent: {answer}. You can change it until the answer is shown.").format(
        answer=gettext("The plain RNN")) in shown(ada)
    click(ada, gettext("The LSTM and the GRU"))  # a second answer replaces the first
    anonymous.run()
    click(anonymous, gettext("The LSTM and the GRU"))
    teacher.run()
    assert tally(teacher)[gettext("The LSTM and the GRU")] == 2 and tally(teacher)[gettext("The plain RNN")] == 0
    click(teacher, gettext("Reveal the answer"))
    answer = gettext("The answer: {answer}").format(answer=gettext("The LSTM and the GRU"))
    assert answer in shown(teacher)
    ada.run()
    assert answer in shown(ada) and not any(b.label == gettext("The plain RNN") for b in ada.button)
    assert key not in shown(ada) and key not in shown(anonymous)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pacing_lock_and_pause_reach_the_student(lang, moves, monkeypatch):
    gettext = GETTEXT[lang]
    positions = []
    navigation = streamlit.navigation
    monkeypatch.setattr(streamlit, "navigation", lambda pages, **kw: positions.append(kw.get("position"))
                        or navigation(pages, **kw))
    teacher, code, _key = start_class(lang)
    student = join(lang, code)
    send(teacher, "app_pages/memory.py")
    student.run()
    assert moves[-1] == ("app_pages/memory.py", {})
    student.run()  # the next run on the page it was sent to: the notice
    assert gettext("Your teacher brought the class here.") in [t.value for t in student.toast]
    assert len(moves) == 1  # a sending is followed once; the student may roam

    teacher.toggle(key="class_control_lock").set_value(True).run()
    positions.clear()
    student.run()
    assert positions[0] == "hidden" and len(moves) == 2  # locked: no navigation, and back to the sent page

    teacher.toggle(key="class_control_pause").set_value(True).run()
    student.run()
    assert gettext("Eyes on the teacher") in shown(student)
    assert gettext("Join a class") not in shown(student) and gettext("Leave the class") not in shown(student)
    teacher.toggle(key="class_control_pause").set_value(False).run()
    teacher.toggle(key="class_control_lock").set_value(False).run()
    positions.clear()
    student.run()
    assert gettext("Eyes on the teacher") not in shown(student) and positions[0] == "sidebar"
    assert gettext("Leave the class") in shown(student)


def test_the_teacher_sends_the_setup_in_their_own_session(moves):
    teacher, code, _key = start_class()
    student = join("en", code)
    teacher.switch_page("app_pages/generate.py").run()  # the teacher's own setup of the page
    temperature = teacher.query_params["temperature"]
    assert "teacher" not in teacher.query_params  # the key stays off a page the projector shows
    teacher.switch_page(CLASS_PAGE).run()
    assert teacher.query_params["teacher"]  # and back on the class page, to reopen it
    send(teacher, "app_pages/generate.py")
    student.run()
    page, setup = moves[-1]
    assert page == "app_pages/generate.py" and setup["temperature"] == temperature and "seed" in setup


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_wrong_codes_are_limited_per_session(lang):
    gettext = GETTEXT[lang]
    _teacher, code, _key = start_class(lang)
    student = app(lang)
    not_found = gettext("There is no class with this code: check the code, or ask the teacher for it. A class "
                        "ends after a while, and its code with it.")
    for _try in range(class_session.WRONG_CODE_LIMIT):
        student.text_input(key=class_session.JOIN_CODE_KEY).input("WWWWWW" if _try % 2 else "nope")
        click(student, gettext("Join"))
        assert [e.value for e in student.error] == [not_found]
    student.text_input(key=class_session.JOIN_CODE_KEY).input(code)  # even the right one waits now
    click(student, gettext("Join"))
    assert not student.error and gettext("Too many wrong codes: wait {seconds} seconds, then try again.").split(
        "{")[0] in student.warning[0].value
    assert gettext("Leave the class") not in shown(student)
    assert join(lang, code).session_state[class_session.MEMBERSHIP_KEY]  # another session is not held back


def test_wrong_codes_are_limited_per_address_across_reloads(monkeypatch):
    """A reload is a new session, whose own limit starts afresh; its address's limit, kept in the class store,
    still holds. (AppTest has no address of its own: the page is given one, and the limit made small.)"""
    monkeypatch.setattr(classroom.store, "ADDRESS_WRONG_CODE_LIMIT", 3)
    address = {"now": "203.0.113.7"}
    monkeypatch.setattr(class_session, "client_address", lambda: address["now"])
    _teacher, code, _key = start_class()
    for _reload in range(3):  # each wrong code from a fresh session, as after a reload
        assert join("en", "nope").error
    held_back = join("en", code)  # even the right code waits now
    assert not held_back.error and "Too many wrong codes: wait" in held_back.warning[0].value
    assert "Leave the class" not in shown(held_back)
    address["now"] = "198.51.100.23"  # another address is not held back
    assert join("en", code).session_state[class_session.MEMBERSHIP_KEY]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("nickname, code", [("Ada\u202eevil", "class.nickname_invisible"),
                                            ("Ada\nLovelace", "class.nickname_invisible")])
def test_a_bad_nickname_gets_a_message(lang, nickname, code):
    from ui.class_words import CLASS_WORDS
    _teacher, class_code, _key = start_class(lang)
    student = join(lang, class_code, nickname)
    expected = GETTEXT[lang](CLASS_WORDS[code]).format(limit=24, count=len(nickname))
    assert [e.value for e in student.error] == [expected]
    assert GETTEXT[lang]("Leave the class") not in shown(student)


def test_a_long_nickname_is_cut_by_the_box_and_refused_by_the_store():
    from ui.class_words import CLASS_WORDS
    _teacher, code, _key = start_class()
    assert app().text_input(key="class_nickname").max_chars == 24  # the box keeps what the store takes
    from classroom.errors import InvalidInput
    with pytest.raises(InvalidInput) as refused:  # a client that sends more anyway
        class_session.class_store().join(code, "x" * 30)
    assert CLASS_WORDS[refused.value.code].format(**refused.value.fields) == \
        "A nickname has at most 24 characters; this one has 30."


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_reload_keeps_the_student_in_and_their_answer(lang):
    gettext = GETTEXT[lang]
    teacher, code, key = start_class(lang)
    student = join(lang, code, "Grace")
    link = dict(student.query_params)
    assert set(link) == {"lang", "class", "student"} and link["class"] == code
    ask(teacher, "inside_weights")
    student.run()
    click(student, gettext("One set, the same at every step"))
    reloaded = app(lang, **{name: link[name] for name in ("class", "student")})
    assert [t.value for t in reloaded.text] == ["Grace"] and gettext("Leave the class") in shown(reloaded)
    assert gettext("Sent: {answer}. You can change it until the answer is shown.").format(
        answer=gettext("One set, the same at every step")) in shown(reloaded)
    on_another_page = app(lang, "app_pages/inside.py", **{name: link[name] for name in ("class", "student")})
    assert on_another_page.query_params["student"] == link["student"]  # kept, and not noted as a setting
    assert not on_another_page.warning and key not in shown(on_another_page)
    again = app(lang, **{"class": code, "teacher": key})  # the teacher's own link reopens the class
    assert any(m.value == f"# {code}" for m in again.markdown)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_pass_or_an_ended_class_in_the_link_gets_a_note(lang):
    gettext = GETTEXT[lang]
    _teacher, code, _key = start_class(lang)
    forged = app(lang, **{"class": code, "student": "not-a-token"})
    assert gettext("This link's pass is not one of this class's: join the class again with its code.") in \
        [i.value for i in forged.info]
    assert "student" not in forged.query_params and gettext("Join a class") in shown(forged)
    not_teacher = app(lang, **{"class": code, "teacher": "guessed"})
    assert gettext("This link does not hold the class's teacher key, so it cannot lead the class.") in \
        [i.value for i in not_teacher.info]
    assert gettext("Start a class") in shown(not_teacher) and "teacher" not in not_teacher.query_params

    store = class_session.class_store()
    ended = store.open_class(now=utc_now() - timedelta(hours=2), lifetime=timedelta(hours=1))
    late = app(lang, **{"class": ended.code, "student": "whatever"})
    assert gettext("This class has ended.") in [i.value for i in late.info]
    typed = join(lang, ended.code)
    assert [e.value for e in typed.error] == [gettext(
        "There is no class with this code: check the code, or ask the teacher for it. A class ends after a "
        "while, and its code with it.")]


def test_a_class_that_ends_while_a_student_is_in_it_says_so():
    teacher, code, _key = start_class()
    student = join("en", code)
    store = class_session.class_store()
    store.expire_classes(now=utc_now() + timedelta(days=1))
    student.run()
    assert "This class has ended." in [i.value for i in student.info]
    assert "student" not in student.query_params and "Join a class" in shown(student)


def test_without_the_store_the_page_says_it_is_reconnecting_and_works(monkeypatch):
    _teacher, code, _key = start_class()
    student = join("en", code)

    def unavailable():
        raise StoreUnavailable()

    monkeypatch.setattr(class_session, "store", unavailable)
    student.run()
    assert "Reconnecting to the class…" in shown(student) and not student.exception
    student.switch_page("app_pages/inside.py").run()
    assert not student.exception and student.title[0].value == "Inside a cell"
    visitor = app()
    click(visitor, "Start a class")
    assert "reconnecting" in visitor.warning[0].value


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
