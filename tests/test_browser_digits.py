"""The "Draw a digit" page in a real browser: mouse strokes on the real canvas, and the digit it shows."""
from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rnn_core.checkpoints import load_checkpoint
from rnn_core.digits.drawn import CANVAS_SIZE, drawn_digit_set, render_drawing
from rnn_core.digits.inference import read_digit
from rnn_core.digits.preprocess import preprocess_strokes
from harness.browser_digits import ANSWER, PROMPT, WAIT_MS, open_digits_page

pytestmark = pytest.mark.browser


def stroke(page, canvas_round: int, points: list[tuple[float, float]]) -> None:
    """One pen stroke through points given as fractions of the canvas (0..1), with real mouse events."""
    canvas = page.locator(f".st-key-digits_canvas_{canvas_round} canvas.upper-canvas")
    canvas.wait_for()
    box = canvas.bounding_box()
    at = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for x, y in at[1:]:
        page.mouse.move(x, y, steps=4)
    page.mouse.up()


def ellipse(cx: float, cy: float, rx: float, ry: float, steps: int = 36) -> list[tuple[float, float]]:
    return [(cx + rx * math.sin(2 * math.pi * i / steps), cy - ry * math.cos(2 * math.pi * i / steps))
            for i in range(steps + 1)]


def test_drawing_a_one_then_a_zero_shows_each_digit(page, app_url, tmp_path):
    open_digits_page(page, app_url)
    expect(page.locator(ANSWER)).to_have_count(0, timeout=WAIT_MS)

    stroke(page, 0, [(0.5, 0.15), (0.5, 0.85)])  # a "1": one vertical stroke
    expect(page.locator(ANSWER)).to_have_text("1", timeout=WAIT_MS)
    expect(page.locator("[data-stale='false'] .digit-confidence")).to_contain_text("% sure", timeout=WAIT_MS)
    page.get_by_text("Hidden state", exact=True).wait_for()
    page.screenshot(path=str(tmp_path / "digits-one.png"), full_page=True)

    page.get_by_role("button", name="Clear").click()
    page.get_by_text(PROMPT).wait_for()
    expect(page.locator(ANSWER)).to_have_count(0, timeout=WAIT_MS)

    stroke(page, 1, ellipse(0.5, 0.5, 0.22, 0.34))  # a "0": one ellipse
    expect(page.locator(ANSWER)).to_have_text("0", timeout=WAIT_MS)
    page.screenshot(path=str(tmp_path / "digits-zero.png"), full_page=True)
    assert (tmp_path / "digits-one.png").stat().st_size > 10_000
    assert (tmp_path / "digits-zero.png").stat().st_size > 10_000


def test_the_canvas_fits_a_narrow_laptop_window(page, app_url, tmp_path):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_digits_page(page, app_url)
    canvas = page.locator(".st-key-digits_canvas_0 canvas.upper-canvas")
    canvas.wait_for()
    column = page.locator("[data-testid='stColumn']").filter(has=canvas).last
    assert column.bounding_box()["width"] >= canvas.bounding_box()["width"]  # not clipped by its column
    stroke(page, 0, [(0.5, 0.15), (0.5, 0.85)])
    expect(page.locator(ANSWER)).to_have_text("1", timeout=WAIT_MS)
    page.screenshot(path=str(tmp_path / "digits-1024.png"), full_page=True)


# Drawings of the drawn-digit benchmark: a small "3" in the top-right corner and a small crossed "7" in the
# bottom-right one, whose loops and bars a wide pen fills once the digit is scaled up, and a large "4".
@pytest.mark.parametrize("index", [9, 142, 43])
def test_a_drawn_digit_reads_the_same_in_the_browser_as_offline(page, app_url, index):
    drawing = drawn_digit_set()[index]
    offline = read_digit(load_checkpoint(Path(__file__).parent.parent / "checkpoints" / "digits-lstm.pt").model,
                         preprocess_strokes(drawing.strokes, render_drawing(drawing)).image)
    assert offline.digit == drawing.label
    open_digits_page(page, app_url)
    for points in drawing.strokes:
        stroke(page, 0, [(x / CANVAS_SIZE, y / CANVAS_SIZE) for x, y in points[::2] + points[-1:]])
    expect(page.locator(ANSWER)).to_have_text(str(drawing.label), timeout=WAIT_MS)
    # The canvas smooths the pen's path a little; the confidence shown stays within 3 points of offline's.
    near = "|".join(str(p) for p in range(round(100 * offline.confidence) - 3, round(100 * offline.confidence) + 4))
    expect(page.locator("[data-stale='false'] .digit-confidence")).to_have_text(re.compile(rf"^({near})% sure$"),
                                                                                timeout=WAIT_MS)
