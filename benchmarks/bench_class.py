"""The classroom benchmark's class mode: a teacher leads N students through a class, measured at the server.

    .venv/bin/python -m benchmarks.bench_class                                   # N = 40, one server, SQLite
    .venv/bin/python -m benchmarks.bench_class --replicas 2 --students 72        # behind Caddy, PostgreSQL
    .venv/bin/python -m benchmarks.bench_class --replicas 2 --students 72 --kill-replica

The teacher's tab is also the projector: it opens a class and keeps its boards polling once a second, as the
tab's timers do. N simulated students (websocket clients, harness/streamlit_client.py, as in
bench_classroom.py) arrive over --arrival-seconds, open the join link, type the code and a nickname, and keep
the class's banner polling as their tabs do. The teacher then leads, each step once every student has done
the one before:
1. asks a ready question; each student answers after a moment's thought. Answer -> on the projector is the
   time from the student's "Sent" until the projector's tally counts that many answers;
2. starts the class's names: the class is brought to the form (sent -> arrived: the teacher's click until
   the student's page shows the form), each student types a surname and sends it (name -> answer: the
   server's time for the send), and name -> on the projector as above;
3. starts the handwriting: each student draws a digit and sends it (draw -> answer, drawing -> projector).
--kill-replica (two replicas): once half the class has answered the question, the replica without the
teacher is killed (SIGKILL). Its students reconnect as their tabs do, through Caddy to the other replica,
opening the address their tab holds (the class page with their pass): back in the class is the time from
the kill until that page shows them in the class, and an answer they had been told was sent must be shown
to them again. At the end the projector must count every acknowledged answer, name and drawing.

With two replicas the store is a throwaway PostgreSQL cluster (harness/postgres.py), else an SQLite file.
Each replica is pinned to a core of its own, as in bench_classroom.py. Goals: p95 answer -> projector and
sent -> arrived <= 2 s, p95 draw -> answer <= 1 s and name -> answer <= 0.5 s (bench_classroom.py's), no
errors, nothing acknowledged lost. Prints tables; asserts nothing about time.
"""
from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from websockets.exceptions import ConnectionClosed

from benchmarks.bench_classroom import SURNAMES, Servers, percentile
from benchmarks.timing import markdown_table
from harness.postgres import Postgres, create_database
from harness.streamlit_client import DIGITS, Run, ScriptError, StreamlitSession, canvas_value

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("RNN_DATA_DIR", str(REPO.parent / "shared" / "data"))

ACTIVITIES = ("answer", "name", "drawing")
# What the projector's boards say, in English (the client's locale): the count each one shows.
COUNTS = {activity: re.compile(rf"^(\d+) {activity}s?$") for activity in ACTIVITIES}
ANSWER_BUTTON = "class_answer_"  # the answer buttons' keys begin so
STARTS = {"answer": "Ask the class", "name": "Start: every student sends a surname",
          "drawing": "Start: every student draws"}  # the teacher's buttons
ARRIVED = {"name": "class_surname", "drawing": "class_canvas_0"}  # the widget that shows a student has arrived
LOST = (ConnectionClosed, OSError)  # the websocket's server has gone
RSS_EVERY_S = 1.0
HOLD_WINDOW_S = 300.0  # --hold-minutes is reported in windows of five minutes


@dataclass
class Student:
    replica: str = ""  # the cookie Caddy routes by: which replica the student's tab opened on
    join_s: float | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # activity -> the server's time for the send
    sent_at: dict[str, float] = field(default_factory=dict)  # activity -> when "Sent" was on the student's screen
    arrived_s: dict[str, float] = field(default_factory=dict)  # activity -> teacher's click until on the form
    back_s: float | None = None  # --kill-replica: from the kill until the class page shows them in the class
    answer_kept: bool | None = None  # --kill-replica: an acknowledged answer shown again after the reconnection
    polls: list[tuple[float, float]] = field(default_factory=list)  # (when, the server's seconds) per banner poll
    errors: list[str] = field(default_factory=list)


@dataclass
class Lesson:
    """What the teacher's tab and the students share in the benchmark (not in the app): the code, the
    moments the teacher moved the class, what the projector counted when, and the end."""
    code: str = ""
    students: int = 0
    joined: int = 0
    started_at: dict[str, float] = field(default_factory=dict)  # activity -> the teacher's click returned
    shown: dict[str, list[tuple[float, int]]] = field(default_factory=lambda: {a: [] for a in ACTIVITIES})
    acknowledged: dict[str, int] = field(default_factory=lambda: {a: 0 for a in ACTIVITIES})
    teacher_replica: str = ""  # the cookie of the replica the teacher's tab is on
    killed_at: float | None = None
    held_from: float | None = None  # --hold-minutes: when the class began sitting with every tab polling
    projector_polls: list[tuple[float, float]] = field(default_factory=list)  # (when, the server's seconds)
    rss: list[tuple[float, float]] = field(default_factory=list)  # (when, MiB of every replica together)
    over: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class ClassRun:
    students: int
    replicas: int
    killed: bool
    results: list[Student]
    lesson: Lesson
    seconds: float
    server_cpu_s: float
    server_peak_rss_mib: float
    teacher_errors: list[str]


