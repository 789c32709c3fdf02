"""The shipped name generator on the real names-v1 split: it reproduces its recorded bits per character, and
beats the n-gram baseline fitted on the same training names in the same run."""
from __future__ import annotations

from pathlib import Path

import pytest

from rnn_core.checkpoints import load_checkpoint
from rnn_core.names.data import load_names, split_names_v1
from rnn_core.generator.recipe import evaluate_generator

pytestmark = pytest.mark.integration

CHECKPOINT = Path(__file__).resolve().parent.parent / "checkpoints" / "names-generator.pt"


def test_shipped_generator_reproduces_its_bits_per_character_and_beats_the_ngram(data_dir):
    checkpoint = load_checkpoint(CHECKPOINT, expected_kind="name_generator")
    recorded = checkpoint.metadata.test_metrics
    measured = evaluate_generator(checkpoint.model, checkpoint.metadata, data_dir)
    assert measured.bits_per_character == pytest.approx(recorded.bits_per_character, abs=1e-4)
    assert measured.ngram_bits_per_character == pytest.approx(recorded.ngram_bits_per_character, abs=1e-4)
    assert measured.bits_per_character < measured.ngram_bits_per_character
    assert len(measured.per_language) == 18
    assert CHECKPOINT.stat().st_size < 5 * 2 ** 20


def test_shipped_generator_saw_only_training_names(data_dir):
    metadata = load_checkpoint(CHECKPOINT, expected_kind="name_generator").metadata
    names = load_names(data_dir, download=False)
    train, test = split_names_v1(names.pairs)
    assert metadata.data_digest == names.digest
    recorded = {(name, language) for language, lines in metadata.training_names.items()
                for name in lines.split("\n")}
    assert recorded == set(train) and not recorded & set(test)
    assert metadata.pair_counts == {"train": len(train), "test": len(test)}
