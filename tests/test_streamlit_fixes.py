"""The fix for Streamlit's lost-elements race: a script thread goes on only once the event loop has handled
what it scheduled, so a run cannot count as stopped while its elements still wait on the loop."""
from __future__ import annotations

import asyncio
import threading
import time
from types import SimpleNamespace

import pytest
from streamlit.runtime.app_session import AppSession

from ui import streamlit_fixes


@pytest.fixture
def session():
    """Just enough of an AppSession: an event loop running in a thread of its own, as on the server."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(_event_loop=loop)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)
    loop.close()


def test_a_script_thread_goes_on_only_after_the_loop_handled_its_event(session):
    handled = []
    # A busy loop: the handler runs 50 ms later than it was scheduled.
    session._event_loop.call_soon_threadsafe(time.sleep, 0.05)
    streamlit_fixes._call_on_event_loop_and_wait(session, lambda: handled.append("run started"))
    assert handled == ["run started"]  # what the script queues next comes after the handler's clearing


def test_the_loop_itself_is_never_made_to_wait_for_itself(session):
    finished = threading.Event()

    async def schedule_from_the_loop() -> None:
        handled = []
        streamlit_fixes._call_on_event_loop_and_wait(session, lambda: handled.append(1))
        assert handled == []  # scheduled for later, not awaited: the loop is running this very code
        finished.set()

    asyncio.run_coroutine_threadsafe(schedule_from_the_loop(), session._event_loop).result(timeout=5)
    assert finished.is_set()


def test_a_slow_loop_is_waited_for_however_long_it_takes_and_logged(session, monkeypatch, caplog):
    monkeypatch.setattr(streamlit_fixes, "SLOW_HANDOFF_SECONDS", 0.1)
    monkeypatch.setattr(streamlit_fixes, "LOOP_CHECK_SECONDS", 0.05)
    handled = []
    session._event_loop.call_soon_threadsafe(time.sleep, 0.4)  # an overloaded server
    with caplog.at_level("WARNING", logger="ui.streamlit_fixes"):
        streamlit_fixes._call_on_event_loop_and_wait(session, lambda: handled.append("element"))
    assert handled == ["element"]  # no time limit ran out first
    assert "overloaded" in caplog.text


def test_a_closed_loop_does_not_hold_the_script_thread():
    loop = asyncio.new_event_loop()
    loop.close()
    started = time.monotonic()
    streamlit_fixes._call_on_event_loop_and_wait(SimpleNamespace(_event_loop=loop), lambda: None)
    assert time.monotonic() - started < 0.5


def test_a_stopped_loop_does_not_hold_the_script_thread():
    loop = asyncio.new_event_loop()  # open, but nothing runs it: a server on its way down
    started = time.monotonic()
    streamlit_fixes._call_on_event_loop_and_wait(SimpleNamespace(_event_loop=loop), lambda: None)
    assert time.monotonic() - started < 2 * streamlit_fixes.LOOP_CHECK_SECONDS + 0.5
    loop.close()


def test_install_patches_the_method_streamlit_calls(monkeypatch):
    monkeypatch.setattr(AppSession, "_call_soon_on_event_loop", AppSession._call_soon_on_event_loop)
    streamlit_fixes.install()
    assert AppSession._call_soon_on_event_loop is streamlit_fixes._call_on_event_loop_and_wait


def test_install_leaves_another_streamlit_alone_and_says_so(monkeypatch, caplog):
    original = AppSession._call_soon_on_event_loop
    monkeypatch.setattr(AppSession, "_call_soon_on_event_loop", original)
    if original is streamlit_fixes._call_on_event_loop_and_wait:  # already installed in this process
        monkeypatch.setattr(AppSession, "_call_soon_on_event_loop", streamlit_fixes._schedule_on_event_loop)
    with caplog.at_level("WARNING", logger="ui.streamlit_fixes"):
        assert not streamlit_fixes.install(version="9.9.9")
    assert AppSession._call_soon_on_event_loop is not streamlit_fixes._call_on_event_loop_and_wait
    assert "written for Streamlit 1.67.0, not 9.9.9" in caplog.text
    assert streamlit_fixes.install() and streamlit_fixes.install()  # twice: once in place, it stays


def test_streamlit_still_sends_a_runs_events_through_the_patched_method():
    """The fix works only while Streamlit hands every script-runner event to the loop this way."""
    import inspect

    handler = inspect.getsource(AppSession._on_scriptrunner_event)
    assert "self._call_soon_on_event_loop(" in handler
    assert "def _call_soon_on_event_loop(self, callback" in inspect.getsource(AppSession)
