"""One budget of live chart updates per second for the whole server, shared by every visitor who plays.

A playing wave page asks for a new chart 20 times a second. One visitor is fine; thirty are not: their
ticks would take all of the server's one Python core, and a drawing or a name typed meanwhile would wait
behind them. So every live tick first takes the next free slot of a server-wide schedule,
RNN_LIVE_UPDATES_PER_SECOND slots a second. Alone, a visitor gets every update they ask for; in a full
room, everyone's animation slows down evenly, and everything else stays quick. Each playing page has at
most two ticks waiting (its fast chart and its slow one), so a wait lasts at most 2 x players / budget s.
"""
from __future__ import annotations

import threading
import time

import streamlit as st

from rnn_core.settings import LIVE_UPDATES_ENV_VAR, positive_number_from_env

DEFAULT_UPDATES_PER_SECOND = 40.0


class LiveUpdateSchedule:
    """Hands out time slots `1 / per_second` apart, first come first served."""

    def __init__(self, per_second: float):
        self.gap = 1.0 / per_second
        self.next_slot = 0.0
        self.lock = threading.Lock()

    def wait_for_slot(self) -> float:
        """Sleep until this caller's slot; returns the seconds waited."""
        with self.lock:
            now = time.monotonic()
            slot = max(now, self.next_slot)
            self.next_slot = slot + self.gap
        time.sleep(slot - now)  # sleeping holds no core: the server answers other visitors meanwhile
        return slot - now


def updates_per_second() -> tuple[float, str]:
    """The budget from $RNN_LIVE_UPDATES_PER_SECOND, and a warning when that was not usable."""
    return positive_number_from_env(LIVE_UPDATES_ENV_VAR, DEFAULT_UPDATES_PER_SECOND)


@st.cache_resource
def live_update_schedule() -> LiveUpdateSchedule:
    """The one schedule of this server process."""
    return LiveUpdateSchedule(updates_per_second()[0])
