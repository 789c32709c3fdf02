"""MNIST as whole uint8 tensors, read by torchvision from <root>/MNIST/raw (downloaded when online).

Training indexes these tensors directly: one batch is one gather, with no per-image PIL work.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import torch
import torch.nn.functional as F
from torchvision.datasets import MNIST

from rnn_core.data_root import DataMissingError


@dataclass
class MnistData:
    train_images: torch.Tensor  # (60000, 28, 28) uint8
    train_labels: torch.Tensor  # (60000,) int64
    test_images: torch.Tensor  # (10000, 28, 28) uint8
    test_labels: torch.Tensor  # (10000,) int64
    digest: str  # sha256 of the test images and labels, recorded in checkpoints

    # Made once and shared read-only: the app's cached MnistData serves every visitor's training run,
    # and a float copy of the training images for each run would be large.
    @cached_property
    def unit_train_images(self) -> torch.Tensor:
        """The training images as floats in [0, 1]."""
        return to_unit_range(self.train_images)

    @cached_property
    def unit_test_images(self) -> torch.Tensor:
        """The test images as floats in [0, 1]."""
        return to_unit_range(self.test_images)


def load_mnist(root: Path, download: bool = True) -> MnistData:
    """Both MNIST splits. Raises DataMissingError, saying where the files go, when they cannot be had."""
    try:
        train = MNIST(str(root), train=True, download=download)
        test = MNIST(str(root), train=False, download=download)
    # torchvision raises RuntimeError or OSError when files are absent and cannot be downloaded, and
    # AssertionError or ValueError when a file there is truncated or not an IDX file at all.
    except (RuntimeError, OSError, AssertionError, ValueError) as error:
        raise DataMissingError("data.mnist_missing", folder=Path(root) / "MNIST" / "raw",
                               reason=f"{type(error).__name__}: {error}") from error
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


def augment_digits(images: torch.Tensor, labels: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """A training batch (B, 28, 28) in [0, 1] made more like people's digits: styles MNIST rarely shows,
    strokes thinner or thicker, then a small rotation, scale and shift."""
    images = add_style_strokes(images, labels, generator)
    return random_affine(random_thickness(images, generator), generator)


def random_thickness(images: torch.Tensor, generator: torch.Generator, share: float = 0.5) -> torch.Tensor:
    """Thin or thicken the strokes of a random `share` of the batch by up to a pixel each side.

    A grey-level erosion (min over 3x3) or dilation (max over 3x3), blended in by a random amount.
    """
    b = images.shape[0]
    amount = torch.rand(b, generator=generator).mul(1.2).sub(0.5).to(images.device)  # < 0 thins, > 0 thickens
    chosen = torch.rand(b, generator=generator).to(images.device) < share
    picked, amount = images[chosen][:, None], amount[chosen][:, None, None, None]  # only those change
    thick = F.max_pool2d(picked, 3, 1, 1)
    thin = -F.max_pool2d(-picked, 3, 1, 1)
    changed = torch.where(amount > 0, picked + amount * (thick - picked), picked - amount * (thin - picked))
    images = images.clone()
    images[chosen] = changed[:, 0]
    return images


def add_style_strokes(images: torch.Tensor, labels: torch.Tensor, generator: torch.Generator,
                      share: float = 0.3) -> torch.Tensor:
    """Draw onto a random `share` of the ones a flag at the top (half of them also a base), and onto as many
    sevens a bar across the middle: how much of the world writes them, and MNIST's writers seldom did."""
    b = images.shape[0]
    chosen = torch.rand(b, generator=generator).to(images.device) < share
    ink = images > 0.5
    rows = torch.arange(28, device=images.device, dtype=images.dtype)
    has_ink = ink.any(2)  # (B, 28): rows with ink
    top = torch.where(has_ink, rows, 99.0).amin(1)
    bottom = torch.where(has_ink, rows, -1.0).amax(1)

    def column_at(row: torch.Tensor) -> torch.Tensor:  # the ink's mean column on that row
        weights = images[torch.arange(b), row.clamp(0, 27).long()]
        return (weights * rows).sum(1) / weights.sum(1).clamp_min(1e-6)

    def uniform(low: float, high: float) -> torch.Tensor:
        return torch.rand(b, generator=generator).mul(high - low).add(low).to(images.device)

    height = bottom - top + 1
    length, angle = uniform(0.25, 0.45) * height, uniform(20.0, 60.0).deg2rad()
    top_x = column_at(top)
    flag = (torch.stack([top_x, top], 1),
            torch.stack([top_x - length * angle.cos(), top + length * angle.sin()], 1))
    bottom_x, half_base = column_at(bottom), uniform(0.15, 0.3) * height
    base = (torch.stack([bottom_x - half_base, bottom], 1), torch.stack([bottom_x + half_base, bottom], 1))
    middle = ((top + bottom) / 2).round()
    middle_x, half_bar = column_at(middle), uniform(0.12, 0.22) * height
    bar = (torch.stack([middle_x - half_bar, middle], 1), torch.stack([middle_x + half_bar, middle], 1))

    ones, sevens = chosen & (labels == 1) & has_ink.any(1), chosen & (labels == 7) & has_ink.any(1)
    with_base = ones & (torch.rand(b, generator=generator).to(images.device) < 0.5)
    images = images.clone()
    for drawn, (start, end) in ((ones, flag), (with_base, base), (sevens, bar)):  # ink only where it is drawn
        images[drawn] = images[drawn].maximum(segment_ink(start[drawn], end[drawn]))
    return images


def segment_ink(start: torch.Tensor, end: torch.Tensor, width: float = 2.0) -> torch.Tensor:
    """One pen stroke per image from start (B, 2) to end (B, 2), (x, y) in pixels -> ink (B, 28, 28)."""
    ys, xs = torch.meshgrid(torch.arange(28.0), torch.arange(28.0), indexing="ij")
    pixels = torch.stack([xs, ys], -1).to(start.device)[None]  # (1, 28, 28, 2)
    a, direction = start[:, None, None], (end - start)[:, None, None]
    t = (((pixels - a) * direction).sum(-1) / (direction * direction).sum(-1).clamp_min(1e-6)).clamp(0, 1)
    distance = (pixels - a - t[..., None] * direction).norm(dim=-1)
    return (width / 2 + 0.5 - distance).clamp(0, 1)
