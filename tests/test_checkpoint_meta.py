"""Checkpoint metadata: typed, written as plain data, read back the same, and refused with a reason when a
field is not in the form this app writes."""
from pathlib import Path

import pytest
import torch

from rnn_core.checkpoint_meta import (CheckpointMetadata, ClassifierMetrics, DecisionRuleRecord, GeneratorMetrics,
                                      MetadataError)
from rnn_core.checkpoints import load_checkpoint
from rnn_core.model_kinds import MODEL_KINDS

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"
NAMES = CheckpointMetadata(
    task="names", split="names-v1", labels=["Italian", "Japanese"], vocab="abc", data_digest="d1",
    line_counts={"Italian": 3, "Japanese": 2}, pair_counts={"train": 4, "test": 1},
    test_metrics=ClassifierMetrics(accuracy=0.5, balanced_accuracy=0.5, loss=0.7, examples=2,
                                   confusion=[[1, 0], [1, 0]], per_class_recall={"Italian": 1.0, "Japanese": 0.0}),
    decision_rule=DecisionRuleRecord(prior_strength=0.0, naive_bayes_weight=0.03, folds=5),
    training={"epochs": 2, "cell": "gru"}, saved_at="2026-01-01T00:00:00+00:00", versions={"torch": "2"})
DIGITS = CheckpointMetadata(
    task="mnist", labels=[str(d) for d in range(10)], data_digest="d2",
    test_metrics=ClassifierMetrics(accuracy=0.99, examples=10_000),
    drawn_metrics=ClassifierMetrics(accuracy=0.995, balanced_accuracy=0.995, examples=1200,
                                    per_class_recall={"1": 0.98, "7": 1.0}))
GENERATOR = CheckpointMetadata(
    task="name-generator", labels=["Italian"], vocab="abc", training_names={"Italian": "Rossi\nBianchi"},
    test_metrics=GeneratorMetrics(bits_per_character=2.5, ngram_bits_per_character=2.6, symbols=10, names=2,
                                  ngram_order=5, ngram_strength=100.0, per_language={"Italian": (2.5, 2.6)}))


@pytest.mark.parametrize("path", sorted(CHECKPOINTS.glob("*.pt")), ids=lambda path: path.name)
def test_every_shipped_checkpoint_parses_and_writes_back_the_same(path):
    payload = torch.load(path, map_location="cpu", weights_only=True)
    metadata = CheckpointMetadata.from_dict(payload["metadata"], payload["kind"])
    assert metadata.to_dict() == payload["metadata"]
    assert metadata.labels and metadata.test_metrics is not None and metadata.data_digest
    assert load_checkpoint(path).metadata == metadata


@pytest.mark.parametrize("metadata, kind", [(NAMES, "name_classifier"), (GENERATOR, "name_generator"),
                                            (DIGITS, "row_classifier"), (CheckpointMetadata(), "row_classifier")])
def test_round_trip(metadata, kind):
    assert kind in MODEL_KINDS
    assert CheckpointMetadata.from_dict(metadata.to_dict(), kind) == metadata


def test_empty_fields_are_left_out_of_the_file():
    assert CheckpointMetadata().to_dict() == {}
    assert CheckpointMetadata(test_metrics=ClassifierMetrics(accuracy=0.5)).to_dict() == {
        "test_metrics": {"accuracy": 0.5}}


BAD = {  # (kind, changes to NAMES' dict, words the error must hold)
    "not a dict": ("row_classifier", None, "not in the form"),
    "an unknown field": ("name_classifier", {"<b>extra</b>": 1}, "fields this app does not write"),
    "markup in a language": ("name_classifier", {"labels": ["<b>x</b>", "Japanese"]}, "plain words"),
    "no languages": ("name_generator", {"labels": []}, "plain words"),
    "vocabulary not text": ("name_classifier", {"vocab": 5}, "characters it reads"),
    "accuracy as text": ("name_classifier", {"test_metrics": {"accuracy": "all"}}, "(test_metrics)"),
    "accuracy as a bool": ("name_classifier", {"test_metrics": {"accuracy": True}}, "(test_metrics)"),
    "ragged confusion": ("name_classifier", {"test_metrics": {"confusion": [[1, 2], [3]]}}, "(confusion)"),
    "markup in a recall's language": ("name_classifier", {"test_metrics": {"per_class_recall": {"<i>": 1.0}}},
                                      "(per_class_recall)"),
    "counts as text": ("name_classifier", {"line_counts": {"Italian": "many"}}, "(line_counts)"),
    "a rule without a strength": ("name_classifier", {"decision_rule": {"folds": 5}}, "(decision_rule)"),
    "generator metrics incomplete": ("name_generator", {"test_metrics": {"bits_per_character": 2.0}},
                                     "(test_metrics)"),
    "training names not text": ("name_generator", {"training_names": {"Italian": 3}}, "(training_names)"),
}


@pytest.mark.parametrize("kind, changes, words", BAD.values(), ids=BAD.keys())
def test_metadata_not_in_this_apps_form_is_refused_with_a_reason(kind, changes, words):
    data = None if changes is None else {**(GENERATOR if kind == "name_generator" else NAMES).to_dict(), **changes}
    with pytest.raises(MetadataError, match=words.replace("(", r"\(").replace(")", r"\)")):
        CheckpointMetadata.from_dict(data, kind)
