"""A small live training run on tiny_task, and waiting for what it does in its own thread."""
from __future__ import annotations

import time
from collections.abc import Callable

import torch

from rnn_core.training.live import LiveTraining
from rnn_core.digits.model import RowClassifier, RowClassifierConfig
from rnn_core.training.loop import ClassifierTrainer, TrainConfig
from harness.tiny_data import tiny_task


def live_run(epochs: float = 3) -> LiveTraining:
    torch.manual_seed(0)
    model = RowClassifier(RowClassifierConfig(cell="gru", hidden_size=16, num_layers=1, num_classes=4))
    trainer = ClassifierTrainer(model, tiny_task(), TrainConfig(epochs=epochs, batch_size=32, lr=1e-2),
                                torch.device("cpu"))
    return LiveTraining(trainer, eval_limit=64, steps_per_point=2, eval_seconds=0.0)


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition()
