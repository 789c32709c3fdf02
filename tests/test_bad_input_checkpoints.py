"""Broken shipped checkpoints: missing, truncated, corrupt, foreign, of the wrong kind, or a pickle that
runs code. Each gets a banner, and every page keeps working."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import torch

from rnn_core.checkpoints import CheckpointError, load_checkpoint
from rnn_core.digits.preprocess import canvas_from_strokes
from harness.canvas import STROKE_WIDTH, VERTICAL_LINE, canvas_state
from harness.checkpoint_files import WritesAFile, pickle_bomb
from harness.page_reading import shown_answer
from harness.server import REPO
from harness.whole_app import PAGES, draw, open_app
from ui.resources import DIGIT_CHECKPOINTS, GENERATOR_CHECKPOINT, NAMES_CHECKPOINT, TRANSLATOR_CHECKPOINTS

# The six the sidebar lists, and the translator without attention, which only its page uses
LISTED = [*DIGIT_CHECKPOINTS.values(), NAMES_CHECKPOINT, GENERATOR_CHECKPOINT, TRANSLATOR_CHECKPOINTS[0]]
SHIPPED = [*LISTED, *TRANSLATOR_CHECKPOINTS[1:]]


def broken_file(path: Path, how: str) -> None:
    good = (REPO / "checkpoints" / path.name).read_bytes()
    if how == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif how == "corrupt":
        path.write_bytes(os.urandom(len(good)))
    elif how == "foreign":
        torch.save({"state_dict": {"weight": torch.zeros(2)}}, path)
    elif how == "wrong kind":  # another shipped model under this one's name
        other = "names.pt" if path.name.startswith("digits") else "digits-rnn.pt"
        shutil.copy(REPO / "checkpoints" / other, path)
    elif how == "pickle with code":
        path.write_bytes(pickle_bomb())


@pytest.mark.parametrize("how", ["missing", "truncated", "corrupt", "foreign", "wrong kind", "pickle with code"])
def test_broken_shipped_checkpoints_get_a_banner_and_every_page_still_works(how, tmp_path, monkeypatch):
    WritesAFile.MARKER.unlink(missing_ok=True)
    for name in SHIPPED:
        broken_file(tmp_path / name, how)
    monkeypatch.setenv("RNN_CHECKPOINT_DIR", str(tmp_path))
    at = open_app()
    assert sum("not available" in m.value for m in at.sidebar.markdown) == len(LISTED)
    assert len(at.sidebar.expander) == 1 and len(at.sidebar.text) == len(LISTED)  # the reasons, one per model
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    at.switch_page("app_pages/digits.py").run()
    assert any("model is not available" in e.value for e in at.error)
    at.switch_page("app_pages/names.py").run()
    assert any("name model is not available" in e.value for e in at.error) and at.code[0].value
    at.switch_page("app_pages/translate.py").run()
    assert any("translator is not available" in e.value for e in at.error) and at.code[0].value
    assert not WritesAFile.MARKER.exists()


def test_one_broken_model_leaves_the_others_answering(tmp_path, monkeypatch):
    for name in SHIPPED:
        shutil.copy(REPO / "checkpoints" / name, tmp_path / name)
    broken_file(tmp_path / DIGIT_CHECKPOINTS["LSTM"], "truncated")
    monkeypatch.setenv("RNN_CHECKPOINT_DIR", str(tmp_path))
    at = draw(open_app("app_pages/digits.py"), canvas_state(canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH)))
    assert at.radio(key="digits_model").options[0] == "LSTM · not available"
    assert any("truncated or corrupt" in e.value for e in at.error)
    at.radio(key="digits_model").set_value("GRU").run()
    assert shown_answer(at) in range(10)
    at.switch_page("app_pages/names.py").run()
    assert not at.exception and not at.error


def test_a_pickle_bomb_checkpoint_is_refused_without_running(tmp_path):
    WritesAFile.MARKER.unlink(missing_ok=True)
    path = tmp_path / "bomb.pt"
    path.write_bytes(pickle_bomb())
    with pytest.raises(CheckpointError, match="not a readable checkpoint"):
        load_checkpoint(path)
    assert not WritesAFile.MARKER.exists()
    with open(path, "rb") as f:  # the file really would run code without weights_only
        torch.load(f, weights_only=False)
    assert WritesAFile.MARKER.exists()
    WritesAFile.MARKER.unlink()
