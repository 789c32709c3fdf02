"""Every page's setup in its link: which settings a link carries, how each is written and read back, and
the round trip through the address bar.

A page describes its link as LinkFields: the parameter's name, the widget's key in st.session_state, the
default, and a kind (a choice, a whole number, a flag, a decimal, a text) that writes the value and reads
it back. Before the widgets are drawn, a link that says something new sets every field; whatever in it is
not understood is left at its default, with a note in the visitor's words, so a link never breaks a page.
Every run then writes the setup in use into the address bar, where "Copy link" (ui/page_style.py's script)
takes it from.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

import streamlit as st

from ui import i18n, projector
from ui.i18n import _

APP_PARAMS = frozenset({i18n.QUERY_PARAM, projector.QUERY_PARAM})  # the app's own: kept, and never a page's setting
# A class's code and the visitor's pass into it (a student's token or the teacher's key): kept in the
# address bar so a reload keeps the visitor in the class, never a page's setting, never in a copied link.
CLASS_PARAMS = ("class", "student", "teacher")
KEPT_PARAMS = APP_PARAMS | frozenset(CLASS_PARAMS)
COPY_KEY = "page_link_copy"  # ui/page_style.py's script and style find the button by it
WHOLE_NUMBER = re.compile(r"-?[0-9]+")  # ASCII digits only: int() would also take "٣", and fail on "²"


def format_value(value: Any) -> str:
    """A value as a link writes it: flags as 1 and 0, decimals without trailing zeros."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return f"{value:g}" if isinstance(value, float) else str(value)


class Kind(Protocol):
    def parse(self, text: str) -> Any: ...  # raises ValueError, in the visitor's words, when not understood

    def format(self, value: Any) -> str: ...  # raises ValueError for a value no link can carry


class Choice:
    """One of fixed options: a mapping from the word in the link to the value, or the values themselves."""

    def __init__(self, options: Mapping[str, Any] | Iterable[Any]):
        self.words = dict(options) if isinstance(options, Mapping) else {format_value(o): o for o in options}

    def parse(self, text: str) -> Any:
        if text in self.words:
            return self.words[text]
        raise ValueError(_("not one of {choices}").format(choices=", ".join(self.words)))

    def format(self, value: Any) -> str:
        for word, option in self.words.items():
            if option == value and isinstance(option, bool) == isinstance(value, bool):  # True is not 1
                return word
        raise ValueError(value)


class WholeNumber:
    """A whole number from low to high, as the page shows it: `shown_from` 1 for a step counted from 0."""

    def __init__(self, low: int, high: int, shown_from: int = 0):
        self.low, self.high, self.shown_from = low, high, shown_from

    def parse(self, text: str) -> int:
        if not WHOLE_NUMBER.fullmatch(text):
            raise ValueError(_("not a whole number"))
        if not self.low <= int(text) <= self.high:
            raise ValueError(_("not between {low} and {high}").format(low=self.low, high=self.high))
        return int(text) - self.shown_from

    def format(self, value: int) -> str:
        return str(value + self.shown_from)


class Flag:
    """On or off: 1 or 0."""

    def parse(self, text: str) -> bool:
        if text not in ("0", "1"):
            raise ValueError(_("not 0 or 1"))
        return text == "1"

    def format(self, value: bool) -> str:
        return format_value(bool(value))


