"""The classroom benchmark's simulated student (harness/streamlit_client.py) against a live server:
it must see what a browser sees, or the benchmark measures nothing."""
from __future__ import annotations

import re

import pytest

from harness.streamlit_client import DIGITS, ScriptError, StreamlitSession, canvas_value, visit_on_own_thread

PAGES = ["", "digits", "waves", "memory", "inside", "names", "generate", "train"]


def test_one_student_opens_every_page_and_gets_answers(app_url):
    async def visit() -> None:
        session = await StreamlitSession.connect(app_url)
        try:
            assert set(PAGES) <= set(session.pages)  # the navigation came with the first run
            for path in PAGES:
                opened = await session.open_page(path)
                assert opened.elements, f"page {path!r} sent nothing"

            await session.open_page("digits")
            drawn = await session.set_widget("digits_canvas_0", json_value=canvas_value(DIGITS["1"]))
            answer = next(t for t in drawn.texts() if "digit-answer" in t)
            assert re.search(r">1<", answer), answer  # a vertical stroke reads as a 1, as in the browser
            await session.click("Clear")
            assert "digits_canvas_1" in session.widgets  # Clear gives a fresh canvas, as in the browser

            await session.open_page("names")
            for end in range(1, len("Nakamura") + 1):
                typed = await session.set_widget("names_text", string_value="Nakamura"[:end])
            assert typed.has("Japanese")

            await session.open_page("waves")
            await session.click("waves_play")
            chart_tick = next(f for f, interval in session.auto_reruns.items() if interval < 0.5)
            ticks = [await session.tick(chart_tick) for _ in range(5)]
            assert all(tick.elements for tick in ticks)  # each tick brought the charts new data
            await session.click("waves_pause")
            assert not any(interval < 0.5 for interval in session.auto_reruns.values())  # paused: no fast tick
        finally:
            await session.close()

    visit_on_own_thread(visit())


def test_a_missing_widget_is_an_error_not_a_hang(app_url):
    async def visit() -> None:
        session = await StreamlitSession.connect(app_url)
        try:
            await session.open_page("names")
            with pytest.raises(ScriptError, match="no widget"):
                await session.click("waves_play")
        finally:
            await session.close()

    visit_on_own_thread(visit())


def test_the_server_sends_every_element_in_full_never_as_a_reference(app_url):
    """A tab tells the server which big messages it holds, and the server may then send a reference instead.
    But by the time the reference arrives, the tab may have dropped the message: it ages out its cache on
    every run that ends, and a live page's timed fragments end runs all the time. The tab then fails with
    "Cached ForwardMsg MISS" in a Connection error box, every widget greyed out until reload (seen on the
    wave page after 7 to 35 clicks on Reset while it played). So the app turns the cache off."""
    async def visit() -> None:
        session = await StreamlitSession.connect(app_url)
        try:
            await session.open_page("waves")
            await session.click("waves_step")
            second = await session.click("waves_step")
            assert second.largest_message_bytes >= 10_000  # a chart as big as Streamlit caches by default
            await session.click("waves_reset")
            await session.click("waves_step")
            again = await session.click("waves_step")  # a reset model's second step: the same charts again
            assert again.references == 0, f"{again.references} elements came as references to the tab's cache"
        finally:
            await session.close()

    visit_on_own_thread(visit())
