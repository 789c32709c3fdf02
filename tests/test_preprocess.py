"""Canvas drawings become MNIST-like 28x28 images: cropped, scaled to 20 px, centred by mass; blank is blank."""
import numpy as np
import pytest

from rnn_core.digits.preprocess import (InvalidDrawingError, canvas_from_strokes, preprocess_canvas, preprocess_strokes,
                                 strokes_from_canvas_json)


def rgba_canvas(size: int = 280) -> np.ndarray:
    return np.zeros((size, size, 4), dtype=np.uint8)  # transparent: nothing drawn


def paint(canvas: np.ndarray, rows: slice, cols: slice) -> np.ndarray:
    canvas[rows, cols] = (255, 255, 255, 255)
    return canvas


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    ys, xs = np.indices(image.shape)
    return float((ys * image).sum() / image.sum()), float((xs * image).sum() / image.sum())


def test_small_off_centre_stroke_is_centred_and_scaled():
    # A 30x12-pixel bar in the top-left corner of a 280x280 canvas.
    drawing = preprocess_canvas(paint(rgba_canvas(), slice(10, 40), slice(20, 32)))
    assert not drawing.is_blank
    image = drawing.image.numpy()
    assert image.shape == (28, 28) and 0.0 <= image.min() and image.max() == pytest.approx(1.0)
    cy, cx = centre_of_mass(image)
    assert abs(cy - 13.5) < 1.0 and abs(cx - 13.5) < 1.0
    rows, cols = np.nonzero(image > 0.1)
    height, width = np.ptp(rows) + 1, np.ptp(cols) + 1
    assert 19 <= height <= 21  # the longer side fills the 20-pixel box
    assert 6 <= width <= 10  # aspect ratio 30:12 kept (20 * 12 / 30 = 8)


def test_opaque_canvas_reads_ink_from_luminance():
    canvas = np.zeros((200, 200, 4), dtype=np.uint8)
    canvas[..., 3] = 255  # opaque black background
    canvas[50:150, 95:105, :3] = 255  # white vertical bar
    drawing = preprocess_canvas(canvas)
    rows, cols = np.nonzero(drawing.image.numpy() > 0.1)
    assert np.ptp(rows) + 1 >= 19 and np.ptp(cols) + 1 <= 4


def test_blank_and_near_blank_canvases_are_blank():
    assert preprocess_canvas(rgba_canvas()).is_blank
    assert preprocess_canvas(paint(rgba_canvas(), slice(100, 102), slice(100, 102))).is_blank  # one dot


@pytest.mark.parametrize("array", [
    np.zeros((280, 280, 2), dtype=np.uint8),  # two channels
    np.zeros((280,), dtype=np.uint8),  # not an image
    np.zeros((4, 4, 4), dtype=np.uint8),  # too small
    np.full((50, 50), 3.5, dtype=np.float32),  # float outside [0, 1]
    np.full((50, 50), np.nan, dtype=np.float32),
    np.zeros((50, 50), dtype=np.complex64),
])
def test_odd_arrays_raise_a_clear_error(array):
    with pytest.raises(InvalidDrawingError):
        preprocess_canvas(array)


def test_grayscale_float_image_is_accepted():
    image = np.zeros((56, 56), dtype=np.float32)
    image[10:46, 25:31] = 1.0
    assert not preprocess_canvas(image).is_blank


def test_the_drawing_knows_how_big_and_how_far_off_centre_it_is():
    centred = preprocess_canvas(paint(rgba_canvas(), slice(30, 250), slice(100, 180)))  # 220 px tall, middle
    assert centred.extent == pytest.approx(220 / 280) and centred.off_centre == pytest.approx(0.0, abs=0.01)
    corner = preprocess_canvas(paint(rgba_canvas(), slice(10, 70), slice(200, 240)))  # 60 px, top right
    assert corner.extent == pytest.approx(60 / 280)
    assert corner.off_centre == pytest.approx(np.hypot(100, 80) / 280, abs=0.01)


# ----------------------------------------------------------------------------- strokes redrawn at MNIST's width

ZERO = [[(140 + 60 * np.sin(t), 140 - 100 * np.cos(t)) for t in np.linspace(0, 2 * np.pi, 40)]]  # an oval "0"


def scaled(strokes, factor: float, corner: tuple[float, float]):
    return [[(corner[0] + factor * x, corner[1] + factor * y) for x, y in stroke] for stroke in strokes]


def test_a_thin_and_a_thick_pen_come_out_alike():
    thin = preprocess_strokes(ZERO, canvas_from_strokes(ZERO, 8)).image
    thick = preprocess_strokes(ZERO, canvas_from_strokes(ZERO, 40)).image
    assert (thin - thick).abs().max() < 0.05


def test_a_small_and_a_large_drawing_come_out_alike():
    small = scaled(ZERO, 0.25, (190, 5))  # a quarter of the size, in the top-right corner
    large = preprocess_strokes(ZERO, canvas_from_strokes(ZERO, 28)).image
    tiny = preprocess_strokes(small, canvas_from_strokes(small, 28)).image
    assert (large - tiny).abs().mean() < 0.02


def test_a_small_zero_keeps_its_hole_that_the_image_alone_fills():
    small = scaled(ZERO, 0.25, (100, 100))
    canvas = canvas_from_strokes(small, 28)  # the page's wide pen fills the small oval
    assert preprocess_canvas(canvas).image[14, 14] > 0.5
    assert preprocess_strokes(small, canvas).image[12:16, 12:16].max() < 0.1


def test_strokes_are_redrawn_as_wide_as_mnists():
    image = preprocess_strokes(ZERO, canvas_from_strokes(ZERO, 28)).image
    row = image[14]  # across the oval's middle: two strokes
    assert 2 <= int((row > 0.5).sum()) <= 6  # each about 2 pixels wide, as MNIST's


def test_blank_stays_blank_whatever_the_strokes_say():
    dot = [[(100, 100)]]
    assert preprocess_strokes(dot, paint(rgba_canvas(), slice(100, 102), slice(100, 102))).is_blank


def fabric_path(*commands) -> dict:
    return {"type": "path", "path": [list(c) for c in commands], "left": 0, "top": 0}


def test_the_canvas_json_gives_the_pen_paths():
    drawing = {"objects": [fabric_path(("M", 10, 20), ("Q", 10, 20, 15, 25), ("L", 30, 40)),
                           fabric_path(("M", 50, 50), ("L", 60, 70))]}
    strokes = strokes_from_canvas_json(drawing)
    assert len(strokes) == 2
    assert strokes[0][0] == (10, 20) and strokes[0][-1] == (30, 40) and strokes[1] == [(50, 50), (60, 70)]


@pytest.mark.parametrize("drawing", [
    None, {}, {"objects": "nope"}, {"objects": [{"type": "rect"}]},
    {"objects": [{"type": "path"}]},  # no path
    {"objects": [{**fabric_path(("M", 1, 2), ("L", 3, 4)), "scaleX": 2}]},  # moved or scaled: read the image
    {"objects": [fabric_path(("M", 1, 2), ("Z",))]},
    {"objects": [fabric_path(("M", "1", 2))]},
    {"objects": [fabric_path(("M", float("nan"), 2))]},
    {"objects": [fabric_path(("M", True, 2))]},
])
def test_anything_but_plain_pen_paths_means_no_strokes(drawing):
    assert strokes_from_canvas_json(drawing) == []
