"""The app's languages: one place to look a message up, and the visitor's choice of language.

Messages are written in English in the code, wrapped in `_()` (or `ngettext()` where a count decides the
form, `N_()` where a string is defined before anyone asks for it and translated where it is shown). The
translations live in gettext catalogs, locales/<locale>/LC_MESSAGES/messages.po, compiled in memory the
first time a language is asked for, so no compiled file is kept in the repository. See the README's
"Languages" section for the extract / update commands.

Streamlit serves every visitor from threads of one process, so the language is never process-wide
(no gettext.install): each call reads the visitor's own choice from st.session_state, set at the start of
every run by `choose_language()`. Placeholders are `str.format` fields: `_("{count} names").format(...)`.
"""
from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Iterable
from pathlib import Path

import streamlit as st
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
QUERY_PARAM = "lang"  # ?lang=zh: a shared link opens in the class's language
STATE_KEY = "ui_language"
DEFAULT = "en"
# URL code -> (name shown in the switch, catalog locale). English is the source language: no catalog.
LANGUAGES = {"en": ("English", "en"), "zh": ("简体中文", "zh_CN")}
# What goes between two sentences: Chinese full stops and commas carry their own space.
SENTENCE_GAPS = {"en": " ", "zh": ""}


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The language's catalog, compiled from its .po file on first use (English: the messages themselves)."""
    locale = LANGUAGES.get(language, LANGUAGES[DEFAULT])[1]
    po = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT or not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as file:
        catalog = read_po(file, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, so an unchecked translation shows the English
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def current_language() -> str:
    """This visitor's language: what choose_language() stored this run; English outside a Streamlit run."""
    try:
        language = st.session_state.get(STATE_KEY, DEFAULT)
    except Exception:  # no script run (a unit test, a worker thread): the source language
        return DEFAULT
    return language if language in LANGUAGES else DEFAULT


def _(message: str) -> str:
    """The message in the visitor's language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of the message that goes with `count`, in the visitor's language."""
    return translations(current_language()).ngettext(singular, plural, count)


def join_sentences(parts: Iterable[str]) -> str:
    """Translated sentences (or clauses) as one text, with the visitor's language's gap between them."""
    return SENTENCE_GAPS[current_language()].join(parts)


def bound_gettext():
    """_() bound to this run's language, for a widget's format_func: Streamlit may call that again outside
    the run (AppTest does, to read a widget's value), where the visitor's language cannot be looked up."""
    return translations(current_language()).gettext


def N_(message: str) -> str:
    """Marks a message for the catalog without translating it now; pass it through _() where it is shown."""
    return message


def babel_locale() -> Locale:
    return Locale.parse(LANGUAGES[current_language()][1])


def number(value: float, digits: int = 0) -> str:
    """A number with the locale's separators: number(1234.5, 1) -> '1,234.5'."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=babel_locale())


def percent(value: float, digits: int = 0) -> str:
    """A share as a percentage for the locale: percent(0.9731, 1) -> '97.3%'. NaN gives '–'."""
    if value != value:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value, format=pattern, locale=babel_locale())


def uploader_note(limit_mb: int) -> None:
    """A caption for the file uploader below it: Streamlit draws the box's own words ("Drag and drop file
    here", "Upload", "per file") in English whatever the page's language, and has no setting for them."""
    if current_language() != DEFAULT:
        st.caption(_("The box below is Streamlit's and speaks English: drag a file onto it, or press “Upload” to "
                     "choose one; at most {limit} MB a file.").format(limit=limit_mb))


def _browser_language() -> str:
    try:
        locale = (st.context.locale or "").lower()
    except Exception:
        locale = ""
    return "zh" if locale.startswith("zh") else DEFAULT


def choose_language() -> str:
    """Decides this run's language and keeps it in the URL. Call first thing in every run (app.py does).

    A valid ?lang= wins (a shared link, or the sidebar switch, which writes it); else the visitor's earlier
    choice this session (moving to another page drops the query parameters); else the browser's language.
    """
    asked = st.query_params.get(QUERY_PARAM)
    if asked in LANGUAGES:
        language = asked
    elif st.session_state.get(STATE_KEY) in LANGUAGES:
        language = st.session_state[STATE_KEY]
    else:
        language = _browser_language()
    st.session_state[STATE_KEY] = language
    if asked != language and (asked is not None or language != _browser_language()):
        st.query_params[QUERY_PARAM] = language  # keep a chosen language in the address bar
    return language


def _switched() -> None:
    choice = st.session_state.get("ui_language_switch")
    if choice in LANGUAGES:
        st.session_state[STATE_KEY] = choice
        st.query_params[QUERY_PARAM] = choice


def language_switch() -> None:
    """The sidebar's English / 简体中文 switch. Everything else the visitor has (drawings, models, training)
    lives in st.session_state under its own keys, so it survives the switch."""
    st.session_state["ui_language_switch"] = current_language()
    st.segmented_control("Language · 语言", options=list(LANGUAGES), format_func=lambda code: LANGUAGES[code][0],
                         key="ui_language_switch", on_change=_switched, selection_mode="single",
                         label_visibility="collapsed")
