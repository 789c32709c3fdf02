"""Checkpoints for bad-input tests: a tiny digit model, and a pickle that runs code when it is loaded."""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import torch

from rnn_core.digits.model import RowClassifier, RowClassifierConfig


class WritesAFile:
    """Unpickling this would create MARKER: the classic checkpoint that runs code when loaded. One marker per
    process: tests in parallel (and other checkouts' tests) must not see each other's."""
    MARKER = Path(tempfile.gettempdir()) / f"rnn-playground-pickle-ran-{os.getpid()}"

    def __reduce__(self):
        return (open, (str(self.MARKER), "w"))


def pickle_bomb() -> bytes:
    buffer = io.BytesIO()
    torch.save({"format": "rnn-playground-checkpoint/1", "kind": "row_classifier", "bomb": WritesAFile()}, buffer)
    return buffer.getvalue()


def digits_checkpoint(**config) -> RowClassifier:
    """A small GRU digit model with fixed weights; `config` overrides its RowClassifierConfig."""
    torch.manual_seed(0)
    return RowClassifier(RowClassifierConfig(**{"cell": "gru", "hidden_size": 8, "num_layers": 1, **config}))
