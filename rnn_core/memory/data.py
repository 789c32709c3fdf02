"""The long-memory task behind "Why gates remember": recall, at the end of a sequence, the symbol it showed
T steps earlier.

After LEAD_IN steps of noise, one step shows one of SYMBOLS symbols, one-hot, with a "remember this" flag;
every other step carries only noise in the symbol channels. T steps after the symbol (counting its own
step as the first) comes an "answer now" flag, the last step, and the network must name the symbol.
Chance is 1 / SYMBOLS. The answer depends on the symbol's step alone, so learning it needs a gradient
that reaches back T steps. Why the noise before the symbol: started from a zero state, a plain RNN's own
dynamics sometimes settle into one of two stable states, picked by its very first input, and keep one
bit of it to the end (half right with 4 symbols) without ever learning anything; with the state already
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

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from rnn_core.errors import EngineValueError


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
            raise EngineValueError("memory.distance", low=low, high=high)
        if self.hidden_size < 1 or self.batch_size < 1 or not self.lr > 0:
            raise EngineValueError("memory.sizes")
        if self.grad_clip is not None and not self.grad_clip > 0:
            raise EngineValueError("training.clip")
        if not self.recurrent_scale > 0:
            raise EngineValueError("memory.recurrent_scale")


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


