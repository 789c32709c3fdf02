"""Training on the recall task: one cell's trainer, the three cells side by side, the whole run's curves in
bounded memory, and how the gradient of an untrained RNN grows with T."""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from rnn_core.errors import EngineValueError
from rnn_core.layers import CELLS
from rnn_core.memory.data import LEAD_IN, MemoryTaskConfig, TINY, recall_batch
from rnn_core.memory.model import build_model

LEARNT_ACCURACY = 0.9  # a cell has learnt the task once its last 100 batches' accuracy reaches this


class CoarseningCurve:
    """A whole run's means in bounded memory: one point per `every` values added; when there are more than
    `points` points, neighbours are merged in pairs and `every` doubles. Values are floats or arrays."""

    def __init__(self, points: int, every: int):
        self.points, self.every = points, every
        self.steps: list[int] = []  # the last step of each point
        self.means: list = []
        self._sum, self._count, self._last = 0.0, 0, 0

    def add(self, step: int, value: float | np.ndarray) -> None:
        self._sum, self._count, self._last = self._sum + value, self._count + 1, step
        if self._count < self.every:
            return
        self.steps.append(step)
        self.means.append(self._sum / self._count)
        self._sum, self._count = 0.0, 0
        if len(self.means) > self.points:
            self.steps = self.steps[1::2]
            self.means = [(a + b) / 2 for a, b in zip(self.means[0::2], self.means[1::2])]
            self.every *= 2

    def __len__(self) -> int:
        return len(self.means)

    def curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, means), the run not yet averaged into a point included; arrays are stacked (points, ...)."""
        steps, means = list(self.steps), list(self.means)
        if self._count:
            steps.append(self._last)
            means.append(self._sum / self._count)
        return np.array(steps, dtype=np.float64), np.array(means, dtype=np.float64)


@dataclass
class StepRecord:
    loss: float
    accuracy: float
    grad_norm: float  # of all parameters, before clipping
    reach: np.ndarray | None  # (T,) |dL/dh_t| from the symbol's step (t = 1) to the question's (T), when measured


class MemoryTrainer:
    """One cell on the recall task: train_batch(inputs, labels) is its one optimizer step."""

    def __init__(self, cell: str, config: MemoryTaskConfig):
        if cell not in CELLS:
            raise EngineValueError("cell.unknown", cell=repr(cell), choices=", ".join(CELLS))
        config.validate()
        self.cell, self.config = cell, config
        self.reset()

    def reset(self) -> None:
        config = self.config
        self.model = build_model(self.cell, config)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        self.step_count = 0
        self.accuracy = CoarseningCurve(config.curve_points, every=5)
        self.loss = CoarseningCurve(config.curve_points, every=5)
        # log10 |dL/dh_t| per step, (T,) each: a stretch's mean is then the geometric mean, which one
        # chance spike in thousands of near-zero values does not dominate (the charts' colours are log too)
        self.reach = CoarseningCurve(config.reach_rows, every=10)
        self.recent_accuracies: deque[float] = deque(maxlen=100)
        self.learnt_at: int | None = None  # the first step at which recent_accuracy() reached LEARNT_ACCURACY
        self.last: StepRecord | None = None

    def train_batch(self, inputs: torch.Tensor, labels: torch.Tensor, measure: bool = True) -> StepRecord:
        """One optimizer step on a batch; with `measure`, also the norm of dL/dh_t for every t."""
        self.model.train()
        parameters = list(self.model.parameters())
        reach = None
        if measure:
            logits, hidden = self.model.forward_reaching(inputs)
            loss = F.cross_entropy(logits, labels)
            grads = torch.autograd.grad(loss, parameters + hidden)
            for parameter, grad in zip(parameters, grads):
                parameter.grad = grad
            reach = self.model.reach_norms(list(grads[len(parameters):]))[LEAD_IN:]
        else:
            logits = self.model(inputs)
            loss = F.cross_entropy(logits, labels)
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
        clip = self.config.grad_clip
        norm = (nn.utils.clip_grad_norm_(parameters, clip) if clip is not None
                else nn.utils.get_total_norm([p.grad for p in parameters]))
        record = StepRecord(loss.item(), (logits.argmax(1) == labels).float().mean().item(), norm.item(), reach)
        if math.isfinite(record.loss) and math.isfinite(record.grad_norm):  # a NaN step is never applied
            self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.step_count += 1
        self.last = record
        if math.isfinite(record.loss):  # a chart gets gaps, never a NaN
            self.loss.add(self.step_count, record.loss)
        self.accuracy.add(self.step_count, record.accuracy)
        self.recent_accuracies.append(record.accuracy)
        if self.learnt_at is None and self.recent_accuracy() >= LEARNT_ACCURACY:
            self.learnt_at = self.step_count
        if reach is not None and np.all(np.isfinite(reach)):
            self.reach.add(self.step_count, np.log10(np.maximum(reach, TINY)))
        return record

    def reach_ratios(self) -> np.ndarray:
        """For each row of the reach history: how much of the gradient at the question reaches the symbol's
        step, |dL/dh_1| / |dL/dh_T| (geometric means over the row's stretch of training)."""
        _, log_profiles = self.reach.curve()
        return 10.0 ** (log_profiles[:, 0] - log_profiles[:, -1]) if len(log_profiles) else np.zeros(0)

    def recent_accuracy(self) -> float:
        """Mean accuracy over the last 100 batches (nan before the first)."""
        return float(np.mean(self.recent_accuracies)) if self.recent_accuracies else math.nan



class MemoryComparison:
    """RNN, LSTM and GRU of the same size on the same batches, each drawn from the same seed."""

    def __init__(self, config: MemoryTaskConfig, cells: tuple[str, ...] = CELLS):
        config.validate()
        self.config, self.cells = config, cells
        self.reset()

    def reset(self) -> None:
        self.trainers = {cell: MemoryTrainer(cell, self.config) for cell in self.cells}
        self.generator = torch.Generator().manual_seed(self.config.seed)  # the batches, shared by all cells
        self.step_count = 0

    def step(self, n: int = 1, measure: bool = True) -> None:
        for _ in range(n):
            inputs, labels = recall_batch(self.generator, self.config.batch_size, self.config.distance,
                                          self.config.noise)
            for trainer in self.trainers.values():
                trainer.train_batch(inputs, labels, measure)
            self.step_count += 1


# ----------------------------------------------------------------------------- exploding gradients

@dataclass
class GradientGrowth:
    """How the gradient of an untrained RNN grows with the distance T, for one recurrent weight scale."""
    distances: list[int]
    norms: list[float]  # the parameters' gradient norm at each distance, before clipping
    first_to_last: list[float]  # |dL/dh_t| at the symbol (t = 1) / at the question (t = T), per distance
    reach: np.ndarray = field(repr=False)  # (T,) |dL/dh_t| at the largest distance


def gradient_growth(config: MemoryTaskConfig, distances: list[int], batch_size: int = 32) -> GradientGrowth:
    """Measure, without training, an RNN drawn with config.recurrent_scale on one batch per distance."""
    model = build_model("rnn", config)
    parameters = list(model.parameters())
    generator = torch.Generator().manual_seed(config.seed)
    norms, ratios, reach = [], [], np.zeros(0)
    for distance in distances:
        inputs, labels = recall_batch(generator, batch_size, distance, config.noise)
        logits, hidden = model.forward_reaching(inputs)
        grads = torch.autograd.grad(F.cross_entropy(logits, labels), parameters + hidden)
        norms.append(nn.utils.get_total_norm(list(grads[:len(parameters)])).item())
        reach = model.reach_norms(list(grads[len(parameters):]))[LEAD_IN:]
        ratios.append(float(max(reach[0], TINY) / max(reach[-1], TINY)))
    return GradientGrowth(list(distances), norms, ratios, reach)
