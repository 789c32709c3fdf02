"""A visitor's place in a class: the process's one class store, who this visitor is in which class (the
teacher, a student, or neither), kept in the session and the link, and the limits on wrong codes: one per
session, kept here, and one per client address, kept in the class store so that it holds across reloads and
replicas (docs/decisions/021-wrong-code-limits.md).

The pass into a class (a student's token, the teacher's key) comes from the link or the session and is
checked against the store before it is used; it is written back into the address bar so that a reload keeps
the visitor in, and never into a shared link (ui/page_links.py).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin

import streamlit as st

from classroom.errors import ClassNotFound, NotMember, StoreUnavailable
from classroom.store import ClassStore, ClassState, Joined
from ui.client_address import client_address
from ui.i18n import N_
from ui.page_links import class_link, keep_class_in_link

MEMBERSHIP_KEY = "class_membership"
NOTE_KEY = "class_note"  # a message for the visitor's next page: a class that ended, a pass not understood
WRONG_CODES_KEY = "class_wrong_codes"
JOIN_CODE_KEY = "class_join_code"  # the code box, filled in by a join link
WRONG_CODE_LIMIT = 10  # wrong codes a session may type in WRONG_CODE_WINDOW seconds: guessing codes is slow
# (an address, which a whole class may share, has a larger limit: classroom.store.ADDRESS_WRONG_CODE_LIMIT)
WRONG_CODE_WINDOW = 60.0
EXPIRY_EVERY = 60.0  # seconds between two sweeps of ended classes by this process
CLASS_PAGE = "class"  # the class page's path in the app's address
CODE_BOX_LIMIT = 12  # a code with spaces typed between its letters
# Notes for a visitor whose class pass the app could not use, marked for the catalog
ENDED = N_("This class has ended.")
NOT_TEACHER = N_("This link does not hold the class's teacher key, so it cannot lead the class.")
BAD_PASS = N_("This link's pass is not one of this class's: join the class again with its code.")


@dataclass(frozen=True)
class Membership:
    code: str
    secret: str = field(repr=False)  # the teacher's key or the student's token: never shown, never logged
    teacher: bool


@st.cache_resource(show_spinner=False)
def class_store() -> ClassStore:
    """The process's one class store (an outage raises StoreUnavailable and is tried again next run)."""
    return ClassStore()


@st.cache_resource
def _expiry_clock() -> dict[str, object]:
    return {"last": -EXPIRY_EVERY, "lock": threading.Lock()}


def store() -> ClassStore:
    """The class store, after deleting ended classes at most once a minute per process."""
    classes = class_store()
    clock = _expiry_clock()
    with clock["lock"]:
        due = time.monotonic() - clock["last"] >= EXPIRY_EVERY
        if due:
            clock["last"] = time.monotonic()
    if due:
        classes.expire_classes()
    return classes


def membership() -> Membership | None:
    return st.session_state.get(MEMBERSHIP_KEY)


def set_membership(member: Membership | None) -> None:
    st.session_state[MEMBERSHIP_KEY] = member
    st.session_state.pop(NOTE_KEY, None)


def leave(note: str | None = None) -> None:
    """Out of the class, with a note for the visitor (the class ended, the pass was not one of the class's)."""
    st.session_state[MEMBERSHIP_KEY] = None
    if note is not None:
        st.session_state[NOTE_KEY] = note


def take_note() -> str | None:
    """The note left for the visitor (English, marked for the catalog), once."""
    return st.session_state.pop(NOTE_KEY, None)


def _from_link(link: dict[str, str]) -> Membership | None:
    """The membership a link's pass gives, checked against the store; None (with a note) when it gives none."""
    code, teacher = link["class"], "teacher" in link
    secret = link.get("teacher") or link.get("student", "")
    classes = store()
    try:
        state = classes.state(code)
        if teacher:
            if not classes.teacher(code, secret):
                leave(NOT_TEACHER)
                return None
        else:
            classes.member(code, secret)
    except ClassNotFound:
        leave(ENDED)
        return None
    except NotMember:
        leave(BAD_PASS)
        return None
    return Membership(code=state.code, secret=secret, teacher=teacher)


def choose_class() -> Membership | None:
    """Who this visitor is in which class: a pass in the link (a shared or reloaded link) wins when the store
    accepts it, else this session's. A join link (?class=CODE alone) fills in the code box. Call once per run,
    before the navigation (a locked class hides it)."""
    link = class_link()
    current = membership()
    if "class" in link and ("student" in link or "teacher" in link):
        secret = link.get("teacher") or link.get("student")
        if current is None or (current.code, current.secret) != (link["class"].upper(), secret):
            try:
                current = _from_link(link)
            except StoreUnavailable:
                return current  # the link is left as it is, and tried again on the next run
            st.session_state[MEMBERSHIP_KEY] = current
    elif "class" in link and current is None:
        st.session_state[JOIN_CODE_KEY] = link["class"][:CODE_BOX_LIMIT]
    return current


def keep_in_link(member: Membership | None, page: str) -> None:
    """The address bar carries the visitor's pass: a student's on every page, the teacher's only on the class
    page (where the teacher reopens it), never on a page the projector shows."""
    if member is None:
        keep_class_in_link({})
    elif member.teacher:
        keep_class_in_link({"class": member.code, "teacher": member.secret} if page == CLASS_PAGE else {})
    else:
        keep_class_in_link({"class": member.code, "student": member.secret})


def class_state(member: Membership) -> ClassState | None:
    """The class's state now; None while the store cannot be reached. A class that has ended takes the visitor
    out of it, with a note."""
    try:
        return store().state(member.code)
    except ClassNotFound:
        leave(ENDED)
        return None
    except StoreUnavailable:
        return None


def _session_wait() -> int:
    """Seconds this session must wait before trying another code (0: it may try now)."""
    now = time.monotonic()
    recent = [moment for moment in st.session_state.get(WRONG_CODES_KEY, []) if now - moment < WRONG_CODE_WINDOW]
    st.session_state[WRONG_CODES_KEY] = recent
    if len(recent) < WRONG_CODE_LIMIT:
        return 0
    return max(1, round(WRONG_CODE_WINDOW - (now - recent[0])))


def wait_before_next_code() -> int:
    """Seconds this visitor must wait before trying another code (0: it may try now): the longer of their
    session's wait and their address's. With no address known, only the session's limit applies. Raises
    StoreUnavailable."""
    address = client_address()
    return max(_session_wait(), store().wrong_code_wait(address) if address else 0)


def join(code: str, nickname: str) -> Joined:
    """Join the class as a student; a wrong code counts against this session's limit and its address's.
    Raises ClassError."""
    try:
        joined = store().join(code, nickname.strip() or None)
    except ClassNotFound:
        st.session_state.setdefault(WRONG_CODES_KEY, []).append(time.monotonic())
        address = client_address()
        if address:
            store().count_wrong_code(address)
        raise
    state = store().state(code)
    set_membership(Membership(code=state.code, secret=joined.token, teacher=False))
    return joined


def open_class() -> Membership:
    """A new class led by this visitor."""
    opened = store().open_class()
    member = Membership(code=opened.code, secret=opened.teacher_key, teacher=True)
    set_membership(member)
    return member


def join_link(code: str) -> str:
    """The link a student opens to join: the class page with the code, on this server."""
    page = urljoin(st.context.url or "", CLASS_PAGE)  # no URL under streamlit.testing: the path alone
    return f"{page}?{urlencode({'class': code})}"
