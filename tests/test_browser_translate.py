"""Translate a number in a real browser: a typed number written out with its attention map, which grows a
row per character and whose drawn cells a reader sees; and the home page's fifth shape leading here."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.browser_charts import wait_for_axis_labels, wait_for_chart
from harness.server import wait_for_app

pytestmark = pytest.mark.browser

NUMERAL = ".st-key-tr_numeral h2"
ATTENTION = ".st-key-tr_attention"
WAIT_MS = 30_000

# The heatmap's drawn cells in the live copy of the chart: a chart that failed to draw has none.
DRAWN_CELLS_JS = """() => [...document.querySelectorAll('.st-key-tr_attention [data-stale="false"]')]
    .reduce((count, chart) => count + chart.querySelectorAll('.mark-rect path').length, 0)"""


def open_translate_page(page, app_url: str) -> None:
    page.goto(f"{app_url}/translate")
    page.get_by_role("heading", name="Translate a number").first.wait_for()
    page.locator(NUMERAL).wait_for()
    wait_for_app(page)


def test_a_typed_number_is_written_out_with_its_attention_map(page, app_url):
    open_translate_page(page, app_url)
    box = page.get_by_role("textbox", name="An English number, in words")
    box.fill("Forty-two thousand, three hundred")
    box.press("Enter")
    expect(page.locator(NUMERAL)).to_have_text("四万二千三百", timeout=WAIT_MS)
    wait_for_axis_labels(page, ATTENTION, ["forty", "two", "thousand", "three", "hundred"])
    wait_for_axis_labels(page, ATTENTION, [*"四万二千三百", "end"], axis="Y")
    assert page.evaluate(DRAWN_CELLS_JS) >= 5 * 7  # every word x every step, drawn
    page.get_by_text("Right: this is how the number is written in Chinese.").wait_for()


def test_the_map_grows_a_row_per_character(page, app_url):
    open_translate_page(page, app_url)
    page.get_by_role("button", name="Again").click()
    expect(page.locator(NUMERAL)).to_have_text("三 …", timeout=WAIT_MS)
    wait_for_axis_labels(page, ATTENTION, ["三"], axis="Y")
    for written in range(2, 5):
        page.get_by_role("button", name="Next character").click()
        expect(page.locator(NUMERAL)).to_have_text("三十万五千零七"[:written] + " …", timeout=WAIT_MS)
        wait_for_axis_labels(page, ATTENTION, list("三十万五千零七"[:written]), axis="Y")
    page.get_by_role("button", name="Play").click()  # the rest, a character per tick
    expect(page.locator(NUMERAL)).to_have_text("三十万五千零七", timeout=WAIT_MS)
    wait_for_axis_labels(page, ATTENTION, [*"三十万五千零七", "end"], axis="Y")
    page.get_by_role("button", name="Again").click()
    expect(page.locator(NUMERAL)).to_have_text("三 …", timeout=WAIT_MS)
    page.get_by_role("button", name="Finish").click()
    expect(page.locator(NUMERAL)).to_have_text("三十万五千零七", timeout=WAIT_MS)
    wait_for_axis_labels(page, ATTENTION, [*"三十万五千零七", "end"], axis="Y")


def test_a_word_it_does_not_read_gets_a_message_and_no_map(page, app_url):
    open_translate_page(page, app_url)
    box = page.get_by_role("textbox", name="An English number, in words")
    box.fill("forty-two bananas")
    box.press("Enter")
    page.get_by_text("The translator reads only number words").wait_for()
    page.get_by_text("Words the translator does not read: bananas").wait_for()
    expect(page.locator(ATTENTION)).to_have_count(0)
    wait_for_chart(page, ".st-key-tr_lengths")  # the rest of the page still there


def test_home_shows_the_encoder_decoder_shape_leading_here(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_text("Many to many, encoder-decoder", exact=True).wait_for()
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("link", name="Translate a number").first.click()
    page.get_by_role("heading", name="Translate a number").first.wait_for()
    page.locator(NUMERAL).wait_for()
