"""The name generator's engine: shapes, start and end marks, temperature, prefixes, the length limit, its own
random draws, bits per character, and training through the classifiers' loop unchanged."""
from __future__ import annotations

import math

import pytest
import torch

from rnn_core.checkpoint_meta import CheckpointMetadata
from rnn_core.checkpoints import load_checkpoint, save_checkpoint
from rnn_core.generator.model import (
    END, IGNORED_TARGET, PAD, START, UNKNOWN, GeneratorInputError, GeneratorVocab, NameGenerator, NameGeneratorConfig,
    name_bits, teacher_forcing_tensors,
)
from rnn_core.generator.sampling import (MAX_GENERATED_LENGTH, MAX_PREFIX_LENGTH, check_temperature, clean_prefix,
                                        generate_name, next_distribution)
from rnn_core.generator.recipe import GeneratorRecipe, generator_data, train_generator_model

from harness.tiny_data import TINY_NAMES

LANGUAGES = sorted(TINY_NAMES)
PAIRS = [(name, language) for language, names in TINY_NAMES.items() for name in names]
VOCAB = GeneratorVocab.from_names([name for name, _ in PAIRS])


def tiny_model(cell: str = "gru", seed: int = 0, ngrams: bool = True) -> NameGenerator:
    torch.manual_seed(seed)  # tests only: the app never seeds the shared generator
    return NameGenerator(NameGeneratorConfig(len(VOCAB), len(LANGUAGES), cell=cell, char_dim=8, language_dim=4,
                                             hidden_size=16, num_layers=2, ngram_sizes=[1, 2, 3] if ngrams else [],
                                             ngram_buckets=64, ngram_dim=8)).eval()


def test_vocabulary_keeps_case_and_reserves_the_marks():
    assert VOCAB.encode("Rb") == [VOCAB.chars.index("R") + 4, VOCAB.chars.index("b") + 4]
    assert VOCAB.encode("Ж") == [UNKNOWN] and VOCAB.unknown_chars("Żab") == ["Ż"]
    assert {PAD, START, END, UNKNOWN} == {0, 1, 2, 3} and len(VOCAB) == len(VOCAB.chars) + 4
    assert VOCAB.label(END) == "end" and VOCAB.char(VOCAB.encode("R")[0]) == "R"


def test_teacher_forcing_starts_with_start_and_ends_with_end():
    inputs, targets = teacher_forcing_tensors(["Ito", "Rossi"], VOCAB)
    assert inputs.shape == targets.shape == (2, 6)
    assert inputs[0].tolist() == [START, *VOCAB.encode("Ito"), PAD, PAD]
    assert targets[0].tolist() == [*VOCAB.encode("Ito"), END, IGNORED_TARGET, IGNORED_TARGET]
    assert targets[1, -1] == END and inputs[1, 1:].tolist() == VOCAB.encode("Rossi")


@pytest.mark.parametrize("cell, ngrams", [("rnn", False), ("lstm", True), ("gru", True), ("gru", False)])
def test_shapes_and_the_packed_forward_agree_with_stepping(cell, ngrams):
    model = tiny_model(cell, ngrams=ngrams)
    inputs, _ = teacher_forcing_tensors(["Ito", "Rossi", "Kowalski"], VOCAB)
    languages = torch.tensor([1, 0, 2])
    logits = model(inputs, languages)
    assert logits.shape == (3, len(VOCAB), inputs.shape[1])  # (B, V, T), as F.cross_entropy takes them
    stepped, state = model.step(inputs, languages)
    assert stepped.shape == (3, inputs.shape[1], len(VOCAB))
    inside = (inputs != PAD)[:, None, :]
    assert torch.allclose(logits * inside, stepped.transpose(1, 2) * inside, atol=1e-5)
    # Step by step from a carried state (and the tokens read before, for the n-grams) gives what one call
    # over the whole name gives.
    first, state = model.step(inputs[:1, :2], languages[:1])
    rest, _ = model.step(inputs[:1, 2:4], languages[:1], state, before=inputs[:1, :2])
    assert torch.allclose(torch.cat([first, rest], 1), stepped[:1, :4], atol=1e-5)


