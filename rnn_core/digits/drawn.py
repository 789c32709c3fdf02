"""Digits as students draw them on the page's canvas: strokes in many styles, sizes, places and slants.

A benchmark, never training data. Each style is a few strokes in a box one unit tall (x right, y down),
its width the style's own; a drawing is one style, stretched, slanted, turned, wobbled, scaled to a
size between a quarter of the square and all of it, and put anywhere on the square, with the page's pen.
The same seed gives the same drawings.

    drawings = drawn_digit_set()          # 1,200 drawings, seed 0
    canvas = render_drawing(drawings[0])  # (280, 280, 4) uint8, as the page's canvas sends it
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from rnn_core.digits.preprocess import canvas_from_strokes

Point = tuple[float, float]
Stroke = list[Point]
CANVAS_SIZE, PEN_WIDTH = 280, 28  # the digit page's square and pen
SIZE_BANDS = (("small", 0.25, 0.45), ("medium", 0.45, 0.75), ("large", 0.75, 1.0))  # ink extent / square


def curve(*points: Point, steps: int = 12) -> Stroke:
    """A smooth stroke through `points` (Catmull-Rom), `steps` points per span."""
    p = np.asarray(points, dtype=float)
    p = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])  # phantom ends keep the curve's end tangents
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        for t in np.linspace(0, 1, steps, endpoint=False):
            out.append(0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                              + (3 * p1 - p0 - 3 * p2 + p3) * t ** 3))
    out.append(p[-2])
    return [(float(x), float(y)) for x, y in out]


def line(*points: Point, steps: int = 8) -> Stroke:
    """Straight segments through `points`, each cut in `steps` so that a wobble can bend it."""
    out = []
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        out += [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in np.linspace(0, 1, steps, endpoint=False)]
    return out + [points[-1]]


def arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float) -> Stroke:
    """An elliptic arc from angle `start` to `end` in degrees (0 is right, 90 is down, as on screen)."""
    steps = max(8, int(abs(end - start) / 10))
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in np.linspace(start, end, steps + 1)]


def figure_eight() -> Stroke:
    return [(0.5 + 0.45 * math.sin(2 * t), 0.5 - 0.5 * math.cos(t)) for t in np.linspace(0.15, 2 * math.pi + 0.3, 72)]


# digit -> style -> (width of its box, its strokes). Styles MNIST shows rarely are here on purpose.
STYLES: dict[int, dict[str, tuple[float, Callable[[], list[Stroke]]]]] = {
    0: {"oval": (0.75, lambda: [arc(0.5, 0.5, 0.5, 0.5, -80, 290)]),
        "narrow": (0.4, lambda: [arc(0.5, 0.5, 0.5, 0.5, -100, 265)]),
        "open at the top": (0.7, lambda: [arc(0.5, 0.5, 0.5, 0.5, -70, 240)])},
    1: {"stick": (0.08, lambda: [line((0.5, 0), (0.5, 1))]),
        "flagged": (0.4, lambda: [line((0.0, 0.3), (0.75, 0), (0.75, 1))]),
        "flagged with a base": (0.55, lambda: [line((0.15, 0.28), (0.55, 0), (0.55, 1)), line((0.1, 1), (1, 1))])},
    2: {"classic": (0.7, lambda: [arc(0.5, 0.28, 0.48, 0.28, 200, 380) + line((0.97, 0.33), (0.02, 1), (1, 1))]),
        "looped": (0.7, lambda: [arc(0.5, 0.28, 0.48, 0.28, 200, 380)
                                 + curve((0.97, 0.33), (0.4, 0.75), (0.08, 0.97), (0.05, 0.83), (0.25, 0.86),
                                         (0.6, 0.97), (1.0, 0.95))]),
        "curved neck": (0.7, lambda: [curve((0.05, 0.25), (0.45, 0.0), (0.95, 0.25), (0.6, 0.7), (0.02, 1.0))
                                      + line((0.02, 1.0), (1, 0.98))])},
    3: {"round": (0.65, lambda: [arc(0.45, 0.26, 0.45, 0.26, 200, 450) + arc(0.5, 0.74, 0.5, 0.26, -90, 160)]),
        "flat-topped": (0.7, lambda: [line((0.05, 0), (0.95, 0), (0.35, 0.42))
                                      + arc(0.5, 0.7, 0.5, 0.3, -115, 160)]),
        "two bumps": (0.6, lambda: [arc(0.45, 0.26, 0.45, 0.26, 200, 450), arc(0.5, 0.74, 0.5, 0.26, -90, 160)])},
    4: {"open": (0.8, lambda: [line((0.3, 0), (0.02, 0.62), (1.0, 0.62)), line((0.72, 0.22), (0.72, 1))]),
        "closed": (0.8, lambda: [line((0.72, 0), (0.0, 0.66), (1.0, 0.66)), line((0.72, 0), (0.72, 1))]),
        "one stroke": (0.75, lambda: [line((0.25, 0), (0.0, 0.6), (0.95, 0.6)) + line((0.7, 0.25), (0.7, 1))])},
    5: {"two strokes": (0.65, lambda: [line((0.15, 0.02), (0.1, 0.45)) + arc(0.45, 0.68, 0.5, 0.32, -130, 150),
                                       line((0.15, 0.02), (0.95, 0.02))]),
        "one stroke": (0.65, lambda: [line((0.95, 0.0), (0.15, 0.02), (0.1, 0.45))
                                      + arc(0.45, 0.68, 0.5, 0.32, -130, 150)]),
        "round belly": (0.7, lambda: [line((0.9, 0), (0.2, 0), (0.12, 0.4))
                                      + arc(0.5, 0.68, 0.48, 0.32, -140, 170)])},
    6: {"curved": (0.65, lambda: [curve((0.85, 0.02), (0.4, 0.18), (0.08, 0.6), (0.3, 0.98), (0.75, 0.92),
                                        (0.9, 0.68), (0.55, 0.48), (0.12, 0.66))]),
        "straight stem": (0.65, lambda: [line((0.65, 0), (0.05, 0.7)) + arc(0.5, 0.75, 0.45, 0.25, 180, 530)]),
        "small loop": (0.6, lambda: [curve((0.9, 0.0), (0.3, 0.3), (0.05, 0.8), (0.5, 1.0), (0.85, 0.82),
                                           (0.5, 0.62), (0.1, 0.78))])},
    7: {"plain": (0.7, lambda: [line((0.0, 0.03), (1, 0.03), (0.35, 1))]),
        "crossed": (0.75, lambda: [line((0.0, 0.03), (1, 0.03), (0.4, 1)), line((0.35, 0.52), (0.95, 0.5))]),
        "curved stem": (0.7, lambda: [line((0.0, 0.05), (1, 0.03)) + curve((1, 0.03), (0.6, 0.45), (0.45, 1))])},
    8: {"double loop": (0.6, lambda: [arc(0.5, 0.25, 0.38, 0.25, 0, 375), arc(0.5, 0.73, 0.48, 0.27, 0, 375)]),
        "one stroke": (0.6, lambda: [figure_eight()]),
        "snowman": (0.55, lambda: [arc(0.5, 0.22, 0.32, 0.22, -90, 275), arc(0.5, 0.7, 0.5, 0.3, -90, 275)])},
    9: {"straight tail": (0.6, lambda: [arc(0.5, 0.28, 0.48, 0.28, 10, -355) + line((0.98, 0.25), (0.95, 1))]),
        "curved tail": (0.6, lambda: [arc(0.5, 0.28, 0.48, 0.28, 10, -355)
                                      + curve((0.98, 0.25), (0.9, 0.7), (0.6, 1.0), (0.25, 0.95))]),
        "slanted tail": (0.65, lambda: [arc(0.55, 0.28, 0.45, 0.28, 10, -355) + line((1.0, 0.25), (0.55, 1))])},
}


@dataclass(frozen=True)
class DrawnDigit:
    label: int
    style: str
    extent: float  # the ink's longer side as a share of the square
    strokes: list[Stroke]  # canvas pixels, as the pen passed

    @property
    def size(self) -> str:
        """"small", "medium" or "large", by SIZE_BANDS."""
        for name, _, high in SIZE_BANDS[:-1]:
            if self.extent < high:
                return name
        return SIZE_BANDS[-1][0]


def _wobble(stroke: np.ndarray, amplitude: float, rng: np.random.Generator) -> np.ndarray:
    """A hand's slow drift along the stroke plus a little tremor."""
    t = np.linspace(0, 1, len(stroke))[:, None]
    drift = sum(rng.normal(0, amplitude / k, 2) * np.sin(2 * np.pi * k * t + rng.uniform(0, 2 * np.pi, 2))
                for k in (1, 2, 3))
    return stroke + drift + rng.normal(0, 0.004, stroke.shape)


