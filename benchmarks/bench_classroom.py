"""A class on one server, measured at the server: simulated students that speak Streamlit's protocol.

    .venv/bin/python -m benchmarks.bench_classroom                          # 1, 10, 30, 60, 100, then up
    .venv/bin/python -m benchmarks.bench_classroom --students 30 --canaries 3
    .venv/bin/python -m benchmarks.bench_classroom --replicas 2 --students 60,100,200
    .venv/bin/python -m benchmarks.bench_classroom --scaling --students 30 --repeat 3   # one replica vs two

Each student is a websocket client (harness/streamlit_client.py), not a browser, so the load generator
costs a few protobufs per student and the figures measure the app. Students arrive over --arrival-seconds,
then each, with a few seconds' thought between actions:
1. opens the app, then the digit page, and draws --draws digits (the canvas's value as the browser sends it
   after a stroke), pressing Clear between them: draw -> answer is the server's time for that rerun;
2. opens the names page and types --names surnames letter by letter (a rerun per letter, as the box sends
   them): name -> answer is the last letter's;
3. opens the wave page, presses Play, and sends the timed fragment reruns the browser's timer would send
   for --wave-seconds: a wave update is a tick that brought new chart data;
4. one student in --trainer-every opens the training page, starts a run, watches it 10 s and stops it.
An error is an exception on screen, a run that did not finish within --timeout s, or a lost connection.
The server runs pinned to one core (each replica to its own with --replicas 2, behind deploy/Caddyfile);
the load generator and the canary tabs keep to the cores left, where there are any, as the students'
own laptops would. The server's CPU (cores busy) and peak RSS come from /proc. --canaries real Chromium
tabs go through the same visit (benchmarks/bench_classroom_browser.py) during the N = 30 class and report
what is on screen, taking turns so that each has the cores left to itself, as on a student's laptop; they
go through it once before that with no class, for what they cost themselves.

--scaling asks how far a second replica carries the class: for each size N, one replica with N students
and two with --factor times N (1.8, the goal), both behind Caddy, --repeat times, back to back and in
turns first, since the machine's speed drifts over minutes more than one run's p95 can tell apart; then
it compares the median p95s. On a 2-core machine two replicas leave no core for Caddy and the load
generator, so in this mode they share the replicas' cores in both runs: each replica has the same share
of the machine.
Ratios are against N = 1 in the same run. Prints tables; asserts nothing about time. A class led by a
teacher (join by code, a question, names and drawings on the projector): benchmarks/bench_class.py.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from harness.streamlit_client import DIGITS, ScriptError, StreamlitSession, canvas_value
from benchmarks.timing import markdown_table
from harness.server import free_port, process_cpu_seconds, rss_mib, start_app, start_caddy

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("RNN_DATA_DIR", str(REPO.parent / "shared" / "data"))

SURNAMES = ["Kowalski", "Nakamura", "Schmidt", "Rossi", "Dubois", "Ivanov", "Garcia", "Murphy", "Novak",
            "Silva", "Papadopoulos", "Kim", "Nguyen", "Jansen", "O'Brien", "Haddad", "Wang", "Smith"]
KEY_GAP_S = 0.2  # a student types about five letters a second
TRAIN_WATCH_S = 10.0
LAG_PROBE_S = 0.05


@dataclass
class Student:
    open_s: float | None = None
    draw_s: list[float] = field(default_factory=list)
    name_s: list[float] = field(default_factory=list)
    wave_updates: int = 0
    wave_seconds: float = 0.0
    trained: bool = False
    errors: list[str] = field(default_factory=list)
    lost: bool = False  # the connection closed under the student
    replica: str = ""  # behind Caddy: its cookie, which names the replica the student landed on


@dataclass
class Classroom:
    students: int
    replicas: int
    results: list[Student]
    seconds: float
    server_cpu_s: float
    server_peak_rss_mib: float
    generator_cpu_s: float
    proxy_cpu_s: float
    generator_lag_p95_s: float  # how late its event loop woke, p95
    canaries: list = field(default_factory=list)  # bench_classroom_browser.Student, what the tabs saw
    class_seconds: float = 0.0  # until the last simulated student left
    canaries_span_s: tuple[float, float] = (0.0, 0.0)  # when the first tab began and the last ended


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


# ----------------------------------------------------------------------------- one student

async def draw_digits(session: StreamlitSession, student: Student, args, chance: random.Random) -> None:
    await session.open_page("digits", timeout=args.timeout)
    for round_, digit in zip(range(args.draws), list(DIGITS) * args.draws):
        await asyncio.sleep(chance.uniform(0.5, 2 * args.think_seconds))
        run = await session.set_widget(f"digits_canvas_{round_}", timeout=args.timeout,
                                       json_value=canvas_value(DIGITS[digit]))
        if not run.has("digit-answer"):
            raise ScriptError(f"drawing {round_ + 1} got no answer")
        student.draw_s.append(run.seconds)
        await session.click("Clear", timeout=args.timeout)


async def type_names(session: StreamlitSession, student: Student, args, chance: random.Random,
                     names: list[str]) -> None:
    await session.open_page("names", timeout=args.timeout)
    for name in names:
        await asyncio.sleep(chance.uniform(0.5, 2 * args.think_seconds))
        for end in range(1, len(name) + 1):
            started = time.perf_counter()
            run = await session.set_widget("names_text", timeout=args.timeout, string_value=name[:end])
            await asyncio.sleep(max(0.0, KEY_GAP_S - (time.perf_counter() - started)))
        if not run.has("Most likely language"):
            raise ScriptError(f"{name!r} got no answer")
        student.name_s.append(run.seconds)


async def play_waves(session: StreamlitSession, student: Student, args, tabs_done: asyncio.Event | None) -> None:
    """Play, and rerun each timed fragment when its interval has passed since its last run ended.

    With tabs_done, play on until it is set: the class stays in the room while the canary tabs finish."""
    await session.open_page("waves", timeout=args.timeout)
    await session.click("waves_play", timeout=args.timeout)
    started = time.perf_counter()
    due = {fragment: started for fragment in session.auto_reruns}
    while ((now := time.perf_counter()) - started < args.wave_seconds
           or (tabs_done is not None and not tabs_done.is_set())):
        fragment = min(due, key=due.get)
        await asyncio.sleep(max(0.0, due[fragment] - now))
        run = await session.tick(fragment, timeout=args.timeout)
        student.wave_updates += bool(run.elements) and session.auto_reruns[fragment] < 0.5  # the chart's tick
        due[fragment] = time.perf_counter() + session.auto_reruns[fragment]
    student.wave_seconds = time.perf_counter() - started
    await session.click("waves_pause", timeout=args.timeout)


async def train_a_model(session: StreamlitSession, student: Student, args) -> None:
    await session.open_page("train", timeout=args.timeout)
    await session.click("Train", timeout=args.timeout)
    started = time.perf_counter()
    while time.perf_counter() - started < TRAIN_WATCH_S:
        for fragment in list(session.auto_reruns):
            await session.tick(fragment, timeout=args.timeout)
        await asyncio.sleep(min(session.auto_reruns.values(), default=1.0))
    await session.click("Stop", timeout=args.timeout)
    student.trained = True


async def one_student(url: str, index: int, args, tabs_done: asyncio.Event | None = None) -> Student:
    student, chance = Student(), random.Random(index)
    names = [SURNAMES[(index + k) % len(SURNAMES)] for k in range(args.names)]
    await asyncio.sleep(chance.uniform(0, args.arrival_seconds))
    started = time.perf_counter()
    try:
        session = await StreamlitSession.connect(url)
    except (OSError, ScriptError, TimeoutError) as error:
        student.errors.append(f"open: {error}")
        return student
    student.open_s = time.perf_counter() - started
    student.replica = session.cookie
    steps = [("draw", lambda: draw_digits(session, student, args, chance)),
             ("names", lambda: type_names(session, student, args, chance, names)),
             ("waves", lambda: play_waves(session, student, args, tabs_done))]
    if args.trainer_every and index % args.trainer_every == 0:
        steps.append(("train", lambda: train_a_model(session, student, args)))
    try:
        for step, action in steps:
            try:
                await action()
            except ScriptError as error:
                student.errors.append(f"{step}: {error}")
    except Exception as error:  # the websocket closed: the rest of the visit is lost
        student.errors.append(f"lost: {type(error).__name__} {error}")
        student.lost = True
    finally:
        await session.close()
    return student


# ----------------------------------------------------------------------------- servers and a class

class Servers:
    """One app process per replica, each on a core of its own; Caddy in front when there are several.

    share_cores: Caddy and the load generator run on the replicas' cores, however many replicas there are,
    so that one replica and two get the same share of the machine each (--scaling). Otherwise the load
    generator keeps to the cores no replica has, where there are any.
    """

    def __init__(self, replicas: int, logs: Path, env: dict[str, str], share_cores: bool = False) -> None:
        self.generator_cores = os.sched_getaffinity(0)
        cores = sorted(self.generator_cores)
        ports = [free_port() for _ in range(replicas)]
        server_cores = [{cores[i % len(cores)]} for i in range(replicas)]
        replica_cores = set().union(*server_cores)
        self.ports = ports
        self.processes = [start_app(port, env=env, cpus=server_cores[i], log=logs / f"replica-{i}.log")
                          for i, port in enumerate(ports)]
        self.logs = [logs / f"replica-{i}.log" for i in range(replicas)]
        self.proxy = None
        self.url = f"http://127.0.0.1:{ports[0]}/"
        if replicas > 1 or share_cores:
            if not shutil.which("caddy"):
                raise SystemExit("Caddy is needed for --replicas 2 and --scaling (apt-get install caddy)")
            # one replica: both of the Caddyfile's names point at it
            self.proxy, url = start_caddy(ports * (2 // replicas), logs, replica_cores if share_cores else None)
            self.url = url + "/"
        if share_cores:
            os.sched_setaffinity(0, replica_cores)
        # Students' browsers are not on the server: keep this process and the Chromium it starts off its cores.
        elif spare := self.generator_cores - replica_cores:
            os.sched_setaffinity(0, spare)

    def live(self) -> list:
        return [process for process in self.processes if process.poll() is None]

    def cpu_seconds(self) -> float:
        return sum(process_cpu_seconds(p.pid) for p in self.live())

    def proxy_cpu_seconds(self) -> float:
        return process_cpu_seconds(self.proxy.pid) if self.proxy else 0.0

    def rss_mib(self) -> float:
        return sum(rss_mib(p.pid) for p in self.live())

    def tracebacks(self) -> int:
        return sum(log.read_text(errors="replace").count("Traceback") for log in self.logs)

    def kill(self, replica: int) -> None:
        """Kill one replica outright (SIGKILL): no shutdown of any kind, as a crash or a pulled plug."""
        self.processes[replica].kill()
        self.processes[replica].wait(timeout=10)

    def stop(self) -> None:
        for process in [*self.processes, *([self.proxy] if self.proxy else [])]:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
        os.sched_setaffinity(0, self.generator_cores)


async def watch_rss(servers: Servers, peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], servers.rss_mib())
        await asyncio.sleep(0.5)


async def watch_loop_lag(lags: list[float], stop: asyncio.Event) -> None:
    """How late the load generator's event loop wakes: its own share of every time it reports."""
    while not stop.is_set():
        asked = time.perf_counter()
        await asyncio.sleep(LAG_PROBE_S)
        lags.append(time.perf_counter() - asked - LAG_PROBE_S)


