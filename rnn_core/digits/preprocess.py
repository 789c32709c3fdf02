"""A canvas drawing (H, W, 4) RGBA -> the 28x28 image the digit models read, made the way MNIST was made.

MNIST digits were size-normalised to fit a 20x20 box (keeping their aspect ratio, anti-aliased) and
then centred in 28x28 by their centre of mass. Doing the same to a drawing is what makes a mouse-drawn
digit look like the digits the model learned from.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

from rnn_core.errors import EngineError

IMAGE_SIZE, BOX_SIZE = 28, 20
# The page's canvas is 280 pixels wide; a far bigger image did not come from it, and decoding one (a
# small PNG can hold a 20,000 x 20,000 blank) would take gigabytes.
MAX_CANVAS_SIDE = 2000
# Less ink than this fraction of the canvas reads as "blank": a stray click, not a digit.
MIN_INK_FRACTION = 0.002
# MNIST's strokes measure 1.9 pixels at 28x28 (twice the ink's area over its outline, median over the
# training set); strokes redrawn with this pen measure the same.
MNIST_PEN = 2.2
MAX_STROKE_POINTS = 50_000  # far more than a hand draws on a 280 px square
SUPERSAMPLE = 4  # strokes are redrawn this many times finer, then averaged down: soft edges, as MNIST's


class InvalidDrawingError(EngineError, ValueError):
    """The array is not an image (wrong shape, dtype or values)."""


@dataclass
class Drawing:
    image: torch.Tensor | None  # (28, 28) float in [0, 1], white ink on black; None when blank
    ink_fraction: float  # share of the canvas that carries ink
    extent: float = 0.0  # the ink's box: its longer side as a share of the canvas's longer side
    off_centre: float = 0.0  # how far the box's centre lies from the canvas's, as a share of its side
    redrawn: bool = False  # the image is the pen's paths drawn again, not the canvas scaled down

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
        raise InvalidDrawingError("drawing.too_large") from None
    except (OSError, ValueError):  # not an image, or truncated
        raise InvalidDrawingError("drawing.undecodable") from None
    raise InvalidDrawingError("drawing.oversized", width=width, height=height, limit=MAX_CANVAS_SIDE)


def ink_from_canvas(canvas: np.ndarray) -> np.ndarray:
    """(H, W), (H, W, 1|3|4) uint8 or float array -> ink (H, W) float32 in [0, 1].

    With a varying alpha channel (a canvas with a transparent background) ink is the alpha; otherwise
    it is the luminance (white ink on black).
    """
    array = np.asarray(canvas)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise InvalidDrawingError("drawing.shape", shape=array.shape)
    if array.shape[0] < 8 or array.shape[1] < 8:
        raise InvalidDrawingError("drawing.too_small", height=array.shape[0], width=array.shape[1])
    if array.dtype == np.uint8:
        values = array.astype(np.float32) / 255.0
    elif np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer):
        values = array.astype(np.float32)
        if not np.isfinite(values).all() or values.min() < 0 or values.max() > 1:
            raise InvalidDrawingError("drawing.values")
    else:
        raise InvalidDrawingError("drawing.pixel_type", dtype=array.dtype)
    if values.ndim == 2:
        return values
    luminance = values[:, :, :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    if values.shape[2] == 4 and values[:, :, 3].min() < 1.0:
        return values[:, :, 3]
    return luminance


def ink_box(ink: np.ndarray) -> tuple[np.ndarray | None, Drawing]:
    """Ink (H, W) in [0, 1] -> the ink cropped to its box (None when blank), and a Drawing without its image
    that says how much ink there is, how large and where."""
    ink_fraction = float((ink > 0.1).mean())
    if ink_fraction < MIN_INK_FRACTION:
        return None, Drawing(None, ink_fraction)
    rows, cols = np.nonzero(ink > 0.1)
    crop = ink[rows.min(): rows.max() + 1, cols.min(): cols.max() + 1]
    side = max(ink.shape)
    off_centre = float(np.hypot((rows.min() + rows.max() + 1 - ink.shape[0]) / 2,
                                (cols.min() + cols.max() + 1 - ink.shape[1]) / 2)) / side
    return crop, Drawing(None, ink_fraction, max(crop.shape) / side, off_centre)


def mnistify(ink: np.ndarray) -> Drawing:
    """Ink (H, W) in [0, 1] -> crop to the ink, fit a 20x20 box, centre by mass in 28x28."""
    crop, measured = ink_box(ink)
    if crop is None:
        return measured
    h, w = crop.shape
    scale = BOX_SIZE / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    small = F.interpolate(torch.from_numpy(np.ascontiguousarray(crop))[None, None], size=(new_h, new_w),
                          mode="bilinear", antialias=True, align_corners=False)[0, 0].clamp(0, 1)
    return replace(measured, image=centre_by_mass(small))


def centre_by_mass(box: torch.Tensor) -> torch.Tensor:
    """A digit in its box (h, w) <= 20 -> 28x28, its centre of mass on the centre (kept inside the frame)."""
    new_h, new_w = box.shape
    total = box.sum()
    cy = float((box.sum(1) * torch.arange(new_h)).sum() / total)
    cx = float((box.sum(0) * torch.arange(new_w)).sum() / total)
    top = int(np.clip(round(IMAGE_SIZE / 2 - 0.5 - cy), 0, IMAGE_SIZE - new_h))
    left = int(np.clip(round(IMAGE_SIZE / 2 - 0.5 - cx), 0, IMAGE_SIZE - new_w))
    image = torch.zeros(IMAGE_SIZE, IMAGE_SIZE)
    image[top: top + new_h, left: left + new_w] = box
    return image / image.max()  # full-strength strokes, as MNIST's


def preprocess_canvas(canvas: np.ndarray) -> Drawing:
    """Canvas RGBA (H, W, 4) uint8 -> Drawing: the 28x28 model input, or blank."""
    return mnistify(ink_from_canvas(canvas))


def redraw_strokes(strokes: list[list[tuple[float, float]]], pen: float = MNIST_PEN) -> torch.Tensor:
    """The pen's paths (canvas pixels) drawn again with MNIST's pen, scaled to fit 20x20, centred: (28, 28).

    Whatever the size of the drawing, its strokes come out as thick as MNIST's: a small digit drawn with
    the page's wide pen would otherwise fill its own loops once scaled up.
    """
    points = np.concatenate([np.asarray(stroke, dtype=np.float32).reshape(-1, 2) for stroke in strokes])
    low, high = points.min(0), points.max(0)
    scale = (BOX_SIZE - pen) / max(float((high - low).max()), 1e-6) * SUPERSAMPLE
    box_w, box_h = np.maximum(1, np.ceil(((high - low) * scale / SUPERSAMPLE + pen))).astype(int)
    fine = Image.new("L", (box_w * SUPERSAMPLE, box_h * SUPERSAMPLE))
    draw, radius = ImageDraw.Draw(fine), pen * SUPERSAMPLE / 2
    for stroke in strokes:
        path = (np.asarray(stroke, dtype=np.float32).reshape(-1, 2) - low) * scale + radius
        if len(path) > 1:
            draw.line([tuple(p) for p in path], fill=255, width=round(2 * radius))
        for x, y in path:  # round caps and joins, as the canvas's pen
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    ink = torch.from_numpy(np.asarray(fine, dtype=np.float32) / 255)
    return centre_by_mass(F.avg_pool2d(ink[None, None], SUPERSAMPLE)[0, 0])


def strokes_from_canvas_json(drawing: dict | None) -> list[list[tuple[float, float]]]:
    """The pen's paths in the drawing canvas's JSON (Fabric.js "path" objects) -> polylines in canvas pixels.

    [] when there are none, or when anything in it is not a plain, untransformed pen path: the caller then
    reads the image alone.
    """
    objects = (drawing or {}).get("objects") if isinstance(drawing, dict) else None
    if not isinstance(objects, list):
        return []
    strokes, total = [], 0
    for item in objects:
        if not (isinstance(item, dict) and str(item.get("type", "")).lower() == "path"
                and item.get("scaleX", 1) == 1 and item.get("scaleY", 1) == 1 and item.get("angle", 0) == 0
                and isinstance(item.get("path"), list)):
            return []
        stroke = _polyline(item["path"])
        total += len(stroke or ())
        if stroke is None or total > MAX_STROKE_POINTS:
            return []
        strokes.append(stroke)
    return strokes


def _polyline(commands: list) -> list[tuple[float, float]] | None:
    """SVG path commands M, L and Q (absolute) -> points, curves sampled; None for anything else."""
    points: list[tuple[float, float]] = []
    for command in commands:
        if not (isinstance(command, list) and command and command[0] in ("M", "L", "Q")
                and len(command) == (5 if command[0] == "Q" else 3)
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) < 1e5
                        for v in command[1:])):
            return None
        if command[0] == "Q" and points:
            (x0, y0), (cx, cy), (x1, y1) = points[-1], command[1:3], command[3:5]
            points += [((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1,
                        (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1) for t in (0.25, 0.5, 0.75, 1.0)]
        else:
            points.append((float(command[-2]), float(command[-1])))
    return points


def preprocess_strokes(strokes: list[list[tuple[float, float]]], canvas: np.ndarray) -> Drawing:
    """The canvas and the pen paths that made it -> Drawing; blank, size and place judged on the canvas."""
    ink, strokes = ink_from_canvas(canvas), [stroke for stroke in strokes if len(stroke)]
    if not strokes:
        return mnistify(ink)
    crop, measured = ink_box(ink)  # the canvas's image itself is not needed: the strokes are redrawn
    return measured if crop is None else replace(measured, image=redraw_strokes(strokes), redrawn=True)


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
    return _opaque_canvas(stroke_ink(strokes, width, size))


def stroke_ink(strokes: list[list[tuple[float, float]]], width: float, size: int) -> np.ndarray:
    """Ink (size, size) in [0, 1] of polylines drawn with a round pen, one anti-aliased pixel at the edge."""
    distance = np.full((size, size), np.inf, dtype=np.float32)
    reach = width / 2 + 1
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float32).reshape(-1, 2)
        for (x0, y0), (x1, y1) in zip(points, points[1:] if len(points) > 1 else points):
            # Only the pixels the pen can reach from this segment.
            left, right = int(max(0, min(x0, x1) - reach)), int(min(size, max(x0, x1) + reach + 1))
            top, bottom = int(max(0, min(y0, y1) - reach)), int(min(size, max(y0, y1) + reach + 1))
            if left >= right or top >= bottom:
                continue
            ys, xs = np.mgrid[top:bottom, left:right].astype(np.float32) + 0.5
            dx, dy = x1 - x0, y1 - y0
            t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / max(dx * dx + dy * dy, 1e-9), 0, 1)
            window = distance[top:bottom, left:right]
            np.minimum(window, np.hypot(xs - x0 - t * dx, ys - y0 - t * dy), out=window)
    return np.clip(width / 2 + 0.5 - distance, 0, 1)


def _opaque_canvas(ink: np.ndarray) -> np.ndarray:
    canvas = np.zeros((*ink.shape, 4), dtype=np.uint8)
    canvas[:, :, :3] = np.round(ink * 255).astype(np.uint8)[:, :, None]
    canvas[:, :, 3] = 255
    return canvas
