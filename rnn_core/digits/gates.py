"""The gates of a digit model, row by row: a RowClassifier's own weights unrolled over one image's 28 rows.

    digit_gates(model, image) -> DigitGates: per layer and per row, every gate, the cell state and h

cells.unroll walks the rows one at a time, a dozen small tensor operations per row, and costs about four
times the model's own reading for an LSTM. Here each layer's states come from PyTorch's own kernel for
that layer (torch.lstm / torch.gru, what nn.LSTM and nn.GRU call), and with every h_(t-1) known, every
gate of every row is computed by hand at once: one matrix product per weight. Then h_t is rebuilt from the
gates (LSTM: the cell state row by row, c_t = f * c_(t-1) + i * g, and h_t = o * tanh(c_t)), and these
hand-made states feed the next layer. They reproduce model.read_rows' hidden states, and the gates are
inside.cells.unroll's, to float rounding (tests/test_cells.py checks both).

A plain RNN has no gates: digit_gates raises NoGatesError, whose message a page can show as it is.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from rnn_core.digits.model import MNIST_MEAN, MNIST_STD, RowClassifier
from rnn_core.errors import EngineError

# The gates by name, with the letters of inside/cells.py: sigmoid gates (0 to 1) first, then the tanh candidate.
GATES = {"lstm": {"input": "i", "forget": "f", "output": "o", "candidate": "g"},
         "gru": {"reset": "r", "update": "z", "new": "n"}}
CANDIDATES = ("candidate", "new")  # tanh values in [-1, 1], not gates in [0, 1]


class NoGatesError(EngineError, ValueError):
    """The model's cell has no gates (a plain RNN); the message says so in words for the page."""


@dataclass
class DigitGates:
    cell: str  # "lstm" or "gru"
    gates: list[dict[str, Tensor]]  # per layer: gate name -> (rows, H), in GATES' order
    hidden: list[Tensor]  # per layer: h after each row, (rows, H); the last layer's is what read_rows returns
    memory: list[Tensor] | None  # an LSTM's cell state c after each row, per layer, (rows, H)


def _kernel_states(cell: str, x: Tensor, weights: list[Tensor]) -> Tensor:
    """One layer run by PyTorch's own kernel: x (1, T, I) -> h after every step (1, T, H)."""
    h0 = x.new_zeros(1, 1, weights[1].shape[1])  # (layers x directions, B, H)
    # Arguments: input, state, weights, has_biases, num_layers, dropout, train, bidirectional, batch_first.
    if cell == "lstm":
        return torch.lstm(x, (h0, h0), weights, True, 1, 0.0, False, False, True)[0]
    return torch.gru(x, h0, weights, True, 1, 0.0, False, False, True)[0]


@torch.no_grad()
def digit_gates(model: RowClassifier, image: Tensor) -> DigitGates:
    """The gates of `model` reading one image (28, 28) in [0, 1], per layer and row; tensors on the CPU."""
    cell, rnn = model.config.cell, model.rnn
    if cell not in GATES:
        raise NoGatesError("gates.plain_rnn")
    device = next(model.parameters()).device
    rows = image.reshape(1, *image.shape[-2:]).to(device)  # (1, 28, 28): a batch of one
    x = (rows - MNIST_MEAN) / MNIST_STD  # normalised as RowClassifier._read does
    gates, hidden, memory = [], [], []
    for layer in range(rnn.num_layers):  # no dropout between layers: as in eval mode
        weights = [getattr(rnn, f"{name}_l{layer}") for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
        w_ih, w_hh, b_ih, b_hh = weights
        size = w_hh.shape[1]
        h = _kernel_states(cell, x, weights)  # (1, T, H)
        h_prev = torch.cat([torch.zeros_like(h[:, :1]), h[:, :-1]], dim=1)  # (1, T, H): the state each row starts from
        wx = x @ w_ih.T + b_ih  # (1, T, G * H): every row at once
        wh = h_prev @ w_hh.T + b_hh  # (1, T, G * H)
        if cell == "lstm":
            pre = wx + wh
            i, f, o = (pre[..., k * size:(k + 1) * size].sigmoid() for k in (0, 1, 3))  # (1, T, H) each
            g = pre[..., 2 * size:3 * size].tanh()
            written = i * g  # what each row writes into the memory
            c, cs = torch.zeros_like(g[:, 0]), []
            for written_t, f_t in zip(written.unbind(1), f.unbind(1)):  # the memory, row by row
                c = torch.addcmul(written_t, f_t, c)  # c_t = f * c_(t-1) + i * g
                cs.append(c)
            c = torch.stack(cs, dim=1)  # (1, T, H)
            h = o * c.tanh()
            layer_gates = {"input": i, "forget": f, "output": o, "candidate": g}
            memory.append(c[0].cpu())
        else:
            r, z = (wx[..., :2 * size] + wh[..., :2 * size]).sigmoid().chunk(2, dim=-1)
            n = (wx[..., 2 * size:] + r * wh[..., 2 * size:]).tanh()  # r scales the memory's part, b_hn included
            h = (1 - z) * n + z * h_prev
            layer_gates = {"reset": r, "update": z, "new": n}
        gates.append({name: value[0].cpu() for name, value in layer_gates.items()})  # (T, H): batch of one dropped
        hidden.append(h[0].cpu())
        x = h  # the next layer reads this layer's states
    return DigitGates(cell, gates, hidden, memory if cell == "lstm" else None)


def gate_means(gates: DigitGates, layer: int) -> dict[str, Tensor]:
    """Each gate's mean over all units after each row, (rows,): how open it is, row by row."""
    return {name: values.mean(1) for name, values in gates.gates[layer].items()}


def telling_units(values: Tensor, count: int) -> Tensor:
    """The `count` units whose value moves most across the rows (largest variance first): indices (count,)."""
    return values.var(0).argsort(descending=True)[:count]