# ----------------------------------------------------------------------------- the teacher and the projector

def count_shown(run: Run, lesson: Lesson) -> None:
    """Note each board's count in this run, with the moment the projector showed it."""
    now = time.perf_counter()
    for text in run.texts():
        for activity, pattern in COUNTS.items():
            if found := pattern.match(text):
                lesson.shown[activity].append((now, int(found.group(1))))


async def until(condition: Callable[[], bool], timeout: float) -> bool:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            return False
        await asyncio.sleep(0.1)
    return True


@dataclass
class Timer:
    """A tab's timer for a timed fragment. Streamlit's frontend runs a fragment with run_every on a
    setInterval started when it first saw the fragment, so a slow run does not move the runs after it, and a
    class's tabs keep the moments they opened at."""
    interval: float
    due: float = field(default_factory=time.perf_counter)

    def fired(self) -> None:
        """On to the next moment; those missed while a run was in flight are skipped (a tab would queue them)."""
        self.due += self.interval
        if (late := time.perf_counter() - self.due) > 0:
            self.due += math.ceil(late / self.interval) * self.interval


async def projector(session: StreamlitSession, lesson: Lesson, moves: asyncio.Queue) -> None:
    """The teacher's tab: each board reruns on its own timer, and a move of the teacher's (starting an
    activity) goes in between, as a click does in a browser."""
    timers = {fragment: Timer(interval) for fragment, interval in session.auto_reruns.items()}
    for timer in timers.values():
        timer.fired()  # each board ran in the page's run that started its timer
    while not lesson.over.is_set():
        fragment = min(timers, key=lambda f: timers[f].due)
        try:
            activity, done = await asyncio.wait_for(moves.get(), max(0.0, timers[fragment].due - time.perf_counter()))
        except TimeoutError:
            run = await session.tick(fragment)
            timers[fragment].fired()
            lesson.projector_polls.append((time.perf_counter(), run.seconds))
        else:
            lesson.started_at[activity] = time.perf_counter()  # before the click: no student can see it sooner
            run = await session.click(STARTS[activity])
            done.set_result(None)
        count_shown(run, lesson)


async def lead(lesson: Lesson, moves: asyncio.Queue, args, errors: list[str]) -> None:
    """The teacher's moves, each once the class has done the one before (or --timeout has passed)."""
    if not await until(lambda: lesson.joined == lesson.students, args.arrival_seconds + args.timeout):
        errors.append(f"only {lesson.joined} of {lesson.students} joined")
    for activity in ACTIVITIES:
        await asyncio.sleep(args.think_seconds)
        done = asyncio.get_running_loop().create_future()
        await moves.put((activity, done))
        await done
        if not await until(lambda: lesson.acknowledged[activity] == lesson.joined, args.timeout):
            errors.append(f"{activity}: {lesson.acknowledged[activity]} of {lesson.joined} sent")
    await asyncio.sleep(2 * args.think_seconds)  # the projector's last polls
    lesson.held_from = time.perf_counter()
    await asyncio.sleep(args.hold_minutes * 60)  # the rest of the lesson: every tab open, polling
    lesson.over.set()


async def teacher(url: str, lesson: Lesson, args, errors: list[str], opened: asyncio.Event) -> None:
    """Opens the class and leads it, the projector polling meanwhile."""
    session = await StreamlitSession.connect(url)
    lesson.teacher_replica = session.cookie
    try:
        await session.open_page("class")
        run = await session.click("Start a class")
        lesson.code = next(text[2:] for text in run.texts() if re.fullmatch(r"# [0-9A-Z]{6}", text))
        opened.set()
        moves: asyncio.Queue = asyncio.Queue()
        await asyncio.gather(projector(session, lesson, moves), lead(lesson, moves, args, errors))
    finally:
        await session.close()


# ----------------------------------------------------------------------------- one student

