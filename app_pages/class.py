"""Teach a class: the teacher opens a class and leads it; students join it by its code, its link or its QR code.

The teacher's view: the code, large, and a QR code of the join link; how many have joined; sending the class
to a page with the setup in the teacher's own session, locking the navigation, pausing the class, hiding
nicknames; a ready question the class answers before the demo runs, its answers live as bars until the
teacher reveals the right one; the class's names (ui/class_names.py) and handwriting (ui/class_drawings.py).
The student's view: the join form, then their name in the class and the activity the teacher started here
(what they do in it, on every page, is ui/class_banner.py's). Nicknames are shown only with st.text.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from classroom.errors import ClassError, StoreUnavailable
from classroom.schema import NICKNAME_LIMIT
from ui.class_banner import POLL_SECONDS, page_target, read_target
from ui.class_charts import qr_png, tally_spec
from ui.class_drawings import ACTIVITY as DRAWING, drawing_form, drawings_activity
from ui.class_names import ACTIVITY as NAMES, activity_setup, names_activity, surname_form
from ui.class_questions import BY_ID, QUESTIONS, ClassQuestion
from ui.class_session import (CODE_BOX_LIMIT, JOIN_CODE_KEY, Membership, class_state, join, join_link, membership,
                              open_class, set_membership, store, wait_before_next_code)
from ui.class_words import class_words
from ui.i18n import _, ngettext
from ui.page_header import page_header
from ui.page_links import page_setup
from ui.pages import CLASS, PAGES
from ui.projector import projector_on, scaled

QR_WIDTH, QR_PROJECTOR_WIDTH = 260, 460  # pixels: read by a phone from the middle, or the back, of a room
NICKNAME_KEY = "class_nickname"
SENT_KEY = "class_send_page"
QUESTION_KEY = "class_ready_question"
ERROR_KEY = "class_teacher_error"  # a refusal, shown on the next run above the controls
STEMS = [Path(entry.path).stem for entry in PAGES if entry is not CLASS]
TITLES = {Path(entry.path).stem: entry.title for entry in PAGES}


def reconnecting() -> None:
    st.info(":material/sync: " + _("Reconnecting to the class… The page goes on working meanwhile."))


def teacher_action(action: Callable[..., object], *arguments: object) -> None:
    """A control's callback: the store's refusal, in the teacher's words, above the controls."""
    try:
        action(*arguments)
    except ClassError as error:
        st.session_state[ERROR_KEY] = class_words(error)


def start_class() -> None:
    try:
        open_class()
    except StoreUnavailable:
        st.session_state[ERROR_KEY] = class_words(StoreUnavailable())


def join_form() -> None:
    with st.form("class_join", border=True):
        st.subheader(_("Join a class"), anchor=False)
        code = st.text_input(_("Class code"), key=JOIN_CODE_KEY, max_chars=CODE_BOX_LIMIT,
                             placeholder="ACD4FG")
        nickname = st.text_input(_("Nickname (optional)"), key=NICKNAME_KEY, max_chars=NICKNAME_LIMIT,
                                 help=_("Leave it blank to be “Student” and a number. The class sees it."))
        joined = st.form_submit_button(_("Join"), type="primary", icon=":material/login:")
    if not joined:
        return
    try:
        wait = wait_before_next_code()
        if wait:
            st.warning(_("Too many wrong codes: wait {seconds} seconds, then try again.").format(seconds=wait),
                       icon=":material/timer:")
            return
        join(code, nickname)
    except StoreUnavailable:
        reconnecting()
        return
    except ClassError as error:
        st.error(class_words(error), icon=":material/error:")
        return
    st.rerun()


def visitor_view() -> None:
    take_part, lead = st.columns(2, gap="large")  # joining first: on a phone, most visitors are students
    with take_part:
        join_form()
    with lead:
        with st.container(border=True):
            st.subheader(_("Lead a class"), anchor=False)
            st.markdown(_("Open a class: a code and a QR code for your students, and the controls to lead them."))
            st.button(_("Start a class"), type="primary", icon=":material/co_present:", on_click=start_class)
            if ERROR_KEY in st.session_state:
                st.warning(st.session_state.pop(ERROR_KEY))


def student_view(member: Membership) -> None:
    try:
        me = store().member(member.code, member.secret)
    except StoreUnavailable:
        reconnecting()
        return
    except ClassError as error:
        set_membership(None)
        st.error(class_words(error))
        return
    st.success(_("You are in class {code}. Your teacher leads from here: keep this tab open.").format(
        code=member.code), icon=":material/how_to_reg:")
    st.caption(_("You are shown to the class as"))
    st.text(class_words(me.display_name()))  # a nickname: plain text, never markdown
    state = class_state(member)
    activity = activity_setup(state.page if state is not None else None)
    if activity.get("activity") == NAMES:
        surname_form(member)
    elif activity.get("activity") == DRAWING:
        drawing_form(member, activity)
    st.button(_("Leave the class"), icon=":material/logout:", on_click=set_membership, args=(None,))


