"""The page registry (ui/pages.py) and what it drives: every page's title and takeaway."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from harness.server import APP_PATH
from ui.i18n import translations
from ui.pages import HOME, PAGES

ENGLISH, CHINESE = translations("en"), translations("zh")


def run(page: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.query_params.update(query)
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


# ----------------------------------------------------------------------------- takeaways


def test_every_page_has_a_one_sentence_takeaway_in_both_languages():
    for entry in PAGES:
        assert entry.takeaway.endswith(".") and ". " not in entry.takeaway, entry
        assert CHINESE.gettext(entry.takeaway) != entry.takeaway, entry.takeaway


@pytest.mark.parametrize("entry", PAGES, ids=[Path(entry.path).stem for entry in PAGES])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_page_shows_its_takeaway_right_under_its_title(entry, language):
    at = run(None if entry is HOME else entry.path, lang=language)
    gettext = (ENGLISH if language == "en" else CHINESE).gettext
    assert next(iter(at.main.children.values())).type == "title"
    assert gettext(entry.takeaway) in at.main.markdown[0].value
    if entry is not HOME:
        assert at.title[0].value == gettext(entry.title)
