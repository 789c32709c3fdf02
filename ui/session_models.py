"""Models that belong to one visitor: trained on the training page, fine-tuned on their handwriting, or
uploaded. They live in st.session_state, so nothing one visitor does reaches another."""
from __future__ import annotations

import streamlit as st
import torch

from rnn_core.checkpoints import Checkpoint
from rnn_core.names.data import CharVocab, encode_batch
from ui.i18n import _

_KEY = "session_models"


def session_models(kind: str) -> dict[str, Checkpoint]:
    """This visitor's models of one kind ("row_classifier" or "name_classifier"), by label."""
    return st.session_state.setdefault(_KEY, {}).setdefault(kind, {})


def add_session_model(label: str, checkpoint: Checkpoint) -> str:
    """Keep a model for this visitor under `label` (made unique); returns the label used."""
    models = session_models(checkpoint.kind)
    unique, n = label, 2
    while unique in models:
        unique, n = f"{label} ({n})", n + 1
    models[unique] = checkpoint
    return unique


def upload_problem(checkpoint: Checkpoint) -> str:
    """Why the demo pages cannot use an uploaded checkpoint, or "" when they can.

    load_checkpoint has made sure the weights fit the config and the metadata has the form this app
    writes. But the pages feed a digit model 28x28 images and a name model encoded names, and read one
    score per class: a model from elsewhere that answers in another shape is refused here.
    """
    model, metadata = checkpoint.model, checkpoint.metadata
    if checkpoint.kind == "row_classifier":
        classes = 10
        sample = (torch.zeros(1, 28, 28),)
    elif checkpoint.kind == "name_classifier":
        classes = len(metadata.labels)
        sample = encode_batch(["ab"], CharVocab(metadata.vocab))
    else:
        return _("It is a wave model; only digit and name classifiers can be loaded here.")
    try:
        with torch.no_grad():
            shape = tuple(model(*sample).shape)
    except Exception:  # a model from elsewhere can fail in any way; say so instead of crashing
        shape = None
    if shape != (1, classes):
        answer = _("an error") if shape is None else str(shape)
        return _("Given one example it answers with {answer}, not one score for each of its {count} classes.").format(
            answer=answer, count=classes)
    return ""
