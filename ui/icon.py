"""The app's browser-tab icon, drawn here: a named icon (":material/...") would be fetched from Google's
servers by every browser that opens the app, and a classroom may be offline."""
from __future__ import annotations

import numpy as np
from PIL import Image

PRIMARY = (79, 70, 229)  # the theme's primary colour, #4f46e5


def app_icon(size: int = 64) -> Image.Image:
    """A size x size RGBA image: one period of a white sine wave on a rounded indigo square."""
    y, x = np.mgrid[0:size, 0:size] / (size - 1)  # (size, size) coordinates in [0, 1]
    corner = 0.2
    dx, dy = np.maximum(np.abs(x - 0.5) - (0.5 - corner), 0), np.maximum(np.abs(y - 0.5) - (0.5 - corner), 0)
    inside = np.hypot(dx, dy) <= corner
    phase = 2 * np.pi * (x - 0.15) / 0.7
    wave, slope = 0.5 - 0.28 * np.sin(phase), -0.28 * 2 * np.pi / 0.7 * np.cos(phase)
    on_wave = (np.abs(y - wave) / np.hypot(1, slope) < 0.055) & (x > 0.13) & (x < 0.87)  # an even stroke
    icon = np.zeros((size, size, 4), np.uint8)
    icon[inside] = (*PRIMARY, 255)
    icon[inside & on_wave] = (255, 255, 255, 255)
    return Image.fromarray(icon)
