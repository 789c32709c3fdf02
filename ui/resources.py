"""Heavy shared objects, loaded once per server process with st.cache_resource.

The shipped models are shared by every visitor: they are loaded in eval mode and never trained in place
(anything that trains works on its own copy in st.session_state).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
import torch

from rnn_core.checkpoints import Checkpoint, CheckpointError, load_checkpoint
from rnn_core.data_root import DataMissingError, data_root
from rnn_core.digits.data import MnistData, load_mnist
from rnn_core.names.data import CharVocab, NamesData, load_names
from rnn_core.device import DeviceError, configure_threads, describe_device, pick_device
from rnn_core.errors import EngineMessage
from rnn_core.settings import CHECKPOINT_DIR_ENV_VAR, folder_from_env, torch_threads
from ui.i18n import _

CHECKPOINT_DIR = Path(__file__).resolve().parent.parent / "checkpoints"
DIGIT_CHECKPOINTS = {"LSTM": "digits-lstm.pt", "GRU": "digits-gru.pt", "RNN": "digits-rnn.pt"}
NAMES_CHECKPOINT = "names.pt"
GENERATOR_CHECKPOINT = "names-generator.pt"
TRANSLATOR_CHECKPOINTS = ("translator.pt", "translator-plain.pt")  # with attention, without


@dataclass
class DeviceChoice:
    device: torch.device
    description: str
    # Set when a requested device or thread count could not be used: shown through ui.engine_words.
    warnings: tuple[EngineMessage, ...] = ()


@st.cache_resource
def device_choice() -> DeviceChoice:
    """The device for this process: $RNN_DEVICE when valid, else the best available, with a warning; and
    $RNN_TORCH_THREADS when valid, else 1, with a warning."""
    threads, problem = torch_threads()
    configure_threads(threads)
    warnings = [EngineMessage("device.threads_fallback", error=problem.detached(), threads=threads)] if problem else []
    try:
        device = pick_device()
    except DeviceError as error:
        device = pick_device("auto")
        warnings.append(EngineMessage("device.fallback", error=error.detached(), device=describe_device(device)))
    return DeviceChoice(device, describe_device(device), tuple(warnings))


@dataclass
class LoadedModel:
    checkpoint: Checkpoint | None
    error: EngineMessage | None = None  # why it could not be loaded; the page shows it and keeps working


def checkpoint_dir() -> Path:
    """The folder of the shipped models: $RNN_CHECKPOINT_DIR, else the repository's checkpoints/."""
    return folder_from_env(CHECKPOINT_DIR_ENV_VAR) or CHECKPOINT_DIR


@st.cache_resource(show_spinner=False)  # a spinner's text here would be fixed in one language per process
def _load_shipped_model(path: str, kind: str) -> LoadedModel:
    """A shipped checkpoint, on this process's device, in eval mode, never to be trained in place.

    Cached by its full path, so a change of folder loads afresh.
    """
    try:
        checkpoint = load_checkpoint(path, expected_kind=kind)
    except CheckpointError as error:
        return LoadedModel(None, error.detached())
    checkpoint.model.to(device_choice().device).eval().requires_grad_(False)
    return LoadedModel(checkpoint)


def load_shipped_model(path: str, kind: str) -> LoadedModel:
    """A shipped checkpoint (see _load_shipped_model), with a spinner in the visitor's language."""
    with st.spinner(_("Loading model…")):
        return _load_shipped_model(path, kind)


def digit_models() -> dict[str, LoadedModel]:
    return {label: load_shipped_model(str(checkpoint_dir() / f), "row_classifier")
            for label, f in DIGIT_CHECKPOINTS.items()}


def names_model() -> LoadedModel:
    return load_shipped_model(str(checkpoint_dir() / NAMES_CHECKPOINT), "name_classifier")


def generator_model() -> LoadedModel:
    return load_shipped_model(str(checkpoint_dir() / GENERATOR_CHECKPOINT), "name_generator")


def translator_models() -> tuple[LoadedModel, LoadedModel]:
    """The number translators (with attention, without)."""
    with_attention, plain = (load_shipped_model(str(checkpoint_dir() / name), "translator")
                             for name in TRANSLATOR_CHECKPOINTS)
    return with_attention, plain


@st.cache_resource
def names_vocab(vocab_chars: str) -> CharVocab:
    return CharVocab(vocab_chars)


@dataclass
class TrainingData:
    data: MnistData | NamesData | None
    error: EngineMessage | None = None  # why the data set could not be had, for the user


@st.cache_resource(show_spinner=False)
def _load_training_data(task: str, root: str) -> MnistData | NamesData:
    """The data set from disk; never downloads (a page must not stall on the network by surprise)."""
    return load_mnist(Path(root), download=False) if task == "mnist" else load_names(Path(root), download=False)


def training_data(task: str, download: bool = False) -> TrainingData:
    """MNIST or the names, from the data root, loaded once per process; downloaded first when asked to
    and online.

    A failure is not cached, so a data set put in place later is found on the next try.
    """
    root = str(data_root())
    try:
        with st.spinner(_("Loading the data set…")):
            return TrainingData(_load_training_data(task, root))
    except DataMissingError as error:
        if not download:
            return TrainingData(None, error.detached())
    try:
        with st.spinner(_("Loading the data set…")):
            (load_mnist if task == "mnist" else load_names)(Path(root), download=True)
            return TrainingData(_load_training_data(task, root))
    except DataMissingError as error:
        return TrainingData(None, error.detached())
