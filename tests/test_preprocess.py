"""Canvas drawings become MNIST-like 28x28 images: cropped, scaled to 20 px, centred by mass; blank is blank."""
import numpy as np
import pytest

from rnn_core.preprocess import InvalidDrawingError, preprocess_canvas


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
