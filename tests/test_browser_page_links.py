"""A page's setup in its link, in a browser: a link opens the same view, and "Copy link" copies the address
with its setup, through the clipboard API or, where a page served over plain http has none, without it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.server import WAIT_MS, wait_for_app

pytestmark = pytest.mark.browser

SETUP = "cell=gru&hidden=16&layers=2&step=3&seed=7"
COPY = ".st-key-page_link_copy a >> nth=0"  # Streamlit keeps a hidden copy of the button, for its tooltip
HIDE_CLIPBOARD_JS = """() => { window.keptClipboard = navigator.clipboard;
                               Object.defineProperty(navigator, 'clipboard', {value: undefined}); }"""


def open_link(context, url: str):
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url.split("/inside")[0])  # app.py first: it sets up the navigation a deep link relies on
    wait_for_app(page)
    page.goto(url)
    wait_for_app(page)
    return page


def shows_the_setup(page) -> None:
    expect(page.get_by_role("radio", name="GRU")).to_be_checked()
    expect(page.get_by_text("Step 3 of 5 · weights and inputs from seed 7")).to_be_visible()
    expect(page.locator("[data-testid='stCode']").first).to_contain_text("hidden_size=16, num_layers=2")


def test_a_link_opens_its_setup_and_copy_link_copies_it(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    try:
        page = open_link(context, f"{app_url}/inside?{SETUP}&lang=en")
        shows_the_setup(page)
        assert all(pair in page.url for pair in SETUP.split("&"))  # and every other setting, at its default
        assert "Some settings in the link" not in page.inner_text("body")

        page.get_by_role("button", name="Next step").click()  # the setup changes: so does the link
        expect(page.get_by_text("Step 4 of 5", exact=False)).to_be_visible()
        page.wait_for_function("() => location.search.includes('step=4')")
        page.locator(COPY).click()
        expect(page.locator(COPY)).to_have_attribute("data-copied", "")  # the tick
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.url and "step=4" in copied and "lang=en" in copied
        assert len(context.pages) == 1  # copied, not opened

        page.evaluate(HIDE_CLIPBOARD_JS)  # as on a classroom's plain-http address
        page.evaluate("window.keptClipboard.writeText('')")
        page.locator(COPY).click()
        assert page.evaluate("window.keptClipboard.readText()") == page.url

        shared = open_link(browser.new_context(), copied.replace("step=4", "step=3"))
        shows_the_setup(shared)
        shared.context.close()
    finally:
        context.close()
