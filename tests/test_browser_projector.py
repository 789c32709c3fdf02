"""The app in front of a class, in Chromium, a section for each thing a teacher or a student meets: projector
mode on a 1920x1080 screen, the space bar, a phone, a 1024x768 projector."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from harness.browser_digits import ANSWER, WAIT_MS, canvas_box, line
from harness.server import wait_for_app, window

pytestmark = pytest.mark.browser

FULL_HD, PROJECTOR, PHONE = (1920, 1080), (1024, 768), (390, 844)
BODY_TEXT_PX = 24  # projector mode's body text at 1920x1080, read from the back of a room
SIDEBAR = "[data-testid='stSidebar']"
TAKEAWAY = ".st-key-page_takeaway"
ASIDES = "[class*='st-key-aside_']"
WAVE_STATUS, MEMORY_STATUS = ".st-key-waves_status", ".st-key-memory_status"


def go(page: Page, app_url: str, path: str, query: str = "") -> None:
    """Open `path` with `query`, through app.py first: it sets up the navigation a deep link relies on."""
    page.goto(f"{app_url}/?{query}")
    wait_for_app(page)
    page.goto(f"{app_url}/{path}?{query}")
    wait_for_app(page)
    page.locator("h1").first.wait_for()


def sidebar_open(page: Page) -> bool:
    return page.locator(SIDEBAR).get_attribute("data-collapsed") == "false"


def shown_step(page: Page, status: str) -> int:
    return int(re.search(r"(\d[\d,]*)", page.locator(status).first.inner_text()).group(1).replace(",", ""))


BODY_TEXT_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p')]
  .filter(p => p.offsetParent !== null && p.innerText.trim())
  .map(p => parseFloat(getComputedStyle(p).fontSize))"""


# ----------------------------------------------------------------------------- projector mode


@pytest.mark.parametrize("language", ["en", "zh"])
def test_projector_mode_is_large_and_shows_only_the_demo_and_its_takeaway_on_every_page(browser, app_url, language):
    with window(browser, FULL_HD) as page:
        go(page, app_url, "", f"lang={language}&projector=1")
        for path in ("digits", "waves", "memory", "inside", "names", "generate", "translate", "train"):
            # Through the sidebar, which drops the query parameters: the session keeps the mode, and the
            # sidebar closes again.
            page.locator("[data-testid='stExpandSidebarButton']").click()
            page.locator(f"[data-testid='stSidebarNav'] a[href$='/{path}']").click()
            page.wait_for_url(re.compile(f"/{path}"))
            wait_for_app(page)
            page.locator(TAKEAWAY).wait_for()
            assert "projector=1" in page.url and (language == "en" or "lang=zh" in page.url), page.url
            assert not sidebar_open(page), path
            expect(page.locator(TAKEAWAY)).to_be_visible()
            sizes = page.evaluate(BODY_TEXT_JS)
            assert sizes and min(sizes) >= BODY_TEXT_PX - 0.5, (path, sizes)
            assert page.locator(ASIDES).count() >= 1, path  # each page sets something aside ...
            for aside in page.locator(ASIDES).all():
                expect(aside).to_be_hidden()  # ... and projector mode leaves it out


def test_projector_mode_scales_the_charts_and_the_switch_turns_it_off(browser, app_url):
    title = ".st-key-memory_growth_chart [data-testid='stVegaLiteChart'] .role-title-text text"

    def title_px(page: Page) -> float:
        page.locator(title).first.wait_for()
        return float(page.locator(title).first.get_attribute("font-size").removesuffix("px"))

    with window(browser, FULL_HD) as page:
        go(page, app_url, "memory")
        normal = title_px(page)
        go(page, app_url, "memory", "projector=1")
        projected = title_px(page)
        assert projected >= 1.6 * normal, (normal, projected)

        page.locator("[data-testid='stExpandSidebarButton']").click()
        page.locator(".st-key-ui_projector_switch label").click()
        page.wait_for_function("() => !location.search.includes('projector')")
        wait_for_app(page)
        expect(page.locator(".st-key-aside_intro")).to_be_visible()
        assert max(page.evaluate(BODY_TEXT_JS)) < BODY_TEXT_PX


# ----------------------------------------------------------------------------- the space bar


