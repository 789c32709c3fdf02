"""The class's names: each student sends a surname, the projector shows the languages the model gives them.

The teacher starts the activity by sending the class to the class page with `activity=names` (the pacing of
ui/class_banner.py brings every student there); a student's surname goes through the names page's own checks
and the shipped model, and is committed to the store before "Sent" shows. The teacher's board polls the store
once a second: a bar chart of the top languages whose spec stays the same while its named dataset changes (so
the browser updates it in place), and a table of the names. Nicknames and surnames reach the screen only in
the table and in plain SVG text, never as markdown.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from classroom.errors import ClassError, StoreUnavailable
from classroom.schema import SURNAME_LIMIT
from classroom.store import NameEntry
from rnn_core.names.inference import NameRow, classify_names
from ui.class_banner import POLL_SECONDS, page_target, read_target
from ui.class_session import CLASS_PAGE, Membership, store
from ui.class_words import class_words
from ui.engine_words import engine_words
from ui.i18n import _, ngettext
from ui.name_charts import ACCENT, language_name
from ui.projector import scaled
from ui.resources import names_model, names_vocab

ACTIVITY = "names"
NAMES_TARGET = page_target(CLASS_PAGE, {"activity": ACTIVITY})  # what the store keeps as the class's page
SURNAME_KEY = "class_surname"
SENT_KEY = "class_surname_sent"  # the surname this student last sent, with the model's top language
REMOVE_KEY = "class_names_remove"
ERROR_KEY = "class_names_error"
BAR_HEIGHT = 40  # pixels per language: its name on one line beside its bar


def activity_setup(page: str | None) -> dict[str, str]:
    """The activity the class was sent to on the class page, as its setup ({} when it was sent elsewhere)."""
    target = read_target(page) if page else None
    return target[1] if target is not None and Path(target[0]).stem == CLASS_PAGE else {}


def classify(surname: str) -> NameRow | None:
    """The shipped model's top languages for one surname, or the names page's reason why not; None when the
    model is not available."""
    loaded = names_model()
    if loaded.checkpoint is None:
        return None
    metadata = loaded.checkpoint.metadata
    return classify_names(loaded.checkpoint.model, names_vocab(metadata.vocab), metadata.labels, [surname])[0]


def send_surname(member: Membership) -> None:
    """The form's callback: the surname is read, then committed to the store, before "Sent" shows."""
    st.session_state.pop(SENT_KEY, None)
    row = classify(st.session_state[SURNAME_KEY])
    if row is None:
        st.session_state[ERROR_KEY] = _("The name model is not available, so the class's names cannot be read "
                                        "just now.")
        return
    if row.error is not None:
        st.session_state[ERROR_KEY] = engine_words(row.error)  # the engine's words: never the student's text
        return
    try:
        store().add_name(member.code, member.secret, row.text, row.top)
    except ClassError as error:  # the database unreachable among them: nothing was sent
        st.session_state[ERROR_KEY] = class_words(error)
        return
    st.session_state.pop(ERROR_KEY, None)
    st.session_state[SENT_KEY] = (row.text, row.top[0])


def surname_form(member: Membership) -> None:
    """The student's side: a surname box, and what came of the last one sent."""
    with st.form("class_names_form", border=True):
        st.subheader(_("The class's names"), anchor=False)
        st.caption(_("Type a surname, yours or any: the class sees which language the network gives it."))
        st.text_input(_("Surname"), key=SURNAME_KEY, max_chars=SURNAME_LIMIT,
                      placeholder=_("Type a surname, e.g. Nakamura"))
        st.form_submit_button(_("Send"), type="primary", icon=":material/send:", on_click=send_surname,
                              args=(member,))
    if ERROR_KEY in st.session_state:
        st.info(st.session_state[ERROR_KEY], icon=":material/edit:")
    elif SENT_KEY in st.session_state:
        surname, (language, confidence) = st.session_state[SENT_KEY]
        st.success(_("Sent. The network reads it as {language} ({percent:.0%} sure).").format(
            language=language_name(language), percent=confidence), icon=":material/send:")
        st.text(surname)  # the surname as read: plain text, never markdown


