"""Shared fixtures: the data root, and the browser harness (a live `streamlit run` + headless Chromium)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from rnn_core.device import configure_threads

configure_threads(1)  # as the app and the CLI do: small models, and no thread fights on a busy machine

REPO = Path(__file__).resolve().parent.parent
APP_PATH = str(REPO / "app.py")  # for AppTest.from_file, which resolves relative paths against the caller
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real data sets: $RNN_DATA_DIR, else ../shared/data beside the repository."""
    root = Path(os.environ.get("RNN_DATA_DIR") or REPO.parent / "shared" / "data")
    if not (root / "MNIST" / "raw").is_dir() or not (root / "names").is_dir():
        pytest.skip(f"the data sets are not at {root} (set RNN_DATA_DIR)")
    return root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int, env: dict[str, str] | None = None, cpus: set[int] | None = None,
              log: Path | None = None) -> subprocess.Popen:
    """`streamlit run app.py` on 127.0.0.1:port (on the given CPU cores); returns once it answers.

    The server's stderr goes to `log` when given (read it for tracebacks), else to a temporary file.
    """
    log = log or Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    with log.open("wb") as stderr:  # a file, not a pipe: nobody reads a pipe, and a full one blocks the server
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=REPO, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=stderr,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("streamlit did not answer its health check within 60 s")


@pytest.fixture(scope="session")
def app_url():
    process = start_app(port := _free_port())
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


def proc_stat_fields(pid: int) -> list[str]:
    """Linux's /proc/PID/stat after the command name: field 3 (state) is index 0."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def clock_seconds(fields: list[str], indices: tuple[int, ...]) -> float:
    """The sum of some of proc_stat_fields' clock-tick counters, in seconds."""
    return sum(int(fields[i]) for i in indices) / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads together."""
    return clock_seconds(proc_stat_fields(pid), (11, 12))


# True once Streamlit has finished running the script: no "Running" status indicator.
APP_IDLE_JS = """() => { const status = document.querySelector('[data-testid="stStatusWidget"]');
                         return !status || !status.innerText.includes('Running'); }"""


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished running the script (no 'running' indicator)."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_function(APP_IDLE_JS, timeout=30_000)
