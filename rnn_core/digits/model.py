"""RowClassifier: reads a 28x28 image one row (28 pixels) per time step and names the digit."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from rnn_core.layers import make_recurrent_layer

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


@dataclass
class RowClassifierConfig:
    cell: str = "lstm"
    hidden_size: int = 128
    num_layers: int = 2
    dropout: float = 0.1
    row_size: int = 28  # pixels per row = input size per step
    num_classes: int = 10


class RowClassifier(nn.Module):
    """Image (B, 28, 28) in [0, 1] -> digit logits (B, 10), reading one row per time step."""

    def __init__(self, config: RowClassifierConfig):
        super().__init__()
        self.config = config
        self.rnn = make_recurrent_layer(config.cell, config.row_size, config.hidden_size,
                                        config.num_layers, config.dropout)
        self.head = nn.Linear(config.hidden_size, config.num_classes)

    def _read(self, images: torch.Tensor) -> torch.Tensor:
        x = (images - MNIST_MEAN) / MNIST_STD  # normalised as in training, inside the model
        outputs, _ = self.rnn(x)  # (B, rows, H): the top layer's hidden state after each row
        return outputs

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.head(self._read(images)[:, -1])  # (B, C)

    def read_rows(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The per-row story: logits after every row (B, rows, C) and hidden states (B, rows, H)."""
        hidden = self._read(images)
        return self.head(hidden), hidden
