"""What a student sees on screen: N students in N browser contexts of one headless Chromium against one
local server (loopback only), each drawing digits, typing names and playing the wave trainer.

    .venv/bin/python -m benchmarks.bench_classroom_browser [--sessions 1,5] [--wave-seconds 20]
                                                           [--live-budgets default,15]

Small classes only: thirty tabs on this 2-core machine took 1.8 of its cores and the server 0.13, so they
measured the browsers, not the app. The class itself is measured at the server by bench_classroom.py,
whose simulated students speak Streamlit's protocol; it runs a few of these tabs beside them as canaries.

1. The class opens the app: every student loads the home page within --arrival-seconds (time to the
   page with its sidebar, "open"). Once all are in, each starts within --start-seconds (by default the
   wave time, so that some draw and type while others' waves play) and in turn:
2. draws a "1" on the digit page, --draws times (Clear in between): mouse-up -> the answer on screen;
3. types --names surnames on the names page: last key up -> that name's answer and letters on screen;
4. plays the wave trainer for --wave-seconds: chart updates per second, as the browser draws them.
Times are taken in the page by performance.now(), as in bench_digits_page.py and bench_names_page.py.
An error is a step that did not finish within --timeout seconds, an uncaught page error, an exception
box or a connection-lost banner on screen, or a traceback in the server's log.

All N browsers run on this machine beside the server, so the table reports the CPU of each side apart
("server cores busy", "browser cores busy"), and a lone student (N = 1) also gets a table of what each of
their steps cost the browser and the server: how much of this machine one student's tab takes. Each class
size runs once per --live-budgets value (the server's RNN_LIVE_UPDATES_PER_SECOND; "default" leaves it
unset). The clocks wait on page events, not on animation frames (harness/page_clocks.py), so that
waiting costs the tabs nothing. The ratios are against N = 1 in the same run. Prints tables; asserts
nothing about time.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from benchmarks.timing import markdown_table
from harness.page_clocks import (COUNT_UPDATES_JS, MARK_KEY_UP_JS, MARK_MOUSE_UP_JS, NAME_ELAPSED_JS, TEXT_ELAPSED_JS,
                                 WAIT_POLL_MS, WATCH_NAME_JS, WATCH_TEXT_JS)
from harness.server import (APP_IDLE_JS, CHROMIUM, CHROMIUM_ARGS, TROUBLE_JS, clock_seconds, free_port,
                            proc_stat_fields, process_cpu_seconds, rss_mib, start_app)

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("RNN_DATA_DIR", str(REPO.parent / "shared" / "data"))

SURNAMES = ["Kowalski", "Nakamura", "Schmidt", "Rossi", "Dubois", "Ivanov", "Garcia", "Murphy", "Novak",
            "Silva", "Papadopoulos", "Kim", "Nguyen", "Jansen", "O'Brien", "Haddad", "Wang", "Smith"]

MISSED_STROKE_MS = 10_000  # no answer by then: look for the stroke's ink on the canvas
MAX_STROKES = 3


@dataclass
class Student:
    """What one browser context saw."""
    open_ms: float | None = None
    draw_ms: list[float] = field(default_factory=list)
    name_ms: list[float] = field(default_factory=list)
    chart_updates_per_s: float | None = None
    strokes_redrawn: int = 0  # strokes the browser lost (no ink on the canvas), drawn again
    errors: list[str] = field(default_factory=list)
    cpu_by_step: dict[str, tuple[float, float]] = field(default_factory=dict)  # step -> (browser, server) CPU s


@dataclass
class Classroom:
    sessions: int
    live_budget: str
    students: list[Student]
    seconds: float  # from the first arrival to the last student done
    server_cpu_s: float
    browser_cpu_s: float  # Chromium and Playwright's driver, all tabs together
    server_rss_mib: tuple[float, float]  # before the class, after it
    server_tracebacks: int


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def descendants_cpu_seconds(root: int, skip: int) -> float:
    """CPU time of every live process below `root` but outside `skip`'s tree, plus the children they
    have reaped (a closed tab's renderer counts once its browser has reaped it): the browsers' CPU."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = proc_stat_fields(int(entry.name))
            except OSError:  # gone meanwhile
                pass
    below, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, fields in stats.items() if int(fields[1]) in frontier and pid != skip} - below
        below |= frontier
    return sum(clock_seconds(stats[pid], (11, 12, 13, 14)) for pid in below)


