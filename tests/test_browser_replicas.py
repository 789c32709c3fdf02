"""The deploy recipe: two replicas of the app behind Caddy, configured by deploy/Caddyfile itself.

Streamlit needs sticky sessions across replicas: a visitor's websocket and uploads must reach the process
that holds their session. Here first visits spread over both replicas, a class that arrives splits evenly,
and a visitor's upload (a separate HTTP request to the replica) works through the proxy. The routing rules
one by one, with stand-in replicas: tests/test_caddyfile.py.
"""
from __future__ import annotations

import os
import shutil
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar

import pytest

from harness.server import free_port, start_app, start_caddy, wait_for_app
from harness.streamlit_client import StreamlitSession, visit_on_own_thread

pytestmark = pytest.mark.browser

COOKIE = "rnn_replica"  # the cookie deploy/Caddyfile routes by


@pytest.fixture(scope="module")
def proxy_url(tmp_path_factory):
    if not shutil.which("caddy"):
        message = "Caddy not found (apt-get install caddy)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    replica_ports = [free_port(), free_port()]
    replicas = [start_app(port) for port in replica_ports]
    try:
        proxy, url = start_caddy(replica_ports, tmp_path_factory.mktemp("caddy"))
    except RuntimeError:
        for process in replicas:
            process.terminate()
        raise
    try:
        yield url
    finally:
        proxy.terminate()
        for process in replicas:
            process.terminate()
        for process in [proxy, *replicas]:
            process.wait(timeout=10)


def replica_cookie(url: str) -> str:
    """The replica a fresh visitor is sent to, as the proxy's cookie names it."""
    jar = CookieJar()
    urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open(url, timeout=10)
    return next(cookie.value for cookie in jar if cookie.name == COOKIE)


def test_first_visits_spread_over_the_replicas(proxy_url):
    # With no tab open, each first visit is a tie, broken at random: 20 all on one, once in 500,000 runs.
    assert len({replica_cookie(proxy_url) for _ in range(20)}) == 2


def test_a_class_that_arrives_one_by_one_splits_evenly(proxy_url):
    async def arrive(students: int) -> list[str]:
        sessions = []
        for _ in range(students):  # each keeps its websocket open, as a student's tab does
            sessions.append(await StreamlitSession.connect(proxy_url))
        for session in sessions:
            await session.close()
        return [session.cookie for session in sessions]

    cookies = visit_on_own_thread(arrive(10))  # at random, 10 students would split 5 / 5 one time in four
    assert sorted(Counter(cookies).values()) == [5, 5]


def test_a_visitor_stays_on_one_replica_through_the_websocket_and_an_upload(browser, proxy_url, tmp_path):
    names = tmp_path / "class.txt"
    names.write_text("Nakamura\nKowalski\nDubois\n")
    for _ in range(2):  # two visitors, each in their own context (own cookies, own session)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(proxy_url)
        wait_for_app(page)
        assert any(cookie["name"] == COOKIE for cookie in context.cookies())
        page.locator("[data-testid='stSidebar']").get_by_text("Name classifier").click()
        page.locator(".st-key-names_answer").wait_for()
        page.get_by_role("tab", name="Upload a file").click()
        page.locator(".st-key-names_batch_file [data-testid='stFileUploaderDropzoneInput']").set_input_files(
            str(names))
        # The upload is its own HTTP request: it only succeeds on the replica that holds this session.
        page.locator(".st-key-names_download_upload").wait_for()  # the table of the uploaded names is shown
        assert not page.locator("[data-testid='stException']").count()
        assert not page.get_by_text("Connection error").count()
        context.close()
