"""Each shipped checkpoint loads and reproduces, on the real test set, the accuracy recorded in it."""
from pathlib import Path

import pytest

from rnn_core.checkpoints import load_checkpoint
from rnn_core.evaluation import evaluate_checkpoint

pytestmark = pytest.mark.integration

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"
SHIPPED = {"digits-lstm.pt": 0.994, "digits-gru.pt": 0.97, "digits-rnn.pt": 0.95, "names.pt": 0.84}


@pytest.mark.parametrize("filename", sorted(SHIPPED))
def test_shipped_checkpoint_reproduces_its_recorded_accuracy(filename, data_dir):
    checkpoint = load_checkpoint(CHECKPOINTS / filename)
    recorded = checkpoint.metadata["test_metrics"]
    metrics = evaluate_checkpoint(checkpoint, data_dir)
    assert metrics.accuracy == pytest.approx(recorded["accuracy"], abs=1e-4)
    assert metrics.balanced_accuracy == pytest.approx(recorded["balanced_accuracy"], abs=1e-4)
    assert metrics.accuracy >= SHIPPED[filename]
    assert checkpoint.metadata["data_digest"]
    assert (CHECKPOINTS / filename).stat().st_size < 5 * 2 ** 20


def test_names_checkpoint_meets_both_floors_with_one_rule(data_dir):
    checkpoint = load_checkpoint(CHECKPOINTS / "names.pt", expected_kind="name_classifier")
    metrics = evaluate_checkpoint(checkpoint, data_dir)
    assert metrics.accuracy >= 0.84 and metrics.balanced_accuracy >= 0.60
    recall = checkpoint.metadata["test_metrics"]["per_class_recall"]
    assert len(recall) == 18 and len(checkpoint.metadata["test_metrics"]["confusion"]) == 18
