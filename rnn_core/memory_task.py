"""The long-memory task behind "Why gates remember": recall, at the end of a sequence, the symbol it showed
T steps earlier.

After LEAD_IN steps of noise, one step shows one of SYMBOLS symbols, one-hot, with a "remember this" flag;
every other step carries only noise in the symbol channels. T steps after the symbol (counting its own
step as the first) comes an "answer now" flag, the last step, and the network must name the symbol.
Chance is 1 / SYMBOLS. The answer depends on the symbol's step alone, so learning it needs a gradient
that reaches back T steps. Why the noise before the symbol: started from a zero state, a plain RNN's own
dynamics sometimes settle into one of two stable states, picked by its very first input, and keep one
bit of it to the end (50% right with 4 symbols) without ever learning anything; with the state already
stirred by noise, the symbol no longer picks it.

Three cells (RNN, LSTM, GRU) of the same size train side by side on the same batches, each from the same
seed. Besides the loss, each optimizer step can measure how much of the loss's gradient reaches each
time step: the norm of dL/dh_t for t = 1..T (t = 1 is the symbol's step). Each trainer keeps the whole
run's curves and profiles in bounded memory (CoarseningCurve), for as long as a lesson plays.

How dL/dh_t is measured without giving up PyTorch's fused kernels (a plain nn.LSTM step is several times
faster than the same cell stepped from Python): for RNN and LSTM, h_{t-1} enters step t only through
W_hh h_{t-1}. So the sequence is read with a zero "probe" p_t appended to each input x_t, and the input
weights extended by a copy of W_hh: [W_ih | W_hh] [x_t; p_t] = W_ih x_t + W_hh p_t, which adds nothing
to the forward pass, while dL/dp_t = W_hh^T dL/d(gates_t) = dL/dh_{t-1} exactly. A GRU also uses h_{t-1}
outside W_hh (r * (W_hn h) and z * h), so it is stepped cell by cell from Python, with autograd asked
for the gradient of every h_t; its fused kernel is no faster on the CPU.
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .models import CELLS, make_recurrent_layer
from .seeding import seeded

SYMBOLS = 4
LEAD_IN = 5  # steps of noise before the symbol
INPUTS = SYMBOLS + 2  # the symbol channels, "remember this" and "answer now"
REMEMBER, ANSWER = SYMBOLS, SYMBOLS + 1
DISTANCE_RANGE = (5, 100)
CHANCE = 1 / SYMBOLS
TINY = 1e-30  # norms are floored here before any ratio or log: an exact zero has no logarithm


@dataclass
class MemoryTaskConfig:
    distance: int = 40  # T: steps from the symbol to the question
    hidden_size: int = 32
    batch_size: int = 64
    lr: float = 0.01
    noise: float = 0.5  # standard deviation of the noise in the symbol channels, on every other step
    grad_clip: float | None = 1.0
    # The gated cells start remembering: the bias of the LSTM's forget gate and of the GRU's update gate
    # is raised by this much (sigmoid(3) = 0.95 of the memory kept per step), as is common for the LSTM.
    # At PyTorch's default (0, half kept per step) the memory of the symbol is gone long before 40 steps, and
    # so is the gradient that would teach a cell to keep it. A plain RNN has no such gate.
    gate_bias: float = 3.0
    # The plain RNN's recurrent weights, as a multiple of PyTorch's default initialisation (the
    # "exploding" view); 1 is the default.
    recurrent_scale: float = 1.0
    seed: int = 1
    curve_points: int = 300  # points of each cell's accuracy and loss curves, over the whole run
    reach_rows: int = 40  # rows of each cell's history of reach profiles, over the whole run

    def validate(self) -> None:
        low, high = DISTANCE_RANGE
        if not low <= self.distance <= high:
            raise ValueError(f"The distance must be between {low} and {high} steps.")
        if self.hidden_size < 1 or self.batch_size < 1 or not self.lr > 0:
            raise ValueError("Hidden size, batch size and learning rate must be positive.")
        if self.grad_clip is not None and not self.grad_clip > 0:
            raise ValueError("The clipping threshold must be a positive number (or None for no clipping).")
        if not self.recurrent_scale > 0:
            raise ValueError("The recurrent weight scale must be positive.")


def recall_batch(generator: torch.Generator, batch_size: int, distance: int, noise: float
                 ) -> tuple[torch.Tensor, torch.Tensor]:
    """(inputs (B, LEAD_IN + T, INPUTS), labels (B,)): noise, the symbol at step LEAD_IN + 1, noise, and
    the question on the last step, T steps after the symbol's (its own included)."""
    labels = torch.randint(0, SYMBOLS, (batch_size,), generator=generator)
    inputs = torch.zeros(batch_size, LEAD_IN + distance, INPUTS)
    inputs[:, :, :SYMBOLS] = noise * torch.randn(batch_size, LEAD_IN + distance, SYMBOLS, generator=generator)
    inputs[:, LEAD_IN, :SYMBOLS] = F.one_hot(labels, SYMBOLS).float()
    inputs[:, LEAD_IN, REMEMBER] = 1.0
    inputs[:, -1, ANSWER] = 1.0
    return inputs, labels


