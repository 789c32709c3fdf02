"""The n-gram baseline: Kneser-Ney distributions sum to one, never give zero, and the language mix is chosen
on training names held out from the fit."""
from __future__ import annotations

import math

import pytest

from rnn_core.generator.kneser_ney import KneserNey, LanguageNgram, fit_language_ngram

END = 0
SEQUENCES = [[1, 2, 3, END], [1, 2, 4, END], [2, 3, 3, 1, END], [4, 4, END], [1, 3, END]]
VOCAB_SIZE = 6  # tokens 0..4 seen, 5 never


@pytest.mark.parametrize("order", [1, 2, 3, 5])
@pytest.mark.parametrize("history", [(), (1,), (1, 2), (4, 4, 4, 4), (5, 5)])
def test_every_distribution_sums_to_one_and_nothing_is_impossible(order, history):
    model = KneserNey(order, VOCAB_SIZE).fit(SEQUENCES)
    probabilities = [model.probability(history, token) for token in range(VOCAB_SIZE)]
    assert sum(probabilities) == pytest.approx(1.0)
    assert min(probabilities) > 0  # token 5 was never seen, yet it can occur


def test_seen_continuations_are_likelier_and_bits_add_up():
    model = KneserNey(3, VOCAB_SIZE).fit(SEQUENCES)
    assert model.probability((1, 2), 3) > model.probability((1, 2), 5)
    expected = -sum(math.log2(model.probability(tuple(SEQUENCES[0][:i]), t)) for i, t in enumerate(SEQUENCES[0]))
    assert model.sequence_bits(SEQUENCES[0]) == pytest.approx(expected)


def test_language_mix_weighs_own_and_shared_models():
    sequences = [[1, 1, END]] * 20 + [[2, 2, END]] * 20
    languages = ["a"] * 20 + ["b"] * 20
    own_only = LanguageNgram.fit(sequences, languages, VOCAB_SIZE, 3, strength=0.0)
    shared_only = LanguageNgram.fit(sequences, languages, VOCAB_SIZE, 3, strength=math.inf)
    assert own_only.sequence_bits([1, 1, END], "a") < shared_only.sequence_bits([1, 1, END], "a")
    assert shared_only.sequence_bits([1, 1, END], "a") == pytest.approx(shared_only.sequence_bits([1, 1, END], "b"))
    names = [f"n{i}" for i in range(40)]
    chosen = fit_language_ngram(sequences, languages, names, VOCAB_SIZE, order=3)
    assert chosen.strength < math.inf  # languages that differ this much: their own models win on held-out names
    bits, tokens = chosen.bits(sequences[:2], languages[:2])
    assert tokens == 6 and bits > 0
