"""Models that belong to one visitor: trained on the training page, fine-tuned on their handwriting, or
uploaded. They live in st.session_state, so nothing one visitor does reaches another."""
from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np
import streamlit as st
import torch

from rnn_core.checkpoints import Checkpoint
from rnn_core.data.names import CharVocab, encode_batch

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


def _numbers(value: Any, keys: list[str] | None = None) -> bool:
    """A dict of numbers (or None), as the metrics this app records; its keys among `keys` when given."""
    return (isinstance(value, dict) and (keys is None or set(value) <= set(keys))
            and all(v is None or (isinstance(v, Real) and not isinstance(v, bool)) for v in value.values()))


def _plain_name(label: Any) -> bool:
    """A language name in letters, spaces and .'- only: pages show labels in headings and captions, which
    render markdown, so a label can carry no markup."""
    return (isinstance(label, str) and 0 < len(label) <= 40 and label[0].isalpha()
            and all(c.isalpha() or c in " .'-" for c in label))


def _square(value: Any, size: int) -> bool:
    try:
        return np.asarray(value, dtype=float).shape == (size, size)
    except (TypeError, ValueError):  # ragged rows, or not numbers
        return False


def upload_problem(checkpoint: Checkpoint) -> str:
    """Why the demo pages cannot use an uploaded checkpoint, or "" when they can.

    load_checkpoint has made sure the weights fit the config. But an upload may come from anywhere, and
    the pages read its input and output shapes, and the metadata they show, in the form this app writes
    them: anything else is refused here rather than failing on a page later.
    """
    model, metadata = checkpoint.model, checkpoint.metadata
    if checkpoint.kind == "row_classifier":
        classes = 10
        sample = (torch.zeros(1, 28, 28),)
    elif checkpoint.kind == "name_classifier":
        labels, vocab = metadata.get("labels"), metadata.get("vocab")
        if not (isinstance(labels, list) and labels and all(_plain_name(label) for label in labels)):
            return "Its metadata does not name the languages it tells apart in plain words."
        if not (isinstance(vocab, str) and len(CharVocab(vocab)) == model.config.vocab_size):
            return "Its metadata does not list the characters it reads."
        classes = len(labels)
        sample = encode_batch(["ab"], CharVocab(vocab))
    else:
        return "It is a wave model; only digit and name classifiers can be loaded here."
    try:
        with torch.no_grad():
            shape = tuple(model(*sample).shape)
    except Exception:  # a model from elsewhere can fail in any way; say so instead of crashing
        shape = "an error"
    if shape != (1, classes):
        return f"Given one example it answers with {shape}, not one score for each of its {classes} classes."
    metrics = metadata.get("test_metrics", {})
    if not isinstance(metrics, dict):
        return "Its metadata (test_metrics) is not in the form this app writes."
    labels = metadata.get("labels") if checkpoint.kind == "name_classifier" else None
    tables = {"confusion": metrics.get("confusion"), "per_class_recall": metrics.get("per_class_recall")}
    shown = {"test_metrics": _numbers({k: v for k, v in metrics.items() if k not in tables}),
             "confusion": tables["confusion"] is None or _square(tables["confusion"], classes),
             "per_class_recall": tables["per_class_recall"] is None or _numbers(tables["per_class_recall"], labels),
             "line_counts": _numbers(metadata.get("line_counts", {}), labels),
             **{name: _numbers(metadata.get(name, {})) for name in ("pair_counts", "decision_rule")}}
    bad = [name for name, ok in shown.items() if not ok]
    return f"Its metadata ({', '.join(bad)}) is not in the form this app writes." if bad else ""
