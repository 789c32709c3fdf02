"""The drawn-digit benchmark: the same 1,200 drawings every time, every style, every size band, on the square."""
from pathlib import Path

import numpy as np
import pytest
import torch

from rnn_core.checkpoints import load_checkpoint
from rnn_core.digits.drawn import CANVAS_SIZE, PEN_WIDTH, SIZE_BANDS, STYLES, drawn_digit_set, render_drawing
from rnn_core.digits.data import add_style_strokes, random_thickness
from rnn_core.evaluation import drawn_digit_images
from rnn_core.metrics import evaluate_classifier

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"


def test_the_set_is_the_same_for_the_same_seed_and_differs_for_another():
    first, again, other = drawn_digit_set(50), drawn_digit_set(50), drawn_digit_set(50, seed=1)
    assert [d.strokes for d in first] == [d.strokes for d in again]
    assert [d.strokes for d in first] != [d.strokes for d in other]


def test_every_digit_and_style_and_size_band_is_drawn_on_the_square():
    drawings = drawn_digit_set()
    assert len(drawings) >= 1000
    assert {(d.label, d.style) for d in drawings} == {(label, style) for label in STYLES for style in STYLES[label]}
    assert {d.size for d in drawings} == {band for band, _, _ in SIZE_BANDS}
    assert min(d.extent for d in drawings) < 0.3 and max(d.extent for d in drawings) > 0.95
    assert any(len(d.strokes) > 1 for d in drawings) and any(len(d.strokes) == 1 for d in drawings)
    for d in drawings:
        points = np.concatenate([np.asarray(s) for s in d.strokes])
        assert points.min() >= PEN_WIDTH / 2 - 1 and points.max() <= CANVAS_SIZE - PEN_WIDTH / 2 + 1


def test_a_rendered_drawing_spans_its_recorded_extent():
    for d in drawn_digit_set(20):
        ink = render_drawing(d)[:, :, 0] > 128
        rows, cols = np.nonzero(ink)
        span = max(np.ptp(rows), np.ptp(cols)) + 1
        assert abs(span / CANVAS_SIZE - d.extent) < 0.02


def digit_batch() -> tuple[torch.Tensor, torch.Tensor]:
    """Eight made-up digits: a vertical bar labelled 1 and a 7-like shape, four of each."""
    images = torch.zeros(8, 28, 28)
    images[:4, 4:24, 13:15] = 1.0  # "1"
    images[4:, 4:6, 8:20] = 1.0  # "7": a top bar ...
    for row in range(6, 24):
        images[4:, row, 18 - (row - 6) // 3: 20 - (row - 6) // 3] = 1.0  # ... and a stem
    return images, torch.tensor([1, 1, 1, 1, 7, 7, 7, 7])


def test_style_strokes_add_ink_to_ones_and_sevens_only_where_chosen():
    images, labels = digit_batch()
    other = torch.zeros(2, 28, 28)
    other[:, 5:23, 10:18] = 1.0
    batch = torch.cat([images, other]), torch.cat([labels, torch.tensor([3, 3])])
    out = add_style_strokes(*batch, torch.Generator().manual_seed(0), share=1.0)
    added = (out - batch[0]).clamp_min(0).sum((1, 2))
    assert (added[:8] > 3).all()  # a flag (or a base) on every 1, a bar across every 7
    assert (added[8:] == 0).all()  # other digits untouched
    assert (out >= batch[0]).all() and out.max() <= 1.0
    untouched = add_style_strokes(*batch, torch.Generator().manual_seed(0), share=0.0)
    assert torch.equal(untouched, batch[0])


def test_random_thickness_thins_and_thickens():
    images, _ = digit_batch()
    out = random_thickness(images.repeat(25, 1, 1), torch.Generator().manual_seed(0), share=1.0)
    ink_before, ink_after = images.sum((1, 2)).repeat(25), out.sum((1, 2))
    assert (ink_after < ink_before - 1).any() and (ink_after > ink_before + 1).any()
    assert out.min() >= 0 and out.max() <= 1


@pytest.fixture(scope="module")
def drawn_set() -> tuple[torch.Tensor, torch.Tensor]:
    drawings = drawn_digit_set()
    return drawn_digit_images(drawings), torch.tensor([d.label for d in drawings])


@pytest.mark.parametrize("cell, floor", [("lstm", 0.995), ("gru", 0.995), ("rnn", 0.95)])
def test_each_shipped_digit_model_reads_the_drawn_digits_as_recorded(drawn_set, cell, floor):
    checkpoint = load_checkpoint(CHECKPOINTS / f"digits-{cell}.pt")
    recorded = checkpoint.metadata.drawn_metrics
    measured = evaluate_classifier(checkpoint.model, (drawn_set[0],), drawn_set[1], 10)
    assert recorded is not None and recorded.examples == len(drawn_set[1])
    assert measured.accuracy == pytest.approx(recorded.accuracy, abs=1e-6)
    assert measured.accuracy >= floor