async def canary_tabs(url: str, count: int, args, span: list[float], done: asyncio.Event) -> list:
    """Real Chromium tabs on the same visit, for what a student at a laptop would see meanwhile.

    The tabs take turns, so that each has the cores left to itself, as a student's tab has their laptop;
    each plays the waves for a share of --wave-seconds, and the class plays on until they are done.
    """
    from playwright.async_api import async_playwright

    from benchmarks.bench_classroom_browser import one_student as one_tab
    from harness.server import CHROMIUM, CHROMIUM_ARGS
    tab_args = argparse.Namespace(arrival_seconds=0.0, start_seconds=0.0, draws=args.draws, names=args.names,
                                  wave_seconds=args.wave_seconds / count, timeout=args.timeout, screenshots=False)
    tabs = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        await asyncio.sleep(args.arrival_seconds / 2)  # the first tab comes while the class arrives
        span[0] = time.perf_counter()
        try:
            for i in range(count):
                tabs.append(await one_tab(browser, url, 1000 + i, asyncio.Barrier(1), tab_args))
        finally:
            span[1] = time.perf_counter()
            done.set()
        await browser.close()
    return tabs


async def classroom(students: int, replicas: int, canaries: int, args, share_cores: bool = False,
                    server_env: dict[str, str] | None = None) -> Classroom:
    logs = Path(tempfile.mkdtemp(prefix="bench_classroom_"))
    env = {"RNN_LIVE_UPDATES_PER_SECOND": args.live_budget} if args.live_budget else {}
    env.update(server_env or {})
    servers = Servers(replicas, logs, env, share_cores)
    try:
        # One visit per replica first, so that loading the models is not counted against the class.
        warm = argparse.Namespace(**{**vars(args), "arrival_seconds": 0, "wave_seconds": 1, "think_seconds": 0.3})
        await asyncio.gather(*(one_student(servers.url, -1 - i, warm) for i in range(2 * replicas)))
        peak, stop = [servers.rss_mib()], asyncio.Event()
        watcher = asyncio.create_task(watch_rss(servers, peak, stop))
        lags: list[float] = []
        lag_watcher = asyncio.create_task(watch_loop_lag(lags, stop))
        cpu_before, generator_before = servers.cpu_seconds(), time.process_time()
        proxy_before = servers.proxy_cpu_seconds()
        started, span, tabs_done = time.perf_counter(), [0.0, 0.0], asyncio.Event() if canaries else None
        tabs = asyncio.create_task(canary_tabs(servers.url, canaries, args, span, tabs_done)) if canaries else None
        results = await asyncio.gather(*(one_student(servers.url, i, args, tabs_done) for i in range(students)))
        class_seconds = time.perf_counter() - started
        seen_by_tabs = await tabs if tabs else []
        seconds = time.perf_counter() - started
        cpu = servers.cpu_seconds() - cpu_before
        proxy = servers.proxy_cpu_seconds() - proxy_before
        generator = time.process_time() - generator_before
        stop.set()
        await watcher
        await lag_watcher
        if servers.tracebacks():
            results[0].errors.append(f"{servers.tracebacks()} traceback(s) in the server log ({logs})")
    finally:
        servers.stop()
    return Classroom(students, replicas, results, seconds, cpu, peak[0], generator, proxy, percentile(lags, 0.95),
                     seen_by_tabs, class_seconds, (span[0] - started, span[1] - started))


