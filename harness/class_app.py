"""The class page in AppTest: one visitor's app, a click, what is on screen, and a teacher's and a student's
first steps (open a class, join it, ask, send the class somewhere). The tests of the class page and of its
activities share them (tests/test_page_class*.py); their fixtures are in tests/conftest.py."""
from __future__ import annotations

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from harness.server import APP_PATH
from ui import class_session
from ui.class_questions import BY_ID
from ui.i18n import translations
from ui.pages import PAGES

CLASS_PAGE = "app_pages/class.py"
GETTEXT = {"en": translations("en").gettext, "zh": translations("zh").gettext}


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
