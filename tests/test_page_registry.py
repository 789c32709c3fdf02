"""The page registry (ui/pages.py) and what it drives, a section each: every page's title and takeaway,
projector mode (ui/projector.py), the home page's lesson plans."""
from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from harness.server import APP_PATH
from ui import projector
from ui.i18n import translations
from ui.pages import DEMOS, HOME, LONG_LESSON, PAGES, SHORT_LESSON

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
    first = next(iter(at.main.children.values()))  # the title, or the row of the title and "Copy link"
    assert "title" in (first.type, next(iter(getattr(first, "children", {}).values()), first).type)
    assert gettext(entry.takeaway) in at.main.markdown[0].value
    if entry is not HOME:
        assert at.title[0].value == gettext(entry.title)


# ----------------------------------------------------------------------------- projector mode


def test_projector_mode_comes_from_the_link_and_stays_in_it_across_pages():
    at = run(projector="1")
    assert at.session_state[projector.STATE_KEY] and at.sidebar.toggle(key=projector.SWITCH_KEY).value
    at.query_params.clear()  # what moving to another page does to the link
    at.switch_page("app_pages/digits.py").run()
    assert not at.exception and at.query_params["projector"] == "1"
    at.sidebar.toggle(key=projector.SWITCH_KEY).set_value(False).run()
    assert not at.session_state[projector.STATE_KEY] and "projector" not in at.query_params
    at.query_params["projector"] = "1"
    at.run()
    assert at.session_state[projector.STATE_KEY]


def test_projector_mode_off_by_default_and_a_wave_link_does_not_call_it_a_setting():
    at = run("app_pages/waves.py", projector="1")
    assert not any("projector" in warning.value for warning in at.warning)
    assert at.query_params["projector"] == "1" and at.query_params["hidden"] == "32"
    plain = run("app_pages/waves.py")
    assert not plain.session_state[projector.STATE_KEY] and "projector" not in plain.query_params


def test_charts_grow_in_projector_mode_and_keep_their_data(monkeypatch):
    spec = {"height": 200, "title": {"text": "t", "fontSize": 13}, "width": "container",
            "datasets": {"lines": [{"x": 1, "size": 3}]},
            "layer": [{"mark": {"type": "point", "size": 30, "strokeWidth": 2}},
                      {"mark": {"type": "text", "fontSize": {"expr": "bandwidth('x') / 3"}}}]}
    figure = go.Figure({"data": [{"type": "scatter", "x": [1, 2], "y": [3, 4], "line": {"width": 2}}],
                        "layout": {"height": 300, "margin": {"l": 10}}})
    assert projector.scaled(spec) is spec and projector.scaled_figure(figure) is figure  # normal mode: as built
    monkeypatch.setattr(projector, "projector_on", lambda: True)
    scale = projector.CHART_SCALE
    grown = projector.scaled(spec)
    assert grown["height"] == 200 * scale and grown["title"]["fontSize"] == 13 * scale
    assert grown["layer"][0]["mark"] == {"type": "point", "size": 30 * scale ** 2, "strokeWidth": 2 * scale}
    assert grown["layer"][1]["mark"]["fontSize"] == {"expr": f"(bandwidth('x') / 3) * {scale}"}
    assert grown["datasets"] == spec["datasets"] and grown["width"] == "container"
    assert projector.scaled({"height": {"step": 30}})["height"] == {"step": 30 * scale}  # a row per label grows
    assert spec["height"] == 200  # the spec it was given is left as it was
    larger = projector.scaled_figure(figure)
    assert larger.layout.height == 300 * scale and larger.layout.font.size == 12 * scale
    assert larger.layout.margin.l == 10 * scale and larger.data[0].line.width == 2 * scale
    assert list(larger.data[0].x) == [1, 2] and figure.layout.height == 300


# ----------------------------------------------------------------------------- the home page's lessons


def test_every_page_but_home_has_a_card_text():
    for entry in PAGES:
        assert (entry is HOME) != bool(entry.summary), entry
        assert entry is HOME or CHINESE.gettext(entry.summary) != entry.summary, entry.summary


def test_the_lessons_take_ten_and_forty_five_minutes_and_the_long_one_has_every_demo_once():
    assert len(SHORT_LESSON) == 3 and sum(minutes for _page, minutes in SHORT_LESSON) == 10
    assert sum(minutes for _page, minutes in LONG_LESSON) == 45
    pages = [entry for entry, _minutes in LONG_LESSON]
    assert sorted(entry.path for entry in pages) == sorted(entry.path for entry in DEMOS)
    assert all(minutes > 0 for _page, minutes in SHORT_LESSON + LONG_LESSON)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_home_page_offers_a_ten_and_a_forty_five_minute_lesson(language):
    at = run(lang=language)
    gettext = (ENGLISH if language == "en" else CHINESE).gettext
    assert [tab.label for tab in at.tabs] == [gettext("{minutes}-minute lesson").format(minutes=minutes)
                                               for minutes in (10, 45)]
    short, long = at.tabs
    assert [link.proto.page for link in short.get("page_link")] == [Path(e.path).stem for e, _m in SHORT_LESSON]
    assert [link.proto.page for link in long.get("page_link")] == [Path(e.path).stem for e, _m in LONG_LESSON]
    cards = " ".join(m.value for m in long.markdown)
    assert "1. " in cards and "7. " in cards and gettext("Why gates remember") in cards
