"""The class page and every page's class banner, in AppTest: a teacher opens a class, students join it by code
or link, answer a question, follow the teacher's pacing and pauses; and what a bad code, nickname or link gets.
The class's names and handwriting: tests/test_page_class_activities.py.

Every AppTest of one test shares the process's one class store, as the sessions of one server do; each test
gets its own SQLite file.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
import streamlit

import classroom.store
from classroom.errors import StoreUnavailable
from classroom.store import utc_now
from harness.class_app import CLASS_PAGE, GETTEXT, app, ask, click, join, send, shown, start_class, tally
from ui import class_session

pytestmark = pytest.mark.usefixtures("class_db")


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