# ----------------------------------------------------------------------------- report

def error_count(room: Classroom) -> int:
    return sum(len(s.errors) for s in room.results)


def meets_goal(room: Classroom) -> bool:
    draws = [x for s in room.results for x in s.draw_s]
    names = [x for s in room.results for x in s.name_s]
    return (bool(draws) and percentile(draws, 0.95) <= 1.0 and percentile(names, 0.95) <= 0.5
            and error_count(room) == 0)


def students_per_replica(room: Classroom) -> str:
    """How the load balancer split the class, largest share first (students counted by its cookie)."""
    if room.replicas == 1:
        return str(len(room.results))
    shares = Counter(student.replica for student in room.results if student.open_s is not None)
    return " / ".join(str(count) for _replica, count in shares.most_common())


def p95s(room: Classroom) -> str:
    draws = [x * 1000 for s in room.results for x in s.draw_s]
    names = [x * 1000 for s in room.results for x in s.name_s]
    return f"{percentile(draws, 0.95):.0f} / {percentile(names, 0.95):.0f}"


def canary_line(room: Classroom, when: str) -> str:
    tabs = room.canaries
    draws = [ms for tab in tabs for ms in tab.draw_ms]
    names = [ms for tab in tabs for ms in tab.name_ms]
    during = (f" (the tabs in turn from {room.canaries_span_s[0]:.0f} s to {room.canaries_span_s[1]:.0f} s; "
              f"the class's last student left at {room.class_seconds:.0f} s)" if room.students else "")
    return (f"Canary tabs in Chromium {when}: draw -> answer on screen p50 / p95 {statistics.median(draws):.0f} / "
            f"{percentile(draws, 0.95):.0f} ms, name -> answer {statistics.median(names):.0f} / "
            f"{percentile(names, 0.95):.0f} ms, errors {sum(len(tab.errors) for tab in tabs)}{during}")


