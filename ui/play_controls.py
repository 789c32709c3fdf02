"""The Play/Pause, step and Reset buttons of a page that trains live (the wave and memory pages)."""
from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st

from ui.i18n import _


def _set_playing(state_key: str, playing: bool) -> None:
    # Sets, never toggles: a click can reach the server twice (with a tick's rerun and with the full
    # rerun), and a toggle handled twice cancels itself.
    st.session_state[state_key] = playing


# A Streamlit workaround, with the others in ui/serving.py's catalogue.
def model_lock(key: Callable[[str], str]) -> threading.RLock:
    """This visitor's lock on the page's live model: held by a run while it trains, draws or changes it.

    Streamlit starts a click's run at once, on a new thread, while the run it replaces goes on to its next
    Streamlit call, and a tick's training step makes none: without the lock a Reset re-initialised the
    model in the middle of loss.backward() (tests/test_one_run_at_a_time.py).
    """
    return st.session_state.setdefault(key("model_lock"), threading.RLock())


def _holding(lock: threading.RLock, action: Callable[[], None]) -> None:
    with lock:
        action()


def play_controls(key: Callable[[str], str], step_label: str, step_once: Callable[[], None],
                  reset: Callable[[], None], step_help: str | None = None) -> None:
    """The buttons in a row, in the current container; st.session_state[key("playing")] says which of Play and
    Pause shows, both on the space bar (for a presenter; Streamlit leaves the key to a field being typed
    in). Their keys are key("play"), key("pause"), key("step") and key("reset"). Step and Reset hold
    model_lock(key) while they run."""
    playing = st.session_state[key("playing")]
    lock = model_lock(key)
    with st.container(horizontal=True, gap="xsmall"):  # the key's badge widens Play: the row still fits at 1024 px
        # Two buttons, not one relabelled: a late copy of a Pause click can then never press Play.
        if playing:
            st.button(_("Pause"), icon=":material/pause:", key=key("pause"), on_click=_set_playing,
                      args=(key("playing"), False), type="primary", shortcut="Space")
        else:
            st.button(_("Play"), icon=":material/play_arrow:", key=key("play"), on_click=_set_playing,
                      args=(key("playing"), True), type="primary", shortcut="Space")
        st.button(step_label, icon=":material/skip_next:", key=key("step"), on_click=_holding,
                  args=(lock, step_once), disabled=playing, help=step_help)
        st.button(_("Reset"), icon=":material/restart_alt:", key=key("reset"), on_click=_holding, args=(lock, reset))
