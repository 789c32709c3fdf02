"""The wave page in a real browser: play trains live (step counter and loss chart move), pause stops it."""
from __future__ import annotations

import re

import pytest

from harness.server import wait_for_app

pytestmark = pytest.mark.browser

STATUS = ".st-key-waves_status"
LOSS_POINTS_JS = """() => {
  // The points of the training-loss line (drawn in orange) of the loss chart: one path command each.
  const paths = [...document.querySelectorAll('.st-key-waves_loss_chart .mark-line path')]
    .filter(p => (p.getAttribute('stroke') || '').toLowerCase() === '#f97316');
  return paths.length ? (paths[0].getAttribute('d').match(/[ML]/g) || []).length : 0;
}"""


def shown_step(page) -> int:
    text = page.locator(STATUS).first.inner_text()
    return int(re.search(r"Step ([\d,]+)", text).group(1).replace(",", ""))


def test_play_trains_live_and_pause_stops(page, app_url):
    page.goto(app_url)  # app.py first: it sets up the navigation a deep link relies on
    wait_for_app(page)
    page.goto(f"{app_url}/waves?speed=5")
    wait_for_app(page)
    play = page.locator(".st-key-waves_play button")
    play.wait_for()
    assert shown_step(page) == 0
    assert "speed=5" in page.url and "hidden=32" in page.url  # the address holds the whole setup

    play.click()
    page.wait_for_function(f"() => /Step [1-9]/.test(document.querySelector('{STATUS}').innerText)",
                           timeout=15_000)
    first_step = shown_step(page)
    page.wait_for_function(f"() => ({LOSS_POINTS_JS})() > 0", timeout=15_000)
    first_points = page.evaluate(LOSS_POINTS_JS)
    # Both move on by themselves, a few ticks later.
    page.wait_for_function(
        f"() => Number(/Step ([\\d,]+)/.exec(document.querySelector('{STATUS}').innerText)[1]"
        f".replace(/,/g, '')) >= {first_step + 10}", timeout=20_000)
    page.wait_for_function(f"() => ({LOSS_POINTS_JS})() > {first_points}", timeout=20_000)

    page.locator(".st-key-waves_pause button").click()
    play_again = page.locator(".st-key-waves_play button")
    play_again.wait_for()
    wait_for_app(page)
    page.wait_for_timeout(1000)  # a tick already on its way may still land
    paused_step = shown_step(page)
    page.wait_for_timeout(2500)
    assert shown_step(page) == paused_step