def report(rooms: list[Classroom], args, canaries_alone: Classroom | None = None) -> None:
    print(f"\n## A class at the server, {os.cpu_count()} cores: each student draws {args.draws} digits, types "
          f"{args.names} surnames, plays the waves {args.wave_seconds:.0f} s; one in {args.trainer_every} "
          f"trains a model; arrivals over {args.arrival_seconds:.0f} s; each replica pinned to one core; live "
          f"updates budget {args.live_budget or 'default'} a second per replica\n")
    rows = []
    for room in rooms:
        draws = [x * 1000 for s in room.results for x in s.draw_s]
        names = [x * 1000 for s in room.results for x in s.name_s]
        opens = [s.open_s * 1000 for s in room.results if s.open_s is not None]
        rates = [s.wave_updates / s.wave_seconds for s in room.results if s.wave_seconds]
        alone = next((r for r in rooms if r.students == 1 and r.replicas == room.replicas), None)
        alone_draws = [x for s in alone.results for x in s.draw_s] if alone else []
        ratio = (f"{percentile(draws, 0.95) / 1000 / percentile(alone_draws, 0.95):.1f}x"
                 if draws and alone_draws else "-")
        rows.append([room.students, room.replicas,
                     f"{statistics.median(opens):.0f}" if opens else "-",
                     " / ".join(f"{percentile(draws, q):.0f}" for q in (0.5, 0.95, 0.99)), ratio,
                     " / ".join(f"{percentile(names, q):.0f}" for q in (0.5, 0.95, 0.99)),
                     f"{statistics.median(rates):.1f}" if rates else "-", f"{sum(rates):.0f}" if rates else "-",
                     sum(s.trained for s in room.results), error_count(room), sum(s.lost for s in room.results),
                     f"{room.server_cpu_s / room.seconds:.2f}", f"{room.server_peak_rss_mib:.0f}",
                     f"{room.generator_cpu_s / room.seconds:.2f}", f"{room.generator_lag_p95_s * 1000:.0f}",
                     f"{room.proxy_cpu_s / room.seconds:.2f}",
                     students_per_replica(room),
                     "yes" if meets_goal(room) else "no"])
    print(markdown_table(["students", "replicas", "open p50 ms", "draw->answer p50 / p95 / p99 ms",
                          "p95 vs N=1", "name->answer p50 / p95 / p99 ms", "wave updates/s per student p50",
                          "wave updates/s, all", "training runs", "errors", "lost sessions",
                          "server cores busy", "server peak RSS MiB", "load generator cores busy",
                          "its loop lag p95 ms", "Caddy cores busy", "students per replica",
                          "p95 draw <= 1 s, name <= 0.5 s, no errors"], rows))
    for room in rooms:
        for i, student in enumerate(room.results):
            for error in student.errors[:3]:
                print(f"- N={room.students}, {room.replicas} replica(s), student {i}: {error}")
    if canaries_alone is not None:
        print("\n" + canary_line(canaries_alone, "alone, the same visit on a server with no class: what "
                                                 "the tabs cost themselves on the cores left to them"))
    for room in rooms:
        if room.canaries:
            print(("" if canaries_alone else "\n") + canary_line(room, f"during N = {room.students}"))
            for i, tab in enumerate(room.canaries):
                for error in tab.errors[:3]:
                    print(f"- canary {i}: {error}")
    for replicas in sorted({r.replicas for r in rooms}):
        passing = [r.students for r in rooms if r.replicas == replicas and meets_goal(r)]
        print(f"Largest class that met the goal with {replicas} replica(s): {max(passing) if passing else 'none'}")


