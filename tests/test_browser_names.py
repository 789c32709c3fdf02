"""The name classifier in a real browser: type a name, see a language and the charts update as you type."""
from __future__ import annotations

from pathlib import Path

import pytest

from playwright.sync_api import expect

from rnn_core.checkpoints import load_checkpoint
from harness.browser_charts import axis_labels, wait_for_axis_labels
from harness.server import wait_for_app

pytestmark = pytest.mark.browser

CHECKPOINT = Path(__file__).resolve().parent.parent / "checkpoints" / "names.pt"
LANGUAGES = load_checkpoint(CHECKPOINT).metadata.labels
ANSWER = ".st-key-names_answer"


def open_names_page(page, app_url: str) -> None:
    """Through the sidebar, as a visitor would: the app's own navigation must have run first."""
    page.goto(app_url)
    wait_for_app(page)
    page.locator("[data-testid='stSidebar']").get_by_text("Name classifier").click()
    page.locator(ANSWER).wait_for()
    wait_for_app(page)


def type_into_box(page, text: str) -> None:
    box = page.locator(".st-key-names_text input")
    box.click()
    box.press("Control+a")
    box.press("Backspace")
    box.type(text, delay=40)  # key by key, as a person types; no Enter: the box commits after a pause


def answer_for(page, name: str) -> str:
    """Wait until the answer for `name` is on screen and return the language shown."""
    answer = page.locator(f"{ANSWER}[data-stale='false'], {ANSWER}:not([data-stale])").first
    answer.get_by_text(f"for {name}").wait_for()
    return answer.locator("h3").inner_text().strip()


def test_typing_a_name_shows_a_language_and_the_charts(page, app_url, tmp_path):
    open_names_page(page, app_url)
    type_into_box(page, "Kowalski")
    assert answer_for(page, "Kowalski") in LANGUAGES
    wait_for_axis_labels(page, ".st-key-names_heatmap", list("Kowalski"))  # the letter-by-letter chart
    bars = axis_labels(page, ".st-key-names_top5", axis="Y")
    assert len(bars) == 5 and set(bars) <= set(LANGUAGES)
    page.screenshot(path=str(tmp_path / "names.png"))
    assert (tmp_path / "names.png").stat().st_size > 10_000


def test_typed_markup_is_shown_as_text(page, app_url):
    open_names_page(page, app_url)
    type_into_box(page, "<b>Smith</b>")
    answer_for(page, "<b>Smith</b>")
    assert page.locator(f"{ANSWER} b").count() == 0  # the tag was not turned into bold text
    wait_for_axis_labels(page, ".st-key-names_heatmap", list("<b>Smith</b>"))
    page.locator(".st-key-names_heatmap .mark-rect path").first.hover()  # the first column: after "<"
    tooltip = page.locator("#vg-tooltip-element.visible")
    expect(tooltip).to_contain_text("after “<”")
    assert tooltip.locator("b").count() == 0
