"""Invent a name in a real browser: a name written step by step, played to its end, on a laptop and a phone;
and the home page's four shapes, each leading to its demo."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.server import wait_for_app

pytestmark = pytest.mark.browser

NAME = ".st-key-gen_name [data-testid='stMetricValue']"
STORY_TICKS = ".st-key-gen_story_chart .xtick text"
WAIT_MS = 30_000


def open_generate_page(page, app_url: str) -> None:
    """Through the sidebar, as a visitor would."""
    page.goto(app_url)
    wait_for_app(page)
    page.locator("[data-testid='stSidebar']").get_by_text("Invent a name").click()
    page.get_by_role("heading", name="Invent a name").first.wait_for()
    page.locator(NAME).wait_for()
    wait_for_app(page)


def story_ticks(page) -> list[str]:
    return page.locator(STORY_TICKS).evaluate_all("texts => texts.map(t => t.textContent)")


def shown_name(page) -> str:
    return page.locator(NAME).inner_text().strip()


def test_a_name_step_by_step(page, app_url, tmp_path):
    open_generate_page(page, app_url)
    whole = shown_name(page)
    assert whole and "…" not in whole
    page.get_by_role("button", name="Again").click()
    expect(page.locator(NAME)).to_have_text(f"{whole[0]} …", timeout=WAIT_MS)
    page.wait_for_function(f"() => document.querySelectorAll({STORY_TICKS!r}).length === 1")
    for letters in range(2, len(whole) + 1):
        page.get_by_role("button", name="Next letter").click()
        expect(page.locator(NAME)).to_have_text(f"{whole[:letters]} …", timeout=WAIT_MS)
        page.wait_for_function(f"() => document.querySelectorAll({STORY_TICKS!r}).length === {letters}")
    page.get_by_role("button", name="Next letter").click()
    expect(page.locator(NAME)).to_have_text(whole, timeout=WAIT_MS)
    page.get_by_text("the end mark won").wait_for()
    assert story_ticks(page) == [*whole, "end"]
    assert page.get_by_role("button", name="Next letter").is_disabled()
    page.get_by_text("The classifier").first.wait_for()
    page.screenshot(path=str(tmp_path / "generate.png"))
    assert (tmp_path / "generate.png").stat().st_size > 10_000


def test_invent_plays_the_name_to_its_end(page, app_url):
    open_generate_page(page, app_url)
    page.get_by_role("button", name="Invent a name").click()
    expect(page.locator(NAME)).to_contain_text("…", timeout=WAIT_MS)  # being written
    page.get_by_text("the end mark won").wait_for(timeout=WAIT_MS)  # played through, no click needed
    # The last tick's chart and the finished page's can both be in the page until the run that ends the
    # play has finished (Streamlit drops a run's stale elements when it ends): read the story after it.
    wait_for_app(page)
    expect(page.locator(".st-key-gen_story_chart")).to_have_count(1)
    name = shown_name(page)
    assert "…" not in name and story_ticks(page) == [*name, "end"]
    expect(page.get_by_role("button", name="Play")).to_be_visible()


def test_fits_a_laptop_and_a_phone(page, app_url):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_generate_page(page, app_url)
    for selector in (".st-key-gen_invent_button button", ".st-key-gen_step_chart"):
        box = page.locator(selector).bounding_box()
        assert box and box["y"] + box["height"] <= 768, f"{selector} is below the fold at 1024x768"
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    overflow = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert overflow <= 390


def test_home_shows_four_shapes_each_leading_to_its_demo(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    for shape in ("One to one", "One to many", "Many to one", "Many to many"):
        page.get_by_text(shape, exact=True).wait_for()
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("link", name="Invent a name").first.click()
    page.get_by_role("heading", name="Invent a name").first.wait_for()
    page.locator(NAME).wait_for()
