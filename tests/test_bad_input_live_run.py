"""An abandoned training run: nobody watches, so it pauses and gives up its thread; and the idle pause
setting."""
from __future__ import annotations

import time

import pytest

from rnn_core.training.live import IDLE_PAUSE_SECONDS, idle_pause_seconds
from harness.live_runs import live_run, wait_until


def test_a_run_nobody_watches_pauses_and_gives_up_its_thread():
    run = live_run(epochs=500)
    run.idle_pause_seconds = 0.5
    run.start()
    thread = run._thread
    wait_until(lambda: run.trainer.step_count > 0)  # training (read without snapshot(): that counts as watching)
    wait_until(lambda: run.status == "paused", timeout=10)
    thread.join(timeout=5)
    assert not thread.is_alive() and run._thread is None  # no thread left waiting for a visitor who left
    steps = run.trainer.step_count
    time.sleep(1)
    assert run.trainer.step_count == steps
    run.start()  # the visitor is back: it resumes where it paused
    wait_until(lambda: run.trainer.step_count > steps)
    run.stop()
    run.wait()
    assert run.status == "stopped"


def test_a_watched_run_does_not_pause():
    run = live_run(epochs=500)
    run.idle_pause_seconds = 0.5
    run.start()
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        assert run.snapshot().status == "running"
        time.sleep(0.1)
    run.stop()
    run.wait()


@pytest.mark.parametrize("value, seconds", [("2.5", 2.5), ("soon", IDLE_PAUSE_SECONDS), ("-1", IDLE_PAUSE_SECONDS),
                                            ("0", IDLE_PAUSE_SECONDS), ("nan", IDLE_PAUSE_SECONDS),
                                            ("inf", IDLE_PAUSE_SECONDS)])
def test_the_idle_pause_is_set_from_the_environment(value, seconds, monkeypatch):
    monkeypatch.setenv("RNN_IDLE_PAUSE_SECONDS", value)
    assert idle_pause_seconds() == seconds
    assert live_run().idle_pause_seconds == seconds
