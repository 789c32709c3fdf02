"""A fix for a race in Streamlit (1.67) that blanks a visitor's page when the server is busy.

When a script or fragment run starts, the script thread tells the session (AppSession) so on the server's
event loop, with call_soon, and goes straight on to send its first elements into the session's message
queue. The session's handler, when the loop gets to it, clears that queue of the previous run's pending
elements. On a busy server the loop gets to it late, after the new run's first elements are already
queued, and clears those too. The browser then receives elements at positions after a gap, fails with
"Bad delta path index 9 (should be between [0, 7])" and shows a white page until it is reloaded. We saw
it on the digit page's Clear (a fragment rerun whose layout shrinks) in 1 of 30 students of a loaded
classroom run.

The fix: a script thread waits until the event loop has handled what it scheduled (a run's start, a run's
end), so every later element is queued after the clearing. The wait is one event-loop turn, a fraction of
a millisecond on an idle server, and bounded so that a stopping server can never hang a script thread.
"""
from __future__ import annotations

import asyncio
import threading
from typing import Callable

from streamlit.runtime.app_session import AppSession

HANDLED_WITHIN_SECONDS = 2.0

_schedule_on_event_loop = AppSession._call_soon_on_event_loop


def _call_on_event_loop_and_wait(self: AppSession, callback: Callable[[], None]) -> None:
    try:
        on_the_loop = asyncio.get_running_loop() is self._event_loop
    except RuntimeError:  # no running loop in this thread: a script thread
        on_the_loop = False
    if on_the_loop:  # already in order; waiting here would deadlock
        _schedule_on_event_loop(self, callback)
        return
    handled = threading.Event()

    def run_then_signal() -> None:
        try:
            callback()
        finally:
            handled.set()

    _schedule_on_event_loop(self, run_then_signal)
    if not self._event_loop.is_closed():
        handled.wait(HANDLED_WITHIN_SECONDS)


def install() -> None:
    """Patch AppSession once per process (looked up on every call, so it reaches existing sessions too)."""
    AppSession._call_soon_on_event_loop = _call_on_event_loop_and_wait
