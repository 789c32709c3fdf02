"""The engine's messages that reach the screen, in the visitor's language.

rnn_core speaks English only and never imports streamlit; its messages about checkpoints, devices and data
are matched here against their templates (values as {fields}) and shown translated, through
ui.i18n.engine_message. A message that matches none is shown as the engine wrote it.
"""
from __future__ import annotations

from ui.i18n import N_, engine_message

# rnn_core.checkpoints and rnn_core.checkpoint_meta. Nested: a checkpoint's reason is itself a message.
CHECKPOINT_MESSAGES = [
    N_("Checkpoint {name} does not exist."),
    N_("{name} is not a readable checkpoint (truncated or corrupt, or it holds more than numbers)."),
    N_("{name} is not an RNN Playground checkpoint."),
    N_("{name} holds an unknown model kind {kind}."),
    N_("{name} holds a {kind} model, not a {expected}."),
    N_("{name} does not fit a {kind} model: its settings or the sizes of its weights are not the ones such a "
       "model has."),
    N_("{name} is not a readable checkpoint. {reason}"),
    N_("Its metadata ({part}) is not in the form this app writes."),
    N_("Its metadata is not in the form this app writes."),
    N_("Its metadata holds fields this app does not write."),
    N_("Its metadata does not name the languages it tells apart in plain words."),
    N_("Its metadata does not list the characters it reads."),
    N_("the uploaded file"),
]

# rnn_core.device and rnn_core.settings, and what ui.resources adds when it falls back.
DEVICE_MESSAGES = [
    N_("{error} Using 1."),
    N_("{error} Using {device}."),
    N_("Unknown device {choice}: use one of {choices}."),
    N_("CUDA was requested but no CUDA GPU is available."),
    N_("Apple MPS was requested but is not available on this machine."),
    N_("{variable} must be a whole number of at least {minimum}, not {text}."),
]

# rnn_core.data_root: a data set that is not where it should be.
DATA_MESSAGES = [
    N_("MNIST is not in {folder}, or a file there is incomplete or corrupt, and it could not be downloaded "
       "({reason}). Put the four IDX files (train-images-idx3-ubyte, ...) there, or set RNN_DATA_DIR."),
    N_("No names files in {folder}. Put the 18 <Language>.txt files of the PyTorch names tutorial there (one "
       "surname per line), or set RNN_DATA_DIR to a folder that has names/."),
    N_("{path} is not UTF-8 text: the names files hold one surname per line, in UTF-8."),
]


def checkpoint_words(text: str) -> str:
    return engine_message(text, CHECKPOINT_MESSAGES, nested=True)


def device_words(text: str) -> str:
    return engine_message(text, DEVICE_MESSAGES, nested=True)


def data_words(text: str) -> str:
    return engine_message(text, DATA_MESSAGES)
