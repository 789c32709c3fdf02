"""Chinese text has no spaces between its characters: sentences put together on a page are joined without
one. And the file uploaders, whose own words Streamlit draws in English, get a note in Chinese."""
from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from harness.page_reading import rendered_markup
from harness.server import APP_PATH
from ui import i18n

CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"  # Chinese characters and full-width punctuation
SPACED = re.compile(rf"{CJK} +{CJK}")


def open_page(page: str, language: str) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.query_params["lang"] = language
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> list[str]:
    """The page's rendered words, emphasis markers left out (they are not drawn)."""
    return [text.replace("*", "") for text in [*rendered_markup(at), *(t.value for t in at.text)]]


def test_sentences_are_joined_with_a_space_in_english_and_none_in_chinese(monkeypatch):
    monkeypatch.setattr(i18n, "current_language", lambda: "en")
    assert i18n.join_sentences(["One.", "Two."]) == "One. Two."
    monkeypatch.setattr(i18n, "current_language", lambda: "zh")
    assert i18n.join_sentences(["一。", "二。"]) == "一。二。"


def test_the_names_page_in_chinese_has_no_space_between_chinese_characters():
    at = open_page("app_pages/names.py", "zh")
    spaced = [match.group() for text in shown(at) for match in SPACED.finditer(text)]
    assert not spaced, spaced
    summary = next(text for text in shown(at) if text.startswith("简而言之"))
    assert "。它最擅长" in summary  # the model card's two sentences, joined


@pytest.mark.parametrize("page, limit", [("app_pages/names.py", 5), ("app_pages/train.py", 20)])
def test_each_uploader_is_explained_in_chinese_with_its_limit(page, limit):
    note = next(c.value for c in open_page(page, "zh").caption if "Upload" in c.value)
    assert "Streamlit" in note and f"{limit} MB" in note and "拖" in note
    assert not any("speaks English" in c.value for c in open_page(page, "en").caption)  # the box says it itself
