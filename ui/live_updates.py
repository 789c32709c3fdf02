"""One budget of live chart updates per second for the whole server, shared by every visitor who plays.

A playing wave page asks for a new chart 20 times a second. One visitor is fine; thirty are not: their
ticks would take all of the server's one Python core, and a drawing or a name typed meanwhile would wait
behind them. So every live tick first takes the next free slot of a server-wide schedule,
RNN_LIVE_UPDATES_PER_SECOND slots a second. Alone, a visitor gets every update they ask for; in a full
room, everyone's animation slows down evenly, and everything else stays quick. Each playing page has at
most two ticks waiting (its fast chart and its slow one), so a wait lasts at most twice players / budget
seconds.

And a tick gives way to what a visitor is waiting for: while a page or an interactive fragment runs (a
click, a stroke, a letter), new ticks hold back, up to MAX_YIELD_SECONDS, so the answer does not share the
core with a dozen chart updates. Animations slow down in a busy room; answers do not.
"""
from __future__ import annotations

import functools
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

import streamlit as st

from rnn_core.settings import LIVE_UPDATES_ENV_VAR, SettingError, positive_number_from_env

DEFAULT_UPDATES_PER_SECOND = 40.0
MAX_YIELD_SECONDS = 1.0  # the longest a tick holds back for visitors' reruns: animations slow, never stop
Function = TypeVar("Function", bound=Callable)


class LiveUpdateSchedule:
    """Hands out time slots `1 / per_second` apart, first come first served."""

    def __init__(self, per_second: float):
        self.gap = 1.0 / per_second
        self.next_slot = 0.0
        self.lock = threading.Lock()
        self.no_interactive_runs = threading.Condition(self.lock)
        self.interactive_runs = 0  # threads now running a rerun a visitor waits for
        self.local = threading.local()  # this thread's depth of interactive() (a page runs its fragments inline)

    @contextmanager
    def interactive(self) -> Iterator[None]:
        """Around a rerun a visitor is waiting for: new ticks hold back while it runs."""
        depth = getattr(self.local, "depth", 0)
        self.local.depth = depth + 1
        if depth == 0:
            with self.lock:
                self.interactive_runs += 1
        try:
            yield
        finally:
            self.local.depth = depth
            if depth == 0:
                with self.lock:
                    self.interactive_runs -= 1
                    self.no_interactive_runs.notify_all()

    def wait_for_slot(self) -> float:
        """Sleep until no other thread runs an interactive rerun (at most MAX_YIELD_SECONDS), then until this
        caller's slot; returns the seconds waited."""
        own = 1 if getattr(self.local, "depth", 0) else 0  # a tick inside a page's own run waits for others only
        held = 0.0
        with self.lock:
            if self.interactive_runs > own:
                started = time.monotonic()
                self.no_interactive_runs.wait_for(lambda: self.interactive_runs <= own, timeout=MAX_YIELD_SECONDS)
                held = time.monotonic() - started
            now = time.monotonic()
            slot = max(now, self.next_slot)
            self.next_slot = slot + self.gap
        time.sleep(slot - now)  # sleeping holds no core: the server answers other visitors meanwhile
        return held + slot - now


def updates_per_second() -> tuple[float, SettingError | None]:
    """The budget from $RNN_LIVE_UPDATES_PER_SECOND, and a warning when that was not usable."""
    return positive_number_from_env(LIVE_UPDATES_ENV_VAR, DEFAULT_UPDATES_PER_SECOND)


# Shaped by how Streamlit runs timed fragments: with the other workarounds in ui/serving.py's catalogue.
@st.cache_resource
def live_update_schedule() -> LiveUpdateSchedule:
    """The one schedule of this server process."""
    return LiveUpdateSchedule(updates_per_second()[0])


def interactive_run(function: Function) -> Function:
    """Marks a fragment a visitor waits on (a stroke, a letter): live ticks hold back while it runs."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        with live_update_schedule().interactive():
            return function(*args, **kwargs)
    return run  # type: ignore[return-value]
