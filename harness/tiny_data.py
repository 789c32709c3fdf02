"""Tiny data sets: MNIST IDX files and names files written to a temporary data root, and a small learnable
classification task in memory."""
from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import torch

from rnn_core.training.loop import ClassificationData


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


def bar_images(labels: torch.Tensor) -> torch.Tensor:
    """Class k is a vertical bar in columns 3 + 6k .. 4 + 6k, over noise."""
    images = torch.rand(len(labels), 28, 28) * 0.3
    for i, k in enumerate(labels.tolist()):
        images[i, 4:24, 3 + 6 * k: 5 + 6 * k] = 1.0
    return images


def tiny_task(n_train: int = 256, n_test: int = 64) -> ClassificationData:
    """Four classes of bar_images, learnable in a few steps."""
    g = torch.Generator().manual_seed(0)
    train_y, test_y = torch.randint(0, 4, (n_train,), generator=g), torch.randint(0, 4, (n_test,), generator=g)
    return ClassificationData((bar_images(train_y),), train_y, (bar_images(test_y),), test_y, num_classes=4)
