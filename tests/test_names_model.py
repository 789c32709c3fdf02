"""The names model's pieces on tiny hand-made inputs: n-gram features, the naive Bayes vote, members, the
averaged classifier."""
from dataclasses import asdict

import torch

from rnn_core.names.data import CharVocab, encode_batch
import pytest

from rnn_core.names.model import FUSED_MAX_BATCH, NameClassifier, NameClassifierConfig
from rnn_core.names.ngram_features import CharNgrams
from rnn_core.names.naive_bayes import NgramNaiveBayes
from rnn_core.names.fused_gru import StackedMembers

VOCAB = CharVocab.from_names(["abcov", "Ivanov"])


def test_ngram_ids_do_not_depend_on_padding():
    ngrams = CharNgrams(len(VOCAB), [1, 2, 3], buckets=64, dim=4)
    alone = ngrams.ngram_ids(*encode_batch(["ov"], VOCAB))
    padded = ngrams.ngram_ids(*encode_batch(["ov", "ivanov"], VOCAB))[:1]
    assert sorted(alone[alone > 0].tolist()) == sorted(padded[padded > 0].tolist())
    # "ov" framed by boundaries has 2 unigrams + 2 boundaries, 3 bigrams, 2 trigrams.
    assert (alone > 0).sum().item() == 4 + 3 + 2
    assert alone.min() >= 0 and alone.max() < 64


def test_ngram_ids_mark_the_ends_of_a_name():
    ngrams = CharNgrams(len(VOCAB), [2], buckets=4096, dim=4)
    whole = set(ngrams.ngram_ids(*encode_batch(["ov"], VOCAB))[0].tolist()) - {0}  # ^o ov v$
    inside = set(ngrams.ngram_ids(*encode_batch(["aovb"], VOCAB))[0].tolist()) - {0}  # ^a ao ov vb b$
    assert len(whole) == 3 and len(whole & inside) == 1  # only "ov" is shared


def test_classifier_shapes_and_config_round_trip():
    config = NameClassifierConfig(vocab_size=len(VOCAB), num_classes=3, hidden_size=8, embedding_dim=4,
                                  num_members=2, ngram_buckets=32, ngram_dim=4)
    model = NameClassifier(config).eval()
    ids, lengths = encode_batch(["Ivanov", "a", "bac"], VOCAB)
    logits = model(ids, lengths)
    assert logits.shape == (3, 3)
    assert torch.isfinite(logits).all() and (logits <= 0).all()  # averaged log-probabilities, no bias yet
    copy = NameClassifier(NameClassifierConfig(**asdict(config)))
    copy.load_state_dict(model.state_dict())
    assert torch.equal(copy.eval()(ids, lengths), logits)


def test_classifier_without_ngrams():
    config = NameClassifierConfig(vocab_size=len(VOCAB), num_classes=2, hidden_size=8, embedding_dim=4,
                                  ngram_buckets=0)
    model = NameClassifier(config).eval()
    assert model.members[0].ngrams is None
    assert model(*encode_batch(["ov"], VOCAB)).shape == (1, 2)


def test_members_can_use_any_cell():
    ids, lengths = encode_batch(["Ivanov", "ov"], VOCAB)
    for cell in ("rnn", "lstm", "gru"):
        config = NameClassifierConfig(vocab_size=len(VOCAB), num_classes=3, cell=cell, hidden_size=8,
                                      embedding_dim=4, num_layers=2, ngram_buckets=32, ngram_dim=4)
        model = NameClassifier(config).eval()
        assert type(model.members[0].rnn).__name__ == cell.upper()
        assert model(ids, lengths).shape == (2, 3)


