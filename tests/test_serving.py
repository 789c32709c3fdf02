"""The Streamlit workarounds of ui/serving.py: checked on the versions installed, their settings still ones
Streamlit has; and the fix for the lost-elements race: a script thread asks for its next request only once
the event loop has handled everything it scheduled, so a run cannot count as stopped while its elements still
wait on the loop; and it does not wait element by element."""
from __future__ import annotations

import asyncio
import importlib.metadata
import inspect
import threading
import time
import tomllib
from types import SimpleNamespace

import pytest
from streamlit import config
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequests, ScriptRequestType

from harness.server import REPO
from ui import serving

# The packages whose insides ui/serving.py relies on, at the versions its catalogue was checked on.
CHECKED_ON = {"streamlit": serving.WRITTEN_FOR, "streamlit-drawable-canvas": "0.13.0"}
# The settings of .streamlit/config.toml that its catalogue explains, with their values.
WORKAROUND_SETTINGS = {"global.minCachedMessageSize": 1e12, "runner.postScriptGC": False,
                       "server.fileWatcherType": "none"}


def test_the_workarounds_were_checked_on_the_installed_versions():
    """An upgrade fails here first, before a classroom finds out what it changed."""
    installed = {package: importlib.metadata.version(package) for package in CHECKED_ON}
    assert installed == CHECKED_ON, (
        f"Installed {installed}, but the workarounds in ui/serving.py were checked on {CHECKED_ON}. Go through "
        "its catalogue on the new versions: run the test each entry names, drop what is no longer needed, and "
        "re-read the private Streamlit code that patch_script_handoff replaces and relies on "
        "(AppSession._call_soon_on_event_loop, AppSession._on_scriptrunner_event, "
        "ScriptRequests.on_scriptrunner_ready, ScriptRunner._run_script_thread). Then update "
        "serving.WRITTEN_FOR and CHECKED_ON here.")


def test_the_workaround_settings_are_set_and_still_streamlit_options():
    settings = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    for option, value in WORKAROUND_SETTINGS.items():
        section, name = option.split(".")
        assert settings[section][name] == value, option
        assert option in serving.__doc__, f"{option} is missing from the catalogue in ui/serving.py"
        config.get_option(option)  # raises for an option this Streamlit no longer has


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


def in_a_script_thread(work) -> None:
    """Runs `work` in a thread of its own, as Streamlit runs each script runner (the handoff is per thread)."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as failure:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(failure)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=10)
    if failures:
        raise failures[0]


def test_a_run_asks_for_its_next_request_only_after_the_loop_handled_its_elements(session):
    handled = []

    def script() -> None:
        session._event_loop.call_soon_threadsafe(time.sleep, 0.05)  # a busy loop: handlers run 50 ms late
        for element in range(3):
            serving._call_on_event_loop_and_note(session, lambda element=element: handled.append(element))
        assert handled == []  # the script went on without waiting for each element
        request = serving._ask_for_next_request_once_handed_over(ScriptRequests())
        assert request.type == ScriptRequestType.STOP  # no request: this runner now counts as stopped...
        assert handled == [0, 1, 2]  # ...and every element it made is already on the loop's side

    in_a_script_thread(script)


def test_the_loop_itself_is_never_made_to_wait_for_itself(session):
    finished = threading.Event()

    async def schedule_from_the_loop() -> None:
        handled = []
        serving._call_on_event_loop_and_note(session, lambda: handled.append(1))
        serving.wait_for_last_handoff()  # nothing noted for the loop's own thread
        assert handled == []  # scheduled for later, not awaited: the loop is running this very code
        finished.set()

    asyncio.run_coroutine_threadsafe(schedule_from_the_loop(), session._event_loop).result(timeout=5)
    assert finished.is_set()


def test_a_slow_loop_is_waited_for_however_long_it_takes_and_logged(session, monkeypatch, caplog):
    monkeypatch.setattr(serving, "SLOW_HANDOFF_SECONDS", 0.1)
    monkeypatch.setattr(serving, "LOOP_CHECK_SECONDS", 0.05)
    handled = []

    def script() -> None:
        session._event_loop.call_soon_threadsafe(time.sleep, 0.4)  # an overloaded server
        serving._call_on_event_loop_and_note(session, lambda: handled.append("element"))
        serving.wait_for_last_handoff()
        assert handled == ["element"]  # no time limit ran out first

    with caplog.at_level("WARNING", logger="ui.serving"):
        in_a_script_thread(script)
    assert "overloaded" in caplog.text


@pytest.mark.parametrize("state", ["closed", "stopped"])
def test_a_loop_on_its_way_down_does_not_hold_the_script_thread(state):
    loop = asyncio.new_event_loop()  # stopped: open, but nothing runs it
    if state == "closed":
        loop.close()
    waited: list[float] = []

    def script() -> None:
        serving._call_on_event_loop_and_note(SimpleNamespace(_event_loop=loop), lambda: None)
        started = time.monotonic()
        serving.wait_for_last_handoff()
        waited.append(time.monotonic() - started)

    in_a_script_thread(script)
    loop.close()
    assert waited[0] < 2 * serving.LOOP_CHECK_SECONDS + 0.5


def patched_methods():
    return AppSession._call_soon_on_event_loop, ScriptRequests.on_scriptrunner_ready


def test_the_patch_replaces_the_methods_streamlit_calls(monkeypatch):
    monkeypatch.setattr(AppSession, "_call_soon_on_event_loop", serving._schedule_on_event_loop)
    monkeypatch.setattr(ScriptRequests, "on_scriptrunner_ready", serving._ask_for_next_request)
    assert serving.patch_script_handoff() and serving.patch_script_handoff()  # twice: once in place, it stays
    assert patched_methods() == (serving._call_on_event_loop_and_note,
                                 serving._ask_for_next_request_once_handed_over)


def test_the_patch_leaves_another_streamlit_alone_and_says_so(monkeypatch, caplog):
    monkeypatch.setattr(AppSession, "_call_soon_on_event_loop", serving._schedule_on_event_loop)
    monkeypatch.setattr(ScriptRequests, "on_scriptrunner_ready", serving._ask_for_next_request)
    with caplog.at_level("WARNING", logger="ui.serving"):
        assert not serving.patch_script_handoff(version="9.9.9")
    assert patched_methods() == (serving._schedule_on_event_loop, serving._ask_for_next_request)
    assert "written for Streamlit 1.67.0, not 9.9.9" in caplog.text


def test_streamlit_still_works_the_way_the_fix_relies_on():
    """Every script-runner event goes to the loop through the patched method, and the script thread asks
    for its next request (where its runner may stop) through the other."""
    assert "self._call_soon_on_event_loop(" in inspect.getsource(AppSession._on_scriptrunner_event)
    assert "def _call_soon_on_event_loop(self, callback" in inspect.getsource(AppSession)
    script_thread = inspect.getsource(ScriptRunner._run_script_thread)
    assert script_thread.count("self._requests.on_scriptrunner_ready()") == 2
