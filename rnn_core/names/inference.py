"""The names model's answer with the story of how it was reached, letter by letter; many names at once."""
from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass

import numpy as np
import torch

from rnn_core.errors import EngineError, EngineMessage
from rnn_core.names.data import UNKNOWN_INDEX, CharVocab, encode_batch, normalise_name
from rnn_core.names.model import NameClassifier

MAX_NAME_LENGTH = 40  # the longest training surname has 20 characters


MAX_BATCH_NAMES = 1_000  # more lines are refused with a message, never cut off silently
CSV_NAME_HEADERS = {"name", "names", "surname", "surnames", "last name", "family name"}


class NameInputError(EngineError, ValueError):
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
        raise NameInputError("names.empty")
    if len(name) > MAX_NAME_LENGTH:
        raise NameInputError("names.too_long", count=f"{len(name):,}", limit=MAX_NAME_LENGTH)
    if not any(unicodedata.category(c).startswith("L") for c in name):
        raise NameInputError("names.no_letters")
    if all(i == UNKNOWN_INDEX for i in vocab.encode(name)):
        raise NameInputError("names.unknown_characters")
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
    error: EngineMessage | None = None  # a NameInputError's words


@torch.no_grad()
def classify_names(model: NameClassifier, vocab: CharVocab, languages: list[str],
                   texts: list[str]) -> list[NameRow]:
    """Classify many names in one batch; a bad line gets its error instead of stopping the rest.

    More than MAX_BATCH_NAMES texts raise NameInputError. Names that read the same (the vocabulary folds
    case, so Smith and SMITH do) go through the model once: real lists repeat common surnames.
    """
    if len(texts) > MAX_BATCH_NAMES:
        raise NameInputError("names.too_many", count=f"{len(texts):,}", limit=f"{MAX_BATCH_NAMES:,}")
    rows: list[NameRow] = []
    rows_by_reading: dict[tuple[int, ...], list[NameRow]] = {}  # encoded name -> the rows that read it
    for text in texts:
        try:
            name = clean_name(text, vocab)
        except NameInputError as error:
            rows.append(NameRow(text, [], [], error.detached()))
            continue
        rows.append(NameRow(name, [], vocab.unknown_chars(name)))
        rows_by_reading.setdefault(tuple(vocab.encode(name)), []).append(rows[-1])
    if rows_by_reading:
        groups = list(rows_by_reading.values())
        ids, lengths = encode_batch([group[0].text for group in groups], vocab)
        probabilities = model(ids.to(next(model.parameters()).device), lengths).softmax(-1).cpu()
        top_p, top_i = probabilities.topk(3, dim=1)
        for group, ps, ix in zip(groups, top_p.tolist(), top_i.tolist()):
            for row in group:
                row.top = [(languages[i], p) for p, i in zip(ps, ix)]
    return rows


def name_lines(text: str) -> list[tuple[int, str]]:
    """Pasted text -> (line number, line) for every line that is not blank."""
    return [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]


def name_lines_from_file(data: bytes, filename: str) -> list[tuple[int, str]]:
    """An uploaded .txt (one name a line) or .csv (names in the first column, a header such as "name"
    skipped) -> (line number, name). Raises NameInputError when the file cannot be read as text."""
    # Spreadsheets save "Unicode text" as UTF-16 with a byte-order mark; anything else should be UTF-8.
    encoding = "utf-16" if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise NameInputError("names.file_not_utf8") from None
    if "\x00" in text:
        raise NameInputError("names.file_binary")
    if not filename.lower().endswith(".csv"):
        return name_lines(text)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        cells = [(reader.line_num, row[0]) for row in reader if row and row[0].strip()]
    except csv.Error as error:
        raise NameInputError("names.csv_unreadable", reason=str(error)) from None
    if cells and cells[0][1].strip().lower() in CSV_NAME_HEADERS:
        cells = cells[1:]
    return cells