def describe(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"


async def wait_idle(page, timeout_ms: float) -> None:
    await page.wait_for_function(APP_IDLE_JS, polling=WAIT_POLL_MS, timeout=timeout_ms)


async def open_from_sidebar(page, link: str, ready_selector: str, timeout_ms: float) -> None:
    await page.locator("[data-testid='stSidebar']").get_by_text(link, exact=True).click()
    await page.locator(ready_selector).first.wait_for(timeout=timeout_ms)
    await wait_idle(page, timeout_ms)


async def draw_digits(page, draws: int, student: Student, timeout_ms: float) -> None:
    await open_from_sidebar(page, "Draw a digit", ".st-key-digits_canvas_0 canvas.upper-canvas", timeout_ms)
    await page.evaluate(MARK_MOUSE_UP_JS)
    for round_ in range(draws):
        canvas = page.locator(f".st-key-digits_canvas_{round_} canvas.upper-canvas")  # Clear: the next key
        await canvas.wait_for(timeout=timeout_ms)
        await wait_idle(page, timeout_ms)  # the script has finished (a starved tab may still be laying out)
        for attempt in range(MAX_STROKES):
            box = await settled_box(canvas, timeout_ms)
            x, top = box["x"] + box["width"] / 2, box["y"]
            await page.mouse.move(x, top + 50)
            await page.mouse.down()
            await page.mouse.move(x, top + box["height"] - 50, steps=12)
            await page.evaluate(WATCH_TEXT_JS, [".digit-answer", ""])  # any live answer
            await page.mouse.up()
            # A browser starved of CPU sometimes loses a stroke (the canvas shows no ink, nothing is sent):
            # a student would draw it again. Only a stroke that shows ink and gets no answer is an error.
            try:
                answered = await page.wait_for_function(TEXT_ELAPSED_JS, polling=WAIT_POLL_MS,
                                                       timeout=MISSED_STROKE_MS)
                break
            except PlaywrightTimeoutError:
                if await canvas_has_ink(page, round_):
                    answered = await page.wait_for_function(TEXT_ELAPSED_JS, polling=WAIT_POLL_MS,
                                                           timeout=timeout_ms)
                    break
                student.strokes_redrawn += 1
        else:
            raise RuntimeError(f"{MAX_STROKES} strokes in a row left no ink on the canvas")
        student.draw_ms.append(await answered.json_value())
        await wait_idle(page, timeout_ms)
        await page.get_by_role("button", name="Clear").click()
        await page.get_by_text("Draw a digit on the black square").wait_for(timeout=timeout_ms)


async def settled_box(locator, timeout_ms: float) -> dict:
    """Where the element is once it has stopped moving (two looks 200 ms apart agree). Right after Clear a
    starved tab can still be moving the new canvas into place (by 300 px, seen at N = 30), and a stroke
    drawn where it was lands beside it; a student draws where the canvas is."""
    box = await locator.bounding_box()
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        again = await locator.bounding_box()
        if again == box:
            break
        box = again
    return box


async def canvas_has_ink(page, round_: int) -> bool:
    """Whether the drawing layer of the canvas (inside the component's shadow root) holds any white ink."""
    return await page.locator(f".st-key-digits_canvas_{round_} canvas.dc-canvas.lower-canvas").evaluate("""canvas => {
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i] > 128) return true;
        return false;
    }""")


async def type_names(page, names: list[str], student: Student, timeout_ms: float) -> None:
    await open_from_sidebar(page, "Name classifier", ".st-key-names_answer", timeout_ms)
    await page.evaluate(MARK_KEY_UP_JS)
    box = page.locator(".st-key-names_text input")
    for name in names:
        await box.click()
        await box.press("Control+a")
        await box.press("Backspace")
        await page.evaluate(WATCH_NAME_JS, name)
        await box.type(name, delay=60)  # key by key; the box commits after a short pause, without Enter
        shown = await page.wait_for_function(NAME_ELAPSED_JS, polling=WAIT_POLL_MS, timeout=timeout_ms)
        student.name_ms.append(await shown.json_value())


async def play_waves(page, seconds: float, student: Student, timeout_ms: float) -> None:
    await open_from_sidebar(page, "Wave regressor", ".st-key-waves_play button", timeout_ms)
    await page.locator(".st-key-waves_play button").click()
    await page.locator(".st-key-waves_window_chart svg").first.wait_for(timeout=timeout_ms)
    counted = await page.evaluate(COUNT_UPDATES_JS, seconds * 1000)
    student.chart_updates_per_s = counted["charts"] / counted["seconds"]
    await page.get_by_role("button", name="Pause").click(timeout=timeout_ms)


async def one_student(browser, url: str, index: int, class_in: asyncio.Barrier, args: argparse.Namespace,
                      cpu_clock: Callable[[], tuple[float, float]] | None = None) -> Student:
    """One student's visit. With `cpu_clock` (browser and server CPU seconds so far; only meaningful
    when the student is alone), what each step cost both sides is kept too."""
    student = Student()
    timeout_ms = args.timeout * 1000
    chance = random.Random(index)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(timeout_ms)  # clicks and waits alike: one step timeout
    page = await context.new_page()
    page.on("pageerror", lambda error: student.errors.append(f"page error: {error}"))
    if args.screenshots:
        page.on("pageerror", lambda error: asyncio.ensure_future(
            page.screenshot(path=f"/tmp/bench_classroom_error_{index}_{time.monotonic():.0f}.png")))
    names = [SURNAMES[(index + k) % len(SURNAMES)] for k in range(args.names)]
    mark = cpu_clock() if cpu_clock else (0.0, 0.0)

    def charge(step: str) -> None:
        nonlocal mark
        if cpu_clock:
            now = cpu_clock()
            student.cpu_by_step[step] = (now[0] - mark[0], now[1] - mark[1])
            mark = now

    try:
        await asyncio.sleep(chance.uniform(0, args.arrival_seconds))
        charge("(waiting to arrive)")
        started = time.perf_counter()
        try:
            await page.goto(url, timeout=timeout_ms)
            await page.locator("[data-testid='stSidebar']").get_by_text("Running on").wait_for(timeout=timeout_ms)
            student.open_ms = (time.perf_counter() - started) * 1000
            charge("open the app")
        finally:
            await class_in.wait()  # everyone is in (or has failed to get in)
        if student.open_ms is None:
            return student
        await asyncio.sleep(chance.uniform(0, args.start_seconds))
        charge("(waiting to start)")
        steps = {"draw": lambda: draw_digits(page, args.draws, student, timeout_ms),
                 "names": lambda: type_names(page, names, student, timeout_ms),
                 "waves": lambda: play_waves(page, args.wave_seconds, student, timeout_ms)}
        for name, step in steps.items():
            try:
                await step()
            except Exception as error:  # a timeout or a lost page: count it, go on with the next step
                student.errors.append(f"{name}: {describe(error)}")
            student.errors += [f"{name}, on screen: {text[:160]}" for text in await page.evaluate(TROUBLE_JS)]
            charge(name)
    except Exception as error:
        student.errors.append(describe(error))
    finally:
        await context.close()
    return student


async def classroom(sessions: int, live_budget: str, args: argparse.Namespace) -> Classroom:
    from playwright.async_api import async_playwright

    port = free_port()
    log = Path(f"/tmp/bench_classroom_{port}.log")
    env = {} if live_budget == "default" else {"RNN_LIVE_UPDATES_PER_SECOND": live_budget}
    server = start_app(port, env=env, log=log)
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            url = f"http://127.0.0.1:{port}/"
            # One short visit first, so that loading the models is not counted against the class.
            warm_up = argparse.Namespace(**{**vars(args), "arrival_seconds": 0, "start_seconds": 0,
                                            "wave_seconds": 2, "draws": 1, "names": 1})
            await one_student(browser, url, -1, asyncio.Barrier(1), warm_up)
            rss_before, started = rss_mib(server.pid), time.perf_counter()
            cpu_before = process_cpu_seconds(server.pid)
            browser_cpu_before = descendants_cpu_seconds(os.getpid(), skip=server.pid)
            class_in = asyncio.Barrier(sessions)
            def cpu_clock() -> tuple[float, float]:
                return descendants_cpu_seconds(os.getpid(), skip=server.pid), process_cpu_seconds(server.pid)

            lone = cpu_clock if sessions == 1 else None  # only a lone student's steps can be told apart
            students = await asyncio.gather(*(one_student(browser, url, i, class_in, args, lone)
                                              for i in range(sessions)))
            seconds = time.perf_counter() - started
            cpu = process_cpu_seconds(server.pid) - cpu_before
            browser_cpu = descendants_cpu_seconds(os.getpid(), skip=server.pid) - browser_cpu_before
            rss_after = rss_mib(server.pid)
            await browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    tracebacks = log.read_text(errors="replace").count("Traceback")
    return Classroom(sessions, live_budget, students, seconds, cpu, browser_cpu, (rss_before, rss_after),
                     tracebacks)


def error_count(room: Classroom) -> int:
    return sum(len(s.errors) for s in room.students) + room.server_tracebacks


def report(rooms: list[Classroom], args: argparse.Namespace) -> None:
    print(f"\n## Classroom load on {os.cpu_count()} cores (server and all browsers on one machine): each student "
          f"draws {args.draws}, types {args.names} names, plays the waves {args.wave_seconds:.0f} s; the class "
          f"arrives within {args.arrival_seconds:.0f} s and starts within {args.start_seconds:.0f} s\n")
    rows = []
    for room in rooms:
        opens = [s.open_ms for s in room.students if s.open_ms is not None]
        draws = [ms for s in room.students for ms in s.draw_ms]
        names = [ms for s in room.students for ms in s.name_ms]
        rates = [s.chart_updates_per_s for s in room.students if s.chart_updates_per_s is not None]
        baseline = next((r for r in rooms if r.sessions == 1 and r.live_budget == room.live_budget), None)
        base_draws = [ms for s in baseline.students for ms in s.draw_ms] if baseline else []
        ratio = (f"{statistics.median(draws) / statistics.median(base_draws):.1f}x"
                 if draws and base_draws else "-")
        rows.append([room.sessions, room.live_budget,
                     f"{statistics.median(opens) / 1000:.1f} / {percentile(opens, 0.95) / 1000:.1f}" if opens else "-",
                     f"{statistics.median(draws):.0f}" if draws else "-", f"{percentile(draws, 0.95):.0f}", ratio,
                     f"{statistics.median(names):.0f}" if names else "-", f"{percentile(names, 0.95):.0f}",
                     f"{statistics.median(rates):.1f}" if rates else "-", f"{sum(rates):.0f}" if rates else "-",
                     f"{room.server_cpu_s / room.seconds:.2f}", f"{room.browser_cpu_s / room.seconds:.2f}",
                     f"{room.browser_cpu_s / room.sessions:.1f}",
                     f"{room.server_rss_mib[1] - room.server_rss_mib[0]:+.0f}",
                     sum(s.strokes_redrawn for s in room.students), error_count(room)])
    print(markdown_table(["sessions", "live budget /s", "open p50 / p95 s", "draw->answer p50 ms", "p95 ms",
                          "p50 vs N=1", "name->answer p50 ms", "p95 ms", "chart updates/s per student p50",
                          "all students", "server cores busy", "browser cores busy",
                          "browser CPU s per student", "server RSS MiB", "strokes redrawn",
                          "errors"], rows))
    for room in rooms:
        for i, student in enumerate(room.students):
            for error in student.errors:
                print(f"- N={room.sessions}, budget {room.live_budget}, student {i}: {error}")
        if room.server_tracebacks:
            print(f"- N={room.sessions}: {room.server_tracebacks} traceback(s) in the server log")
    for room in rooms:
        if room.sessions == 1 and room.students[0].cpu_by_step:
            student = room.students[0]
            what = {"draw": f"digit page: open it, {args.draws} drawings answered, {args.draws} Clears",
                    "names": f"names page: open it, {args.names} names answered",
                    "waves": f"wave page: open it, play {args.wave_seconds:.0f} s "
                             f"({(student.chart_updates_per_s or 0) * args.wave_seconds:.0f} chart updates)"}
            print(f"\n### What one student costs, alone (live budget {room.live_budget}): CPU seconds per step\n")
            print(markdown_table(["step", "browser CPU s", "server CPU s"],
                                 [[what.get(step, step), f"{browser:.2f}", f"{server:.2f}"]
                                  for step, (browser, server) in student.cpu_by_step.items()]))
    for room in rooms:
        if room.sessions == max(r.sessions for r in rooms):
            draws = [ms for s in room.students for ms in s.draw_ms]
            met = bool(draws) and percentile(draws, 0.95) <= 2000 and error_count(room) == 0
            print(f"goal at N = {room.sessions}, live budget {room.live_budget}: p95 draw -> answer <= 2000 ms "
                  f"with zero errors: {'met' if met else 'NOT met'}")
    print(f"Machine load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", default="1,5", help="class sizes to run, one fresh server each")
    parser.add_argument("--live-budgets", default="default",
                        help="comma-separated RNN_LIVE_UPDATES_PER_SECOND values for the server; 'default' unset")
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--names", type=int, default=2)
    parser.add_argument("--wave-seconds", type=float, default=20.0)
    parser.add_argument("--arrival-seconds", type=float, default=10.0)
    parser.add_argument("--start-seconds", type=float, default=None, help="default: --wave-seconds")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one step may take before it "
                                                                    "counts as an error")
    parser.add_argument("--screenshots", action="store_true", help="save a screenshot at each page error")
    args = parser.parse_args()
    if args.start_seconds is None:
        args.start_seconds = args.wave_seconds
    rooms = [asyncio.run(classroom(int(n), budget, args))
             for budget in args.live_budgets.split(",") for n in args.sessions.split(",")]
    report(rooms, args)


if __name__ == "__main__":
    main()
