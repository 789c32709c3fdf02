"""The digit page in a real browser: opening it, the drawing square, and mouse strokes on it."""
from __future__ import annotations

from playwright.sync_api import expect

from harness.server import WAIT_MS, wait_for_app

ANSWER = "[data-stale='false'] .digit-answer"  # stale copies linger in the DOM during a fragment rerun
PROMPT = "Draw a digit on the black square"


def open_digits_page(page, app_url: str) -> None:
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("link", name="Draw a digit").first.click()
    page.get_by_text(PROMPT).wait_for()


def canvas_box(page) -> dict:
    canvas = page.locator("[class*='st-key-digits_canvas_'] canvas.upper-canvas").first
    canvas.wait_for()
    return canvas.bounding_box()


def clear(page) -> None:
    page.get_by_role("button", name="Clear").click()
    page.get_by_text(PROMPT).wait_for()
    expect(page.locator(ANSWER)).to_have_count(0, timeout=WAIT_MS)


def line(page, box: dict, start: tuple[float, float], end: tuple[float, float]) -> None:
    """One straight stroke between two points given as fractions of the canvas box."""
    page.mouse.move(box["x"] + start[0] * box["width"], box["y"] + start[1] * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + end[0] * box["width"], box["y"] + end[1] * box["height"], steps=8)
    page.mouse.up()
