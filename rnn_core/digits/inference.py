"""A digit model's answer with the story of how it was reached, row by row."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from rnn_core.digits.model import RowClassifier

MAX_NAME_LENGTH = 40  # the longest training surname has 20 characters


@dataclass
class DigitReading:
    image: np.ndarray  # (28, 28) the model's input, in [0, 1]
    probabilities: np.ndarray  # (10,) after the last row: the answer
    row_probabilities: np.ndarray  # (28, 10) what the model would answer after each row
    hidden: np.ndarray  # (28, H) the top layer's hidden state after each row

    @property
    def digit(self) -> int:
        return int(self.probabilities.argmax())

    @property
    def confidence(self) -> float:
        return float(self.probabilities.max())

    @property
    def margin(self) -> float:
        """How far the answer leads the runner-up: near 0 means torn between two digits."""
        second, first = np.sort(self.probabilities)[-2:]
        return float(first - second)

    @property
    def settled_row(self) -> int:
        """The row (1-based) after which the per-row guess is the final answer and stays so."""
        changes = np.nonzero(self.row_probabilities.argmax(1) != self.digit)[0]
        return int(changes[-1]) + 2 if len(changes) else 1


@torch.no_grad()
def read_digit(model: RowClassifier, image: torch.Tensor) -> DigitReading:
    """One image (28, 28) in [0, 1] -> the answer and its per-row story, from a single forward pass."""
    device = next(model.parameters()).device
    logits, hidden = model.read_rows(image.to(device).unsqueeze(0))  # (1, 28, 10), (1, 28, H)
    row_probabilities = logits[0].softmax(-1).cpu().numpy()
    return DigitReading(image.cpu().numpy(), row_probabilities[-1], row_probabilities,
                        hidden[0].cpu().numpy())

