"""What every page does for a student in a class: follow the teacher, and answer the class's question.

app.py asks class_view() before it builds the navigation (a locked class hides it from students) and draws
class_banner() above the page. The banner's fragment looks at the class once a second: the teacher sending
the class to a page moves the student there with a short notice, a lock or a pause reruns the whole app so
that the navigation or the page itself goes, and the class's newest question is shown with its answers. While
the store cannot be reached, a calm note says so and the page goes on working.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import streamlit as st

from classroom.errors import ClassError, NotMember, StoreUnavailable
from classroom.store import ClassState, Question
from ui.class_questions import BY_ID
from ui.class_session import BAD_PASS, Membership, class_state, choose_class, leave, membership, store, take_note
from ui.class_words import class_words
from ui.i18n import _
from ui.pages import PAGES

POLL_SECONDS = 1.0  # a teacher's move reaches the student within two polls
FOLLOWED_KEY = "class_followed_page"  # the teacher's last sending this student followed
MOVED_KEY = "class_moved"  # the student was just moved: say why on the page they land on
ANSWERS_KEY = "class_answers"  # question -> the option this student sent (None: none yet)
ANSWER_ERROR_KEY = "class_answer_error"
STEMS = {Path(entry.path).stem: entry.path for entry in PAGES}
HOME_STEM = Path(PAGES[0].path).stem


@dataclass(frozen=True)
class ClassView:
    """This run's visitor in their class: the state the page is drawn with (None: not in a class, or the
    store cannot be reached)."""

    member: Membership | None
    state: ClassState | None

    @property
    def student(self) -> bool:
        return self.member is not None and not self.member.teacher

    @property
    def locked(self) -> bool:
        return self.student and self.state is not None and self.state.navigation_locked

    @property
    def paused(self) -> bool:
        return self.student and self.state is not None and self.state.paused


def class_view() -> ClassView:
    """The visitor's class and its state, once per run, before the navigation."""
    member = choose_class()
    state = class_state(member) if member is not None else None
    return ClassView(membership(), state)


def page_stem(url_path: str) -> str:
    """A page's stem from its address: the home page's is empty."""
    return url_path or HOME_STEM


def page_target(stem: str, setup: dict[str, str]) -> str:
    """What the store keeps as the page a class is sent to: the page's stem and its setup, as a link's."""
    return f"{stem}?{urlencode(setup)}" if setup else stem


def read_target(target: str) -> tuple[str, dict[str, str]] | None:
    """The page script and setup of a sending; None for a page this app does not have."""
    stem, _sep, query = target.partition("?")
    if stem not in STEMS:
        return None
    return STEMS[stem], dict(parse_qsl(query))


def _follow_teacher(state: ClassState, here: str) -> None:
    """Moves the student where the teacher sent the class: once per sending, and back while it is locked."""
    if not state.page:
        return
    target = read_target(state.page)
    if target is None:
        return
    fresh = state.page != st.session_state.get(FOLLOWED_KEY)
    if fresh or (state.navigation_locked and Path(target[0]).stem != here):
        st.session_state[FOLLOWED_KEY] = state.page
        st.session_state[MOVED_KEY] = True
        st.switch_page(target[0], query_params=target[1])


def _send_answer(member: Membership, question: int, option: str) -> None:
    """The button's callback: the answer is committed before "Sent" shows."""
    try:
        store().answer(member.code, member.secret, question, option)
    except ClassError as error:
        st.session_state[ANSWER_ERROR_KEY] = class_words(error)
        return
    st.session_state.setdefault(ANSWERS_KEY, {})[question] = option
    st.session_state.pop(ANSWER_ERROR_KEY, None)


def _question(member: Membership, asked: Question) -> None:
    ready = BY_ID.get(asked.question_id)
    if ready is None:
        return
    answers = st.session_state.setdefault(ANSWERS_KEY, {})
    if asked.id not in answers:  # after a reload: the answer already sent
        answers[asked.id] = store().my_answer(member.code, member.secret, asked.id)
    mine = ready.option(answers[asked.id] or "")
    with st.container(border=True, key="class_question"):
        st.caption(_("Predict, then see"))
        st.subheader(_(ready.question), anchor=False)
        if asked.revealed:
            st.success(_("The answer: {answer}").format(answer=_(ready.option(ready.answer).text)),
                       icon=":material/check_circle:")
            if mine is not None:
                st.caption(_("You said: {answer}").format(answer=_(mine.text)))
            return
        with st.container(horizontal=True, gap="small"):
            for option in ready.options:
                st.button(_(option.text), key=f"class_answer_{asked.id}_{option.id}",
                          type="primary" if option == mine else "secondary",
                          on_click=_send_answer, args=(member, asked.id, option.id))
        if ANSWER_ERROR_KEY in st.session_state:
            st.info(st.session_state[ANSWER_ERROR_KEY])
        elif mine is not None:
            st.success(_("Sent: {answer}. You can change it until the answer is shown.").format(
                answer=_(mine.text)), icon=":material/send:")


def eyes_on_the_teacher() -> None:
    with st.container(border=True, key="class_paused"):
        st.title(":material/visibility: " + _("Eyes on the teacher"), anchor=False)
        st.markdown(_("The teacher has paused the class. The page comes back when the class goes on."))


@st.fragment(run_every=POLL_SECONDS)
def _follow_class(member: Membership, shown: ClassState | None, here: str) -> None:
    state = class_state(member)
    if membership() is None:  # the class ended
        st.rerun(scope="app")
    if state is None:
        st.caption(":material/sync: " + _("Reconnecting to the class…"))
        return
    if shown is None or (state.paused, state.navigation_locked) != (shown.paused, shown.navigation_locked):
        st.rerun(scope="app")  # the navigation or the page itself comes or goes
    _follow_teacher(state, here)
    if state.paused:
        eyes_on_the_teacher()
        return
    try:
        asked = store().asked_questions(member.code)
        if asked:
            _question(member, asked[0])
    except NotMember:
        leave(BAD_PASS)
        st.rerun(scope="app")
    except StoreUnavailable:
        st.caption(":material/sync: " + _("Reconnecting to the class…"))


def class_banner(view: ClassView, url_path: str) -> bool:
    """The class's line above the page; returns whether the page itself runs (not while the class is paused)."""
    note = take_note()
    if note is not None:
        st.info(_(note), icon=":material/info:")
    if not view.student:
        return True
    if st.session_state.pop(MOVED_KEY, False):
        st.toast(_("Your teacher brought the class here."), icon=":material/co_present:")
    _follow_class(view.member, view.state, page_stem(url_path))
    return not view.paused
