"""The app in a real browser: the home page, its cards and the sidebar's device line."""
import pytest

from harness.server import wait_for_app

pytestmark = pytest.mark.browser


def test_home_page_shows_demos_and_device(page, app_url, tmp_path):
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("heading", name="RNN Playground").wait_for()
    for card in ("Draw a digit", "Wave regressor", "Name classifier"):
        assert page.get_by_text(card).first.is_visible()
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Running on").wait_for()
    assert "CPU" in sidebar.inner_text() or "CUDA" in sidebar.inner_text() or "MPS" in sidebar.inner_text()
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    assert (tmp_path / "home.png").stat().st_size > 10_000


def test_a_direct_link_on_a_fresh_server_gets_the_full_app(browser):
    """A shared link is often the first request a server sees; it must still get the navigation."""
    from harness.server import free_port, start_app

    port = free_port()
    server = start_app(port)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/names")
        wait_for_app(page)
        page.get_by_role("heading", name="Name classifier").first.wait_for()
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.get_by_text("Running on").wait_for()
        assert sidebar.get_by_text("Train it yourself").is_visible()
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_every_page_works_offline_asking_nothing_of_other_hosts(page, app_url):
    """A classroom may have no internet: fonts, icons and scripts all come from the app's own server."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(app_url)
    wait_for_app(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    for link in ("Draw a digit", "Wave regressor", "Name classifier", "Train it yourself", "Home"):
        sidebar.get_by_text(link, exact=True).click()
        wait_for_app(page)
        page.wait_for_timeout(1000)  # late requests (icons, fonts) too
    elsewhere = sorted({url for url in requested if not url.startswith((app_url, "data:", "blob:"))})
    assert not elsewhere
    assert len(requested) > 10  # the listener did see the app's own requests
