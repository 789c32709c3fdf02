"""The training page's time estimate: the speed a run's steps settle at, never its warm-up, times its steps,
plus its held-out measurements as often as the run takes them. Timed on a clock of the test's own, so the
result is exact; benchmarks/bench_run_estimate.py compares estimates with real runs on this machine."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from rnn_core.training import live
from rnn_core.training.live import WARM_UP_STEPS, estimate_seconds


class Clock:
    def __init__(self):
        self.now = 0.0

    def perf_counter(self) -> float:
        return self.now


class ScriptedTrainer:
    """Steps and measurements that take as long as the test says, on the test's clock."""

    def __init__(self, clock: Clock, step_seconds: list[float], measurement_seconds: float, total_steps: int):
        self.clock, self.step_seconds, self.measurement_seconds = clock, step_seconds, measurement_seconds
        self.total_steps, self.steps = total_steps, 0

    @property
    def done(self) -> bool:
        return self.steps >= self.total_steps

    def train_steps(self, count: int) -> None:
        for _ in range(count):
            self.clock.now += self.step_seconds[min(self.steps, len(self.step_seconds) - 1)]
            self.steps += 1

    def evaluate(self, limit: int) -> None:
        self.clock.now += self.measurement_seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(live, "time", SimpleNamespace(perf_counter=clock.perf_counter))
    return clock


def test_warm_up_and_a_burst_of_other_work_are_not_scaled_up_to_the_whole_run(clock):
    # Cold first steps ten times slower, then 10 ms steps, one of them slowed by other work on the machine.
    steps = [0.1] * WARM_UP_STEPS + [0.01] * 20 + [0.5] + [0.01]
    trainer = ScriptedTrainer(clock, steps, measurement_seconds=0.2, total_steps=1000)
    estimate = estimate_seconds(trainer, steps_per_point=50, eval_seconds=1.0)
    # 1000 steps of 10 ms; a measurement at the start, the end and after every second of training: 12 of 0.2 s.
    assert estimate == pytest.approx(1000 * 0.01 + 12 * 0.2)


def test_a_run_measures_at_most_once_a_point(clock):
    # 100 steps of 10 ms take 1 s; a measurement every 0.1 s of training would be 11, but the run measures only
    # when it draws a point: at the start and at each of its 4 points.
    for eval_seconds in (0.1, 0):  # 0: a measurement at every point
        trainer = ScriptedTrainer(clock, [0.01], measurement_seconds=0.5, total_steps=100)
        assert estimate_seconds(trainer, steps_per_point=25, eval_seconds=eval_seconds) == pytest.approx(1.0 + 5 * 0.5)
