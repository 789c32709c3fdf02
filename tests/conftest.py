"""Shared fixtures: the data root, and the browser harness (a live `streamlit run` + headless Chromium); and
the markers that follow from them, so that `scripts/test.sh --fast` can leave out the slow kinds of test."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rnn_core.device import configure_threads
from harness.server import CHROMIUM, CHROMIUM_ARGS, REPO, free_port, start_app, start_caddy

configure_threads(1)  # as the app and the CLI do: small models, and no thread fights on a busy machine

BROWSER_FIXTURES = {"browser", "page", "app_url"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by what it needs, whatever its file says: the real data sets (integration), the browser
    harness (browser), or Caddy in front of replicas (replicas: its module imports start_caddy)."""
    for item in items:
        needs = set(getattr(item, "fixturenames", ()))
        if "data_dir" in needs:
            item.add_marker(pytest.mark.integration)
        if needs & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if getattr(getattr(item, "module", None), "start_caddy", None) is start_caddy:
            item.add_marker(pytest.mark.replicas)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real data sets: $RNN_DATA_DIR, else ../shared/data beside the repository."""
    root = Path(os.environ.get("RNN_DATA_DIR") or REPO.parent / "shared" / "data")
    if not (root / "MNIST" / "raw").is_dir() or not (root / "names").is_dir():
        pytest.skip(f"the data sets are not at {root} (set RNN_DATA_DIR)")
    return root


@pytest.fixture(scope="session")
def app_url():
    process = start_app(port := free_port())
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing Chromium fails in CI, and skips elsewhere."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh browser context (its own Streamlit session) on the app, 1280x900."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def class_db(tmp_path, monkeypatch):
    """A class store of the test's own, an SQLite file, for the AppTests of the class page (harness/class_app.py)."""
    from ui import class_session  # imports Streamlit: only for the tests that use it
    monkeypatch.setenv("RNN_CLASS_DB", f"sqlite:///{tmp_path / 'classes.sqlite3'}")
    class_session.class_store.clear()
    class_session._expiry_clock.clear()
    yield
    class_session.class_store.clear()


@pytest.fixture
def moves(monkeypatch):
    """Where the class banner sends a student (AppTest stays on the page it was given)."""
    import streamlit
    sent = []
    monkeypatch.setattr(streamlit, "switch_page", lambda page, query_params=None: sent.append((page, query_params)))
    return sent


@pytest.fixture(scope="module")
def class_url(tmp_path_factory):
    """A server of the class tests' own, its classes in an SQLite file of its own."""
    database = tmp_path_factory.mktemp("classes") / "classes.sqlite3"
    process = start_app(port := free_port(), env={"RNN_CLASS_DB": f"sqlite:///{database}"})
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)
