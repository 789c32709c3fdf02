"""Garbage-collection pauses in a class of thirty: the server as shipped, which freezes its shared heap
(ui/serving.py, freeze_shared_heap), against the same server with gc.freeze turned off, in turns.

    .venv/bin/python -m benchmarks.bench_gc_pauses                  # 3 pairs of 30 students
    .venv/bin/python -m benchmarks.bench_gc_pauses --pairs 5 --students-in-class 40

A full collection (generation 2) walks every object the process has and stops every visitor's run while
it does. The server's Python starts with a probe (a sitecustomize.py on PYTHONPATH, written by this
script) that times each collection of generations 1 and 2, wall clock and CPU, into a file; for the
baseline, the probe also makes gc.freeze do nothing. The class is bench_classroom.py's, with its options.
Prints a table per pair and the medians, with the shipped server's figures against the baseline's of the
same pair. Asserts nothing about time.
"""
from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_classroom import Classroom, class_arguments, classroom, percentile
from benchmarks.timing import markdown_table

PROBE = '''\
import gc, os, time
if os.environ.get("GC_PAUSES_FILE"):
    if os.environ.get("GC_PAUSES_NO_FREEZE"):
        gc.freeze = lambda: None
    _out = open(os.environ["GC_PAUSES_FILE"], "a", buffering=1)
    _started = [0.0, 0.0]
    def _probe(phase, info):
        if info["generation"] == 0:
            return
        if phase == "start":
            _started[:] = time.perf_counter(), time.thread_time()
        else:
            _out.write(f"{info['generation']} {time.perf_counter() - _started[0]:.6f} "
                       f"{time.thread_time() - _started[1]:.6f}\\n")
    gc.callbacks.append(_probe)
'''


@dataclass
class Pauses:
    """One server's collections of generations 1 and 2: (wall seconds, CPU seconds) each."""
    full: list[tuple[float, float]]
    young: list[tuple[float, float]]

    @classmethod
    def read(cls, path: Path) -> Pauses:
        full, young = [], []
        for line in path.read_text().splitlines():
            generation, wall, cpu = line.split()
            (full if generation == "2" else young).append((float(wall), float(cpu)))
        return cls(full, young)


def run_class(frozen: bool, args, folder: Path, index: int) -> tuple[Classroom, Pauses]:
    pauses = folder / f"pauses-{index}-{'shipped' if frozen else 'baseline'}.txt"
    pauses.touch()
    env = {"PYTHONPATH": str(folder), "GC_PAUSES_FILE": str(pauses), **({} if frozen else {"GC_PAUSES_NO_FREEZE": "1"})}
    room = asyncio.run(classroom(args.students_in_class, 1, 0, args, server_env=env))
    return room, Pauses.read(pauses)


def row(label: str, room: Classroom, pauses: Pauses) -> list[str]:
    full_ms = [wall * 1000 for wall, _cpu in pauses.full]
    young_ms = [wall * 1000 for wall, _cpu in pauses.young]
    cpu_s = sum(cpu for _wall, cpu in pauses.full + pauses.young)
    draws = [x * 1000 for s in room.results for x in s.draw_s]
    names = [x * 1000 for s in room.results for x in s.name_s]
    return [label, str(len(full_ms)), f"{statistics.median(full_ms):.0f} / {max(full_ms):.0f}" if full_ms else "-",
            str(len(young_ms)), f"{max(young_ms):.0f}" if young_ms else "-", f"{cpu_s:.2f}",
            f"{room.server_cpu_s:.1f}", f"{percentile(draws, 0.95):.0f}", f"{percentile(names, 0.95):.0f}",
            str(sum(len(s.errors) for s in room.results))]


def main() -> None:
    parser = class_arguments()
    parser.add_argument("--pairs", type=int, default=3, help="classes with and without the frozen heap, in turns")
    parser.add_argument("--students-in-class", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench_gc_pauses_"))
    (folder / "sitecustomize.py").write_text(PROBE)
    rows, medians = [], {True: [], False: []}
    for index in range(args.pairs):
        order = [False, True] if index % 2 == 0 else [True, False]  # in turns first: the machine drifts
        for frozen in order:
            room, pauses = run_class(frozen, args, folder, index)
            rows.append(row(f"pair {index + 1}, {'shipped (frozen)' if frozen else 'baseline (no freeze)'}",
                            room, pauses))
            medians[frozen].append(rows[-1])
            print(f"pair {index + 1}, frozen={frozen}: done", file=sys.stderr)

    def median_of(frozen: bool, column: int) -> float:
        return statistics.median(float(r[column].split(" / ")[-1]) for r in medians[frozen] if r[column] != "-")

    headers = ["server", "full collections", "full pause median / max ms", "generation-1 collections",
               "generation-1 pause max ms", "GC CPU s", "server CPU s", "p95 draw -> answer ms",
               "p95 name -> answer ms", "errors"]
    print(f"\n## Garbage-collection pauses, {args.students_in_class} students on one server process, one core\n")
    print(markdown_table(headers, rows))
    compared = {"longest full pause ms": 2, "GC CPU s": 5, "p95 draw -> answer ms": 7, "p95 name -> answer ms": 8}
    print("\nMedians over the pairs, shipped / baseline (ratio): " + "; ".join(
        f"{name} {median_of(True, column):.2f} / {median_of(False, column):.2f} "
        f"({median_of(True, column) / median_of(False, column):.2f}x)" for name, column in compared.items()))


if __name__ == "__main__":
    main()
