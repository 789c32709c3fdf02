"""Drawings for the digit page's canvas, as AppTest injects them (it cannot draw): image files, and the
session state the canvas component keeps after a stroke."""
from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

STROKE_WIDTH = 28  # the page's pen
HORIZONTAL_LINE = [[(40, 140), (240, 140)]]  # no digit: the shipped LSTM is unsure what it is
VERTICAL_LINE = [[(140, 40), (140, 240)]]  # a "1"


def png(array: np.ndarray, mode: str | None = None, fmt: str = "PNG") -> bytes:
    """An image file of the array (PNG unless `fmt` says otherwise)."""
    buffer = io.BytesIO()
    Image.fromarray(array, mode).save(buffer, format=fmt)
    return buffer.getvalue()


def canvas_state_holding(data: bytes) -> dict:
    """What the canvas component keeps in session state after a stroke, holding these image bytes."""
    return {"drawing": {"raw": {"objects": [{"type": "path"}]},
                        "data": "data:image/png;base64," + base64.b64encode(data).decode()}}


def canvas_state(canvas: np.ndarray) -> dict:
    """The canvas's session state after a stroke that left this RGBA drawing: the drawing as a PNG."""
    return canvas_state_holding(png(canvas))