def scaling_report(pairs: list[tuple[Classroom, Classroom]]) -> None:
    """Each pair: one replica with N students and two with --factor times N, run one after the other."""
    print("\n## One replica with N students against two with more, behind Caddy; Caddy and the load generator "
          "share the replicas' cores, so each replica has the same share of the machine in both\n")

    def busy(room: Classroom) -> str:
        return (f"{room.server_cpu_s / room.seconds:.2f} / {room.proxy_cpu_s / room.seconds:.2f} / "
                f"{room.generator_cpu_s / room.seconds:.2f} / {room.generator_lag_p95_s * 1000:.0f}")

    rows = [[one.students, p95s(one), busy(one), "yes" if meets_goal(one) else "no", two.students, p95s(two),
             busy(two), students_per_replica(two), "yes" if meets_goal(two) else "no"] for one, two in pairs]
    cores = "cores busy: replicas / Caddy / load generator; its loop lag p95 ms"
    print(markdown_table(["N", "one replica: p95 draw / name ms", cores, "goal met", "students",
                          "two replicas: p95 draw / name ms", cores, "students per replica", "goal met"], rows))
    for one, two in pairs:
        for room in (one, two):
            for i, student in enumerate(room.results):
                for error in student.errors[:3]:
                    print(f"- N={room.students}, {room.replicas} replica(s), student {i}: {error}")
    for n in sorted({one.students for one, _ in pairs}):
        ones = [one for one, _ in pairs if one.students == n]
        twos = [two for one, two in pairs if one.students == n]

        def median_p95(rooms: list[Classroom], measure: str) -> float:
            return statistics.median(percentile([x for s in r.results for x in getattr(s, measure)], 0.95)
                                     for r in rooms)
        draw_one, draw_two = median_p95(ones, "draw_s"), median_p95(twos, "draw_s")
        name_one, name_two = median_p95(ones, "name_s"), median_p95(twos, "name_s")
        held = twos[0].students / n
        print(f"N = {n}, median over {len(ones)} pair(s): one replica with {n} students p95 draw / name "
              f"{draw_one * 1000:.0f} / {name_one * 1000:.0f} ms, two with {twos[0].students} "
              f"{draw_two * 1000:.0f} / {name_two * 1000:.0f} ms: two replicas hold {held:.1f}x the class "
              f"{'at no more' if draw_two <= draw_one and name_two <= name_one else 'at more'} than one's p95 "
              f"(draw {draw_two / draw_one:.2f}x, name {name_two / name_one:.2f}x)")


