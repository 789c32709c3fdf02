"""The benchmarks' in-page clocks (harness/page_clocks.py) on a small page the test writes: they stop
when the awaited text appears, ignore stale copies, and count updates without polling."""
import pytest

from harness.page_clocks import (COUNT_UPDATES_JS, MARK_KEY_UP_JS, MARK_MOUSE_UP_JS, NAME_ELAPSED_JS,
                                    TEXT_ELAPSED_JS, WAIT_POLL_MS, WATCH_NAME_JS, WATCH_TEXT_JS)

pytestmark = pytest.mark.browser


@pytest.fixture
def blank_page(browser):
    page = browser.new_page()
    page.set_content("<body><div id='root'></div></body>")
    yield page
    page.close()


def later(page, ms: int, js: str) -> None:
    """Run `js` in the page after `ms` milliseconds, without waiting for it."""
    page.evaluate("([ms, js]) => { setTimeout(() => eval(js), ms); }", [ms, js])


def test_watch_text_stops_at_the_answer_not_at_a_stale_copy(blank_page):
    page = blank_page
    page.evaluate(MARK_MOUSE_UP_JS)
    page.evaluate(WATCH_TEXT_JS, [".answer", "7"])
    page.mouse.up()
    # A stale copy with the text first: it must not stop the clock.
    later(page, 20, """document.getElementById('root').innerHTML =
        "<div data-stale='true'><div class='answer'>7</div></div>";""")
    later(page, 150, """document.getElementById('root').insertAdjacentHTML('beforeend',
        "<div class='answer'>7</div>");""")
    elapsed = page.wait_for_function(TEXT_ELAPSED_JS, polling=WAIT_POLL_MS).json_value()
    assert 150 <= elapsed < 1000


def test_watch_text_waits_for_the_mouse_up(blank_page):
    page = blank_page
    page.evaluate(MARK_MOUSE_UP_JS)
    page.evaluate(WATCH_TEXT_JS, [".answer", ""])
    page.evaluate("document.getElementById('root').innerHTML = \"<div class='answer'>old</div>\"")
    page.wait_for_timeout(100)
    assert page.evaluate(TEXT_ELAPSED_JS) is None  # text, but no stroke yet


def test_watch_name_needs_the_answer_and_the_spelled_heatmap(blank_page):
    page = blank_page
    page.evaluate(MARK_KEY_UP_JS)
    page.evaluate(WATCH_NAME_JS, "Rossi")
    page.keyboard.press("a")  # the last key up
    later(page, 20, """document.getElementById('root').innerHTML =
        "<div class='st-key-names_answer'>Italian for Rossi</div>";""")
    page.wait_for_timeout(120)
    assert page.evaluate(NAME_ELAPSED_JS) is None  # the heatmap's letters are not there yet
    labels = "".join(f"<text>{letter}</text>" for letter in "Rossi")  # as Vega's SVG axis
    ticks = f"<svg><g class='role-axis' aria-label='X-axis'><g class='role-axis-label'>{labels}</g></g></svg>"
    later(page, 0, f"""document.getElementById('root').insertAdjacentHTML('beforeend',
        "<div class='st-key-names_heatmap'>{ticks}</div>");""")
    elapsed = page.wait_for_function(NAME_ELAPSED_JS, polling=WAIT_POLL_MS).json_value()
    assert elapsed >= 120


def test_count_updates_counts_each_new_step_once(blank_page):
    page = blank_page
    page.evaluate("document.getElementById('root').innerHTML = "
                  "\"<div class='st-key-waves_status'>Step 1</div>\"")
    for i, step in enumerate([2, 2, 3, 5]):  # the repeated step 2 is not an update
        later(page, 100 + 100 * i, f"document.querySelector('.st-key-waves_status').innerText = 'Step {step}'")
    counted = page.evaluate(COUNT_UPDATES_JS, 700)
    assert counted["counters"] == 3
    assert counted["last"] == "Step 5"
