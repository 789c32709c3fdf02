"""WaveRegressor: many-to-many; maps an input wave to an output wave, its state carried by the caller."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from rnn_core.layers import State, make_recurrent_layer


@dataclass
class WaveConfig:
    cell: str = "rnn"
    hidden_size: int = 32
    num_layers: int = 1


class WaveRegressor(nn.Module):
    """Many-to-many: input wave (B, T, 1) -> output wave (B, T, 1), one value per step."""

    def __init__(self, config: WaveConfig):
        super().__init__()
        self.config = config
        self.rnn = make_recurrent_layer(config.cell, 1, config.hidden_size, config.num_layers)
        self.head = nn.Linear(config.hidden_size, 1)

    def forward(self, x: torch.Tensor, state: State | None = None
                ) -> tuple[torch.Tensor, torch.Tensor, State]:
        """Returns (prediction (B, T, 1), hidden states (B, T, H), final state to carry on)."""
        hidden, state = self.rnn(x, state)
        return self.head(hidden), hidden, state