@st.fragment(run_every=POLL_SECONDS)
def joined_count(member: Membership) -> None:
    try:
        count = store().member_count(member.code, member.secret)
    except StoreUnavailable:
        reconnecting()
        return
    st.metric(_("Students in the class"), count)


def code_and_qr(member: Membership) -> None:
    link = join_link(member.code)
    code, qr = st.columns([3, 2], vertical_alignment="center")
    with code:
        st.caption(_("Class code"))
        st.container(key="class_code").markdown(f"# {member.code}")  # letters and digits of the store's own alphabet
        st.caption(_("Students open this link, scan the code, or type the code on this page:"))
        st.code(link, language=None)
        joined_count(member)
    with qr:
        st.image(qr_png(link), width=QR_PROJECTOR_WIDTH if projector_on() else QR_WIDTH,
                 caption=_("Scan to join"))


# Options are labels, not ids with a format_func: AppTest formats options outside the run, in English.
def sendable_pages() -> dict[str, str]:
    """Each page the class can be sent to, by its title in the teacher's language."""
    return {_(TITLES[page]): page for page in STEMS}


def ready_questions() -> dict[str, ClassQuestion]:
    """Each ready question, by its page and its words in the teacher's language."""
    return {" · ".join((_(TITLES[question.page]), _(question.question))): question for question in QUESTIONS
            if question.page in TITLES}  # a page this app does not have has no questions to ask


def send(member: Membership) -> None:
    """The button's callback, reading the page chosen now, not when the button was drawn."""
    stem = sendable_pages()[st.session_state[SENT_KEY]]
    teacher_action(store().set_pacing, member.code, member.secret, page_target(stem, page_setup(stem)))


def pacing_controls(member: Membership) -> None:
    state = class_state(member)
    if state is None:
        reconnecting()
        return
    st.subheader(_("Lead the class"), anchor=False)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        st.selectbox(_("Page"), list(sendable_pages()), key=SENT_KEY)
        st.button(_("Send the class here"), icon=":material/send:", on_click=send, args=(member,),
                  help=_("Every student moves to this page, with the setup you gave it in this tab."))
    sent = read_target(state.page) if state.page else None
    if sent is not None:
        st.caption(_("The class was sent to: {page}").format(page=_(TITLES[Path(sent[0]).stem])))
    with st.container(horizontal=True, gap="medium"):
        for label, value, action, key in ((_("Lock navigation"), state.navigation_locked, store().lock, "lock"),
                                          (_("Pause the class"), state.paused, store().pause, "pause"),
                                          (_("Hide nicknames"), state.hide_nicknames, store().hide_nicknames,
                                           "hide")):
            widget = f"class_control_{key}"
            st.toggle(label, value=value, key=widget, on_change=set_control, args=(action, member, widget))


def set_control(action: Callable[[str, str, bool], None], member: Membership, widget: str) -> None:
    teacher_action(action, member.code, member.secret, bool(st.session_state[widget]))


@st.fragment(run_every=POLL_SECONDS)
def live_answers(member: Membership) -> None:
    try:
        asked = store().asked_questions(member.code)
        tally = store().tally(member.code, member.secret, asked[0].id) if asked else None
    except StoreUnavailable:
        reconnecting()
        return
    if tally is None or tally.question.question_id not in BY_ID:
        st.caption(_("No question yet: ask one, and the class's answers appear here as they come."))
        return
    ready = BY_ID[tally.question.question_id]
    st.subheader(_(ready.question), anchor=False)
    st.container(key="class_tally").vega_lite_chart(scaled(tally_spec(ready, tally)), width="stretch")
    st.caption(ngettext("{count} answer", "{count} answers", tally.total).format(count=tally.total))
    if tally.question.revealed:
        st.success(_("The answer: {answer}").format(answer=_(ready.option(ready.answer).text)),
                   icon=":material/check_circle:")
    else:
        st.button(_("Reveal the answer"), type="primary", icon=":material/visibility:", on_click=teacher_action,
                  args=(store().reveal, member.code, member.secret, tally.question.id))


def ask(member: Membership) -> None:
    question = ready_questions()[st.session_state[QUESTION_KEY]]
    teacher_action(store().ask, member.code, member.secret, question.page, question.id,
                   [option.id for option in question.options])


def questions(member: Membership) -> None:
    st.subheader(_("Predict, then reveal"), anchor=False)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        st.selectbox(_("Question"), list(ready_questions()), key=QUESTION_KEY)
        st.button(_("Ask the class"), icon=":material/quiz:", on_click=ask, args=(member,))
    live_answers(member)


def teacher_view(member: Membership) -> None:
    if ERROR_KEY in st.session_state:
        st.warning(st.session_state.pop(ERROR_KEY))
    code_and_qr(member)
    left, right = st.columns(2, gap="large")
    with left:
        pacing_controls(member)
    with right:
        questions(member)
    with st.container(border=True):
        names_activity(member)
    with st.container(border=True):
        drawings_activity(member)
    st.caption(_("This tab's address holds your teacher key: keep it to reopen the class in another tab, and do "
                 "not share it. Students get the join link above."))


page_header(CLASS)
you = membership()
if you is None:
    visitor_view()
elif you.teacher:
    teacher_view(you)
else:
    student_view(you)
