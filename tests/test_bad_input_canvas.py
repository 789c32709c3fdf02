"""Bad input on the digit page's canvas: scribbles, images of odd shape or format, and images too big to
decode. Each is read or explained, never a traceback."""
from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest

from rnn_core.digits.preprocess import InvalidDrawingError, canvas_from_strokes, decode_canvas_image
from harness.canvas import STROKE_WIDTH, VERTICAL_LINE, canvas_state, canvas_state_holding, png
from harness.page_reading import assert_never_rendered, shown_answer
from harness.whole_app import draw, open_app


def png_header(width: int, height: int) -> bytes:
    """A PNG of any claimed size with hardly any pixel data: its size can be read, its pixels cannot."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def scribble(seed: int = 0) -> np.ndarray:
    """Twenty random strokes across the whole canvas: ink everywhere, no digit."""
    rng = np.random.default_rng(seed)
    return canvas_from_strokes([[tuple(p) for p in rng.uniform(0, 280, size=(4, 2))] for _ in range(20)],
                               STROKE_WIDTH)


@pytest.mark.parametrize("canvas", [scribble(), np.full((280, 280, 4), 255, dtype=np.uint8)],
                         ids=["scribbled", "all ink"])
def test_a_scribbled_canvas_gets_an_answer_not_an_error(canvas):
    at = draw(open_app("app_pages/digits.py"), canvas_state(canvas))
    assert shown_answer(at) in range(10) and not at.error
    assert any("% sure" in m.value for m in at.markdown)


ODD_IMAGES = {  # (image file, what the page makes of it)
    "16-bit grey, all ink": (png(np.full((280, 280), 65_535, dtype=np.uint16)), "answer"),
    "1-bit, all ink": (png(np.ones((280, 280), dtype=bool)), "answer"),
    "grey + alpha, transparent": (png(np.zeros((280, 280, 2), dtype=np.uint8), "LA"), "blank"),
    "grey stroke": (png(canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH)[:, :, 0]), "answer"),
    "palette GIF stroke": (png(canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH)[:, :, 0], fmt="GIF"), "answer"),
    "one pixel tall": (png(np.zeros((1, 500, 4), dtype=np.uint8)), "message"),
    "truncated PNG": (png(np.zeros((280, 280, 4), dtype=np.uint8))[:60], "message"),
    "huge (header only)": (png_header(20_000, 20_000), "message"),
    "not an image": (b"<script>alert(1)</script>", "message"),
}


@pytest.mark.parametrize("data, outcome", ODD_IMAGES.values(), ids=ODD_IMAGES.keys())
def test_a_canvas_image_of_odd_shape_or_format_is_read_or_explained(data, outcome):
    at = draw(open_app("app_pages/digits.py"), canvas_state_holding(data))
    read = shown_answer(at) is not None
    explained = any(e.value.startswith("This drawing cannot be read") for e in at.error)
    prompted = any("Draw a digit on the black square" in i.value for i in at.info)
    assert (read, explained, prompted) == (outcome == "answer", outcome == "message", outcome == "blank")
    assert_never_rendered(at, "<script>alert(1)</script>")
    next(b for b in at.button if b.label == "Clear").click().run()  # a fresh canvas; the page carries on
    assert not at.exception and not at.error


def test_a_huge_image_is_refused_from_its_header_before_decoding():
    with pytest.raises(InvalidDrawingError, match="8000x8000 pixels"):
        decode_canvas_image(png_header(8_000, 8_000))  # decoded, it would take 256 MB
    with pytest.raises(InvalidDrawingError, match="far too large"):
        decode_canvas_image(png_header(20_000, 20_000))  # PIL itself refuses this one
    assert decode_canvas_image(png(np.zeros((280, 280, 4), dtype=np.uint8))).shape == (280, 280, 4)