def test_context_ngrams_tell_languages_apart_and_skip_padding():
    model = tiny_model()
    ids, _ = teacher_forcing_tensors(["Rossi", "Rossi", "Ito"], VOCAB)
    keys = model.ngrams.keys(ids, torch.tensor([0, 1, 0]))  # (3, T, 2 sizes x plain and per language)
    assert keys.shape == (3, ids.shape[1], 6) and int(keys.max()) < 64
    assert int(keys[:2].min()) >= 1 and (keys[2, 4:] == 0).all()  # "Ito" is START + 3 letters, then padding
    assert torch.equal(keys[0, :, 0::2], keys[1, :, 0::2])  # the plain n-grams are the same name's
    assert not torch.equal(keys[0, :, 1::2], keys[1, :, 1::2])  # those paired with the language differ


def test_trains_through_the_classifier_loop_unchanged():
    recipe = GeneratorRecipe(hidden_size=32, num_layers=1, epochs=12, batch_size=16, lr=1e-2, dropout=0.0)
    untrained = tiny_model()
    index = [LANGUAGES.index(language) for _, language in PAIRS]
    before, symbols = name_bits(untrained, [n for n, _ in PAIRS], index, VOCAB)
    model = train_generator_model(PAIRS, LANGUAGES, VOCAB, recipe, torch.device("cpu"))
    after, _ = name_bits(model, [n for n, _ in PAIRS], index, VOCAB)
    assert after / symbols < 0.75 * before / symbols  # it learnt the training names
    data = generator_data(PAIRS, LANGUAGES, VOCAB)
    assert data.train_labels.shape == data.train_inputs[0].shape and data.num_classes == len(VOCAB)


def test_bits_count_every_letter_and_the_end_mark():
    model = tiny_model()
    italian = LANGUAGES.index("Italian")
    bits, symbols = name_bits(model, ["Rossi", "Ito"], [italian, italian], VOCAB)
    assert symbols == 6 + 4  # the letters and one end mark per name
    expected = 0.0
    with torch.no_grad():
        for name in ("Rossi", "Ito"):  # read one step at a time from the language's first state
            tokens, targets, state = [START, *VOCAB.encode(name)], [*VOCAB.encode(name), END], None
            for i, (token, target) in enumerate(zip(tokens, targets)):
                before = torch.tensor([tokens[:i]]) if i else None  # what was read, for the n-grams
                logits, state = model.step(torch.tensor([[token]]), torch.tensor([italian]), state, before)
                expected -= math.log2(float(logits[0, -1].softmax(-1)[target]))
    assert bits == pytest.approx(expected, rel=1e-5)
    # The story of a name given whole holds the same steps (with the marks it never writes left out).
    story = generate_name(model, VOCAB, LANGUAGES, "Italian", 1.0, prefix="Rossi", max_length=5)
    assert story.name == "Rossi" and [s.token for s in story.steps] == [*VOCAB.encode("Rossi"), END]


def test_temperature_zero_is_deterministic_and_greedy():
    model = tiny_model()
    first = generate_name(model, VOCAB, LANGUAGES, "Japanese", 0.0, generator=torch.Generator().manual_seed(1))
    second = generate_name(model, VOCAB, LANGUAGES, "Japanese", 0.0, generator=torch.Generator().manual_seed(2))
    assert first.name == second.name
    assert all(s.probability == 1.0 and s.token == int(s.probabilities.argmax()) for s in first.steps if not s.forced)
    assert all(s.ranked(5) == [s.token] for s in first.steps if not s.forced)  # no tie of zeros to rank
    warm = generate_name(model, VOCAB, LANGUAGES, "Japanese", 1.0, generator=torch.Generator().manual_seed(1))
    ranked = warm.steps[0].ranked(5)
    assert len(ranked) == 5 and [float(warm.steps[0].probabilities[i]) for i in ranked] == sorted(
        warm.steps[0].probabilities.tolist(), reverse=True)[:5]


