"""Loaders on tiny data the tests write: MNIST IDX files, names files, the names-v1 split, wave streams."""
import math

import numpy as np
import pytest
import torch

from rnn_core.data_root import DataMissingError, data_root
from rnn_core.digits.data import load_mnist, random_affine, to_unit_range
from rnn_core.digits.recipe import mnist_classification_data
from rnn_core.names.data import CharVocab, encode_batch, is_test_name, load_names, split_names_v1
from rnn_core.waves.data import NextStepSineStream, SinCosStream

from harness.tiny_data import write_tiny_mnist, write_tiny_names


def test_data_root_prefers_argument_then_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RNN_DATA_DIR", str(tmp_path / "env"))
    assert data_root(tmp_path / "arg") == tmp_path / "arg"
    assert data_root() == tmp_path / "env"
    monkeypatch.delenv("RNN_DATA_DIR")
    assert data_root().name == "data"


def test_mnist_reads_raw_idx_files(tmp_path):
    write_tiny_mnist(tmp_path, train=40, test=10)
    mnist = load_mnist(tmp_path, download=False)
    assert mnist.train_images.shape == (40, 28, 28) and mnist.train_images.dtype == torch.uint8
    assert mnist.test_labels.shape == (10,) and len(mnist.digest) == 64


def test_training_runs_share_one_float_copy_of_mnist(tmp_path):
    # The app trains every visitor's run from one cached MnistData: a float copy each was 220 MB a run.
    mnist = load_mnist(write_tiny_mnist(tmp_path), download=False)
    first, second = (mnist_classification_data(mnist, augment=False) for _ in range(2))
    assert first.train_inputs[0] is second.train_inputs[0] and first.test_inputs[0] is second.test_inputs[0]
    assert torch.equal(first.train_inputs[0], to_unit_range(mnist.train_images))
    assert torch.equal(second.test_inputs[0], to_unit_range(mnist.test_images))


def test_mnist_missing_says_where_to_put_it(tmp_path):
    with pytest.raises(DataMissingError, match="MNIST/raw"):
        load_mnist(tmp_path, download=False)


def test_random_affine_keeps_shape_and_range():
    images = torch.zeros(5, 28, 28)
    images[:, 8:20, 12:16] = 1.0
    out = random_affine(images, generator=torch.Generator().manual_seed(0))
    assert out.shape == images.shape and out.min() >= 0 and out.max() <= 1
    assert not torch.allclose(out, images)


def test_names_are_normalised_deduplicated_and_split_by_name(tmp_path):
    names = {"French": ["Be\u0301langer", "Bélanger", "  Abel ", "Martin"],  # NFD and NFC forms of one name
             "German": ["Abel", "Müller", "Martin"]}
    data = load_names(write_tiny_names(tmp_path, names), download=False)
    assert data.languages == ["French", "German"]
    assert data.line_counts == {"French": 4, "German": 3}
    assert ("Bélanger", "French") in data.pairs and len(data.pairs) == 6
    train, test = split_names_v1(data.pairs)
    assert {n for n, _ in train}.isdisjoint({n for n, _ in test})
    assert all(is_test_name(n) for n, _ in test) and len(train) + len(test) == 6


def test_names_missing_offline_says_where_to_put_them(tmp_path):
    with pytest.raises(DataMissingError, match="names"):
        load_names(tmp_path, download=False)


def test_vocab_folds_case_and_marks_unknown_characters():
    vocab = CharVocab.from_names(["Abc", "bcd"])
    assert vocab.encode("ABD") == vocab.encode("abd")
    assert vocab.encode("aZ")[1] == 1 and vocab.unknown_chars("aZ9") == ["9", "Z"]
    ids, lengths = encode_batch(["ab", "abcd", ""], vocab)
    assert ids.shape == (3, 4) and lengths.tolist() == [2, 4, 1] and ids[0, 2:].eq(0).all()


def test_sin_cos_windows_continue_the_phase():
    stream = SinCosStream(points=10, length=math.pi)
    a, b = stream.window(0), stream.window(1)
    assert a.inputs.shape == (1, 10, 1)
    assert b.t[0] == pytest.approx(math.pi) and a.t[1] - a.t[0] == pytest.approx(math.pi / 10)
    np.testing.assert_allclose(a.targets.view(-1).numpy(), np.cos(a.t), atol=1e-6)


def test_next_step_targets_are_the_next_inputs():
    window = NextStepSineStream(points=50, length=10.0).window(3)
    torch.testing.assert_close(window.inputs[0, 1:], window.targets[0, :-1])
    assert window.inputs.shape == (1, 50, 1)
