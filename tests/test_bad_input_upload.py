"""Hostile uploads: names files and checkpoints that are empty, foreign, oversized, malformed or run
code when loaded. Each is refused with a message and nothing half-loaded is left behind."""
from __future__ import annotations

import io

import pytest
import torch

from rnn_core.checkpoint_meta import CheckpointMetadata, ClassifierMetrics
from rnn_core.checkpoints import checkpoint_bytes, load_checkpoint
from rnn_core.waves.model import WaveConfig, WaveRegressor
from harness.checkpoint_files import WritesAFile, digits_checkpoint, pickle_bomb
from harness.page_reading import assert_never_rendered
from harness.server import REPO
from harness.whole_app import open_app
from ui.resources import NAMES_CHECKPOINT


HOSTILE_FILES = {
    "empty": ("names.txt", b"", None),
    "only a header": ("names.csv", b"surname\n", None),
    "nul bytes in UTF-8": ("names.txt", b"Smith\x00\x00\nRossi", "binary file"),
    "latin-1": ("names.txt", "Müller\n".encode("latin-1"), "not UTF-8"),
    "huge csv field": ("names.csv", b'"' + b"x" * 200_000 + b'"\n', "cannot be read"),
    "html": ("names.txt", b"<script>alert(1)</script>\n<b>Smith</b>", None),
}


@pytest.mark.parametrize("filename, data, message", HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_hostile_files_in_the_names_upload(filename, data, message):
    at = open_app("app_pages/names.py")
    at.get("file_uploader")[0].set_value((filename, data, "text/plain"))
    at.run()
    assert not at.exception, at.exception
    if message:
        assert any(message in e.value for e in at.error) and not at.dataframe
    assert_never_rendered(at, "<script>alert(1)</script>")
    assert_never_rendered(at, "<b>Smith</b>")


def with_metadata(model: torch.nn.Module, metadata: dict) -> bytes:
    """A checkpoint of `model` whose metadata is `metadata` as it stands, in whatever form."""
    payload = torch.load(io.BytesIO(checkpoint_bytes(model, CheckpointMetadata())), weights_only=True)
    return _torch_bytes({**payload, "metadata": metadata})


def names_upload(**changes) -> bytes:
    shipped = load_checkpoint(REPO / "checkpoints" / NAMES_CHECKPOINT)
    return with_metadata(shipped.model, {**shipped.metadata.to_dict(), **changes})


NAMES_METADATA = load_checkpoint(REPO / "checkpoints" / NAMES_CHECKPOINT).metadata.to_dict()


HOSTILE_CHECKPOINTS = {
    "text file": (lambda: b"<b>not</b> a checkpoint", "not a readable checkpoint"),
    "empty file": (lambda: b"", "not a readable checkpoint"),
    "pickle with code": (pickle_bomb, "not a readable checkpoint"),
    "foreign torch file": (lambda: _torch_bytes({"weights": torch.zeros(3)}), "not an RNN Playground"),
    "wave model": (lambda: checkpoint_bytes(WaveRegressor(WaveConfig()), CheckpointMetadata()), "wave model"),
    "digits that read 10-pixel rows": (
        lambda: checkpoint_bytes(digits_checkpoint(row_size=10), CheckpointMetadata()), "answers with"),
    "digits with 3 classes": (
        lambda: checkpoint_bytes(digits_checkpoint(num_classes=3), CheckpointMetadata()), "answers with"),
    "accuracy as text": (lambda: with_metadata(digits_checkpoint(), {"test_metrics": {"accuracy": "all"}}),
                         "test_metrics"),
    "names with 3 labels": (lambda: names_upload(labels=NAMES_METADATA["labels"][:3]), "answers with"),
    "names with markup labels": (lambda: names_upload(labels=["<b>x</b>"] * 18), "plain words"),
    "names without a vocabulary": (lambda: names_upload(vocab=5), "characters it reads"),
    "names with a ragged confusion matrix": (
        lambda: names_upload(test_metrics={**NAMES_METADATA["test_metrics"], "confusion": [[1, 2], [3]]}),
        "confusion"),
    "names with text for counts": (lambda: names_upload(line_counts={"Arabic": "many"}), "line_counts"),
}


def _torch_bytes(payload) -> bytes:
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("make, message", HOSTILE_CHECKPOINTS.values(), ids=HOSTILE_CHECKPOINTS.keys())
def test_hostile_files_in_the_checkpoint_upload(make, message):
    WritesAFile.MARKER.unlink(missing_ok=True)
    at = open_app("app_pages/train.py")
    at.get("file_uploader")[0].set_value(("model.pt", make(), "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert not at.success and not at.session_state["session_models"]["row_classifier"]
    assert not WritesAFile.MARKER.exists()  # the pickle never ran
    for page in ("app_pages/digits.py", "app_pages/names.py"):  # nothing half-loaded breaks a demo page
        at.switch_page(page).run()
        assert not at.exception, at.exception


def test_an_oversized_checkpoint_upload_is_refused_unread():
    at = open_app("app_pages/train.py")
    at.get("file_uploader")[0].set_value(("big.pt", b"\x00" * (21 * 2 ** 20), "application/octet-stream"))
    at.run()
    assert not at.exception and any("21 MB" in e.value for e in at.error)


def test_a_good_upload_still_loads():
    data = checkpoint_bytes(digits_checkpoint(), CheckpointMetadata(test_metrics=ClassifierMetrics(accuracy=0.5)))
    at = open_app("app_pages/train.py")
    at.get("file_uploader")[0].set_value(("mine.pt", data, "application/octet-stream"))
    at.run()
    assert any("Loaded as “Uploaded GRU”" in s.value for s in at.success)
    at.switch_page("app_pages/digits.py").run()
    assert "Uploaded GRU · 50.00%" in at.radio(key="digits_model").options