@pytest.mark.parametrize("path, status", [("waves?speed=5", WAVE_STATUS), ("memory", MEMORY_STATUS)])
def test_the_space_bar_plays_and_pauses_a_live_page(browser, app_url, path, status):
    key = status.removeprefix(".st-key-").removesuffix("_status")
    with window(browser, PROJECTOR) as page:
        page.goto(app_url)
        wait_for_app(page)
        page.goto(f"{app_url}/{path}")
        wait_for_app(page)
        page.locator(f".st-key-{key}_play button").wait_for()
        assert shown_step(page, status) == 0
        expect(page.locator(f".st-key-{key}_play button")).to_contain_text("Space")  # the key, on the button

        page.locator("h1").first.click()  # the focus on the page, not on a field
        page.keyboard.press("Space")
        page.locator(f".st-key-{key}_pause button").wait_for()
        page.wait_for_function(f"() => /[1-9]/.test(document.querySelector('{status}').innerText)", timeout=WAIT_MS)

        page.keyboard.press("Space")
        page.locator(f".st-key-{key}_play button").wait_for()
        wait_for_app(page)
        page.wait_for_timeout(1000)  # a tick already on its way may still land
        paused = shown_step(page, status)
        page.wait_for_timeout(2000)
        assert shown_step(page, status) == paused


def test_the_space_bar_is_left_to_a_focused_field(browser, app_url):
    with window(browser, PROJECTOR) as page:
        go(page, app_url, "waves")
        page.locator(".st-key-waves_task input").first.focus()  # the task's first choice, already chosen
        page.keyboard.press("Space")
        page.wait_for_timeout(1500)
        expect(page.locator(".st-key-waves_play button")).to_be_visible()
        assert shown_step(page, WAVE_STATUS) == 0


# ----------------------------------------------------------------------------- a 390x844 phone: the sidebar


def test_on_a_phone_a_choice_in_the_sidebar_closes_it(browser, app_url):
    """Defect 13: after choosing a page or a language the sidebar stayed open over most of the screen."""
    with window(browser, PHONE) as page:
        go(page, app_url, "")
        assert not sidebar_open(page)
        page.locator("[data-testid='stExpandSidebarButton']").click()
        page.wait_for_function("() => document.querySelector(\"[data-testid='stSidebar']\")"
                               ".getAttribute('data-collapsed') === 'false'")
        page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Wave regressor").click()
        page.wait_for_url(re.compile(r"/waves"))
        wait_for_app(page)
        assert not sidebar_open(page)

        page.locator("[data-testid='stExpandSidebarButton']").click()
        page.locator(".st-key-ui_language_switch button").filter(has_text="简体中文").click()
        page.wait_for_url(re.compile(r"lang=zh"))
        wait_for_app(page)
        assert not sidebar_open(page)


# ----------------------------------------------------------------------------- a 390x844 phone: the first screen


def test_on_a_phone_the_wave_page_shows_the_step_counter_on_the_first_screen_after_play(browser, app_url):
    """Defect 4: after Play only the button changed; the counter and charts were below the settings."""
    with window(browser, PHONE) as page:
        go(page, app_url, "waves", "speed=5")
        page.locator(".st-key-waves_play button").click()
        page.wait_for_function(f"() => /[1-9]/.test(document.querySelector('{WAVE_STATUS}').innerText)",
                               timeout=WAIT_MS)
        status = page.locator(WAVE_STATUS).bounding_box()
        assert status["y"] >= 0 and status["y"] + status["height"] <= PHONE[1], status
        page.locator(".st-key-waves_pause button").click()


def test_on_a_phone_the_digit_page_answers_on_the_first_screen(browser, app_url):
    """Defect 4: after drawing, the answer was below the fold."""
    with window(browser, PHONE) as page:
        go(page, app_url, "digits")
        box = canvas_box(page)
        line(page, box, (0.3, 0.2), (0.7, 0.2))  # a 7: the bar, then the stem
        line(page, box, (0.7, 0.2), (0.45, 0.85))
        expect(page.locator(ANSWER)).to_have_text("7", timeout=WAIT_MS)
        answer = page.locator(".st-key-digits_answer_line").filter(has_text="7").first
        expect(answer).to_be_visible()
        box = answer.bounding_box()  # the page has not scrolled: the square is where it was drawn on
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE[1], box


# ----------------------------------------------------------------------------- a 1024x768 projector, before Play


TARGET_LINE_JS = """() => [...document.querySelectorAll('.st-key-waves_window_chart .mark-line path')]
  .some(path => (path.getAttribute('stroke') || '').toLowerCase() === '#4f46e5'
                && ((path.getAttribute('d') || '').match(/L/g) || []).length >= 2)"""


def test_the_wave_page_shows_the_target_wave_and_empty_axes_before_play(browser, app_url):
    """Defect 15: the right half was blank until Play, and a projected page looked broken."""
    with window(browser, PROJECTOR) as page:
        go(page, app_url, "waves")
        assert shown_step(page, WAVE_STATUS) == 0
        page.wait_for_function(TARGET_LINE_JS, timeout=WAIT_MS)
        for chart in ("loss", "gradient"):
            expect(page.locator(f".st-key-waves_{chart}_chart .role-axis").first).to_be_attached()
