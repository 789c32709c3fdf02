"""Server CPU per visitor action: what one rerun of each page or fragment costs the single server process.

    .venv/bin/python -m benchmarks.bench_rerun_cost
    .venv/bin/python -m benchmarks.bench_rerun_cost --repeats 3 --core 1

One simulated visitor (harness/streamlit_client.py, Streamlit's own websocket protocol, no browser) drives
an idle server pinned to one core: it opens each page, draws digits and presses Clear, types a surname
letter by letter, plays the wave page and sends the timer's ticks. The server's CPU time (user + system,
all threads, from /proc) is read around each action, so other work on the machine hardly changes it.
Each figure is the median over --repeats rounds. The baseline, measured in the same run on the same core,
is the cheapest live page (benchmarks/fragment_baseline_app.py): opening it, and one tick of its fragment,
which redraws one small Vega-Lite chart. Prints a table; asserts nothing about time.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Awaitable, Callable

from benchmarks.timing import markdown_table
from harness.server import free_port, process_cpu_seconds, start_app
from harness.streamlit_client import DIGITS, Run, ScriptError, StreamlitSession, canvas_value

REPO = Path(__file__).resolve().parent.parent
SURNAMES = ["Nakamura", "Kowalski", "Papadopoulos"]  # typed letter by letter, as the text box sends them
OPENS = 5  # page opens per round
FAST_TICK_S = 0.5  # the wave page's live fragment ticks faster than this; its slower one (the status) does not


class Meter:
    """CPU milliseconds per action of one server process: each round's mean per action, rounds kept apart.

    The kernel counts CPU time in 10 ms ticks, so a single rerun reads as 0, 10 or 20 ms; the mean over
    many of one kind in a round is what is recorded.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: dict[str, list[float]] = defaultdict(list)
        self._round: dict[str, list[float]] = defaultdict(list)  # action -> [CPU seconds, count]

    async def measure(self, name: str, action: Callable[[], Awaitable[Run]]) -> Run:
        start = process_cpu_seconds(self.pid)
        run = await action()
        totals = self._round.setdefault(name, [0.0, 0])
        totals[0] += process_cpu_seconds(self.pid) - start
        totals[1] += 1
        return run

    def end_round(self) -> None:
        for name, (seconds, count) in self._round.items():
            self.samples[name].append(1000 * seconds / count)
        self._round.clear()


async def visit_app(url: str, meter: Meter, draws: int, ticks: int) -> None:
    """One round of every action on the app, after a warm-up visit that loads models and imports."""
    session = await StreamlitSession.connect(url)
    try:
        for page in ("digits", "names", "waves", ""):  # warm: first imports, models, caches
            await session.open_page(page)
        for page, name in (("", "open home"), ("digits", "open digits")):
            for _ in range(OPENS):
                await meter.measure(name, lambda page=page: session.open_page(page))
        for drawing in range(draws):  # the canvas's key counts the Clears of this session
            answer = await meter.measure("draw a digit", lambda: session.set_widget(
                f"digits_canvas_{drawing}", json_value=canvas_value(DIGITS["7"])))
            if not answer.has("digit-answer"):
                raise ScriptError(f"drawing {drawing + 1} got no answer")
            await meter.measure("Clear", lambda: session.click("Clear"))
        for _ in range(OPENS):
            await meter.measure("open names", lambda: session.open_page("names"))
        for surname in SURNAMES:
            await session.set_widget("names_text", string_value="")
            for end in range(1, len(surname) + 1):
                await meter.measure("a letter of a surname", lambda: session.set_widget(
                    "names_text", string_value=surname[:end]))
        for _ in range(OPENS):
            await meter.measure("open waves", lambda: session.open_page("waves"))
        await session.click("waves_play")
        fast = next(fragment for fragment, every in session.auto_reruns.items() if every < FAST_TICK_S)
        slow = next(fragment for fragment, every in session.auto_reruns.items() if every >= FAST_TICK_S)
        for _ in range(ticks):
            await meter.measure("wave tick (live charts)", lambda: session.tick(fast))
        for _ in range(max(1, ticks // 5)):
            await meter.measure("wave tick (1 s status)", lambda: session.tick(slow))
        await session.click("waves_pause")
    finally:
        await session.close()
    meter.end_round()


async def visit_baseline(url: str, meter: Meter, ticks: int) -> None:
    session = await StreamlitSession.connect(url)
    try:
        for _ in range(OPENS):
            await meter.measure("baseline: open the cheapest live page", lambda: session.open_page(""))
        await session.click("waves_play")
        fragment = next(iter(session.auto_reruns))
        for _ in range(ticks):
            await meter.measure("baseline: one tick of its chart", lambda: session.tick(fragment))
        await session.click("waves_pause")
    finally:
        await session.close()
    meter.end_round()


def serve(script: Path, core: int, rounds: int, visit: Callable[[str, Meter], Awaitable[None]]
          ) -> dict[str, list[float]]:
    """Start a server on one core, run `visit(url, meter)` `rounds` times, stop it; the samples by action."""
    port = free_port()
    process = start_app(port, cpus={core}, script=script)
    try:
        meter = Meter(process.pid)
        for _ in range(rounds):
            asyncio.run(visit(f"http://127.0.0.1:{port}/", meter))
        return meter.samples
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="rounds of every action; the table shows medians")
    parser.add_argument("--core", type=int, default=0, help="the CPU core the server is pinned to")
    parser.add_argument("--draws", type=int, default=10, help="drawings (each followed by Clear) per round")
    parser.add_argument("--ticks", type=int, default=50, help="wave ticks per round")
    args = parser.parse_args()
    os.environ.setdefault("RNN_DATA_DIR", str(REPO.parent / "shared" / "data"))

    baseline = serve(REPO / "benchmarks" / "fragment_baseline_app.py", args.core, args.repeats,
                     lambda url, meter: visit_baseline(url, meter, args.ticks))
    app = serve(REPO / "app.py", args.core, args.repeats,
                lambda url, meter: visit_app(url, meter, args.draws, args.ticks))
    unit = statistics.median(baseline["baseline: one tick of its chart"])
    rows = [[name, f"{statistics.median(samples):.1f}", f"{min(samples):.1f} - {max(samples):.1f}",
             f"{statistics.median(samples) / unit:.1f}x"] for name, samples in {**baseline, **app}.items()]
    print(markdown_table(["action", "server CPU ms (median)", "range", "vs one baseline tick"], rows))


if __name__ == "__main__":
    main()