def test_same_generator_seed_same_name_and_the_process_random_state_is_left_alone():
    model = tiny_model()
    state = torch.random.get_rng_state()
    names = [generate_name(model, VOCAB, LANGUAGES, "Polish", 1.0, generator=torch.Generator().manual_seed(7)).name
             for _ in range(2)]
    assert names[0] == names[1]
    assert torch.equal(torch.random.get_rng_state(), state)
    many = {generate_name(model, VOCAB, LANGUAGES, "Polish", 1.5, generator=torch.Generator().manual_seed(s)).name
            for s in range(8)}
    assert len(many) > 1  # drawing is random across seeds


def test_temperature_sharpens_and_flattens():
    logits = torch.randn(len(VOCAB), generator=torch.Generator().manual_seed(0))
    peaks = [float(next_distribution(logits, t).max()) for t in (0.2, 0.5, 1.0, 2.0)]
    assert peaks == sorted(peaks, reverse=True)
    for t in (0.5, 1.0):
        p = next_distribution(logits, t)
        assert float(p.sum()) == pytest.approx(1.0) and float(p[[PAD, START, UNKNOWN]].sum()) == 0.0


def test_a_prefix_is_kept_and_capitalised():
    model = tiny_model()
    story = generate_name(model, VOCAB, LANGUAGES, "Italian", 0.8, prefix="ros",
                          generator=torch.Generator().manual_seed(0))
    assert story.name.startswith("Ros") and story.prefix == "Ros"
    assert [s.forced for s in story.steps[:3]] == ["prefix"] * 3
    assert story.steps[3].forced in ("", "length")


def test_an_end_mark_always_comes_within_the_maximum_length():
    model = tiny_model()
    with torch.no_grad():
        model.head.bias[END] = -1e4  # a model that never wants to stop
    story = generate_name(model, VOCAB, LANGUAGES, "Russian" if "Russian" in LANGUAGES else "Polish", 1.0,
                          generator=torch.Generator().manual_seed(0))
    assert len(story.name) == MAX_GENERATED_LENGTH and story.steps[-1].token == END
    assert story.steps[-1].forced == "length" and not story.ended_by_model
    for seed in range(20):  # an untrained model at a high temperature: every name still ends
        story = generate_name(tiny_model(seed=seed), VOCAB, LANGUAGES, "Japanese", 2.0, max_length=12,
                              generator=torch.Generator().manual_seed(seed))
        assert len(story.name) <= 12 and story.steps[-1].token == END
        assert len(story.steps) == len(story.name) + 1 and END not in [s.token for s in story.steps[:-1]]


@pytest.mark.parametrize("temperature", [-0.1, 2.5, 1e9, float("nan"), float("inf"), "warm", None])
def test_absurd_temperatures_are_refused_in_plain_words(temperature):
    with pytest.raises(GeneratorInputError, match="temperature must"):
        check_temperature(temperature)


@pytest.mark.parametrize("prefix, phrase", [("Жу", "never appear"), ("<b>", "never appear"), ("Ro😀", "never appear"),
                                            ("x" * (MAX_PREFIX_LENGTH + 1), f"at most {MAX_PREFIX_LENGTH}")])
def test_bad_prefixes_are_refused_without_echoing_them(prefix, phrase):
    with pytest.raises(GeneratorInputError, match=phrase) as error:
        clean_prefix(prefix, VOCAB)
    assert prefix not in str(error.value)


def test_an_unknown_language_is_refused():
    with pytest.raises(GeneratorInputError, match="languages in the list"):
        generate_name(tiny_model(), VOCAB, LANGUAGES, "Klingon")


def test_checkpoint_round_trip(tmp_path):
    model = tiny_model("lstm")
    path = save_checkpoint(tmp_path / "g.pt", model, CheckpointMetadata(labels=LANGUAGES, vocab=VOCAB.chars))
    loaded = load_checkpoint(path, expected_kind="name_generator")
    assert loaded.model.config == model.config and loaded.metadata.vocab == VOCAB.chars
    inputs, _ = teacher_forcing_tensors(["Sato"], VOCAB)
    assert torch.equal(loaded.model(inputs, torch.tensor([1])), model(inputs, torch.tensor([1])))
