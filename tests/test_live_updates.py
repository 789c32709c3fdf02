"""The server-wide budget of live chart updates: slots handed out evenly, and its setting."""
from __future__ import annotations

import threading

import pytest
from streamlit.testing.v1 import AppTest

from support.server import APP_PATH
from ui.live_updates import DEFAULT_UPDATES_PER_SECOND, LiveUpdateSchedule, updates_per_second


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