def draw_digit(label: int, style: str, rng: np.random.Generator) -> DrawnDigit:
    """One drawing of `label` in `style`, its size, slant, turn, wobble and place drawn from `rng`."""
    width, make_strokes = STYLES[label][style]
    width *= rng.uniform(0.85, 1.15)
    slant, turn = rng.uniform(-0.2, 0.35), math.radians(rng.uniform(-8, 8))
    wobble = rng.uniform(0.0, 0.025)
    shaped = []
    for stroke in make_strokes():
        points = np.asarray(stroke) * (width, 1.0) - (width / 2, 0.5)  # centred on the origin
        points[:, 0] += slant * -points[:, 1]  # the top leans right for a positive slant
        points = points @ np.array([[math.cos(turn), math.sin(turn)], [-math.sin(turn), math.cos(turn)]])
        shaped.append(_wobble(points, wobble, rng))
    every = np.vstack(shaped)
    low, high = every.min(0), every.max(0)
    extent = rng.uniform(0.25, 1.0)  # of the square, the pen's width included
    scale = (extent * CANVAS_SIZE - PEN_WIDTH) / max(high - low)
    size = (high - low) * scale + PEN_WIDTH
    corner = rng.uniform(0, 1, 2) * (CANVAS_SIZE - size) + PEN_WIDTH / 2
    strokes = [[(float(x), float(y)) for x, y in (points - low) * scale + corner] for points in shaped]
    return DrawnDigit(label, style, float(max(size) / CANVAS_SIZE), strokes)


def drawn_digit_set(count: int = 1200, seed: int = 0) -> list[DrawnDigit]:
    """`count` drawings, the digits and each digit's styles taking turns, the same for the same seed."""
    rng = np.random.default_rng(seed)
    kinds = [(label, style) for label in STYLES for style in STYLES[label]]
    return [draw_digit(*kinds[i % len(kinds)], rng) for i in range(count)]


def render_drawing(drawing: DrawnDigit) -> np.ndarray:
    """The drawing as the page's canvas sends it: (280, 280, 4) uint8, white ink on opaque black."""
    return canvas_from_strokes(drawing.strokes, PEN_WIDTH, CANVAS_SIZE)
