"""Training a classifier in the background while a page watches: start, pause, resume, stop.

The training runs in a thread of its own, calling the same ClassifierTrainer.train_steps as the CLI,
so a page can redraw its charts as often as it likes without slowing the training down. The page
reads `snapshot()` (copies of the curves) and gets a usable model at any time from `model_copy()`.
A run whose page stops asking for snapshots (the browser was closed) pauses itself. A paused run holds
no thread: its thread ends, and resuming starts a new one, so runs abandoned mid-way cost the server nothing
but their memory until the visitor's session is gone.
"""
from __future__ import annotations

import copy
import logging
import math
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from torch import nn

from rnn_core.metrics import Metrics
from rnn_core.settings import IDLE_PAUSE_ENV_VAR, positive_number_from_env
from rnn_core.training.loop import ClassifierTrainer

IDLE_PAUSE_SECONDS = 30.0  # pause when nobody has looked at the run for this long
EVAL_LIMIT = 1000  # held-out examples measured at each accuracy point
STEPS_PER_POINT = 10  # optimizer steps between loss points
EVAL_SECONDS = 1.0  # training time between accuracy points
WARM_UP_STEPS = 3  # a fresh model's first steps allocate and warm caches: left out of a speed measurement
TIMING_SECONDS = 0.3  # how long the steps after them are timed for an estimate, one by one
TIMED_STEPS = 5  # and at least this many
# The training thread's niceness: on a busy server a visitor's click (a rerun, at niceness 0) gets about
# nine tenths of a core against it, and an idle server still gives the training all it has.
BACKGROUND_NICENESS = 10

_LOGGER = logging.getLogger(__name__)


def lower_this_threads_priority() -> None:
    """Give this thread (only) BACKGROUND_NICENESS. Linux only: elsewhere setpriority would reach the whole
    process, or another one, so there it trains at the server's priority."""
    if sys.platform != "linux":
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)
    except OSError as error:  # a container may forbid it: training still works, only without the courtesy
        _LOGGER.warning("Could not lower the training thread's priority: %s", error)


def idle_pause_seconds() -> float:
    """$RNN_IDLE_PAUSE_SECONDS when it is a positive number, else IDLE_PAUSE_SECONDS.

    A bad value falls back to the default rather than break the training page.
    """
    return positive_number_from_env(IDLE_PAUSE_ENV_VAR, IDLE_PAUSE_SECONDS)[0]


