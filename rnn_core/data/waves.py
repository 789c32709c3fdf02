"""Wave streams for the regressor: sin -> cos over consecutive windows, and next-step sine."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch


@dataclass
class WaveWindow:
    t: np.ndarray  # (T,) time of each point
    inputs: torch.Tensor  # (1, T, 1)
    targets: torch.Tensor  # (1, T, 1)


class SinCosStream:
    """Window k covers [k * length, (k + 1) * length): input sin, target cos. The phase continues."""

    def __init__(self, points: int = 10, length: float = math.pi):
        self.points, self.length = points, length

    def window(self, k: int) -> WaveWindow:
        t = np.linspace(k * self.length, (k + 1) * self.length, self.points, endpoint=False,
                        dtype=np.float32)
        return WaveWindow(t, _column(np.sin(t)), _column(np.cos(t)))


class NextStepSineStream:
    """Window k: `points` samples of sin from k * length on; the target is each sample's successor.

    Windows follow one another, so the phase continues and a carried state stays meaningful.
    """

    def __init__(self, points: int = 50, length: float = 10.0):
        self.points, self.length = points, length

    def window(self, k: int) -> WaveWindow:
        step = self.length / self.points
        t = (k * self.length + step * np.arange(self.points + 1)).astype(np.float32)
        wave = np.sin(t)
        return WaveWindow(t[1:], _column(wave[:-1]), _column(wave[1:]))


def _column(values: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(values, dtype=np.float32)).view(1, -1, 1)
