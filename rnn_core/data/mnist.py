"""MNIST as whole uint8 tensors, read by torchvision from <root>/MNIST/raw (downloaded when online).

Training indexes these tensors directly: one batch is one gather, with no per-image PIL work.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torchvision.datasets import MNIST

from . import DataMissingError


@dataclass
class MnistData:
    train_images: torch.Tensor  # (60000, 28, 28) uint8
    train_labels: torch.Tensor  # (60000,) int64
    test_images: torch.Tensor  # (10000, 28, 28) uint8
    test_labels: torch.Tensor  # (10000,) int64
    digest: str  # sha256 of the test images and labels, recorded in checkpoints


def load_mnist(root: Path, download: bool = True) -> MnistData:
    """Both MNIST splits. Raises DataMissingError, saying where the files go, when they cannot be had."""
    try:
        train = MNIST(str(root), train=True, download=download)
        test = MNIST(str(root), train=False, download=download)
    # torchvision raises RuntimeError or OSError when files are absent and cannot be downloaded, and
    # AssertionError or ValueError when a file there is truncated or not an IDX file at all.
    except (RuntimeError, OSError, AssertionError, ValueError) as error:
        raise DataMissingError(
            f"MNIST is not in {Path(root) / 'MNIST' / 'raw'}, or a file there is incomplete or corrupt, and "
            f"it could not be downloaded ({type(error).__name__}: {error}). Put the four IDX files "
            "(train-images-idx3-ubyte, ...) there, or set RNN_DATA_DIR.") from error
    digest = hashlib.sha256(test.data.numpy().tobytes() + test.targets.numpy().tobytes()).hexdigest()
    return MnistData(train.data, train.targets, test.data, test.targets, digest)


def to_unit_range(images: torch.Tensor) -> torch.Tensor:
    """uint8 (B, 28, 28) -> float in [0, 1], the models' input scale."""
    return images.float() / 255.0


def random_affine(images: torch.Tensor, generator: torch.Generator, max_degrees: float = 10.0,
                  scale: tuple[float, float] = (0.9, 1.1), max_shift: float = 0.1) -> torch.Tensor:
    """Augment a batch (B, 28, 28) in [0, 1] with a small random rotation, scale and shift each.

    One affine_grid + grid_sample for the whole batch, on whichever device the batch is on; the draws come
    from `generator`, the caller's own.
    """
    b = images.shape[0]

    def uniform(low: float, high: float) -> torch.Tensor:
        return torch.rand(b, generator=generator).mul(high - low).add(low).to(images.device)

    angle = uniform(-max_degrees, max_degrees).deg2rad()
    factor = uniform(*scale)
    cos, sin = angle.cos() / factor, angle.sin() / factor
    theta = torch.stack([torch.stack([cos, -sin, uniform(-max_shift, max_shift) * 2], 1),
                         torch.stack([sin, cos, uniform(-max_shift, max_shift) * 2], 1)], 1)  # (B, 2, 3)
    grid = F.affine_grid(theta, (b, 1, 28, 28), align_corners=False)
    return F.grid_sample(images.unsqueeze(1), grid, align_corners=False).squeeze(1)
