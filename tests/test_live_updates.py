"""The server-wide budget of live chart updates: slots handed out evenly, and its setting."""
from __future__ import annotations

import threading
import time

import pytest
from streamlit.testing.v1 import AppTest

from harness.server import APP_PATH
from ui.live_updates import DEFAULT_UPDATES_PER_SECOND, MAX_YIELD_SECONDS, LiveUpdateSchedule, updates_per_second


def test_ticks_asking_together_get_slots_one_gap_apart(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr("ui.live_updates.time.sleep", slept.append)  # record the waits, do not sleep
    schedule = LiveUpdateSchedule(per_second=20)  # a slot every 50 ms
    for _ in range(4):  # four players' ticks arrive at once: one goes now, the rest queue
        schedule.wait_for_slot()
    assert slept == pytest.approx([0.0, 0.05, 0.10, 0.15], abs=0.005)


def test_a_player_alone_never_waits_after_the_gap():
    schedule = LiveUpdateSchedule(per_second=1000)
    schedule.wait_for_slot()
    threading.Event().wait(0.01)  # longer than a gap: the next slot is free already
    assert schedule.wait_for_slot() == 0.0


@pytest.mark.parametrize("text, expected, warned", [("", DEFAULT_UPDATES_PER_SECOND, False), ("120", 120.0, False),
                                                    ("2.5", 2.5, False), ("fast", DEFAULT_UPDATES_PER_SECOND, True),
                                                    ("0", DEFAULT_UPDATES_PER_SECOND, True),
                                                    ("-3", DEFAULT_UPDATES_PER_SECOND, True),
                                                    ("inf", DEFAULT_UPDATES_PER_SECOND, True),
                                                    ("nan", DEFAULT_UPDATES_PER_SECOND, True)])
def test_the_budget_setting(text, expected, warned, monkeypatch):
    monkeypatch.setenv("RNN_LIVE_UPDATES_PER_SECOND", text)
    value, warning = updates_per_second()
    assert value == expected and bool(warning) == warned


def test_a_bad_budget_setting_is_noted_on_the_wave_page_which_still_plays(monkeypatch):
    monkeypatch.setenv("RNN_LIVE_UPDATES_PER_SECOND", "lots")
    at = AppTest.from_file(APP_PATH, default_timeout=60).run()
    at.switch_page("app_pages/waves.py").run()
    assert any("RNN_LIVE_UPDATES_PER_SECOND must be a positive number" in w.value for w in at.warning)
    at.button(key="waves_play").click().run()
    at.run()
    assert not at.exception and at.session_state["waves_trainer"].step_count > 0


def test_a_tick_holds_back_while_another_visitor_waits_for_an_answer():
    schedule = LiveUpdateSchedule(per_second=1000)
    answering, tick_done = threading.Event(), threading.Event()
    times: dict[str, float] = {}

    def answer() -> None:
        with schedule.interactive():
            answering.set()
            threading.Event().wait(0.3)  # the visitor's rerun runs; the tick must not start meanwhile
            times["answered"] = time.monotonic()

    def tick() -> None:
        answering.wait()
        schedule.wait_for_slot()
        times["ticked"] = time.monotonic()
        tick_done.set()

    threads = [threading.Thread(target=answer), threading.Thread(target=tick)]
    for thread in threads:
        thread.start()
    assert not tick_done.wait(0.15)  # still held back while the answer runs
    for thread in threads:
        thread.join()
    # It went once the answer was done, not at the cap.
    assert times["answered"] <= times["ticked"] < times["answered"] + MAX_YIELD_SECONDS / 2


def test_a_tick_inside_a_visitors_own_page_run_does_not_wait_for_itself():
    schedule = LiveUpdateSchedule(per_second=1000)
    with schedule.interactive(), schedule.interactive():  # the page, and a fragment run inline within it
        assert schedule.wait_for_slot() == 0.0
    assert schedule.interactive_runs == 0


def test_a_tick_holds_back_at_most_the_cap(monkeypatch):
    monkeypatch.setattr("ui.live_updates.MAX_YIELD_SECONDS", 0.2)
    schedule = LiveUpdateSchedule(per_second=1000)
    release, entered = threading.Event(), threading.Event()

    def endless_answer() -> None:
        with schedule.interactive():
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=endless_answer)
    thread.start()
    entered.wait()
    waited = schedule.wait_for_slot()
    release.set()
    thread.join()
    assert 0.15 < waited < 1.0  # animations slow down in a busy room, never stop
