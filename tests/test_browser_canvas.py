"""The drawing square takes every stroke, wherever it starts, with a mouse or a finger; nothing floats over it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.browser_digits import ANSWER, PROMPT, WAIT_MS, canvas_box, clear, line, open_digits_page
from harness.server import wait_for_app

pytestmark = pytest.mark.browser

# Where strokes start: along the top band of the square, where the canvas's own toolbar used to float
# (invisible until hovered), and a few elsewhere. Fractions of the canvas.
STARTS = [(0.52, 0.02), (0.6, 0.05), (0.7, 0.03), (0.8, 0.08), (0.9, 0.04), (0.97, 0.1), (0.55, 0.1),
          (0.1, 0.02), (0.5, 0.5), (0.95, 0.95)]
INK_JS = """(el) => {  // white pixels on the canvas's drawing layer
  const d = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
  let ink = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 128) ink++; return ink; }"""


def drawing_layer(page):
    # The drawing canvas's own lower layer (the background image canvas has one too).
    return page.locator("[class*='st-key-digits_canvas_'] div:has(> canvas.upper-canvas) > canvas.lower-canvas").first


def test_mouse_strokes_starting_anywhere_ink_with_no_hover_first(page, app_url):
    open_digits_page(page, app_url)
    for fx, fy in STARTS:
        box = canvas_box(page)
        page.mouse.move(box["x"] - 40, box["y"] - 40)  # outside the square: no hover before the stroke
        x, y = box["x"] + fx * box["width"], box["y"] + fy * box["height"]
        page.mouse.move(x, y)
        page.mouse.down()  # at once: within the first 100 ms on the square
        page.mouse.move(x - 0.4 * box["width"] * (fx > 0.5), y + 0.4 * box["height"] * (fy < 0.5), steps=6)
        page.mouse.up()
        expect(page.locator(ANSWER)).to_have_count(1, timeout=WAIT_MS)
        assert drawing_layer(page).evaluate(INK_JS) > 500, f"a stroke from {(fx, fy)} left no ink"
        clear(page)


def test_touch_strokes_starting_anywhere_ink(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(app_url)  # app.py first: it sets up the navigation a deep link relies on
        wait_for_app(page)
        page.goto(f"{app_url}/digits")
        page.get_by_text(PROMPT).wait_for()
        touch = context.new_cdp_session(page)
        for fx, fy in STARTS:
            drawing_layer(page).scroll_into_view_if_needed()
            box = canvas_box(page)
            x, y = box["x"] + fx * box["width"], box["y"] + fy * box["height"]
            dx, dy = -0.4 * box["width"] * (fx > 0.5), 0.4 * box["height"] * (fy < 0.5)
            touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
            for i in range(1, 7):
                touch.send("Input.dispatchTouchEvent",
                           {"type": "touchMove", "touchPoints": [{"x": x + dx * i / 6, "y": y + dy * i / 6}]})
            touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
            expect(page.locator(ANSWER)).to_have_count(1, timeout=WAIT_MS)
            assert drawing_layer(page).evaluate(INK_JS) > 500, f"a touch stroke from {(fx, fy)} left no ink"
            clear(page)
    finally:
        context.close()


def test_no_toolbar_covers_the_square_and_undo_takes_back_one_stroke(page, app_url):
    open_digits_page(page, app_url)
    box = canvas_box(page)
    line(page, box, (0.62, 0.12), (0.45, 0.88))  # a "1"
    expect(page.locator(ANSWER)).to_have_text("1", timeout=WAIT_MS)
    one_stroke = drawing_layer(page).evaluate(INK_JS)
    line(page, box, (0.25, 0.12), (0.62, 0.12))  # its top bar: a "7"
    expect(page.locator(ANSWER)).to_have_text("7", timeout=WAIT_MS)
    # Nothing of the canvas's own (edit mode, upload, reset) can be reached on or around the square.
    assert page.locator("[class*='st-key-digits_canvas_'] .dc-toolbar button:visible").count() == 0
    page.get_by_role("button", name="Undo").click()
    page.wait_for_function(  # the bar is gone and the "1" is left, once the canvas has reloaded
        f"(el) => Math.abs(({INK_JS})(el) - {one_stroke}) < {0.05 * one_stroke}",
        arg=drawing_layer(page).element_handle(), timeout=5000)
    expect(page.locator(ANSWER)).to_have_text("1", timeout=WAIT_MS)  # and the model reads what is left
    page.get_by_role("button", name="Undo").click()
    page.get_by_text(PROMPT).wait_for()
