"""Broken data folders, offline: a partial MNIST or names folder is explained, and the pages that do not
need the data keep working."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import rnn_core.names.data
from harness.tiny_data import write_tiny_mnist, write_tiny_names
from harness.whole_app import open_app


@pytest.fixture
def offline(monkeypatch):
    """No downloads: the data must come from the data folder or not at all."""
    monkeypatch.setattr("rnn_core.digits.data.MNIST.mirrors", [])

    def no_network(root):
        raise OSError("offline")

    monkeypatch.setattr(rnn_core.names.data, "_download_names", no_network)


def partial_mnist(root: Path, how: str) -> Path:
    raw = write_tiny_mnist(root) / "MNIST" / "raw"
    if how == "two of four files":
        (raw / "train-labels-idx1-ubyte").unlink()
        (raw / "t10k-labels-idx1-ubyte").unlink()
    elif how == "truncated file":
        images = raw / "t10k-images-idx3-ubyte"
        images.write_bytes(images.read_bytes()[:1000])
    elif how == "not IDX":
        (raw / "t10k-images-idx3-ubyte").write_bytes(b"<html>404 Not Found</html>")
    elif how == "empty folder":
        shutil.rmtree(raw)
        raw.mkdir()
    return root


@pytest.mark.parametrize("how", ["two of four files", "truncated file", "not IDX", "empty folder"])
def test_a_partial_mnist_folder_is_explained(how, tmp_path, monkeypatch, offline):
    monkeypatch.setenv("RNN_DATA_DIR", str(partial_mnist(tmp_path, how)))
    at = open_app("app_pages/digits.py")
    real_digit = next(b for b in at.button if b.label == "Try a real MNIST digit")
    assert real_digit.disabled and "MNIST is not in" in real_digit.help
    at.switch_page("app_pages/train.py").run()
    next(b for b in at.button if b.label == "Train").click().run()
    assert not at.exception, at.exception
    assert any("MNIST is not in" in e.value and "corrupt" in e.value for e in at.error)
    assert "live_run" not in at.session_state


def partial_names(root: Path, how: str) -> Path:
    if how == "empty folder":
        (root / "names").mkdir(parents=True)
    elif how == "not UTF-8":
        write_tiny_names(root)
        (root / "names" / "Czech.txt").write_bytes("Dvořák\n".encode("cp1250"))
    elif how == "too few names to split":
        write_tiny_names(root, {"Italian": ["Rossi"], "Empty": []})
    return root


@pytest.mark.parametrize("how, message", [("empty folder", "No names files"), ("not UTF-8", "not UTF-8"),
                                          ("too few names to split", "training needs both")])
def test_a_partial_names_folder_is_explained(how, message, tmp_path, monkeypatch, offline):
    monkeypatch.setenv("RNN_DATA_DIR", str(partial_names(tmp_path, how)))
    at = open_app("app_pages/train.py")
    at.radio[0].set_value("Names (18 languages)")
    next(b for b in at.button if b.label == "Train").click().run()
    assert not at.exception, at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert "live_run" not in at.session_state
    at.switch_page("app_pages/names.py").run()  # the shipped model does not need the data
    assert not at.exception and not at.error
