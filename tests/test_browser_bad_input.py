"""A browser closed mid-training: the server's background work stops (training page and wave page).

Only a real server and browser show this: the training page's run lives in a thread of the server, and
the wave page trains on ticks its browser asks for. Measured as the server process's CPU time.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from harness.server import free_port, process_cpu_seconds, start_app, wait_for_app
from harness.tiny_data import write_tiny_mnist

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads CPU time from Linux's /proc")]

IDLE_PAUSE_SECONDS = 2  # the server's RNN_IDLE_PAUSE_SECONDS: a run nobody watches pauses after this
BUSY_CPU_SECONDS = 0.2  # at least this much CPU in 2 s while training (a sanity check of the measure)
IDLE_CPU_SECONDS = 0.1  # at most this much in 3 s once the browser is gone


def cpu_used(pid: int, seconds: float) -> float:
    before = process_cpu_seconds(pid)
    time.sleep(seconds)
    return process_cpu_seconds(pid) - before


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server of its own (its CPU time is the measure), on tiny MNIST, with a short idle pause."""
    data = write_tiny_mnist(tmp_path_factory.mktemp("data"), train=4000, test=200)
    port = free_port()
    process = start_app(port, env={"RNN_DATA_DIR": str(data), "RNN_IDLE_PAUSE_SECONDS": str(IDLE_PAUSE_SECONDS)})
    yield f"http://127.0.0.1:{port}", process
    process.terminate()
    process.wait(timeout=10)


def shown_step(page, selector: str, pattern: str) -> int:
    return int(re.search(pattern, page.locator(selector).first.inner_text()).group(1).replace(",", ""))


def test_closing_the_browser_mid_training_pauses_the_run(browser, server):
    url, process = server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{url}/train")
    wait_for_app(page)
    for name, key in (("Epochs", "End"), ("Batch size", "Home")):  # 20 epochs of 250 batches: a long run
        slider = page.locator("[data-testid='stSlider']").filter(has_text=name).get_by_role("slider")
        slider.focus()
        slider.press(key)
    page.get_by_role("button", name="Train").click()
    page.get_by_role("button", name="Pause").wait_for()
    page.wait_for_function("() => document.body.innerText.match(/step [1-9][\\d,]* of/)")
    busy = cpu_used(process.pid, 2)
    assert busy > BUSY_CPU_SECONDS  # training, in the server

    context.close()  # the visitor closes the tab mid-training
    time.sleep(IDLE_PAUSE_SECONDS + 2)
    idle = cpu_used(process.pid, 3)
    assert idle < IDLE_CPU_SECONDS, f"{idle:.2f} s of CPU in 3 s after closing; {busy:.2f} s in 2 s before"
    assert process.poll() is None


def test_closing_the_browser_while_waves_train_stops_the_ticks(browser, server):
    url, process = server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)  # app.py first: it sets up the navigation a deep link relies on
    wait_for_app(page)
    page.goto(f"{url}/waves?speed=50&hidden=128&compare=1")
    wait_for_app(page)
    page.locator(".st-key-waves_play button").click()
    page.wait_for_function("() => /Step [1-9]/.test(document.querySelector('.st-key-waves_status').innerText)")
    busy = cpu_used(process.pid, 2)
    assert busy > BUSY_CPU_SECONDS

    context.close()
    time.sleep(1)  # a tick already on its way may still land
    idle = cpu_used(process.pid, 3)
    assert idle < IDLE_CPU_SECONDS, f"{idle:.2f} s of CPU in 3 s after closing; {busy:.2f} s in 2 s before"
    assert process.poll() is None
