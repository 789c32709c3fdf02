"""Everything this app does to Streamlit, and why: the one catalogue of its serving workarounds.

Each was checked on Streamlit 1.67.0 (WRITTEN_FOR). On an upgrade,
tests/test_serving.py::test_the_workarounds_were_checked_on_the_installed_versions fails first: go through
this list on the new version, run each entry's test, drop what is no longer needed, then update the version.
The history behind each (what was measured, what was tried first) is in docs/decisions/.

app.py calls install() first of all, and freeze_shared_heap() once the sidebar has loaded the shipped models
(a separate call: the freeze must come after that loading, which needs the visitor's language first).


Patches and reaches into Streamlit, all in this module (no other module in app.py, app_pages/ or ui/ imports
Streamlit's private modules: tests/test_architecture.py::test_only_the_serving_module_reaches_into_streamlit)

1. A run's last elements reach the event loop before its runner may stop (patch_script_handoff).
   Streamlit: a script thread hands each element to the server's event loop (call_soon) and goes straight on,
   so a run can end, and its script runner count as stopped, while the loop still holds the run's last
   elements. A fragment rerun asked for in that moment (a Clear, a stroke, a wave tick) starts a new runner,
   and the session ignores every event still queued from the old one (Streamlit's own comment in
   AppSession.request_rerun says so). The fragment's elements then land after a gap: the browser fails with
   "Bad delta path index" and shows a white page until it is reloaded. The busier the server, the wider the
   window.
   The fix: AppSession._call_soon_on_event_loop notes the last event each script thread scheduled, and
   ScriptRequests.on_scriptrunner_ready (where a runner may stop) first waits until the loop has handled it.
   Upstream: the closest report is https://github.com/streamlit/streamlit/issues/9188 (fragment elements
   lost when the event loop is late to a runner's events; closed).
   Tests: tests/test_serving.py; test_streamlit_still_works_the_way_the_fix_relies_on fails when Streamlit's
   code changes under the patch. On any other Streamlit version the patch stays out, with a warning.
   Can go: when a new runner no longer drops the events its predecessor queued.

2. The drawing canvas without its floating toolbar (hide_canvas_toolbar; the canvas itself is ui/canvas.py).
   streamlit-drawable-canvas 0.13.0 floats its toolbar (upload, undo, redo, edit, reset) over the top band of
   the square, invisible until the pointer hovers there, and has no option to hide it: a stroke that starts in
   that band presses a button, or turns on edit mode, which then selects instead of drawing. Streamlit
   renders the last registration of a component name, so this registers the package's component once more,
   under its name and with its own script, adding one rule that hides the toolbar; the page offers Undo and
   Clear below the square.
   Upstream: https://github.com/andfanilo/streamlit-drawable-canvas/issues/88 (the toolbar too close to the
   drawing, its buttons pressed by mistake).
   Checked on: Streamlit 1.67.0 with streamlit-drawable-canvas 0.13.0.
   Test: tests/test_browser_canvas.py::test_no_toolbar_covers_the_square_and_undo_takes_back_one_stroke.
   Can go: when the package can draw without its toolbar.

3. The shared heap frozen (freeze_shared_heap).
   A full garbage collection stops every visitor's run while it walks every live object, and most of them
   are the code and models everyone shares: st.cache_resource keeps the models for the life of the process,
   and Streamlit imports a page's modules only when someone first opens it. Walking them never finds garbage.
   So, once the models have loaded, this imports every module a page uses, collects, and moves everything
   alive out of the collector's sight (gc.freeze).
   Upstream: none (Python's collector; the same cost is behind item 5).
   Test: tests/test_app.py::test_the_shared_heap_is_frozen_once_every_page_module_is_loaded;
   benchmarks/bench_gc_pauses.py compares a class with and without it.
   Can go: when a full collection no longer stops visitors' runs to walk what they share.


Settings in .streamlit/config.toml
(tests/test_serving.py::test_the_workaround_settings_are_set_and_still_streamlit_options fails when Streamlit
drops or renames one)

4. global.minCachedMessageSize = 1e12: every message in full, never a reference to the tab's cache.
   Streamlit: a tab tells the server which big messages it holds, and the server then sends a reference
   instead; by the time it arrives, a live page's fragment runs may have aged the message out of the tab's
   cache: "Cached ForwardMsg MISS" in a Connection error box, the page frozen. A rerun's charts are new data
   anyway.
   Upstream: https://github.com/streamlit/streamlit/issues/15816 (the error, closed as not reproduced); the
   cache's design, ageing messages on fragment runs: https://github.com/streamlit/streamlit/pull/9562.
   Test: tests/test_protocol_client.py::test_the_server_sends_every_element_in_full_never_as_a_reference.
   Can go: when a playing page can be Reset again and again without the error with the cache on.

5. runner.postScriptGC = false: no full garbage collection after every script run.
   Streamlit collects after each run, fragment runs included; once torch is loaded that walks every object of
   the process, many times a second on a live page, and slows its ticks.
   Upstream: https://github.com/streamlit/streamlit/issues/8977 (the end-of-run delay grows with what
   st.cache_resource holds).
   Can go: when Streamlit no longer collects after every run.

6. server.fileWatcherType = "none": no watching of the app's files (a serving choice more than a workaround).
   Streamlit watches the source files to rerun on save; a classroom server never needs that, and the watching
   costs CPU that belongs to the visitors. Develop with `streamlit run app.py --server.fileWatcherType auto`.


App design shaped by Streamlit, where it is used (each place points back here)

7. One run at a time per visitor on a live model: ui/play_controls.py, model_lock.
   Streamlit (runner.fastReruns, on by default) starts a click's run at once, on a new thread, while the run
   it replaces goes on until its next Streamlit call, and a tick's training step makes none: a Reset could
   re-initialise the model in the middle of a backward pass. By design:
   https://github.com/streamlit/streamlit/pull/4628.
   Test: tests/test_one_run_at_a_time.py.

8. One schedule of live updates for the whole server: ui/live_updates.py, wired in app.py around page.run().
   Streamlit runs every timed fragment (run_every) of every session on its own, with no limit across
   sessions, and they all share one Python core: the schedule shares out one budget of chart updates, and
   ticks hold back while a visitor waits for an answer. Upstream: none.
   Tests: tests/test_live_updates.py.

9. rnn_core imported before torch: rnn_core/__init__.py sets OMP_NUM_THREADS, and app.py imports it first.
   Streamlit runs every page run and fragment tick on a thread of its own; torch.set_num_threads reaches only
   the thread that calls it, and every other thread takes OpenMP's default, read once when torch loads. The
   rule stays in rnn_core, which never imports Streamlit. Upstream: none (torch and OpenMP).
   Tests: tests/test_settings.py::test_rnn_core_hands_the_thread_setting_to_openmp,
   tests/test_device.py::test_threads_started_later_use_the_thread_setting_too.

10. Widget values brought back: app_pages/memory.py, its settings kept under memory_kept.
   Streamlit drops a keyed widget's value from st.session_state while its page is not shown, so the page
   restores each one from a copy of its own. Upstream: https://github.com/streamlit/streamlit/issues/5813
   (open).
   Test: tests/test_page_memory.py::test_settings_survive_a_visit_to_another_page (it guards the behaviour,
   and keeps passing once the restore is no longer needed).
   Can go: when #5813 is fixed.

11. Spinners in the visitor's language: ui/resources.py, ui/digits.py, app_pages/train.py.
   A cached function's spinner text (show_spinner) is fixed when the function is defined, so it would be in
   one language for the whole process: the cached functions take show_spinner=False, and their callers wrap
   the call in st.spinner(_(...)). Upstream: none found. Test: none fails on an upgrade.
   Can go: when show_spinner takes a text per call.
"""
from __future__ import annotations

