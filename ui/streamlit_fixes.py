"""A fix for a race in Streamlit (1.67) that blanks a visitor's page when the server is busy.

A script thread hands each element it makes to the server's event loop (call_soon), which puts it in the
session's queue for the browser, and goes straight on. So a run can end, and its script runner count as
stopped, while the loop still holds the run's last elements. If the browser asks for a fragment rerun in
that moment (a Clear button, a stroke on the canvas, a wave tick), the session starts a new script runner
and ignores every event still queued from the old one (Streamlit's own comment in
AppSession.request_rerun describes this). Those elements never reach the browser; the fragment's
elements then land at positions after the gap, and the browser fails with "Bad delta path index 9 (should
be between [0, 5])" and shows a white page until it is reloaded. The busier the server, the longer the
loop lags and the wider the window: we saw it in classroom runs of 1 to 30 students on a loaded machine.

The fix: before a script thread asks for its next request (the moment its runner may count as stopped),
it waits until the event loop has handled the last event it scheduled, and so, the loop being first in
first out, every one before it. One wait per run, not one per element: on a busy server each wait is a
trip through the GIL and the loop, and waiting on every element made answers slower for everyone. The
wait is one event-loop turn on an idle server. It has no time limit while the loop runs: 30 students on
2 cores held the loop back for over 2 s ten times in one run, and an earlier 2 s limit let a page break
there. It ends as soon as the loop stops or closes, so a stopping server never holds a script thread.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Callable

import streamlit
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequest, ScriptRequests

WRITTEN_FOR = "1.67.0"  # the Streamlit whose private methods this replaces
SLOW_HANDOFF_SECONDS = 2.0  # a wait this long is logged: the server is overloaded
LOOP_CHECK_SECONDS = 0.5  # how often a waiting thread checks that the loop still runs

_LOGGER = logging.getLogger(__name__)

_schedule_on_event_loop = AppSession._call_soon_on_event_loop
_ask_for_next_request = ScriptRequests.on_scriptrunner_ready
_last_handoff = threading.local()  # per script thread: the loop and the signal of its last scheduled event


def _call_on_event_loop_and_note(self: AppSession, callback: Callable[[], None]) -> None:
    try:
        on_the_loop = asyncio.get_running_loop() is self._event_loop
    except RuntimeError:  # no running loop in this thread: a script thread
        on_the_loop = False
    if on_the_loop:  # already in order, and nothing to wait for later
        _schedule_on_event_loop(self, callback)
        return
    handled = threading.Event()

    def run_then_signal() -> None:
        try:
            callback()
        finally:
            handled.set()

    _schedule_on_event_loop(self, run_then_signal)
    _last_handoff.loop, _last_handoff.handled = self._event_loop, handled


def wait_for_last_handoff() -> None:
    """Until the event loop has handled the last event this thread scheduled (and so all before it)."""
    loop, handled = getattr(_last_handoff, "loop", None), getattr(_last_handoff, "handled", None)
    if loop is None or handled is None:
        return
    started = time.monotonic()
    warned = False
    while not handled.is_set():
        if loop.is_closed() or not loop.is_running():
            return  # a stopping server: nothing will handle the event, and nothing needs to
        if not warned and time.monotonic() - started >= SLOW_HANDOFF_SECONDS:
            _LOGGER.warning("The server's event loop took over %.0f s to get to a script event: the server "
                            "is overloaded (see README, In a classroom).", SLOW_HANDOFF_SECONDS)
            warned = True
        handled.wait(LOOP_CHECK_SECONDS)
    _last_handoff.handled = None


def _ask_for_next_request_once_handed_over(self: ScriptRequests) -> ScriptRequest:
    wait_for_last_handoff()  # no request means the runner stops: its elements must be on the loop's side
    return _ask_for_next_request(self)


def install(version: str = streamlit.__version__) -> bool:
    """Patch AppSession and ScriptRequests once per process (both looked up on every call, so the patch
    reaches existing sessions too).

    Only on the Streamlit it was written for: on another, a private method may mean something else, so
    it logs a warning and leaves Streamlit as it is. Returns whether the fix is in place.
    """
    if AppSession._call_soon_on_event_loop is _call_on_event_loop_and_note:
        return True
    if version != WRITTEN_FOR:
        _LOGGER.warning("The fix for blank pages on a busy server was written for Streamlit %s, not %s; "
                        "it is left out.", WRITTEN_FOR, version)
        return False
    AppSession._call_soon_on_event_loop = _call_on_event_loop_and_note
    ScriptRequests.on_scriptrunner_ready = _ask_for_next_request_once_handed_over
    return True
