"""Test a loaded checkpoint on the test split of the data set it was trained on, and a digit model on
digits drawn the way students draw them."""
from __future__ import annotations

from pathlib import Path

import torch

from rnn_core.checkpoints import Checkpoint, CheckpointError
from rnn_core.digits.drawn import DrawnDigit, drawn_digit_set, render_drawing
from rnn_core.digits.data import load_mnist
from rnn_core.names.data import CharVocab, load_names, split_names_v1
from rnn_core.digits.recipe import mnist_classification_data
from rnn_core.metrics import Metrics, evaluate_classifier
from rnn_core.names.recipe import names_classification_data
from rnn_core.digits.preprocess import preprocess_strokes


def evaluate_checkpoint(checkpoint: Checkpoint, root: Path) -> Metrics:
    """Test metrics of a row or name classifier (reads the data from `root`, without downloading)."""
    if checkpoint.kind == "row_classifier":
        data = mnist_classification_data(load_mnist(root, download=False), augment=False)
    elif checkpoint.kind == "name_classifier":
        names = load_names(root, download=False)
        _, test_pairs = split_names_v1(names.pairs)
        vocab = CharVocab(checkpoint.metadata.vocab)
        data = names_classification_data([], test_pairs, checkpoint.metadata.labels, vocab)
    else:
        raise CheckpointError("checkpoint.no_test_set", kind=checkpoint.kind)
    return evaluate_classifier(checkpoint.model, data.test_inputs, data.test_labels, data.num_classes)


def drawn_digit_images(drawings: list[DrawnDigit]) -> torch.Tensor:
    """What a digit model reads from each drawing, made as the digit page makes it: (N, 28, 28)."""
    return torch.stack([preprocess_strokes(d.strokes, render_drawing(d)).image for d in drawings])


def evaluate_on_drawn_digits(model: torch.nn.Module, drawings: list[DrawnDigit] | None = None) -> Metrics:
    """A digit model on the drawn-digit benchmark (1,200 drawings, seed 0, unless `drawings` are given)."""
    drawings = drawn_digit_set() if drawings is None else drawings
    labels = torch.tensor([d.label for d in drawings])
    return evaluate_classifier(model, (drawn_digit_images(drawings),), labels, 10)
