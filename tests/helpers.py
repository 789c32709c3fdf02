"""Tiny data sets written by the tests: MNIST IDX files and names files in a temporary data root."""
from __future__ import annotations

import struct
from pathlib import Path

import numpy as np


def write_idx(path: Path, array: np.ndarray) -> None:
    """Write a uint8 array in the IDX format MNIST uses (magic 0x0803 for images, 0x0801 for labels)."""
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def digit_image(digit: int, rng: np.random.Generator) -> np.ndarray:
    """A crude 28x28 'digit': a bar whose position encodes the class, plus noise. Learnable, not MNIST."""
    image = rng.integers(0, 30, size=(28, 28))
    row = 3 + 2 * digit
    image[row: row + 2, 6:22] = 255
    return image


def write_tiny_mnist(root: Path, train: int = 300, test: int = 100, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for prefix, n in (("train", train), ("t10k", test)):
        labels = rng.integers(0, 10, size=n)
        images = np.stack([digit_image(int(d), rng) for d in labels])
        write_idx(raw / f"{prefix}-images-idx3-ubyte", images)
        write_idx(raw / f"{prefix}-labels-idx1-ubyte", labels)
    return root


TINY_NAMES = {
    "Italian": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
                "Marino", "Greco", "Bruno", "Gallo", "Conti", "Costa", "Giordano", "Mancini"],
    "Japanese": ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
                 "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue"],
    "Polish": ["Nowak", "Kowalski", "Wisniewski", "Wojcik", "Kowalczyk", "Kaminski", "Lewandowski",
               "Zielinski", "Szymanski", "Wozniak", "Dabrowski", "Kozlowski", "Jankowski", "Mazur",
               "Kwiatkowski", "Krawczyk"],
}


def write_tiny_names(root: Path, names: dict[str, list[str]] = TINY_NAMES) -> Path:
    folder = root / "names"
    folder.mkdir(parents=True)
    for language, entries in names.items():
        (folder / f"{language}.txt").write_text("\n".join(entries) + "\n", encoding="utf-8")
    return root
