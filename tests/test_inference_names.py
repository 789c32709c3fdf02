"""The names half of rnn_core.inference on a tiny untrained model: input checks, prefixes, batches, files."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from rnn_core.names.data import CharVocab
from rnn_core.names.inference import (
    MAX_BATCH_NAMES, NameInputError, classify_names, clean_name, name_lines, name_lines_from_file, read_name,
)
from rnn_core.digits.inference import MAX_NAME_LENGTH
from rnn_core.names.model import NameClassifier, NameClassifierConfig

VOCAB = CharVocab.from_names(["nakamura", "o'brien", "schmidt", "müller"])
LANGUAGES = ["German", "Irish", "Japanese", "Polish"]


@pytest.fixture(scope="module")
def model() -> NameClassifier:
    torch.manual_seed(0)
    config = NameClassifierConfig(vocab_size=len(VOCAB), num_classes=len(LANGUAGES), embedding_dim=8,
                                  hidden_size=8, num_layers=1, num_members=2)
    return NameClassifier(config).eval()


@pytest.mark.parametrize("text, message", [
    ("", "Type a surname"), ("  \t ", "Type a surname"), ("1234", "no letters"), ("😀 ✨", "no letters"),
    ("Иванов", "romanised"), ("山田", "romanised"), ("محمد", "romanised"),
    ("a" * (MAX_NAME_LENGTH + 1), f"at most {MAX_NAME_LENGTH}")])
def test_clean_name_refuses_with_a_reason(text, message):
    with pytest.raises(NameInputError, match=message):
        clean_name(text, VOCAB)


def test_clean_name_keeps_a_name_with_some_unknown_characters():
    assert clean_name("  <b>Müller</b> ", VOCAB) == "<b>Müller</b>"


def test_read_name_answers_every_prefix_and_ends_on_the_answer(model):
    reading = read_name(model, VOCAB, LANGUAGES, "Schmidt#")
    assert reading.prefix_probabilities.shape == (8, len(LANGUAGES))
    assert np.allclose(reading.prefix_probabilities[-1], reading.probabilities, atol=1e-6)
    assert np.allclose(reading.prefix_probabilities.sum(1), 1, atol=1e-5)
    assert reading.unknown_chars == ["#"]
    assert [language for language, _ in reading.top(2)] == \
        [LANGUAGES[i] for i in np.argsort(-reading.probabilities)[:2]]


def test_classify_names_matches_one_at_a_time_and_reads_repeats_once(model):
    texts = ["Schmidt", "SCHMIDT", "", "Nakamura", "schmidt", "12", "O'Brien"]
    rows = classify_names(model, VOCAB, LANGUAGES, texts)
    assert [row.error is not None for row in rows] == [False, False, True, False, False, True, False]
    for text, row in zip(texts, rows):
        if not row.error:
            alone = read_name(model, VOCAB, LANGUAGES, text).top(3)
            assert [language for language, _ in row.top] == [language for language, _ in alone]
            assert np.allclose([p for _, p in row.top], [p for _, p in alone], atol=1e-5)
    assert rows[0].top == rows[1].top == rows[4].top and rows[0].top is not rows[1].top


def test_classify_names_refuses_more_than_the_limit(model):
    assert len(classify_names(model, VOCAB, LANGUAGES, ["Schmidt"] * MAX_BATCH_NAMES)) == MAX_BATCH_NAMES
    with pytest.raises(NameInputError, match=f"{MAX_BATCH_NAMES + 1:,} names"):
        classify_names(model, VOCAB, LANGUAGES, ["Schmidt"] * (MAX_BATCH_NAMES + 1))


def test_name_lines_skip_blanks_and_keep_line_numbers():
    assert name_lines("Schmidt\n\n  \nMüller\r\nO'Brien") == [(1, "Schmidt"), (4, "Müller"), (5, "O'Brien")]


def test_csv_reads_the_first_column_skipping_a_header_and_quoted_commas():
    data = 'Surname,origin\r\nSchmidt,DE\r\n\r\n"Nakamura, Jr",JP\r\n'.encode("utf-8-sig")
    assert name_lines_from_file(data, "list.CSV") == [(2, "Schmidt"), (4, "Nakamura, Jr")]


def test_files_in_utf16_are_read_and_binary_files_refused():
    utf16 = "Müller\nSchmidt".encode("utf-16")
    assert name_lines_from_file(utf16, "a.txt") == [(1, "Müller"), (2, "Schmidt")]
    with pytest.raises(NameInputError, match="not UTF-8"):
        name_lines_from_file(b"\xff\xd8\xff\xe0JFIF", "photo.txt")
    with pytest.raises(NameInputError, match="binary"):
        name_lines_from_file(b"abc\x00def", "a.txt")
