"""Wave streams for the regressor: sin -> cos over consecutive windows, and next-step sine.

A stream is an endless sequence of windows; window k starts where window k - 1 stopped, so the phase
continues and a hidden state carried from one window into the next stays meaningful. `phase` shifts
the whole stream: a held-out stream with another phase has window starts that training never saw.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from rnn_core.errors import EngineValueError

WAVE_TASKS = ("sin_to_cos", "next_step")


@dataclass
class WaveWindow:
    t: np.ndarray  # (T,) time of each target point
    inputs: torch.Tensor  # (1, T, 1)
    targets: torch.Tensor  # (1, T, 1)


class SinCosStream:
    """Window k covers [phase + k * length, phase + (k + 1) * length): input sin, target cos."""

    def __init__(self, points: int = 10, length: float = math.pi, phase: float = 0.0):
        self.points, self.length, self.phase = points, length, phase

    def window(self, k: int) -> WaveWindow:
        # float32 times, as the tutorial computes them (np.linspace(..., dtype=np.float32, endpoint=False))
        start = self.phase + k * self.length
        t = np.linspace(start, start + self.length, self.points, endpoint=False, dtype=np.float32)
        return WaveWindow(t, _column(np.sin(t)), _column(np.cos(t)))


class NextStepSineStream:
    """Window k: `points` samples of sin from phase + k * length on; each target is the next sample."""

    def __init__(self, points: int = 50, length: float = 10.0, phase: float = 0.0):
        self.points, self.length, self.phase = points, length, phase

    @property
    def dt(self) -> float:
        return self.length / self.points

    def window(self, k: int) -> WaveWindow:
        t = self.phase + k * self.length + self.dt * np.arange(self.points + 1)
        wave = np.sin(t)
        return WaveWindow(t[1:].astype(np.float32), _column(wave[:-1]), _column(wave[1:]))


WaveStream = SinCosStream | NextStepSineStream


def make_stream(task: str, points: int, length: float, phase: float = 0.0) -> WaveStream:
    if task == "sin_to_cos":
        return SinCosStream(points, length, phase)
    if task == "next_step":
        return NextStepSineStream(points, length, phase)
    raise EngineValueError("waves.unknown_task", task=repr(task), choices=", ".join(WAVE_TASKS))


def _column(values: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(values, dtype=np.float32)).view(1, -1, 1)
