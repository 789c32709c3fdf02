"""The "Why gates remember" page in Chromium: playing moves the three curves and the three heatmaps; Pause
stops them."""
from __future__ import annotations

import re

import pytest

from harness.server import wait_for_app

pytestmark = pytest.mark.browser

STATUS = ".st-key-memory_status"
HEATMAPS = ["reach_rnn", "reach_lstm", "reach_gru"]

# What each chart shows right now: the accuracy chart's line paths, and for each heatmap its rectangles'
# colours (SVG) or a sample of its pixels (a big heatmap may be drawn on a canvas).
SNAPSHOT_JS = """(heatmaps) => {
  const host = name => document.querySelector('.st-key-memory_' + name + '_chart');
  const drawn = name => {
    const box = host(name);
    if (!box) return null;
    const canvas = box.querySelector('canvas');
    if (canvas && canvas.width > 0) {
      const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0, inked = 0;
      for (let i = 0; i < d.length; i += 64) { sum = (sum * 31 + d[i] + d[i + 1] + d[i + 2]) % 1000000007;
                                                if (d[i + 3] > 0) inked += 1; }
      return inked > 100 ? 'canvas:' + sum : null;
    }
    const cells = [...box.querySelectorAll('.mark-rect path')].map(p => p.getAttribute('fill') + p.getAttribute('d'));
    return cells.length ? cells.join('|') : null;
  };
  const accuracy = host('accuracy');
  const lines = accuracy ? [...accuracy.querySelectorAll('.mark-line path')].map(p => p.getAttribute('d')) : [];
  const out = {lines: lines.filter(d => d && d.length > 5)};
  for (const name of heatmaps) out[name] = drawn(name);
  return out;
}"""


def shown_step(page) -> int:
    match = re.search(r"Step ([\d,]+)", page.locator(STATUS).first.inner_text())
    return int(match.group(1).replace(",", ""))


def test_playing_moves_the_curves_and_heatmaps_and_pause_stops_them(page, app_url):
    page.goto(app_url)  # app.py first: it sets up the navigation a deep link relies on
    wait_for_app(page)
    page.goto(f"{app_url}/memory")
    wait_for_app(page)
    page.get_by_role("heading", name="Why gates remember").first.wait_for()
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(f"() => /Step [1-9]/.test(document.querySelector('{STATUS}').innerText)",
                           timeout=10_000)
    page.wait_for_function(f"(names) => {{ const s = ({SNAPSHOT_JS})(names); "
                           "return s.lines.length === 3 && names.every(n => s[n]); }", arg=HEATMAPS,
                           timeout=20_000)
    first, step = page.evaluate(SNAPSHOT_JS, HEATMAPS), shown_step(page)
    page.wait_for_timeout(2500)  # the heatmaps redraw once a second
    second = page.evaluate(SNAPSHOT_JS, HEATMAPS)
    assert shown_step(page) > step
    assert len(second["lines"]) == 3 and second["lines"] != first["lines"]  # RNN, LSTM and GRU curves moved
    for name in HEATMAPS:
        assert second[name] and second[name] != first[name], f"the {name} heatmap did not move"
    legend = page.locator(".st-key-memory_accuracy_chart").inner_text()
    assert all(cell in legend for cell in ("RNN", "LSTM", "GRU"))

    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    page.wait_for_timeout(1500)  # a tick already on its way may still land
    paused, paused_step = page.evaluate(SNAPSHOT_JS, HEATMAPS), shown_step(page)
    page.wait_for_timeout(2000)
    assert shown_step(page) == paused_step
    assert page.evaluate(SNAPSHOT_JS, HEATMAPS) == paused
