"""Predictions with the story of how they were reached: per row for digits, per character for names."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .data.names import UNKNOWN_INDEX, CharVocab, encode_batch, normalise_name
from .models import NameClassifier, RowClassifier

MAX_NAME_LENGTH = 40  # the longest training surname has 20 characters


# ----------------------------------------------------------------------------- digits

@dataclass
class DigitReading:
    image: np.ndarray  # (28, 28) the model's input, in [0, 1]
    probabilities: np.ndarray  # (10,) after the last row: the answer
    row_probabilities: np.ndarray  # (28, 10) what the model would answer after each row
    hidden: np.ndarray  # (28, H) the top layer's hidden state after each row

    @property
    def digit(self) -> int:
        return int(self.probabilities.argmax())

    @property
    def confidence(self) -> float:
        return float(self.probabilities.max())


@torch.no_grad()
def read_digit(model: RowClassifier, image: torch.Tensor) -> DigitReading:
    """One image (28, 28) in [0, 1] -> the answer and its per-row story, from a single forward pass."""
    device = next(model.parameters()).device
    logits, hidden = model.read_rows(image.to(device).unsqueeze(0))  # (1, 28, 10), (1, 28, H)
    row_probabilities = logits[0].softmax(-1).cpu().numpy()
    return DigitReading(image.cpu().numpy(), row_probabilities[-1], row_probabilities,
                        hidden[0].cpu().numpy())


# ----------------------------------------------------------------------------- names

class NameInputError(ValueError):
    """Text that cannot be read as a surname; the message says why, for the user."""


@dataclass
class NameReading:
    name: str  # the name as read (normalised)
    languages: list[str]
    probabilities: np.ndarray  # (C,) the answer
    prefix_probabilities: np.ndarray  # (len(name), C) the answer after reading the first i + 1 characters
    unknown_chars: list[str]  # characters the model never saw in training (read as "unknown")

    def top(self, k: int = 5) -> list[tuple[str, float]]:
        order = np.argsort(-self.probabilities)[:k]
        return [(self.languages[i], float(self.probabilities[i])) for i in order]


def clean_name(text: str, vocab: CharVocab) -> str:
    """Normalise typed text to a name, or raise NameInputError saying what is wrong with it."""
    name = normalise_name(text)
    if not name:
        raise NameInputError("Type a surname, e.g. Nakamura or O'Brien.")
    if len(name) > MAX_NAME_LENGTH:
        raise NameInputError(f"That is {len(name):,} characters; a surname has at most {MAX_NAME_LENGTH}.")
    if all(i == UNKNOWN_INDEX for i in vocab.encode(name)):
        raise NameInputError("None of these characters appear in the training names, which are written "
                             "in Latin letters (with accents); try a romanised spelling.")
    return name


@torch.no_grad()
def read_name(model: NameClassifier, vocab: CharVocab, languages: list[str], text: str) -> NameReading:
    """Classify one name, and every prefix of it, in one batch."""
    name = clean_name(text, vocab)
    prefixes = [name[: i + 1] for i in range(len(name))]
    device = next(model.parameters()).device
    ids, lengths = encode_batch(prefixes, vocab)
    probabilities = model(ids.to(device), lengths).softmax(-1).cpu().numpy()  # (len, C)
    return NameReading(name, languages, probabilities[-1], probabilities, vocab.unknown_chars(name))


@dataclass
class NameRow:
    """One line of a batch: a prediction, or the reason there is none."""
    text: str
    top: list[tuple[str, float]]  # best three (language, probability); empty when error is set
    unknown_chars: list[str]
    error: str = ""


@torch.no_grad()
def classify_names(model: NameClassifier, vocab: CharVocab, languages: list[str],
                   texts: list[str]) -> list[NameRow]:
    """Classify many names in one batch; a bad line gets its error instead of stopping the rest."""
    rows, good = [], []
    for text in texts:
        try:
            name = clean_name(text, vocab)
        except NameInputError as error:
            rows.append(NameRow(text, [], [], str(error)))
            continue
        rows.append(NameRow(name, [], vocab.unknown_chars(name)))
        good.append(rows[-1])
    if good:
        ids, lengths = encode_batch([row.text for row in good], vocab)
        probabilities = model(ids.to(next(model.parameters()).device), lengths).softmax(-1).cpu()
        top_p, top_i = probabilities.topk(3, dim=1)
        for row, ps, ix in zip(good, top_p.tolist(), top_i.tolist()):
            row.top = [(languages[i], p) for p, i in zip(ps, ix)]
    return rows