def class_arguments() -> argparse.ArgumentParser:
    """The options of a class (and of this benchmark); bench_gc_pauses.py takes them as they are."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", default="1,10,30,60,100", help="class sizes, one fresh server each")
    parser.add_argument("--replicas", type=int, default=1, choices=(1, 2))
    parser.add_argument("--until-it-breaks", action="store_true",
                        help="after the sizes given, add 50 students at a time until the goal is missed")
    parser.add_argument("--scaling", action="store_true",
                        help="for each size N: one replica with N students, then two with --factor N, each with "
                             "the same share of the machine (Caddy and the load generator on the replicas' cores)")
    parser.add_argument("--repeat", type=int, default=3, help="--scaling: pairs per size")
    parser.add_argument("--factor", type=float, default=1.8, help="--scaling: two replicas get this many times N")
    parser.add_argument("--canaries", type=int, default=3, help="Chromium tabs during the N = 30 class")
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--names", type=int, default=2)
    parser.add_argument("--wave-seconds", type=float, default=20.0)
    parser.add_argument("--trainer-every", type=int, default=5, help="one student in this many trains a model")
    parser.add_argument("--arrival-seconds", type=float, default=10.0)
    parser.add_argument("--think-seconds", type=float, default=1.5, help="mean pause between a student's actions")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--live-budget", default="", help="RNN_LIVE_UPDATES_PER_SECOND for the servers "
                                                          "(wave and memory chart updates a second, all visitors)")
    return parser


def main() -> None:
    args = class_arguments().parse_args()
    rooms, sizes = [], list(map(int, args.students.split(",")))
    if args.scaling:
        pairs = []
        for n in sizes:
            for repeat in range(args.repeat):
                runs = [(1, n), (2, round(args.factor * n))]  # (replicas, students)
                if repeat % 2:  # back to back, in turns first: the machine's speed drifts
                    runs.reverse()
                rooms = {replicas: asyncio.run(classroom(size, replicas, 0, args, share_cores=True))
                         for replicas, size in runs}
                pairs.append((rooms[1], rooms[2]))
                print(f"N = {n}, pair {repeat + 1}: done", file=sys.stderr)
        scaling_report(pairs)
        return
    # The tabs share this machine's spare cores: first see what they cost themselves, with no class.
    canaries_alone = None
    if args.canaries and 30 in sizes:
        canaries_alone = asyncio.run(classroom(0, args.replicas, args.canaries, args))
    for n in sizes:
        rooms.append(asyncio.run(classroom(n, args.replicas, args.canaries if n == 30 else 0, args)))
        print(f"N = {n}: done in {rooms[-1].seconds:.0f} s", file=sys.stderr)
    while args.until_it_breaks and meets_goal(rooms[-1]):
        rooms.append(asyncio.run(classroom(rooms[-1].students + 50, args.replicas, 0, args)))
    report(rooms, args, canaries_alone)


if __name__ == "__main__":
    main()