class Decimal:
    """A number from low to high in steps of `step`, as a slider offers it."""

    def __init__(self, low: float, high: float, step: float):
        self.low, self.high, self.step = low, high, step

    def parse(self, text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        steps = value / self.step
        if not (math.isfinite(value) and self.low <= value <= self.high and abs(steps - round(steps)) < 1e-6):
            raise ValueError(_("not a number from {low} to {high} in steps of {step}").format(
                low=format_value(self.low), high=format_value(self.high), step=format_value(self.step)))
        return round(round(steps) * self.step, 10)  # the slider's own value, not 0.35000000000000003

    def format(self, value: float) -> str:
        return format_value(float(value))


class Text:
    """What a visitor could type in the page's box, up to its length: the page's own checks then apply."""

    def __init__(self, max_length: int):
        self.max_length = max_length

    def parse(self, text: str) -> str:
        if len(text) > self.max_length:
            raise ValueError(_("longer than {count} characters").format(count=self.max_length))
        return text

    def format(self, value: str) -> str:
        return str(value)


@dataclass(frozen=True)
class LinkField:
    name: str  # the parameter in the link
    key: str  # the widget's key in st.session_state
    default: Any
    kind: Kind


def read_link(params: Mapping[str, str | list[str]], kinds: Mapping[str, Kind]) -> tuple[dict[str, Any], list[str]]:
    """The values a link's parameters give, by name, and one note per parameter left out (an unknown name
    or a value not understood). The app's own parameters are neither."""
    values: dict[str, Any] = {}
    notes: list[str] = []
    for name, raw in params.items():
        if name in KEPT_PARAMS:
            continue
        text = raw[-1] if isinstance(raw, list) else raw  # a repeated parameter: the last one wins
        if name not in kinds:
            notes.append(f"{name}={text!r}: " + _("unknown setting"))
            continue
        try:
            values[name] = kinds[name].parse(str(text).strip())
        except ValueError as error:
            notes.append(f"{name}={text!r}: {error}")
    return values, notes


def link_params() -> dict[str, str]:
    """The parameters of this run's link that are the page's, not the app's."""
    return {name: value for name, value in st.query_params.to_dict().items() if name not in KEPT_PARAMS}


def write_link(params: Mapping[str, str]) -> str:
    """The address bar gets the page's `params` beside the app's own; returns the whole link, without the
    visitor's class pass: a copied link must not let another in as them."""
    wanted = {name: value for name, value in st.query_params.to_dict().items() if name in KEPT_PARAMS} | dict(params)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    shared = {name: value for name, value in wanted.items() if name not in CLASS_PARAMS}
    return f"{st.context.url or ''}?{urlencode(shared)}"  # no URL under streamlit.testing: the query alone


def class_link() -> dict[str, str]:
    """The class parameters of this run's link (?class=CODE, with ?student=TOKEN or ?teacher=KEY), as text;
    ui/class_session.py checks them against the store."""
    return {name: str(st.query_params.get(name, "")) for name in CLASS_PARAMS if st.query_params.get(name)}


def keep_class_in_link(params: Mapping[str, str]) -> None:
    """The address bar carries exactly these class parameters (moving to another page drops them)."""
    current = st.query_params.to_dict()
    wanted = {name: value for name, value in current.items() if name not in CLASS_PARAMS} | dict(params)
    if current != wanted:
        st.query_params.from_dict(wanted)


def page_setup(page: str) -> dict[str, str]:
    """The setup this visitor's page last wrote into its link (empty if the page has not run or keeps none):
    what a teacher sends the class to."""
    return dict(st.session_state.get(_written_key(page)) or {})


def _written_key(page: str) -> str:
    return f"page_link_{page}_written"


def _notes_key(page: str) -> str:
    return f"page_link_{page}_notes"


def follow_link(page: str, fields: Sequence[LinkField]) -> bool:
    """Before the page's widgets: a link that says something new (a shared link, not the one this page wrote)
    sets every field, to its default where the link says nothing or is not understood. Returns whether it
    did."""
    params = link_params()
    if not params or params == st.session_state.get(_written_key(page)):
        return False
    values, st.session_state[_notes_key(page)] = read_link(params, {field.name: field.kind for field in fields})
    for field in fields:
        st.session_state[field.key] = values.get(field.name, field.default)
    return True


def keep_in_link(page: str, fields: Sequence[LinkField]) -> str:
    """Writes the setup in use into the address bar and returns the link. A value no link can carry (a model
    of this visitor's own) is left out: the link opens the default there."""
    params = {}
    for field in fields:
        try:
            params[field.name] = field.kind.format(st.session_state.get(field.key, field.default))
        except ValueError:
            continue
    st.session_state[_written_key(page)] = params
    return write_link(params)


def link_notes(page: str) -> None:
    """The note on what the link this page followed held that was not understood."""
    show_notes(st.session_state.get(_notes_key(page)) or [])


def show_notes(notes: list[str]) -> None:
    """What a link held that was not understood, each parameter shown literally; nothing when all was."""
    if notes:
        st.warning(_("Some settings in the link were not understood; they were left at their defaults:"),
                   icon=":material/warning:")
        st.code("\n".join(notes), language=None)  # the visitor's text: shown, never rendered


def copy_link(link: str) -> None:
    """The "Copy link" button: a link to this view, which the page's script copies instead of opening."""
    st.link_button(_("Copy link"), link, icon=":material/link:", key=COPY_KEY, on_click="ignore",
                   help=_("Copies the address of this page with its settings: whoever opens it sees the same "
                          "view."))