def languages_spec(entries: list[NameEntry]) -> dict:
    """Horizontal bars: how many of the class's names the network gives each language, the most first."""
    counts = Counter(entry.languages[0][0] for entry in entries)
    bars = [{"language": language_name(language), "names": count} for language, count in counts.most_common()]
    y = {"field": "language", "type": "nominal", "sort": "-x", "title": None,
         "axis": {"labelLimit": 240, "labelFontSize": 14}}
    x = {"field": "names", "type": "quantitative", "title": _("names"), "axis": {"tickMinStep": 1, "format": "d"},
         "scale": {"domain": [0, max(1, *counts.values())]}}  # with no names yet, still an axis to 1
    return {"height": {"step": BAR_HEIGHT}, "datasets": {"languages": bars}, "data": {"name": "languages"},
            "layer": [{"mark": {"type": "bar", "cornerRadiusEnd": 3, "color": ACCENT},
                       "encoding": {"x": x, "y": y}},
                      {"mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 16, "fontWeight": "bold"},
                       "encoding": {"x": x, "y": y, "text": {"field": "names", "type": "quantitative"}}}]}


def names_table(entries: list[NameEntry]) -> pd.DataFrame:
    """One row per name, oldest first: who sent it (unless hidden), the surname, the top language and how sure."""
    return pd.DataFrame({
        _("Student"): [class_words(entry.student) for entry in entries],
        _("Surname"): [entry.surname for entry in entries],
        _("Language"): [language_name(entry.languages[0][0]) for entry in entries],
        _("Sure"): [entry.languages[0][1] * 100 for entry in entries]})


def entry_label(number: int, entry: NameEntry) -> str:
    """An entry as the remove box offers it: its row's number and its surname."""
    return f"{number}. {entry.surname}"


def remove(member: Membership, entries: dict[str, int]) -> None:
    """The button's callback, reading the entry chosen now."""
    chosen = entries.get(st.session_state.get(REMOVE_KEY) or "")
    if chosen is not None:
        teacher_action(store().remove_entry, member.code, member.secret, chosen)


def teacher_action(action: Callable[..., object], *arguments: object) -> None:
    """The store's refusal, in the teacher's words, above the names board on its next poll (within a second)."""
    try:
        action(*arguments)
    except ClassError as error:
        st.session_state[ERROR_KEY] = class_words(error)


@st.fragment(run_every=POLL_SECONDS)
def names_board(member: Membership) -> None:
    """The projector's side: the class's languages as bars, the names as a table, and the teacher's controls."""
    if ERROR_KEY in st.session_state:
        st.warning(st.session_state.pop(ERROR_KEY))
    try:
        entries = store().names(member.code, member.secret)
    except StoreUnavailable:
        st.info(":material/sync: " + _("Reconnecting to the class… The page goes on working meanwhile."))
        return
    if not entries:
        st.caption(_("No names yet: start the activity, and the class's surnames appear here as they come."))
        return
    st.container(key="class_names_chart").vega_lite_chart(scaled(languages_spec(entries)), width="stretch")
    st.caption(ngettext("{count} name", "{count} names", len(entries)).format(count=len(entries)))
    st.dataframe(names_table(entries), hide_index=True, width="stretch",
                 column_config={_("Sure"): st.column_config.NumberColumn(format="%.0f%%")})
    labels = {entry_label(number, entry): entry.id for number, entry in enumerate(entries, start=1)}
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        st.selectbox(_("Name"), list(labels), key=REMOVE_KEY)
        st.button(_("Remove"), icon=":material/delete:", on_click=remove, args=(member, labels))
        st.button(_("Clear the names"), icon=":material/delete_sweep:", on_click=teacher_action,
                  args=(store().clear_activity, member.code, member.secret, "name"))


def names_activity(member: Membership) -> None:
    """The teacher's section: start the activity (the class comes to this page's form), then the board."""
    st.subheader(_("The class's names"), anchor=False)
    st.button(_("Start: every student sends a surname"), icon=":material/badge:", on_click=teacher_action,
              args=(store().set_pacing, member.code, member.secret, NAMES_TARGET),
              help=_("Every student moves to the class page, where they type a surname."))
    names_board(member)
