"""Surnames and their languages, from <root>/names/<Language>.txt, with the leak-free names-v1 split.

names-v1: unique (name, language) pairs after NFC normalisation and stripping; a pair is a test pair when
crc32(name) % 5 == 0. The split depends on the name alone, so one name never sits on both sides.
"""
from __future__ import annotations

import hashlib
import io
import unicodedata
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import torch

from rnn_core.data_root import DataMissingError

NAMES_URL = "https://download.pytorch.org/tutorial/data.zip"
PAD_INDEX, UNKNOWN_INDEX = 0, 1


@dataclass
class NamesData:
    pairs: list[tuple[str, str]]  # unique (name, language), in file order
    languages: list[str]  # sorted; a label is an index into this list
    line_counts: dict[str, int]  # lines per language file, before de-duplication
    digest: str  # sha256 over the files, recorded in checkpoints


def normalise_name(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip()


def name_fifth(name: str) -> int:
    """Which fifth of the names a name hashes to: crc32(name) % 5. Fifth 0 is names-v1's test split."""
    return zlib.crc32(name.encode("utf-8")) % 5


def is_test_name(name: str) -> bool:
    return name_fifth(name) == 0


def _download_names(root: Path) -> None:
    """Fetch the PyTorch tutorial archive and unpack its data/names/*.txt into root/names."""
    with urllib.request.urlopen(NAMES_URL, timeout=30) as response:
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    target = root / "names"
    target.mkdir(parents=True, exist_ok=True)
    for member in archive.namelist():
        if member.startswith("data/names/") and member.endswith(".txt"):
            (target / Path(member).name).write_bytes(archive.read(member))


def load_names(root: Path, download: bool = True) -> NamesData:
    """All (name, language) pairs. Raises DataMissingError, saying where the files go, when absent."""
    folder = Path(root) / "names"
    if not any(folder.glob("*.txt")) and download:
        try:
            _download_names(Path(root))
        except OSError:
            pass  # offline: fall through to the clear message below
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise DataMissingError("data.names_missing", folder=folder)
    pairs: dict[tuple[str, str], None] = {}  # an ordered set
    line_counts: dict[str, int] = {}
    sha = hashlib.sha256()
    for path in files:
        raw = path.read_bytes()
        sha.update(path.name.encode() + raw)
        try:
            lines = raw.decode("utf-8").splitlines()
        except UnicodeDecodeError:
            raise DataMissingError("data.names_not_utf8", path=path) from None
        line_counts[path.stem] = len(lines)
        for line in lines:
            name = normalise_name(line)
            if name:
                pairs[(name, path.stem)] = None
    return NamesData(list(pairs), sorted(line_counts), line_counts, sha.hexdigest())


def split_names_v1(pairs: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(train pairs, test pairs) of the names-v1 split."""
    train = [p for p in pairs if not is_test_name(p[0])]
    test = [p for p in pairs if is_test_name(p[0])]
    return train, test


class CharVocab:
    """Characters <-> ids. 0 pads, 1 stands for any character not seen in training. Case is folded."""

    def __init__(self, chars: str):
        self.chars = chars
        self._index = {c: i + 2 for i, c in enumerate(chars)}

    @classmethod
    def from_names(cls, names: list[str]) -> "CharVocab":
        return cls("".join(sorted({c for name in names for c in name.lower()})))

    def __len__(self) -> int:
        return len(self.chars) + 2

    def encode(self, name: str) -> list[int]:
        return [self._index.get(c, UNKNOWN_INDEX) for c in name.lower()]

    def unknown_chars(self, name: str) -> list[str]:
        return sorted({c for c in name if c.lower() not in self._index})


def encode_batch(names: list[str], vocab: CharVocab) -> tuple[torch.Tensor, torch.Tensor]:
    """Names -> (ids (B, L) padded with 0, lengths (B,)). Empty names are encoded as one unknown char."""
    encoded = [vocab.encode(name) or [UNKNOWN_INDEX] for name in names]
    lengths = torch.tensor([len(e) for e in encoded], dtype=torch.long)
    ids = torch.zeros(len(encoded), max(map(len, encoded), default=1), dtype=torch.long)
    for row, e in enumerate(encoded):
        ids[row, : len(e)] = torch.tensor(e)
    return ids, lengths