async def send(session: StreamlitSession, activity: str, index: int, surname: str) -> Run:
    """What a student does for each activity: pick an answer, send a surname, draw and send a digit."""
    if activity == "answer":
        options = sorted(key for key in session.widgets if key.startswith(ANSWER_BUTTON))
        return await session.click(options[index % len(options)])
    if activity == "name":
        session.fill("class_surname", string_value=surname)
        return await session.click("FormSubmitter:class_names_form-Send")
    digit = list(DIGITS)[index % len(DIGITS)]
    await session.set_widget("class_canvas_0", json_value=canvas_value(DIGITS[digit]))
    return await session.click("Send the drawing")


async def take_part(session: StreamlitSession, me: Student, lesson: Lesson, index: int, args,
                    chance: random.Random) -> None:
    """Poll the banner as the tab does; answer, send a surname and a drawing as each comes."""
    surname = SURNAMES[index % len(SURNAMES)]
    timer = Timer(next(iter(session.auto_reruns.values())))  # the banner's, the page's one timed fragment
    while not lesson.over.is_set():
        timer.fired()
        await asyncio.sleep(max(0.0, timer.due - time.perf_counter()))
        run = await session.tick(next(iter(session.auto_reruns)))
        me.polls.append((time.perf_counter(), run.seconds))
        # The question stays on the banner until it is revealed: an activity's form, where there is one, is newer.
        here = next((activity for activity, key in ARRIVED.items() if key in run.widget_keys),
                    "answer" if any(key.startswith(ANSWER_BUTTON) for key in run.widget_keys) else None)
        if here is not None and here not in me.sent_at:
            if here in ARRIVED and here not in me.arrived_s:
                me.arrived_s[here] = time.perf_counter() - lesson.started_at[here]
            await asyncio.sleep(chance.uniform(0.5, 2 * args.think_seconds))
            sent = await send(session, here, index, surname)
            if not sent.has("Sent"):
                raise ScriptError(f"{here}: no “Sent” ({sent.texts()[:3]})")
            me.seconds[here], me.sent_at[here] = sent.seconds, time.perf_counter()
            lesson.acknowledged[here] += 1


async def come_back(url: str, address: str, me: Student, lesson: Lesson) -> StreamlitSession:
    """After the replica died: a new session on whichever replica Caddy gives, at the address the tab holds."""
    while True:
        try:
            session = await StreamlitSession.connect(url)
            run = await session.open_page("class", address)
            break
        except LOST:
            await asyncio.sleep(0.2)
    me.back_s = time.perf_counter() - lesson.killed_at
    if not run.has(f"You are in class {lesson.code}"):
        raise ScriptError("not back in the class after the reconnection")
    if "answer" in me.sent_at:
        run = await session.tick(next(iter(session.auto_reruns)))
        me.answer_kept = run.has("Sent:")
    return session


async def one_student(url: str, index: int, lesson: Lesson, args, opened: asyncio.Event) -> Student:
    me, chance = Student(), random.Random(index)
    await opened.wait()
    await asyncio.sleep(chance.uniform(0, args.arrival_seconds))
    try:
        session = await StreamlitSession.connect(url)
    except (OSError, ScriptError, TimeoutError) as error:
        me.errors.append(f"open: {error}")
        return me
    me.replica = session.cookie
    try:
        await session.open_page("class", f"class={lesson.code}")  # the join link
        session.fill("class_join_code", string_value=lesson.code)
        session.fill("class_nickname", string_value=f"Kid {index}")
        run = await session.click("FormSubmitter:class_join-Join")  # a form's submit button
        if not run.has(f"You are in class {lesson.code}"):
            raise ScriptError(f"join: {run.texts()[:3]}")
        me.join_s = run.seconds
        lesson.joined += 1
        while True:
            try:
                await take_part(session, me, lesson, index, args, chance)
                break
            except LOST:
                if lesson.killed_at is None:
                    raise
                session = await come_back(url, session.query_string, me, lesson)
    except ScriptError as error:
        me.errors.append(str(error))
    except LOST as error:
        me.errors.append(f"lost: {type(error).__name__} {error}")
    finally:
        await session.close()
    return me


# ----------------------------------------------------------------------------- a class

async def watch_rss(servers: Servers, lesson: Lesson) -> None:
    while not lesson.over.is_set():
        lesson.rss.append((time.perf_counter(), servers.rss_mib()))
        await asyncio.sleep(RSS_EVERY_S)


