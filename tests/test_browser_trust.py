"""What a teacher and a student see: the test digit in the square, honest labels, plain words, hints, and
every page's main control and chart on a 1024x768 laptop screen without scrolling or cut-off labels."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from harness.browser_digits import ANSWER, PROMPT, WAIT_MS, canvas_box, clear, line, open_digits_page
from harness.server import wait_for_app

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1024, "height": 768}
# Cut off: a leaf wider than its box, or a box that ends its text in an ellipsis (Streamlit's widget labels
# do, on a markdown container around the text).
CUT_OFF_JS = """(el) => [...el.querySelectorAll('p, span, div')].some(e => e.scrollWidth > e.clientWidth + 1 &&
                           (e.children.length === 0 || getComputedStyle(e).textOverflow === 'ellipsis'))"""


def open_page(page, app_url: str, path: str) -> None:
    page.goto(app_url)  # app.py first: it sets up the navigation a deep link relies on
    wait_for_app(page)
    page.goto(f"{app_url}/{path}")
    wait_for_app(page)


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


@pytest.mark.integration
def test_a_real_mnist_digit_shows_in_the_square(page, app_url, data_dir):
    page.set_viewport_size(LAPTOP)
    open_digits_page(page, app_url)
    page.get_by_role("button", name="Try a real MNIST digit").click()
    shown = page.locator("[data-testid='stImage'] img").first
    shown.wait_for()
    assert in_view(page, shown)  # where the student is looking, not below the fold
    assert shown.bounding_box()["width"] == pytest.approx(280, abs=2)
    expect(page.locator(ANSWER)).to_have_count(1, timeout=WAIT_MS)
    page.get_by_role("button", name="Draw your own").click()
    page.get_by_text(PROMPT).wait_for()


@pytest.mark.integration
def test_a_fine_tuned_copy_is_labelled_with_its_own_measured_accuracy(page, app_url, data_dir):
    open_digits_page(page, app_url)
    line(page, canvas_box(page), (0.55, 0.12), (0.45, 0.88))
    expect(page.locator(ANSWER)).to_have_count(1, timeout=WAIT_MS)
    page.get_by_text("Teach it your handwriting").click()
    page.get_by_text("0 drawings so far.").wait_for()
    page.get_by_role("button", name="Add this drawing").click()
    page.get_by_text("1 drawing so far.").wait_for()  # and the box stays open
    page.locator("button", has_text="Fine-tune a copy of LSTM on your 1 drawing").click()
    label = page.get_by_text(re.compile(r"LSTM \+ your 1 drawing · \d+\.\d\d% on 1,000 test digits"))
    label.first.wait_for(timeout=60_000)
    page.get_by_text("1,000 MNIST test digits it has never seen").wait_for()
    page.get_by_text("It has seen these, so this says little").wait_for()


def test_the_upload_box_and_a_broken_file_speak_plainly(page, app_url, tmp_path):
    open_page(page, app_url, "train")
    dropzone = page.locator("[data-testid='stFileUploaderDropzone']")
    expect(dropzone).to_contain_text("20MB")  # the server's real limit, not Streamlit's 200MB default
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"PK\x03\x04 not really a checkpoint")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(junk))
    message = page.locator("[data-testid='stAlertContentError']").filter(has_text="is not a readable checkpoint")
    message.wait_for()
    assert not re.search(r"\b\w*(Error|Exception)\b", message.inner_text())


def test_a_small_digit_in_a_corner_gets_a_hint(page, app_url):
    open_digits_page(page, app_url)
    line(page, canvas_box(page), (0.85, 0.05), (0.85, 0.25))  # a small "1" in the top-right corner
    expect(page.locator(ANSWER)).to_have_count(1, timeout=WAIT_MS)
    page.get_by_text("Your digit is small").wait_for()
    clear(page)  # a stroke drawn before the square is fresh lands on the canvas being replaced
    line(page, canvas_box(page), (0.55, 0.12), (0.45, 0.88))  # a big "1" in the middle: no hint
    expect(page.locator(ANSWER)).to_have_text("1", timeout=WAIT_MS)
    expect(page.get_by_text("Your digit is small")).to_have_count(0)


@pytest.mark.parametrize("path, control, chart", [
    ("digits", "[class*='st-key-digits_canvas_'] canvas.upper-canvas", "text=The answer"),
    ("waves?speed=5", ".st-key-waves_play button", ".st-key-waves_window_chart"),
    ("names", "[data-testid='stTextInput'] input", ".st-key-names_heatmap"),
    ("train", "button:has-text('Train')", "[data-testid='stSlider']"),
    ("inside", "[data-testid='stRadio']", "[data-testid='stCode']"),
])
def test_each_page_shows_its_main_control_and_chart_on_a_laptop(page, app_url, path, control, chart):
    page.set_viewport_size(LAPTOP)
    open_page(page, app_url, path)
    if path.startswith("waves"):
        page.locator(control).click()  # the chart appears once training starts
        control = ".st-key-waves_pause button"
    for selector in (control, chart):
        target = page.locator(selector).first
        target.wait_for()
        assert in_view(page, target), f"{path}: {selector} is below the fold at 1024x768"
    labels = "[data-testid='stMain'] button:visible, [data-testid='stMain'] [data-testid='stWidgetLabel']:visible"
    for label in page.locator(labels).all():
        assert not label.evaluate(CUT_OFF_JS), f"{path}: {label.inner_text()!r} is cut off"
