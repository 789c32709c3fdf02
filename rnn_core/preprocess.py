"""A canvas drawing (H, W, 4) RGBA -> the 28x28 image the digit models read, made the way MNIST was made.

MNIST digits were size-normalised to fit a 20x20 box (keeping their aspect ratio, anti-aliased) and
then centred in 28x28 by their centre of mass. Doing the same to a drawing is what makes a mouse-drawn
digit look like the digits the model learned from.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

IMAGE_SIZE, BOX_SIZE = 28, 20
# The page's canvas is 280 pixels wide; a far bigger image did not come from it, and decoding one (a
# small PNG can hold a 20,000 x 20,000 blank) would take gigabytes.
MAX_CANVAS_SIDE = 2000
# Less ink than this fraction of the canvas reads as "blank": a stray click, not a digit.
MIN_INK_FRACTION = 0.002


class InvalidDrawingError(ValueError):
    """The array is not an image (wrong shape, dtype or values)."""


@dataclass
class Drawing:
    image: torch.Tensor | None  # (28, 28) float in [0, 1], white ink on black; None when blank
    ink_fraction: float  # share of the canvas that carries ink
    extent: float = 0.0  # the ink's box: its longer side as a share of the canvas's longer side
    off_centre: float = 0.0  # how far the box's centre lies from the canvas's, as a share of its side

    @property
    def is_blank(self) -> bool:
        return self.image is None


def decode_canvas_image(data: bytes) -> np.ndarray:
    """The canvas's image file (a PNG) -> (H, W, 4) uint8 RGBA, or InvalidDrawingError when it cannot be read.

    Any other pixel format (grey, palette, 16-bit) is converted to RGBA, as the canvas sends it. The size
    is checked from the header, before any pixel is decoded.
    """
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
        width, height = image.size
        if max(width, height) <= MAX_CANVAS_SIDE:
            return np.asarray(image.convert("RGBA"))
    except Image.DecompressionBombError:  # PIL's own limit, checked from the header
        raise InvalidDrawingError("The image is far too large to be a drawing.") from None
    except (OSError, ValueError):  # not an image, or truncated
        raise InvalidDrawingError("The image cannot be decoded: it is not a picture, or only part of one.") from None
    raise InvalidDrawingError(f"The image is {width}x{height} pixels; a drawing is at most "
                              f"{MAX_CANVAS_SIDE} pixels on a side.")


def ink_from_canvas(canvas: np.ndarray) -> np.ndarray:
    """(H, W), (H, W, 1|3|4) uint8 or float array -> ink (H, W) float32 in [0, 1].

    With a varying alpha channel (a canvas with a transparent background) ink is the alpha; otherwise
    it is the luminance (white ink on black).
    """
    array = np.asarray(canvas)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise InvalidDrawingError(f"Expected an (H, W) or (H, W, 3|4) image, got shape {array.shape}.")
    if array.shape[0] < 8 or array.shape[1] < 8:
        raise InvalidDrawingError(f"The image is too small ({array.shape[0]}x{array.shape[1]}).")
    if array.dtype == np.uint8:
        values = array.astype(np.float32) / 255.0
    elif np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer):
        values = array.astype(np.float32)
        if not np.isfinite(values).all() or values.min() < 0 or values.max() > 1:
            raise InvalidDrawingError("A non-uint8 image must hold finite values in [0, 1].")
    else:
        raise InvalidDrawingError(f"Unsupported pixel type {array.dtype}.")
    if values.ndim == 2:
        return values
    luminance = values[:, :, :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    if values.shape[2] == 4 and values[:, :, 3].min() < 1.0:
        return values[:, :, 3]
    return luminance


def mnistify(ink: np.ndarray) -> Drawing:
    """Ink (H, W) in [0, 1] -> crop to the ink, fit a 20x20 box, centre by mass in 28x28."""
    ink_fraction = float((ink > 0.1).mean())
    if ink_fraction < MIN_INK_FRACTION:
        return Drawing(None, ink_fraction)
    rows, cols = np.nonzero(ink > 0.1)
    crop = ink[rows.min(): rows.max() + 1, cols.min(): cols.max() + 1]
    side = max(ink.shape)
    extent = max(crop.shape) / side
    off_centre = float(np.hypot((rows.min() + rows.max() + 1 - ink.shape[0]) / 2,
                                (cols.min() + cols.max() + 1 - ink.shape[1]) / 2)) / side

    h, w = crop.shape
    scale = BOX_SIZE / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    small = F.interpolate(torch.from_numpy(np.ascontiguousarray(crop))[None, None], size=(new_h, new_w),
                          mode="bilinear", antialias=True, align_corners=False)[0, 0].clamp(0, 1)

    # Place the box so its centre of mass lands on the image centre (kept inside the frame).
    total = small.sum()
    cy = float((small.sum(1) * torch.arange(new_h)).sum() / total)
    cx = float((small.sum(0) * torch.arange(new_w)).sum() / total)
    top = int(np.clip(round(IMAGE_SIZE / 2 - 0.5 - cy), 0, IMAGE_SIZE - new_h))
    left = int(np.clip(round(IMAGE_SIZE / 2 - 0.5 - cx), 0, IMAGE_SIZE - new_w))
    image = torch.zeros(IMAGE_SIZE, IMAGE_SIZE)
    image[top: top + new_h, left: left + new_w] = small
    image = image / image.max()  # full-strength strokes, as MNIST's
    return Drawing(image, ink_fraction, extent, off_centre)


def preprocess_canvas(canvas: np.ndarray) -> Drawing:
    """Canvas RGBA (H, W, 4) uint8 -> Drawing: the 28x28 model input, or blank."""
    return mnistify(ink_from_canvas(canvas))


# ----------------------------------------------------------------------------- drawings made in code
# A canvas as the app's drawing page leaves it (opaque black, white ink), made without a browser: to
# check what the model sees from a stroke width, and for the page's tests and benchmarks.

def canvas_from_image(image: np.ndarray | torch.Tensor, size: int = 280) -> np.ndarray:
    """A 28x28 image (uint8, or float in [0, 1]) upscaled to a (size, size, 4) uint8 canvas."""
    pixels = torch.as_tensor(np.asarray(image), dtype=torch.float32)
    if pixels.max() > 1:
        pixels = pixels / 255.0
    ink = F.interpolate(pixels[None, None], size=(size, size), mode="bilinear", align_corners=False)[0, 0]
    return _opaque_canvas(ink.clamp(0, 1).numpy())


def canvas_from_strokes(strokes: list[list[tuple[float, float]]], width: float,
                        size: int = 280) -> np.ndarray:
    """Polylines of (x, y) points drawn with a round pen `width` pixels wide, as a (size, size, 4) canvas."""
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32) + 0.5
    distance = np.full((size, size), np.inf, dtype=np.float32)
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float32).reshape(-1, 2)
        for (x0, y0), (x1, y1) in zip(points, points[1:] if len(points) > 1 else points):
            dx, dy = x1 - x0, y1 - y0
            t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / max(dx * dx + dy * dy, 1e-9), 0, 1)
            distance = np.minimum(distance, np.hypot(xs - x0 - t * dx, ys - y0 - t * dy))
    return _opaque_canvas(np.clip(width / 2 + 0.5 - distance, 0, 1))  # one anti-aliased pixel at the edge


def _opaque_canvas(ink: np.ndarray) -> np.ndarray:
    canvas = np.zeros((*ink.shape, 4), dtype=np.uint8)
    canvas[:, :, :3] = np.round(ink * 255).astype(np.uint8)[:, :, None]
    canvas[:, :, 3] = 255
    return canvas