import asyncio
import functools
import gc
import importlib
import logging
import pkgutil
import threading
import time
from pathlib import Path
from typing import Callable

import streamlit as st
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequest, ScriptRequests

import rnn_core
import ui

WRITTEN_FOR = "1.67.0"  # the Streamlit all of the above was checked on, whose private methods item 1 replaces
SLOW_HANDOFF_SECONDS = 2.0  # a wait this long is logged: the server is overloaded
LOOP_CHECK_SECONDS = 0.5  # how often a waiting thread checks that the loop still runs
CANVAS_COMPONENT = "streamlit-drawable-canvas.streamlit_drawable_canvas"  # the name the package registers
HIDE_CANVAS_TOOLBAR = ".dc-toolbar{display:none !important}"

_LOGGER = logging.getLogger(__name__)


def install() -> None:
    """Items 1 and 2 of the catalogue, once per process; call it first thing in app.py, in a script run."""
    patch_script_handoff()
    hide_canvas_toolbar()


# ----------------------------------------------------------------------------- 1. the script handoff

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
    """Until the event loop has handled the last event this thread scheduled (and so, the loop being first in
    first out, every one before it).

    One wait per run, not one per element: on a busy server each wait is a trip through the GIL and the loop.
    No time limit while the loop runs, since a page breaks whenever a wait gives up early; it ends as soon as
    the loop stops or closes, so a stopping server never holds a script thread.
    """
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
                            "is overloaded; run more replicas (deploy/compose.yaml) for this many visitors.",
                            SLOW_HANDOFF_SECONDS)
            warned = True
        handled.wait(LOOP_CHECK_SECONDS)
    _last_handoff.handled = None


def _ask_for_next_request_once_handed_over(self: ScriptRequests) -> ScriptRequest:
    wait_for_last_handoff()  # no request means the runner stops: its elements must be on the loop's side
    return _ask_for_next_request(self)


def patch_script_handoff(version: str = st.__version__) -> bool:
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


# ----------------------------------------------------------------------------- 2. the canvas's toolbar

@functools.cache  # once per process, as the package registers its own when first imported
def hide_canvas_toolbar() -> None:
    """Register the drawing canvas again, as the package does, with its toolbar hidden (in a script run only:
    the package cannot even be imported outside one)."""
    import streamlit_drawable_canvas  # registers the package's own version first

    assets = Path(streamlit_drawable_canvas.__file__).parent / "frontend" / "build"
    package_css = next(assets.glob("index-*.css")).read_text()
    # The last registration of a name is the one rendered; the script stays the package's own file.
    st.components.v2.component(CANVAS_COMPONENT, js="index-*.js", css=package_css + HIDE_CANVAS_TOOLBAR,
                               html='<div class="canvas-root"></div>', isolate_styles=True)


# ----------------------------------------------------------------------------- 3. the shared heap

@st.cache_resource
def freeze_shared_heap() -> None:
    """Once per process, after the shared models have loaded: import every module a page uses, then move
    everything alive out of the garbage collector's sight (gc.freeze).

    What the first visitor's run holds at this moment is frozen with them, once.
    """
    for package in (ui, rnn_core):
        for module in pkgutil.iter_modules(package.__path__):
            if not module.name.startswith("_"):  # rnn_core.__main__ is the command line
                importlib.import_module(f"{package.__name__}.{module.name}")
    gc.collect()  # what is garbage now is freed, not frozen
    gc.freeze()