async def kill_midway(servers: Servers, lesson: Lesson) -> None:
    """Once half the class has answered, kill the replica the teacher's tab is not on."""
    await until(lambda: lesson.acknowledged["answer"] >= max(1, lesson.students // 2), float("inf"))
    victim = next(i for i, port in enumerate(servers.ports) if not lesson.teacher_replica.endswith(f":{port}"))
    lesson.killed_at = time.perf_counter()
    servers.kill(victim)


async def a_class(students: int, replicas: int, kill: bool, args, database: str) -> ClassRun:
    logs = Path(tempfile.mkdtemp(prefix="bench_class_"))
    servers = Servers(replicas, logs, {"RNN_CLASS_DB": database})
    lesson, errors, opened = Lesson(students=students), [], asyncio.Event()
    try:
        watcher = asyncio.create_task(watch_rss(servers, lesson))
        cpu_before, started = servers.cpu_seconds(), time.perf_counter()
        killer = asyncio.create_task(kill_midway(servers, lesson)) if kill else None
        results, _ = await asyncio.gather(
            asyncio.gather(*(one_student(servers.url, i, lesson, args, opened) for i in range(students))),
            teacher(servers.url, lesson, args, errors, opened))
        if killer is not None and not killer.done():
            killer.cancel()
            errors.append("the replica was never killed: half the class never answered")
        seconds = time.perf_counter() - started
        cpu = servers.cpu_seconds() - cpu_before
        await watcher
        if tracebacks := servers.tracebacks():
            errors.append(f"{tracebacks} traceback(s) in the server logs ({logs})")
    finally:
        servers.stop()
    return ClassRun(students, replicas, kill, results, lesson, seconds, cpu, max(m for _, m in lesson.rss), errors)


# ----------------------------------------------------------------------------- report

def projector_delays(room: ClassRun, activity: str) -> list[float]:
    """For each acknowledgement, in order: the seconds until the projector counted that many."""
    acknowledged = sorted(s.sent_at[activity] for s in room.results if activity in s.sent_at)
    shown = room.lesson.shown[activity]
    return [next((seen - at for seen, count in shown if seen >= at and count >= rank), float("inf"))
            for rank, at in enumerate(acknowledged, start=1)]


def lost(room: ClassRun, activity: str) -> int:
    """Acknowledged to a student but not counted on the projector at the end."""
    final = room.lesson.shown[activity][-1][1] if room.lesson.shown[activity] else 0
    return sum(activity in s.sent_at for s in room.results) - final


def error_count(room: ClassRun) -> int:
    return len(room.teacher_errors) + sum(len(s.errors) for s in room.results)


def ms(values: list[float], *quantiles: float) -> str:
    return " / ".join(f"{percentile(values, q) * 1000:.0f}" for q in quantiles) if values else "-"


def meets_goal(room: ClassRun) -> bool:
    def p95(values: list[float]) -> float:
        return percentile(values, 0.95) if values else float("inf")
    arrivals = [s.arrived_s[a] for s in room.results for a in s.arrived_s]
    return (all(p95(projector_delays(room, a)) <= 2.0 for a in ACTIVITIES) and p95(arrivals) <= 2.0
            and p95([s.seconds["drawing"] for s in room.results if "drawing" in s.seconds]) <= 1.0
            and p95([s.seconds["name"] for s in room.results if "name" in s.seconds]) <= 0.5
            and error_count(room) == 0 and not any(lost(room, a) for a in ACTIVITIES))


def hold_report(room: ClassRun) -> None:
    """--hold-minutes: the class sitting with every tab open, polling; in windows, so a drift would show."""
    start, rows = room.lesson.held_from, []
    end = max(when for when, _ in room.lesson.rss)
    for window in range(max(1, round((end - start) / HOLD_WINDOW_S))):
        low, high = start + window * HOLD_WINDOW_S, min(end, start + (window + 1) * HOLD_WINDOW_S)
        polls = [seconds for s in room.results for when, seconds in s.polls if low <= when < high]
        projector = [seconds for when, seconds in room.lesson.projector_polls if low <= when < high]
        rss = [mib for when, mib in room.lesson.rss if low <= when < high]
        rows.append([f"{(low - start) / 60:.0f}-{(high - start) / 60:.0f}", len(polls),
                     ms(polls, 0.5, 0.95, 0.99), ms(projector, 0.5, 0.95), f"{rss[0]:.0f} -> {rss[-1]:.0f}"])
    print(f"\nN = {room.students}, the class sitting for {(end - start) / 60:.1f} minutes after its activities, "
          "every student's banner and the projector polling once a second:\n")
    print(markdown_table(["minutes", "banner polls", "banner poll p50 / p95 / p99 ms", "projector poll p50 / p95 ms",
                          "server RSS MiB, first -> last"], rows))


def report(rooms: list[ClassRun], args, speed: float) -> None:
    print(f"\n## A class led by a teacher, at the server, {os.cpu_count()} cores (20 million additions on one in "
          f"{speed:.1f} s): join, answer a question, send a surname and a drawing; arrivals over "
          f"{args.arrival_seconds:.0f} s; each replica pinned to one core\n")
    rows = []
    for room in rooms:
        seconds = {a: [s.seconds[a] for s in room.results if a in s.seconds] for a in ACTIVITIES}
        arrivals = [s.arrived_s[a] for s in room.results for a in s.arrived_s]
        split = Counter(s.replica for s in room.results if s.join_s is not None).most_common()
        rows.append([room.students, " / ".join(str(count) for _, count in split),
                     "PostgreSQL" if room.replicas > 1 else "SQLite",
                     "yes" if room.killed else "no",
                     ms([s.join_s for s in room.results if s.join_s is not None], 0.5, 0.95),
                     ms(projector_delays(room, "answer"), 0.5, 0.95), ms(arrivals, 0.5, 0.95),
                     ms(seconds["name"], 0.5, 0.95), ms(projector_delays(room, "name"), 0.5, 0.95),
                     ms(seconds["drawing"], 0.5, 0.95), ms(projector_delays(room, "drawing"), 0.5, 0.95),
                     error_count(room), sum(lost(room, a) for a in ACTIVITIES),
                     f"{room.server_cpu_s / room.seconds:.2f}", f"{room.server_peak_rss_mib:.0f}",
                     "yes" if meets_goal(room) else "no"])
    print(markdown_table(["students", "students per replica", "store", "replica killed", "join p50 / p95 ms",
                          "answer -> projector p50 / p95 ms", "sent -> arrived p50 / p95 ms",
                          "name -> answer p50 / p95 ms", "name -> projector p50 / p95 ms",
                          "draw -> answer p50 / p95 ms", "drawing -> projector p50 / p95 ms", "errors",
                          "acknowledged, not on the projector", "server cores busy", "server peak RSS MiB",
                          "goals met"], rows))
    for room in rooms:
        if room.killed:
            moved = [s for s in room.results if s.back_s is not None]
            backs = [s.back_s for s in moved]
            kept = [s.answer_kept for s in moved if s.answer_kept is not None]
            print(f"\nN = {room.students}, a replica killed once half had answered: {len(moved)} students were on "
                  f"it; back in the class on the other after p50 / max {statistics.median(backs):.1f} / "
                  f"{max(backs):.1f} s" if moved else "\nNo student was on the killed replica", end="")
            print(f"; {sum(kept)} of {len(kept)} answers they had sent were shown to them again" if kept else "")
        if args.hold_minutes:
            hold_report(room)
        for error in room.teacher_errors:
            print(f"- N={room.students}, the teacher: {error}")
        for i, student in enumerate(room.results):
            for error in student.errors[:3]:
                print(f"- N={room.students}, student {i}: {error}")


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", default="40", help="class sizes, one fresh server (and store) each")
    parser.add_argument("--replicas", type=int, default=1, choices=(1, 2))
    parser.add_argument("--kill-replica", action="store_true",
                        help="two replicas: kill the one without the teacher once half the class has answered")
    parser.add_argument("--arrival-seconds", type=float, default=10.0)
    parser.add_argument("--think-seconds", type=float, default=1.5, help="mean pause before a student acts")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--hold-minutes", type=float, default=0.0,
                        help="after the activities, the class sits this long with every tab polling")
    return parser


def machine_speed() -> float:
    """Seconds for 20 million additions in Python on one core: this machine's speed drifts from minute to
    minute (docs/classroom.md), so each report says how fast it was."""
    loop = "x = 0\nfor i in range(20_000_000):\n    x += i"
    started = time.perf_counter()
    subprocess.run(["taskset", "-c", "0", sys.executable, "-c", loop], check=True)
    return time.perf_counter() - started


def main() -> None:
    args = arguments().parse_args()
    speed = machine_speed()
    if args.kill_replica and args.replicas != 2:
        raise SystemExit("--kill-replica needs --replicas 2")
    cluster = None
    if args.replicas > 1:  # replicas share one class: PostgreSQL, as deploy/compose.yaml runs it
        cluster = Postgres()
    rooms = []
    try:
        for n in map(int, args.students.split(",")):
            database = (create_database(cluster.url, "bench_class") if cluster else
                        f"sqlite:///{tempfile.mkdtemp(prefix='bench_class_')}/classes.sqlite3")
            rooms.append(asyncio.run(a_class(n, args.replicas, args.kill_replica, args, database)))
            print(f"N = {n}: done in {rooms[-1].seconds:.0f} s", file=sys.stderr)
    finally:
        if cluster is not None:
            cluster.remove()
    report(rooms, args, speed)


if __name__ == "__main__":
    main()
