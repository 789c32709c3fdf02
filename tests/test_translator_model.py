"""The encoder-decoder: its shapes, attention that sums to 1 over the real words and never looks at padding,
greedy and beam search, and a checkpoint that keeps its figures."""
from __future__ import annotations

import pytest
import torch

from rnn_core.checkpoints import load_checkpoint, save_checkpoint
from rnn_core.seeding import seeded
from rnn_core.translator.data import english, words_of
from rnn_core.translator.decoding import beam_search, greedy, source_tensors
from rnn_core.translator.model import NumberTranslator, SourceVocab, TargetVocab, TranslatorConfig
from rnn_core.translator.recipe import TranslatorRecipe, measure_translator, train_translator, translation_data

SOURCE, TARGET = SourceVocab(), TargetVocab()
SENTENCES = [words_of(english(n)) for n in (7, 305_007, 999_999_999, 42_300)]


def tiny(attention: bool = True, seed: int = 0) -> NumberTranslator:
    config = TranslatorConfig(len(SOURCE), len(TARGET), attention=attention, word_dim=8, char_dim=8, hidden_size=8,
                              decoder_size=16, attention_size=8)
    return seeded(lambda: NumberTranslator(config), seed).eval()


def test_teacher_forcing_gives_logits_per_character():
    data = translation_data([(words, "三十万五千零七") for words in SENTENCES], SOURCE, TARGET)
    logits = tiny()(*data.train_inputs)
    assert logits.shape == (4, len(TARGET), data.train_labels.shape[1])  # (B, V, T), as cross_entropy takes it
    assert data.train_labels[0].tolist()[-1] == 2  # the end mark is a target too


def test_attention_rows_sum_to_one_over_the_real_words_and_padding_gets_none():
    model = tiny()
    ids, lengths = source_tensors(SENTENCES, SOURCE)
    encoded = model.encode(ids, lengths)
    state = model.start_state(encoded)
    _context, weights = model.attend(state, encoded)
    assert torch.allclose(weights.sum(-1), torch.ones(len(SENTENCES)))
    assert (weights[~encoded.mask] == 0).all() and encoded.mask.sum(1).tolist() == lengths.tolist()
    for translation in greedy(model, SENTENCES, SOURCE, TARGET):
        assert translation.attention.shape == (translation.steps, len(translation.words))
        assert torch.allclose(translation.attention.sum(-1), torch.ones(translation.steps))


def test_padding_changes_nothing():
    model = tiny(seed=1)
    alone = greedy(model, [SENTENCES[0]], SOURCE, TARGET)[0]
    beside_a_long_one = greedy(model, SENTENCES, SOURCE, TARGET)[0]  # "seven" padded to the longest's length
    assert alone.text == beside_a_long_one.text
    assert torch.allclose(alone.attention, beside_a_long_one.attention, atol=1e-6)
    assert abs(alone.log_probability - beside_a_long_one.log_probability) < 1e-4


def test_without_attention_there_is_no_map_and_the_context_is_the_summary():
    model = tiny(attention=False)
    ids, lengths = source_tensors(SENTENCES, SOURCE)
    encoded = model.encode(ids, lengths)
    context, weights = model.attend(model.start_state(encoded), encoded)
    assert weights is None and torch.equal(context, encoded.summary)
    assert all(t.attention is None for t in greedy(model, SENTENCES, SOURCE, TARGET))


def test_beam_search_keeps_the_likeliest_distinct_translations_and_width_one_is_greedy():
    model = tiny(seed=2)
    for words in SENTENCES:
        beams = beam_search(model, words, SOURCE, TARGET, 4)
        scores = [beam.log_probability for beam in beams]
        assert 1 <= len(beams) <= 4 and scores == sorted(scores, reverse=True)
        assert len({beam.text for beam in beams}) == len(beams)
        assert beams[0].log_probability >= greedy(model, [words], SOURCE, TARGET)[0].log_probability - 1e-5
        one = beam_search(model, words, SOURCE, TARGET, 1)[0]
        assert one.text == greedy(model, [words], SOURCE, TARGET)[0].text


@pytest.mark.slow
def test_a_short_training_run_learns_and_its_checkpoint_keeps_its_figures(tmp_path):
    recipe = TranslatorRecipe(pairs=3_000, epochs=1, hidden_size=16, decoder_size=32, attention_size=16,
                              batch_size=64)
    model, metadata = train_translator(recipe, torch.device("cpu"))
    figures = metadata.test_metrics
    assert set(figures.by_digits) == {str(d) for d in range(1, 10)} and figures.examples > 30_000
    assert sum(figures.words_examples.values()) == figures.examples
    path = save_checkpoint(tmp_path / "translator.pt", model, metadata)
    loaded = load_checkpoint(path, expected_kind="translator")
    assert loaded.metadata.test_metrics == figures
    some = [7, 305_007, 42_300]
    assert measure_translator(loaded.model, some).exact_match == measure_translator(model, some).exact_match
