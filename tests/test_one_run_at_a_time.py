"""A visitor's live model is trained by one of their script runs at a time, also when a click lands in the
middle of a tick's training step.

Streamlit starts a click's run at once on a new thread (runner.fastReruns), while the run it replaces goes
on until its next Streamlit call; a tick spends most of its run in optimizer steps, which make none. A
Reset clicked then re-initialised the wave model on one thread while the other was in loss.backward()
("one of the variables needed for gradient computation has been modified by an inplace operation", and a
traceback on the page). Turning fastReruns off instead made blank pages ("Bad delta path") far more common
on a busy machine, so the pages hold a lock of the visitor's while they train or change their model.
"""
from __future__ import annotations

import asyncio

import pytest

from harness.server import free_port, start_app
from harness.streamlit_client import StreamlitSession, visit_on_own_thread

ROUNDS = 6
LONG_TICK = "cell=LSTM&hidden=128&points=100&speed=50"  # a tick of many steps: most of its run is training


@pytest.mark.slow  # a live server and a long tick
def test_reset_during_a_tick_waits_for_its_step(tmp_path):
    log = tmp_path / "server.log"
    process = start_app(port := free_port(), log=log)

    async def visit() -> None:
        session = await StreamlitSession.connect(f"http://127.0.0.1:{port}")
        try:
            await session.open_page("waves", LONG_TICK)
            await session.click("waves_play")
            tick = next(fragment for fragment, interval in session.auto_reruns.items() if interval < 0.5)
            for _ in range(ROUNDS):
                await session.send_rerun(fragment_id=tick, auto=True)
                await asyncio.sleep(0.05)  # into its training step
                await session.send_click("waves_reset")
                await session.read_run()
            await session.click("waves_pause")
        finally:
            await session.close()

    try:
        visit_on_own_thread(visit())
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text(errors="replace")[-3000:]