def _per_member_log_probs(model: NameClassifier, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """The reference: each member's own nn.GRU over a packed batch and its own n-grams, as in training."""
    return torch.stack([m(ids, lengths).log_softmax(-1) for m in model.members]).mean(0)


def test_fused_inference_matches_each_members_gru():
    torch.manual_seed(0)
    ids, lengths = encode_batch(["Ivanov", "a", "bac", "ovcabinova", "Ivanov"], VOCAB)
    for bidirectional, ngram_buckets in [(True, 32), (False, 32), (True, 0)]:
        config = NameClassifierConfig(vocab_size=len(VOCAB), num_classes=4, hidden_size=8, embedding_dim=4,
                                      num_members=3, bidirectional=bidirectional, ngram_buckets=ngram_buckets,
                                      ngram_dim=4)
        model = NameClassifier(config).eval()
        with torch.no_grad():
            fused = model(ids, lengths)  # eval mode: every member stepped at once
            assert torch.allclose(fused, _per_member_log_probs(model, ids, lengths), atol=1e-5)
            assert torch.allclose(model(ids[:1, :6], lengths[:1]), fused[:1], atol=1e-5)  # alone = in a batch
            # Past FUSED_MAX_BATCH names the members run one by one: the same answers either way.
            repeats = FUSED_MAX_BATCH // len(ids) + 1
            big = model(ids.repeat(repeats, 1), lengths.repeat(repeats))
            assert len(big) > FUSED_MAX_BATCH and torch.allclose(big[:len(ids)], fused, atol=1e-5)


def test_fused_inference_follows_changed_weights():
    config = NameClassifierConfig(vocab_size=len(VOCAB), num_classes=3, hidden_size=8, embedding_dim=4,
                                  num_members=2, ngram_buckets=32, ngram_dim=4)
    model = NameClassifier(config).eval()
    ids, lengths = encode_batch(["Ivanov", "bac"], VOCAB)
    with torch.no_grad():
        before = model(ids, lengths)
        model.members[1].rnn.weight_hh_l0_reverse.mul_(2)  # in place, as an optimizer step would
        after = model(ids, lengths)
        assert not torch.allclose(before, after)
        assert torch.allclose(after, _per_member_log_probs(model, ids, lengths), atol=1e-5)
        model.load_state_dict(NameClassifier(config).state_dict())
        assert torch.allclose(model(ids, lengths), _per_member_log_probs(model, ids, lengths), atol=1e-5)
    with torch.inference_mode():  # weights made here keep no version counters, so nothing is cached
        made_here = NameClassifier(config).eval()
        assert torch.allclose(made_here(ids, lengths), _per_member_log_probs(made_here, ids, lengths), atol=1e-5)


def test_a_loaded_model_answers_without_writing_to_itself(monkeypatch):
    config = NameClassifierConfig(vocab_size=len(VOCAB), num_classes=3, hidden_size=8, embedding_dim=4,
                                  num_members=2, ngram_buckets=32, ngram_dim=4)
    model = NameClassifier(config)
    model.load_state_dict(NameClassifier(config).state_dict())  # stacked for fast inference here, once
    model.eval().requires_grad_(False)
    ids, lengths = encode_batch(["Ivanov"], VOCAB)
    with torch.no_grad():
        reference = _per_member_log_probs(model, ids, lengths)
        monkeypatch.setattr(StackedMembers, "of", lambda model: pytest.fail("stacked again in forward"))
        assert torch.allclose(model(ids, lengths), reference, atol=1e-5)


# Two made-up languages told apart by their endings: -ov (0) and -ez (1).
ENDINGS_VOCAB = CharVocab.from_names(["Ivanov", "Gomez", "Petrov", "Lopez", "Smirnov", "Perez"])
ENDINGS_TRAIN = (["Ivanov", "Smirnov", "Popov", "Gomez", "Lopez", "Perez"], torch.tensor([0, 0, 0, 1, 1, 1]))


def _naive_bayes(buckets: int = 512, entries: int = 0) -> NgramNaiveBayes:
    return NgramNaiveBayes(len(ENDINGS_VOCAB), 2, [1, 2, 3], buckets, entries, smoothing=0.01)


def test_naive_bayes_counts_every_ngram_of_every_name_once():
    names, labels = ENDINGS_TRAIN
    counts = _naive_bayes().count(*encode_batch(names, ENDINGS_VOCAB), labels)
    # A name of n letters framed by two boundaries has n + 2 unigrams, n + 1 bigrams and n trigrams.
    expected = [sum(3 * len(name) + 3 for name, label in zip(names, labels) if label == language)
                for language in (0, 1)]
    assert counts.sum(0).tolist() == expected
    assert counts[0].sum() == 0  # bucket 0 is padding, never counted


def test_naive_bayes_reads_the_endings():
    names, labels = ENDINGS_TRAIN
    naive_bayes = _naive_bayes()
    table = naive_bayes.table(naive_bayes.count(*encode_batch(names, ENDINGS_VOCAB), labels))
    scores = naive_bayes.scores(table, *encode_batch(["Petrov", "Romanov", "Ramirez", "Nez"], ENDINGS_VOCAB))
    assert scores.argmax(1).tolist() == [0, 0, 1, 1]
    assert torch.allclose(scores.exp().sum(1), torch.ones(4))  # normalised over the languages


def test_naive_bayes_counts_survive_a_state_dict_round_trip():
    names, labels = ENDINGS_TRAIN
    counts = _naive_bayes().count(*encode_batch(names, ENDINGS_VOCAB), labels)
    entries = int((counts > 0).sum())
    config = NameClassifierConfig(vocab_size=len(ENDINGS_VOCAB), num_classes=2, hidden_size=8, embedding_dim=4,
                                  ngram_sizes=[1, 2, 3], ngram_buckets=0, naive_bayes_buckets=512,
                                  naive_bayes_entries=entries)
    model = NameClassifier(config).eval()
    model.naive_bayes.set_counts(counts)
    model.naive_bayes_weight.fill_(0.5)
    state = model.state_dict()
    assert "naive_bayes.log_likelihood" not in state  # only the sparse counts are stored
    assert state["naive_bayes.entry_counts"].sum() == counts.sum()

    copy = NameClassifier(NameClassifierConfig(**asdict(config))).eval()
    copy.load_state_dict(state)  # the table is rebuilt from the counts on load
    ids, lengths = encode_batch(["Petrov", "Ramirez"], ENDINGS_VOCAB)
    with torch.no_grad():
        assert torch.equal(copy(ids, lengths), model(ids, lengths))
        members = _per_member_log_probs(model, ids, lengths)
        assert torch.allclose(model(ids, lengths), members + 0.5 * model.naive_bayes(ids, lengths), atol=1e-5)
    with pytest.raises(ValueError, match="non-zero counts"):
        _naive_bayes(entries=entries + 1).set_counts(counts)
