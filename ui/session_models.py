"""Models that belong to one visitor: trained on the training page, fine-tuned on their handwriting, or
uploaded. They live in st.session_state, so nothing one visitor does reaches another."""
from __future__ import annotations

import streamlit as st

from rnn_core.checkpoints import Checkpoint

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