class RecallNet(nn.Module):
    """One recurrent layer read over the sequence, and a linear head on its last hidden state."""

    def __init__(self, cell: str, hidden_size: int):
        super().__init__()
        self.cell = cell
        self.rnn = make_recurrent_layer(cell, INPUTS, hidden_size)
        self.head = nn.Linear(hidden_size, SYMBOLS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (B, SYMBOLS), through PyTorch's fused kernel."""
        outputs, _ = self.rnn(x)
        return self.head(outputs[:, -1])

    def forward_reaching(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Logits, and the tensors whose gradients give dL/dh_t for every step (see the module's docstring):
        for RNN and LSTM the probe (B, T, H) and h_T; for GRU the hidden states h_1 .. h_T. reach_norms
        turns their gradients into the norms."""
        batch, steps, _ = x.shape
        rnn = self.rnn
        if self.cell == "gru":
            h, hidden = x.new_zeros(batch, rnn.hidden_size), []
            for t in range(steps):
                h = torch.gru_cell(x[:, t], h, rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0)
                hidden.append(h)
            return self.head(h), hidden
        probe = x.new_zeros(batch, steps, rnn.hidden_size, requires_grad=True)
        weights = [torch.cat([rnn.weight_ih_l0, rnn.weight_hh_l0], 1), rnn.weight_hh_l0, rnn.bias_ih_l0,
                   rnn.bias_hh_l0]
        h0 = x.new_zeros(1, batch, rnn.hidden_size)
        # The kernels nn.RNN and nn.LSTM call, given [x_t; p_t] and the extended weights: (input, initial
        # state, weights, has_biases, layers, dropout, training, bidirectional, batch_first).
        if self.cell == "lstm":
            outputs, _, _ = torch.lstm(torch.cat([x, probe], 2), (h0, h0), weights, True, 1, 0.0, True, False, True)
        else:
            outputs, _ = torch.rnn_tanh(torch.cat([x, probe], 2), h0, weights, True, 1, 0.0, True, False, True)
        last = outputs[:, -1]
        return self.head(last), [probe, last]

    def reach_norms(self, grads: list[torch.Tensor]) -> np.ndarray:
        """|dL/dh_t| for every step of the sequence (each over the whole batch), from the gradients of
        forward_reaching's tensors."""
        if self.cell == "gru":
            norms = torch.stack(grads).flatten(1).norm(dim=1)
        else:  # dL/dp_t is dL/dh_{t-1}: p_2 .. p_T give h_1 .. h_{T-1}; h_T's own gradient comes last
            probe, last = grads
            norms = torch.cat([torch.linalg.vector_norm(probe[:, 1:], dim=(0, 2)), last.norm().view(1)])
        return norms.detach().numpy().astype(np.float64)


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
            raise ValueError(f"Unknown cell {cell!r}: use one of {', '.join(CELLS)}.")
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


def build_model(cell: str, config: MemoryTaskConfig) -> RecallNet:
    """A RecallNet drawn from the config's seed (PyTorch's default init from a generator of its own), with
    the gated cells' memory-gate bias and the RNN's recurrent scale applied."""
    model = seeded(lambda: RecallNet(cell, config.hidden_size), config.seed)
    hidden = config.hidden_size
    with torch.no_grad():
        if cell in ("lstm", "gru"):  # stacked i, f, g, o and r, z, n: the forget / update gate is the 2nd block
            model.rnn.bias_hh_l0[hidden:2 * hidden] += config.gate_bias
        if cell == "rnn":
            model.rnn.weight_hh_l0 *= config.recurrent_scale
    return model


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
