"""RecallNet: one recurrent layer read over the recall sequence, a linear head on its last state; and
the gradient probe that measures how much of the loss reaches each step back."""
from __future__ import annotations


import numpy as np
import torch
from torch import nn

from rnn_core.layers import make_recurrent_layer
from rnn_core.seeding import seeded
from rnn_core.memory.data import INPUTS, MemoryTaskConfig, SYMBOLS

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


