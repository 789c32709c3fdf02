"""Test a loaded checkpoint on the test split of the data set it was trained on."""
from __future__ import annotations

from pathlib import Path

from .checkpoints import Checkpoint, CheckpointError
from .data.mnist import load_mnist
from .data.names import CharVocab, load_names, split_names_v1
from .digit_recipe import mnist_classification_data
from .metrics import Metrics, evaluate_classifier
from .names_recipe import names_classification_data


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
        raise CheckpointError(f"No test set for a {checkpoint.kind} checkpoint.")
    return evaluate_classifier(checkpoint.model, data.test_inputs, data.test_labels, data.num_classes)
