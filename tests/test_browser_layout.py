"""Charts a class can read: on a 1024x768 projector, on a 390-pixel phone and on a 1400-pixel screen, in
English and in Chinese. Each test opens a page at one size and audits its charts (harness/layout_audit.py):
no tick labels on top of each other, no text too small to read from the back of a room, log-scale plots
tall enough to show their decades, no legend cut off, and nothing logged by Vega while a page plays."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect

from harness.browser_digits import ANSWER, WAIT_MS, canvas_box, line
from harness.layout_audit import (console_warnings, cut_labels, overlapping_labels, plot_heights, small_text,
                                  text_lines, tick_labels, wait_for_charts, wait_for_tick_labels)
from harness.server import wait_for_app, window

pytestmark = pytest.mark.browser

PROJECTOR, PHONE, WIDE = (1024, 768), (390, 844), (1400, 900)
SMALLEST_TEXT_PX = 12  # chart text on a 1024x768 projector, read from the back of a classroom
SHORTEST_LOG_PLOT_PX = 150  # a log-scale plot shows several decades, each a label apart
E_NOTATION = re.compile(r"\de[+-]?\d")  # "2e+06", "1e-9": not how a class writes numbers


def go(page: Page, app_url: str, path: str, language: str = "en") -> None:
    """Open `path` (which may carry a query) in `language`, through app.py first: it sets up the navigation
    a deep link relies on."""
    page.goto(f"{app_url}/?lang={language}")
    wait_for_app(page)
    page.goto(f"{app_url}/{path}{'&' if '?' in path else '?'}lang={language}")
    wait_for_app(page)


@contextmanager
def opened(browser, app_url: str, path: str, size: tuple[int, int], language: str = "en") -> Iterator[Page]:
    """A page of the app, in a window of its own."""
    with window(browser, size) as page:
        go(page, app_url, path, language)
        yield page


def play_until(page: Page, page_key: str, step: int) -> None:
    """Press Play, wait until the status line shows `step` or more, then Pause and let the page settle."""
    status = f".st-key-{page_key}_status"
    page.locator(f".st-key-{page_key}_play button").first.click()
    page.wait_for_function(
        """([status, step]) => { const shown = document.querySelector(status);
                                 const match = shown && /(\\d[\\d,]*)/.exec(shown.innerText);
                                 return match && Number(match[1].replace(/,/g, '')) >= step; }""",
        arg=[status, step], timeout=60_000)
    page.locator(f".st-key-{page_key}_pause button").first.click()
    page.locator(f".st-key-{page_key}_play button").first.wait_for()
    wait_for_app(page)


# ----------------------------------------------------------------------------- the digit page

BARS = ".st-key-digits_bars_chart"
DIGITS = [str(digit) for digit in range(10)]


@pytest.mark.parametrize("size", [PROJECTOR, PHONE, WIDE], ids=["1024", "390", "1400"])
def test_every_digit_is_labelled_under_the_answer(browser, app_url, size):
    """A drawn 7 read at 100% must stand over a "7", at every width."""
    with opened(browser, app_url, "digits", size) as page:
        box = canvas_box(page)
        line(page, box, (0.3, 0.2), (0.7, 0.2))  # a 7: the bar, then the stem
        line(page, box, (0.7, 0.2), (0.45, 0.85))
        expect(page.locator(ANSWER)).to_have_text("7", timeout=WAIT_MS)
        wait_for_tick_labels(page, BARS, "X", DIGITS)
        assert overlapping_labels(page, BARS) == []
        assert small_text(page, BARS, SMALLEST_TEXT_PX) == []


# ----------------------------------------------------------------------------- the names page

TOP5, CONFUSION, COUNTS = ".st-key-names_top5", ".st-key-names_confusion", ".st-key-names_counts"


@pytest.mark.parametrize("size, language", [(PROJECTOR, "en"), (PROJECTOR, "zh"), (PHONE, "en"), (PHONE, "zh"),
                                            (WIDE, "en"), (WIDE, "zh")],
                         ids=["1024-en", "1024-zh", "390-en", "390-zh", "1400-en", "1400-zh"])
def test_the_answer_and_the_model_card_are_readable(browser, app_url, size, language):
    """The top five, the confusion matrix and the data counts: labels apart and whole, text large enough."""
    with opened(browser, app_url, "names", size, language) as page:
        for chart in (TOP5, CONFUSION, COUNTS):
            wait_for_charts(page, chart)
            assert overlapping_labels(page, chart) == [], chart
            assert cut_labels(page, chart) == [], chart
            assert small_text(page, chart, SMALLEST_TEXT_PX) == [], chart


# ----------------------------------------------------------------------------- log scales: memory and waves

GROWTH = ".st-key-memory_growth_chart"
LOSS, GRADIENT = ".st-key-waves_loss_chart", ".st-key-waves_gradient_chart"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_exploding_gradient_chart_is_tall_and_its_numbers_readable(browser, app_url, language):
    with opened(browser, app_url, "memory", PROJECTOR, language) as page:
        wait_for_charts(page, GROWTH)
        assert min(plot_heights(page, GROWTH)) >= SHORTEST_LOG_PLOT_PX
        decades = tick_labels(page, GROWTH, "Y")
        assert len(decades) >= 4 and not any(E_NOTATION.search(label) for label in decades), decades
        assert overlapping_labels(page, GROWTH) == []
        assert small_text(page, GROWTH, SMALLEST_TEXT_PX) == []
        explained = page.locator("[data-testid='stMarkdown']").filter(has_text="T = 100").first.inner_text()
        assert not E_NOTATION.search(explained), explained
        assert text_lines(page, ".st-key-memory_scale [data-testid='stWidgetLabel'] p") <= 2.1


def test_the_wave_loss_and_gradient_charts_are_tall_and_readable(browser, app_url):
    with opened(browser, app_url, "waves?speed=5", PROJECTOR) as page:
        play_until(page, "waves", 60)
        for chart in (LOSS, GRADIENT):
            wait_for_charts(page, chart)
            assert min(plot_heights(page, chart)) >= SHORTEST_LOG_PLOT_PX, chart
            decades = tick_labels(page, chart, "Y")
            assert len(decades) >= 2 and not any(E_NOTATION.search(label) for label in decades), decades
            assert overlapping_labels(page, chart) == [], chart
            assert small_text(page, chart, SMALLEST_TEXT_PX) == [], chart


# ----------------------------------------------------------------------------- the console while playing

@pytest.mark.parametrize("path, page_key, charts", [("memory", "memory", ".st-key-memory_reach_gru_chart"),
                                                    ("waves?speed=5", "waves", ".st-key-waves_stream_chart")])
def test_playing_logs_no_chart_warnings(browser, app_url, path, page_key, charts):
    """Vega logs a warning for each chart it cannot scale: on every tick of a playing page, a console full."""
    with window(browser, PROJECTOR) as page:
        logged = console_warnings(page)
        go(page, app_url, path)
        play_until(page, page_key, 150)
        wait_for_charts(page, charts)  # the slower fragment has drawn too
        assert [message for message in logged if "WARN" in message or "vega" in message.lower()] == []
