"""`python -m rnn_core train ... / evaluate ...` end to end, on tiny data sets the tests write."""
import subprocess
import sys

import pytest

import rnn_core.__main__
from rnn_core.__main__ import main
from rnn_core.checkpoints import load_checkpoint
from rnn_core.digits.drawn import drawn_digit_set
from rnn_core.evaluation import evaluate_on_drawn_digits
from rnn_core.names.recipe import NamesRecipe

from harness.tiny_data import write_tiny_mnist, write_tiny_names


def test_train_and_evaluate_mnist(tmp_path, capsys, monkeypatch):
    # The drawn-digit benchmark of a throwaway model: a few drawings take the same path as all of them, which
    # tests/test_drawn_digits.py reads with the shipped models.
    few = drawn_digit_set(count=40)
    monkeypatch.setattr(rnn_core.__main__, "evaluate_on_drawn_digits",
                        lambda model: evaluate_on_drawn_digits(model, few))
    root = write_tiny_mnist(tmp_path / "data")
    out = tmp_path / "digits.pt"
    assert main(["train", "mnist", "--data-dir", str(root), "--device", "cpu", "--cell", "gru",
                 "--hidden", "8", "--layers", "1", "--epochs", "1", "--batch-size", "50",
                 "--out", str(out)]) == 0
    checkpoint = load_checkpoint(out, expected_kind="row_classifier")
    recorded = checkpoint.metadata.test_metrics.accuracy
    assert checkpoint.model.config.cell == "gru" and checkpoint.metadata.labels[3] == "3"
    assert checkpoint.metadata.drawn_metrics.examples == len(few)
    assert "saved" in capsys.readouterr().out

    assert main(["evaluate", str(out), "--data-dir", str(root)]) == 0
    printed = capsys.readouterr().out
    assert f"accuracy {100 * recorded:.2f}%" in printed.splitlines()[0]  # reproduces the recorded figure


def test_train_and_evaluate_names(tmp_path, capsys):
    root = write_tiny_names(tmp_path / "data")
    out = tmp_path / "names.pt"
    assert main(["train", "names", "--data-dir", str(root), "--device", "cpu", "--members", "2",
                 "--hidden", "8", "--epochs", "2", "--batch-size", "8", "--out", str(out)]) == 0
    checkpoint = load_checkpoint(out, expected_kind="name_classifier")
    metadata = checkpoint.metadata
    assert metadata.labels == ["Italian", "Japanese", "Polish"] and len(checkpoint.model.members) == 2
    assert metadata.line_counts == {"Italian": 16, "Japanese": 16, "Polish": 16}
    assert set(metadata.test_metrics.per_class_recall) == {"Italian", "Japanese", "Polish"}
    # The file decides by the rule it records: the vote's weight and the prior correction.
    rule, model = metadata.decision_rule, checkpoint.model
    assert rule.naive_bayes_weight in NamesRecipe().naive_bayes_weights
    assert float(model.naive_bayes_weight) == pytest.approx(rule.naive_bayes_weight, abs=1e-3)
    assert model.naive_bayes.entry_counts.sum() > 0
    assert main(["evaluate", str(out), "--data-dir", str(root)]) == 0
    assert f"accuracy {100 * metadata.test_metrics.accuracy:.2f}%" in capsys.readouterr().out


def test_errors_are_one_readable_line(tmp_path, capsys):
    assert main(["train", "mnist", "--data-dir", str(tmp_path), "--device", "cpu"]) == 2
    assert "error: MNIST is not in" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path / "missing.pt")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["train", "mnist", "--device", "tpu"]) == 2
    assert "Unknown device 'tpu'" in capsys.readouterr().err


def test_module_runs_as_a_program():
    result = subprocess.run([sys.executable, "-m", "rnn_core", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "train" in result.stdout and "evaluate" in result.stdout
