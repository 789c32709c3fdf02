"""Every click on the wave page's controls counts, also while the live charts tick."""
from __future__ import annotations

import random
import re

import pytest

from harness.server import wait_for_app

pytestmark = pytest.mark.browser

STATUS = ".st-key-waves_status"
TRIALS = 20
RECENT_SECONDS_MS = 1500  # the page redraws its slower charts once a second


def shown_step(page) -> int:
    text = page.locator(STATUS).first.inner_text()
    return int(re.search(r"Step ([\d,]+)", text).group(1).replace(",", ""))


SHOWN_STEP_JS = (f"Number(/Step ([\\d,]+)/.exec(document.querySelector('{STATUS}').innerText)[1]"
                 ".replace(/,/g, ''))")


def wait_for_steps_beyond(page, step: int) -> None:
    page.wait_for_function(f"() => {SHOWN_STEP_JS} > {step}")


def wait_for_steps_below(page, step: int) -> None:
    page.wait_for_function(f"() => {SHOWN_STEP_JS} < {step}")


def open_waves(page, app_url, query: str) -> None:
    page.goto(app_url)  # app.py first: it sets up the navigation a deep link relies on
    wait_for_app(page)
    page.goto(f"{app_url}/waves?{query}")
    wait_for_app(page)


def test_every_play_and_pause_click_counts(page, app_url):
    open_waves(page, app_url, "speed=5")
    rng = random.Random(0)
    for trial in range(TRIALS):
        before = shown_step(page)
        page.get_by_role("button", name="Play").click()
        wait_for_steps_beyond(page, before)  # Play started the steps
        page.wait_for_timeout(rng.uniform(300, 2500))  # pause at any moment of the ticks
        page.get_by_role("button", name="Pause").click()
        page.wait_for_timeout(1000)  # a tick already on its way may still land
        paused = shown_step(page)
        page.wait_for_timeout(700)
        assert shown_step(page) == paused, f"click {trial + 1} of {TRIALS} on Pause did not stop the steps"
        page.get_by_role("button", name="Play").wait_for()


def test_every_step_and_reset_click_counts(page, app_url):
    open_waves(page, app_url, "speed=5")
    for clicks in range(1, TRIALS + 1):
        page.get_by_role("button", name="One step").click()
        # Each click's full rerun takes its time (0.3 s to over 1 s on a busy 2-core machine): wait for the
        # step it makes, not for a deadline. A lost click never shows its step.
        wait_for_steps_beyond(page, clicks - 1)
        assert shown_step(page) == clicks, f"click {clicks} of {TRIALS} on One step made more than one step"
    page.wait_for_timeout(500)
    assert shown_step(page) == TRIALS  # one step per click, never two
    for trial in range(TRIALS // 4):
        page.get_by_role("button", name="Play").click()
        wait_for_steps_beyond(page, 100)  # well into training
        before_reset = shown_step(page)
        page.get_by_role("button", name="Reset", exact=True).click()
        wait_for_steps_below(page, before_reset)  # while playing the count only falls when Reset counted
        page.get_by_role("button", name="Pause").click()
        page.get_by_role("button", name="Play").wait_for()


# Every chart of each view, and what drawn means: a line or heatmap mark with a drawn path, or, where the
# chart is drawn on a canvas (big heatmaps are), coloured pixels.
VIEWS = {"speed=5": ["window", "loss", "gradient", "stream", "hidden"],
         "task=next_step&speed=5": ["window", "loss", "gradient", "stream", "hidden", "generation"],
         "speed=5&compare=1": ["window", "loss", "gradient", "stream", "hidden", "comparison"]}
BLANK_CHARTS_JS = """(names) => names.filter(name => {
  const host = document.querySelector('.st-key-waves_' + name + '_chart');
  if (!host) return true;
  const canvas = host.querySelector('canvas');
  if (canvas && canvas.width > 0) {
    const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < d.length; i += 16) if (d[i + 3] > 0 && Math.abs(d[i] - d[i + 2]) > 40) return false;
    return true;
  }
  return ![...host.querySelectorAll('.mark-line path, .mark-rect path')]
    .some(p => (p.getAttribute('d') || '').length > 5);
})"""
SAMPLES = 300


@pytest.mark.parametrize("query", list(VIEWS))
def test_the_charts_never_blink_empty_while_playing(page, app_url, query):
    open_waves(page, app_url, query)
    page.get_by_role("button", name="Play").click()
    wait_for_steps_beyond(page, 20)
    page.wait_for_timeout(RECENT_SECONDS_MS)  # the slower charts have drawn once
    blank = []
    for sample in range(SAMPLES):
        blank += page.evaluate(BLANK_CHARTS_JS, VIEWS[query])
        page.wait_for_timeout(50)
    steps = shown_step(page)
    page.get_by_role("button", name="Pause").click()
    assert steps > 100  # it was training all along
    assert blank == [], f"{len(blank)} blank charts in {SAMPLES} samples: {sorted(set(blank))}"
