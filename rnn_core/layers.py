"""What every model family builds on: a recurrent layer by name, and the state it carries."""
from __future__ import annotations

import torch
from torch import nn

from rnn_core.errors import EngineValueError

CELLS = ("rnn", "lstm", "gru")
# An LSTM's recurrent state is a pair (h, c); the other cells carry a single tensor h.
State = torch.Tensor | tuple[torch.Tensor, torch.Tensor]


def make_recurrent_layer(cell: str, input_size: int, hidden_size: int, num_layers: int = 1,
                         dropout: float = 0.0, bidirectional: bool = False) -> nn.RNNBase:
    """nn.RNN / nn.LSTM / nn.GRU by name, batch-first."""
    layers = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
    if cell not in layers:
        raise EngineValueError("cell.unknown", cell=repr(cell), choices=", ".join(CELLS))
    return layers[cell](input_size, hidden_size, num_layers=num_layers, batch_first=True,
                        dropout=dropout if num_layers > 1 else 0.0, bidirectional=bidirectional)


def detach_state(state: State | None) -> State | None:
    """Cut the graph behind a carried state (truncated backprop through time)."""
    if state is None:
        return None
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()
