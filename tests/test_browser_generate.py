"""Invent a name in a real browser: a name written step by step, played to its end, on a laptop and a phone;
and the home page's five shapes, each leading to its demo."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.browser_charts import wait_for_axis_labels, wait_for_chart
from harness.server import wait_for_app

pytestmark = pytest.mark.browser

NAME = ".st-key-gen_name [data-testid='stMetricValue']"
STORY = ".st-key-gen_story_chart"
WAIT_MS = 30_000

# Whether a live copy of the story chart shows no text at all: drawn empty, or not drawn yet.
STORY_EMPTY_JS = """() => [...document.querySelectorAll('.st-key-gen_story_chart')].some(chart =>
    [chart, ...chart.querySelectorAll('[data-stale]')].some(e => e.getAttribute('data-stale') === 'false')
    && ![...chart.querySelectorAll('svg text')].some(text => text.textContent.trim() !== ''))"""

# Counts the frames drawn, and the moments the story chart is empty: a chart flashing empty. Looked at
# after every change to the page, not only once a frame: a blank that outlasts the change that made it can
# be on screen, even when no frame happened to be polled during it.
WATCH_EMPTY_STORY_JS = """() => {
    const empty = %s;
    window.storyFrames = {drawn: 0, empty: 0};
    const look = () => { if (empty()) window.storyFrames.empty += 1; };
    new MutationObserver(look).observe(document.body, {subtree: true, childList: true, attributes: true});
    const frame = () => {
        window.storyFrames.drawn += 1;
        look();
        requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
}""" % STORY_EMPTY_JS


def open_generate_page(page, app_url: str) -> None:
    """Through the sidebar, as a visitor would."""
    page.goto(app_url)
    wait_for_app(page)
    page.locator("[data-testid='stSidebar']").get_by_text("Invent a name").click()
    page.get_by_role("heading", name="Invent a name").first.wait_for()
    page.locator(NAME).wait_for()
    wait_for_app(page)


def shown_name(page) -> str:
    return page.locator(NAME).inner_text().strip()


def story_labels(letters: str) -> list[str]:
    """The story chart's column labels for these letters: a blank is shown as ␣."""
    return ["␣" if char.isspace() else char for char in letters]


def test_a_name_step_by_step(page, app_url, tmp_path):
    open_generate_page(page, app_url)
    whole = shown_name(page)
    assert whole and "…" not in whole
    page.get_by_role("button", name="Again").click()
    expect(page.locator(NAME)).to_have_text(f"{whole[0]} …", timeout=WAIT_MS)
    wait_for_axis_labels(page, STORY, story_labels(whole[0]))
    for letters in range(2, len(whole) + 1):
        page.get_by_role("button", name="Next letter").click()
        expect(page.locator(NAME)).to_have_text(f"{whole[:letters]} …", timeout=WAIT_MS)
        wait_for_axis_labels(page, STORY, story_labels(whole[:letters]))
    page.get_by_role("button", name="Next letter").click()
    expect(page.locator(NAME)).to_have_text(whole, timeout=WAIT_MS)
    page.get_by_text("the end mark won").wait_for()
    wait_for_axis_labels(page, STORY, [*story_labels(whole), "end"])
    assert page.get_by_role("button", name="Next letter").is_disabled()
    page.get_by_text("The classifier").first.wait_for()
    page.screenshot(path=str(tmp_path / "generate.png"))
    assert (tmp_path / "generate.png").stat().st_size > 10_000


def test_invent_plays_the_name_to_its_end(page, app_url):
    open_generate_page(page, app_url)
    page.get_by_role("button", name="Invent a name").click()
    expect(page.locator(NAME)).to_contain_text("…", timeout=WAIT_MS)  # being written
    page.get_by_text("the end mark won").wait_for(timeout=WAIT_MS)  # played through, no click needed
    wait_for_app(page)  # the run that ends the play: the name and the story are the finished ones
    expect(page.locator(STORY)).to_have_count(1)
    name = shown_name(page)
    assert "…" not in name
    wait_for_axis_labels(page, STORY, [*story_labels(name), "end"])
    expect(page.get_by_role("button", name="Play")).to_be_visible()


def test_the_story_chart_is_never_empty_on_screen(page, app_url):
    """A step, and every tick of a play, redraw the story in place: no frame shows the live chart empty."""
    open_generate_page(page, app_url)
    whole = shown_name(page)
    page.wait_for_function(f"() => !({STORY_EMPTY_JS})()")  # its first drawing, which may take a while
    page.evaluate(WATCH_EMPTY_STORY_JS)
    page.get_by_role("button", name="Again").click()
    expect(page.locator(NAME)).to_have_text(f"{whole[0]} …", timeout=WAIT_MS)
    page.get_by_role("button", name="Invent a name").click()  # a whole run, then a tick per letter
    page.get_by_text("the end mark won").wait_for(timeout=WAIT_MS)
    wait_for_app(page)
    frames = page.evaluate("() => window.storyFrames")
    assert frames["drawn"] > 10 and frames["empty"] == 0, frames


def test_fits_a_laptop_and_a_phone(page, app_url):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_generate_page(page, app_url)
    wait_for_chart(page, ".st-key-gen_step_chart")  # measured as drawn, not as the placeholder before
    for selector in (".st-key-gen_invent_button button", ".st-key-gen_step_chart"):
        box = page.locator(selector).bounding_box()
        assert box and box["y"] + box["height"] <= 768, f"{selector} is below the fold at 1024x768"
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    overflow = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert overflow <= 390


def test_home_shows_five_shapes_each_leading_to_its_demo(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    for shape in ("One to one", "One to many", "Many to one", "Many to many", "Many to many, encoder-decoder"):
        page.get_by_text(shape, exact=True).wait_for()
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("link", name="Invent a name").first.click()
    page.get_by_role("heading", name="Invent a name").first.wait_for()
    page.locator(NAME).wait_for()
