"""Shared, read-only data for the "Draw a digit" page, loaded once per server process."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
import torch

from rnn_core.data_root import DataMissingError
from rnn_core.digits.data import load_mnist
from ui.i18n import _


@dataclass
class MnistTestSet:
    images: torch.Tensor | None  # (N, 28, 28) uint8; None when the data is missing
    labels: torch.Tensor | None  # (N,)
    error: str = ""  # why there are no images, for the user


def mnist_test_set(root: str) -> MnistTestSet:
    """The MNIST test split under `root`, loaded once per process, with a spinner in the visitor's language."""
    with st.spinner(_("Loading the MNIST test set…")):
        return _mnist_test_set(root)


@st.cache_resource(show_spinner=False)  # a spinner's text here would be fixed in one language per process
def _mnist_test_set(root: str) -> MnistTestSet:
    """The MNIST test split under `root` (never downloaded here: a page must not stall on the network)."""
    try:
        data = load_mnist(Path(root), download=False)
    except DataMissingError as error:
        return MnistTestSet(None, None, str(error))
    return MnistTestSet(data.test_images, data.test_labels)