def estimate_seconds(trainer: ClassifierTrainer, eval_limit: int = EVAL_LIMIT, steps_per_point: int = STEPS_PER_POINT,
                     eval_seconds: float = EVAL_SECONDS) -> float:
    """How long a LiveTraining run of `trainer` with these settings takes on this machine, from the speed its
    steps settle at. It trains `trainer` a little: pass a fresh one made for the purpose, never the one to run.

    Timed in a thread of its own at the run's priority, so a busy server slows both alike. The first steps
    and the first measurement are left out, as warm-up: they are several times slower than the rest, and
    timing them would scale that cost up to the whole run. The run also measures held-out accuracy after
    every `eval_seconds` of training, so a measurement is timed too and counted that often.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="run-estimate") as pool:
        return pool.submit(_estimate_here, trainer, eval_limit, steps_per_point, eval_seconds).result()


def _estimate_here(trainer: ClassifierTrainer, eval_limit: int, steps_per_point: int, eval_seconds: float) -> float:
    lower_this_threads_priority()
    # Timed only for a run too short to leave any step after them.
    warm_up = [_seconds(trainer.train_steps, 1) for _step in range(WARM_UP_STEPS)]
    trainer.evaluate(limit=eval_limit)
    started, timed = time.perf_counter(), []
    while not trainer.done and (len(timed) < TIMED_STEPS or time.perf_counter() - started < TIMING_SECONDS):
        timed.append(_seconds(trainer.train_steps, 1))
    # Medians: a burst of other work on the machine in the short timing would otherwise be scaled up too.
    per_step = statistics.median(timed or warm_up[-1:])
    per_measurement = statistics.median(_seconds(trainer.evaluate, eval_limit) for _measurement in range(3))
    training = per_step * trainer.total_steps
    points = math.ceil(trainer.total_steps / steps_per_point)
    measurements = 1 + (points if eval_seconds <= 0 else min(points, training / eval_seconds + 1))  # first, last
    return training + measurements * per_measurement


def _seconds(work: Callable[[int], object], argument: int) -> float:
    started = time.perf_counter()
    work(argument)
    return time.perf_counter() - started


@dataclass
class LiveSnapshot:
    status: str  # "running", "paused", "finished", "stopped" or "failed"
    step: int
    total_steps: int
    epoch: float
    losses: list[tuple[int, float]]  # (step, mean training loss over the steps since the last point)
    accuracies: list[tuple[int, float]]  # (step, held-out accuracy)
    error: str = ""

    @property
    def progress(self) -> float:
        return self.step / max(1, self.total_steps)


@dataclass
class LiveTraining:
    """One visitor's training run. `trainer` is used only by the thread once started."""
    trainer: ClassifierTrainer
    eval_limit: int = EVAL_LIMIT
    steps_per_point: int = STEPS_PER_POINT
    eval_seconds: float = EVAL_SECONDS
    idle_pause_seconds: float = field(default_factory=idle_pause_seconds)
    status: str = "paused"
    error: str = ""
    losses: list[tuple[int, float]] = field(default_factory=list)
    accuracies: list[tuple[int, float]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)  # the model, while training
    _control: threading.Lock = field(default_factory=threading.Lock, repr=False)  # status and thread
    _thread: threading.Thread | None = field(default=None, repr=False)  # None while paused or done
    _last_seen: float = field(default_factory=time.monotonic, repr=False)

    def start(self) -> None:
        """Start (or resume) training."""
        with self._control:
            if self.status in ("finished", "stopped", "failed"):
                return
            self.status = "running"
            self._last_seen = time.monotonic()
            self._start_thread()

    def pause(self) -> None:
        with self._control:
            if self.status == "running":
                self.status = "paused"

    def stop(self) -> None:
        """End the run for good; the model keeps what it has learned so far."""
        with self._control:
            if self.status in ("running", "paused"):
                self.status = "stopped"
                self._start_thread()  # a paused run has no thread left to take the final measurement

    def _start_thread(self) -> None:
        if self._thread is None:  # a running thread sees the new status at its next step
            self._thread = threading.Thread(target=self._run, name="live-training", daemon=True)
            self._thread.start()

    def snapshot(self) -> LiveSnapshot:
        """Copies of the curves and counters; also tells the run that somebody is still watching."""
        self._last_seen = time.monotonic()
        t = self.trainer  # read without the lock: a snapshot may be one point behind, never torn
        return LiveSnapshot(self.status, t.step_count, t.total_steps, t.step_count / t.steps_per_epoch,
                            list(self.losses), list(self.accuracies), self.error)

    def model_copy(self) -> nn.Module:
        """A copy of the model as it is now, in eval mode on the CPU, safe to use while training goes on."""
        with self._lock:
            return copy.deepcopy(self.trainer.model).cpu().eval()

    def wait(self, timeout: float = 10.0) -> None:
        """Block until the thread has ended (for tests and the CLI-like use)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _measure(self) -> Metrics:
        return self.trainer.evaluate(limit=self.eval_limit)

    def _run(self) -> None:
        lower_this_threads_priority()
        try:
            if not self.accuracies:
                with self._lock:
                    self.accuracies.append((0, self._measure().accuracy))
            last_eval = time.monotonic()
            while True:
                with self._control:
                    if self.status == "running" and time.monotonic() - self._last_seen > self.idle_pause_seconds:
                        self.status = "paused"  # the page went away: do not burn the CPU for nobody
                    if self.status == "paused":
                        self._thread = None  # start() resumes in a new thread
                        return
                    if self.status == "stopped" or self.trainer.done:
                        break
                with self._lock:
                    report = self.trainer.train_steps(self.steps_per_point)
                    self.losses.append((report.step, report.loss))
                    if time.monotonic() - last_eval >= self.eval_seconds or self.trainer.done:
                        self.accuracies.append((report.step, self._measure().accuracy))
                        last_eval = time.monotonic()
            with self._control:
                if self.status != "stopped":
                    self.status = "finished"
            with self._lock:
                if not self.accuracies or self.accuracies[-1][0] != self.trainer.step_count:
                    self.accuracies.append((self.trainer.step_count, self._measure().accuracy))
        except Exception as error:  # reported on the page instead of dying silently in the thread
            _LOGGER.exception("Live training failed")  # the traceback goes to the server's log, not the page
            self.status, self.error = "failed", str(error) or "an unexpected error (see the server's log)"
