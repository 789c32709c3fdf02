"""Bad input, case by case: odd drawings, hostile text in every box, broken checkpoints and data folders,
bad device settings, an abandoned training run, malformed or path-carrying links. Each is answered with a
message, never a traceback, and the rest of the app keeps working.

Cases already covered by a page's own tests (e.g. test_page_names.py) are not repeated here.
"""
from __future__ import annotations

import ast
import io
import os
import re
import shutil
import struct
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit
import torch
from streamlit.testing.v1 import AppTest

import rnn_core.data.names
from rnn_core.checkpoint_meta import CheckpointMetadata, ClassifierMetrics
from rnn_core.checkpoints import CheckpointError, checkpoint_bytes, load_checkpoint, save_checkpoint
from rnn_core.live_training import IDLE_PAUSE_SECONDS, idle_pause_seconds
from rnn_core.models import RowClassifier, RowClassifierConfig, WaveConfig, WaveRegressor
from rnn_core.preprocess import InvalidDrawingError, canvas_from_strokes, decode_canvas_image
from support.canvas import STROKE_WIDTH, VERTICAL_LINE, canvas_state, canvas_state_holding, png
from support.live_runs import live_run, wait_until
from support.page_reading import assert_never_rendered, charts, shown_answer
from support.server import APP_PATH, REPO
from support.tiny_data import write_tiny_mnist, write_tiny_names
from ui.resources import DIGIT_CHECKPOINTS, GENERATOR_CHECKPOINT, NAMES_CHECKPOINT, device_choice

PAGES = ["app_pages/home.py", "app_pages/digits.py", "app_pages/waves.py", "app_pages/names.py",
         "app_pages/generate.py", "app_pages/train.py"]
SHIPPED = [*DIGIT_CHECKPOINTS.values(), NAMES_CHECKPOINT, GENERATOR_CHECKPOINT]  # the five the sidebar lists


def open_app(page: str = "app_pages/home.py", query: dict[str, str] | None = None) -> AppTest:
    """The whole app (navigation and sidebar) opened straight on `page`, as a shared link opens it."""
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.switch_page(page)
    at.query_params.update(query or {})
    at.run()
    assert not at.exception, at.exception
    return at


def png_header(width: int, height: int) -> bytes:
    """A PNG of any claimed size with hardly any pixel data: its size can be read, its pixels cannot."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def draw(at: AppTest, state: dict) -> AppTest:
    at.session_state[f"digits_canvas_{at.session_state['digits_canvas_round']}"] = state
    at.run()
    assert not at.exception, at.exception
    return at


# ----------------------------------------------------------------------------- the canvas

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


# ----------------------------------------------------------------------------- hostile text

HOSTILE_TEXT = {
    "nul": "Zorblax\x00",
    "control characters": "Zor\x07bl\x1bax",
    "right-to-left override": "\u202eZorblax",
    "zero-width": "Zor\u200bblax\ufeff",
    "combining marks": "Z\u0337\u0328o\u0336r\u0334b\u0335l\u0338ax",
    "newlines": "Zorblax\r\n# heading\n<b>x</b>",
    "sql": "O'Brien'); DROP TABLE names;--",
    "formula": '=HYPERLINK("http://evil.example","Zorblax")',
    "markdown image": "![x](http://evil.example/x.png)",
    "html entity": "&lt;b&gt;Zorblax&amp;",
    "latex": "$\\frac{1}{0}$ Zorblax",
    "padded": " " * 5_000 + "Zorblax" + " " * 5_000,
}


@pytest.mark.parametrize("text", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_hostile_text_in_the_surname_box(text):
    at = open_app("app_pages/names.py")
    at.text_input(key="names_text").input(text).run()
    assert not at.exception, at.exception
    answered = "names_top5" in charts(at)
    refused = any("surname" in i.value or "letters" in i.value for i in at.info)
    assert answered != refused
    assert_never_rendered(at, text)


@pytest.mark.parametrize("text", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_hostile_text_in_the_first_letters_box(text):
    at = open_app("app_pages/generate.py")
    at.text_input(key="gen_prefix").input(text).run()
    assert not at.exception, at.exception
    invented = "gen_step_chart" in charts(at)
    refused = any("letters" in i.value or "characters" in i.value for i in at.info)
    assert invented != refused
    assert_never_rendered(at, text)
    if invented:  # only a prefix made of known characters is continued, and it is kept
        assert at.metric[0].value.startswith(text.strip()[:1].upper())


FREE_INPUT = {"text_input", "text_area", "chat_input", "number_input", "date_input", "time_input",
              "file_uploader", "camera_input", "audio_input", "data_editor"}


def test_every_free_input_box_is_one_tested_here():
    """The widgets that take what a visitor types or sends; a new one needs its own bad-input test."""
    found = sorted((path.relative_to(REPO).as_posix(), node.func.attr)
                   for path in [REPO / "app.py", *REPO.glob("app_pages/*.py"), *REPO.glob("ui/*.py")]
                   for node in ast.walk(ast.parse(path.read_text()))
                   if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                   and node.func.attr in FREE_INPUT)
    assert found == [("app_pages/generate.py", "text_input"), ("app_pages/names.py", "file_uploader"),
                     ("app_pages/names.py", "text_area"), ("app_pages/names.py", "text_input"),
                     ("app_pages/train.py", "file_uploader")]


def recorded_downloads(monkeypatch) -> list[bytes]:
    """The data of every download button the page makes."""
    downloads, original = [], streamlit.download_button

    def recording(label, data, *args, **kwargs):
        downloads.append(data)
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recording)
    return downloads


def test_hostile_text_in_the_paste_box(monkeypatch):
    downloads = recorded_downloads(monkeypatch)
    lines = list(HOSTILE_TEXT.values()) + ["\u2028Rossi", "x" * 100_000, "Nakamura"]
    at = open_app("app_pages/names.py")
    at.text_area(key="names_batch_text").input("\n".join(lines)).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert "Nakamura" in set(table["name"]) and (table["problem"] != "").any()
    assert max(len(name) for name in table["name"]) <= 61  # a 100,000-character line is cut for the table
    for text in HOSTILE_TEXT.values():
        assert_never_rendered(at, text)
    # The CSV download opens in spreadsheets: a name that starts a formula is written as text.
    names = pd.read_csv(io.BytesIO(downloads[-1]), keep_default_na=False)["name"]
    assert "'" + HOSTILE_TEXT["formula"] in set(names)
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)


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


class WritesAFile:
    """Unpickling this would create MARKER: the classic checkpoint that runs code when loaded."""
    MARKER = Path("/tmp/rnn-playground-pickle-ran")

    def __reduce__(self):
        return (open, (str(self.MARKER), "w"))


def pickle_bomb() -> bytes:
    buffer = io.BytesIO()
    torch.save({"format": "rnn-playground-checkpoint/1", "kind": "row_classifier", "bomb": WritesAFile()}, buffer)
    return buffer.getvalue()


def digits_checkpoint(**config) -> RowClassifier:
    torch.manual_seed(0)
    return RowClassifier(RowClassifierConfig(**{"cell": "gru", "hidden_size": 8, "num_layers": 1, **config}))


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


# ----------------------------------------------------------------------------- shipped checkpoints

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
    # "missing": no file at all


@pytest.mark.parametrize("how", ["missing", "truncated", "corrupt", "foreign", "wrong kind", "pickle with code"])
def test_broken_shipped_checkpoints_get_a_banner_and_every_page_still_works(how, tmp_path, monkeypatch):
    WritesAFile.MARKER.unlink(missing_ok=True)
    for name in SHIPPED:
        broken_file(tmp_path / name, how)
    monkeypatch.setenv("RNN_CHECKPOINT_DIR", str(tmp_path))
    at = open_app()
    assert sum("not available" in m.value for m in at.sidebar.markdown) == len(SHIPPED)
    assert len(at.sidebar.expander) == 1 and len(at.sidebar.text) == len(SHIPPED)  # the reasons, one per model
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    at.switch_page("app_pages/digits.py").run()
    assert any("model is not available" in e.value for e in at.error)
    at.switch_page("app_pages/names.py").run()
    assert any("name model is not available" in e.value for e in at.error) and at.code[0].value
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


def test_checkpoints_load_only_with_weights_only(tmp_path):
    """Every torch.load in the project passes weights_only=True, so a file can never run code."""
    # Tests excluded: one of them loads a pickle bomb without weights_only, to show it is one.
    sources = [p for p in REPO.rglob("*.py") if not {".venv", "site-packages", "tests"} & set(p.parts)]
    calls = [(path, node) for path in sources for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.Call) and ast.unparse(node.func) == "torch.load"]
    assert calls  # the checker sees the loader
    for path, call in calls:
        flags = {k.arg: k.value for k in call.keywords}
        assert isinstance(flags.get("weights_only"), ast.Constant) and flags["weights_only"].value is True, \
            f"{path.relative_to(REPO)}:{call.lineno} calls torch.load without weights_only=True"


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


# ----------------------------------------------------------------------------- data folders

@pytest.fixture
def offline(monkeypatch):
    """No downloads: the data must come from the data folder or not at all."""
    monkeypatch.setattr("rnn_core.data.mnist.MNIST.mirrors", [])

    def no_network(root):
        raise OSError("offline")

    monkeypatch.setattr(rnn_core.data.names, "_download_names", no_network)


def partial_mnist(root: Path, how: str) -> Path:
    raw = write_tiny_mnist(root) / "MNIST" / "raw"
    if how == "two of four files":
        (raw / "train-labels-idx1-ubyte").unlink()
        (raw / "t10k-labels-idx1-ubyte").unlink()
    elif how == "truncated file":
        images = raw / "t10k-images-idx3-ubyte"
        images.write_bytes(images.read_bytes()[:1000])
    elif how == "not IDX":
        (raw / "t10k-images-idx3-ubyte").write_bytes(b"<html>404 Not Found</html>")
    elif how == "empty folder":
        shutil.rmtree(raw)
        raw.mkdir()
    return root


@pytest.mark.parametrize("how", ["two of four files", "truncated file", "not IDX", "empty folder"])
def test_a_partial_mnist_folder_is_explained(how, tmp_path, monkeypatch, offline):
    monkeypatch.setenv("RNN_DATA_DIR", str(partial_mnist(tmp_path, how)))
    at = open_app("app_pages/digits.py")
    real_digit = next(b for b in at.button if b.label == "Try a real MNIST digit")
    assert real_digit.disabled and "MNIST is not in" in real_digit.help
    at.switch_page("app_pages/train.py").run()
    next(b for b in at.button if b.label == "Train").click().run()
    assert not at.exception, at.exception
    assert any("MNIST is not in" in e.value and "corrupt" in e.value for e in at.error)
    assert "live_run" not in at.session_state


def partial_names(root: Path, how: str) -> Path:
    if how == "empty folder":
        (root / "names").mkdir(parents=True)
    elif how == "not UTF-8":
        write_tiny_names(root)
        (root / "names" / "Czech.txt").write_bytes("Dvořák\n".encode("cp1250"))
    elif how == "too few names to split":
        write_tiny_names(root, {"Italian": ["Rossi"], "Empty": []})
    return root


@pytest.mark.parametrize("how, message", [("empty folder", "No names files"), ("not UTF-8", "not UTF-8"),
                                          ("too few names to split", "training needs both")])
def test_a_partial_names_folder_is_explained(how, message, tmp_path, monkeypatch, offline):
    monkeypatch.setenv("RNN_DATA_DIR", str(partial_names(tmp_path, how)))
    at = open_app("app_pages/train.py")
    at.radio[0].set_value("Names (18 languages)")
    next(b for b in at.button if b.label == "Train").click().run()
    assert not at.exception, at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert "live_run" not in at.session_state
    at.switch_page("app_pages/names.py").run()  # the shipped model does not need the data
    assert not at.exception and not at.error


# ----------------------------------------------------------------------------- device settings

@pytest.fixture
def fresh_device_choice():
    device_choice.clear()
    yield
    device_choice.clear()
    torch.set_num_threads(1)  # as conftest set it


@pytest.mark.parametrize("variable, value, warning", [
    ("RNN_DEVICE", "tpu", "Unknown device 'tpu'"),
    ("RNN_DEVICE", "../../dev/null", "Unknown device"),
    ("RNN_TORCH_THREADS", "many", "must be a whole number"),
    ("RNN_TORCH_THREADS", "0", "at least 1"),
    ("RNN_TORCH_THREADS", "-4", "at least 1"),
])
def test_a_bad_device_setting_falls_back_with_a_warning(variable, value, warning, monkeypatch,
                                                        fresh_device_choice):
    monkeypatch.setenv(variable, value)
    at = open_app("app_pages/waves.py")
    assert any(warning in w.value for w in at.sidebar.warning), [w.value for w in at.sidebar.warning]
    at.button(key="waves_step").click().run()  # the app still trains, on the fallback
    assert not at.exception and at.session_state["waves_trainer"].step_count == 1
    if variable == "RNN_TORCH_THREADS":
        assert any("CPU · 1 thread" in m.value or "CUDA" in m.value for m in at.sidebar.markdown)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_requested_without_a_gpu_falls_back_to_cpu(monkeypatch, fresh_device_choice):
    monkeypatch.setenv("RNN_DEVICE", "cuda")
    at = open_app()
    assert any("no CUDA GPU" in w.value and "Using CPU" in w.value for w in at.sidebar.warning)


# ----------------------------------------------------------------------------- an abandoned run

def test_a_run_nobody_watches_pauses_and_gives_up_its_thread():
    run = live_run(epochs=500)
    run.idle_pause_seconds = 0.5
    run.start()
    thread = run._thread
    wait_until(lambda: run.trainer.step_count > 0)  # training (read without snapshot(): that counts as watching)
    wait_until(lambda: run.status == "paused", timeout=10)
    thread.join(timeout=5)
    assert not thread.is_alive() and run._thread is None  # no thread left waiting for a visitor who left
    steps = run.trainer.step_count
    time.sleep(1)
    assert run.trainer.step_count == steps
    run.start()  # the visitor is back: it resumes where it paused
    wait_until(lambda: run.trainer.step_count > steps)
    run.stop()
    run.wait()
    assert run.status == "stopped"


def test_a_watched_run_does_not_pause():
    run = live_run(epochs=500)
    run.idle_pause_seconds = 0.5
    run.start()
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        assert run.snapshot().status == "running"
        time.sleep(0.1)
    run.stop()
    run.wait()


@pytest.mark.parametrize("value, seconds", [("2.5", 2.5), ("soon", IDLE_PAUSE_SECONDS), ("-1", IDLE_PAUSE_SECONDS),
                                            ("0", IDLE_PAUSE_SECONDS), ("nan", IDLE_PAUSE_SECONDS),
                                            ("inf", IDLE_PAUSE_SECONDS)])
def test_the_idle_pause_is_set_from_the_environment(value, seconds, monkeypatch):
    monkeypatch.setenv("RNN_IDLE_PAUSE_SECONDS", value)
    assert idle_pause_seconds() == seconds
    assert live_run().idle_pause_seconds == seconds


# ----------------------------------------------------------------------------- links

HOSTILE_LINK = {"checkpoint": "/etc/passwd", "model": "../../../etc/passwd", "data": "/", "page": "../app.py",
                "file": "file:///etc/shadow", "<script>": "alert(1)", "hidden": "9" * 400, "lr": "nan",
                "points": "²", "task": "../x"}


OPEN_LOGS: list[list[str]] = []  # one per test that watches; an audit hook cannot be removed once added


def _log_open(event: str, args: tuple) -> None:
    if event == "open":
        for log in OPEN_LOGS:
            log.append(str(args[0]))


@pytest.fixture
def opened_files():
    """Paths the process opens while the test runs (an audit hook sees every open())."""
    if not getattr(_log_open, "added", False):
        sys.addaudithook(_log_open)
        _log_open.added = True
    opened: list[str] = []
    OPEN_LOGS.append(opened)
    yield opened
    OPEN_LOGS.remove(opened)


@pytest.mark.parametrize("page", PAGES)
def test_a_hostile_link_is_ignored_and_opens_no_file(page, tmp_path, opened_files):
    # A real checkpoint the link points at: were it loaded, its 12.34% would show.
    bait = save_checkpoint(tmp_path / "bait.pt", digits_checkpoint(),
                           CheckpointMetadata(test_metrics=ClassifierMetrics(accuracy=0.1234)))
    link = {**HOSTILE_LINK, "checkpoint": str(bait), "model": os.path.relpath(bait, REPO)}
    opened_files.clear()  # saving the bait opened it
    plain, linked = open_app(page), open_app(page, link)
    assert not any("bait" in path or "passwd" in path or "shadow" in path for path in opened_files)
    shown = [e.value for e in [*linked.markdown, *linked.caption, *linked.error, *linked.warning, *linked.code]]
    assert not any("12.34%" in text for text in shown)
    assert [r.options for r in linked.radio] == [r.options for r in plain.radio]
    assert linked.title[0].value == plain.title[0].value
    if page == "app_pages/waves.py":  # the one page that reads its link: each bad value is noted
        notes = linked.code[0].value
        assert all(f"{name}=" in notes for name in link)
        assert linked.session_state["waves_trainer"].config == plain.session_state["waves_trainer"].config
    else:
        assert not linked.warning and not linked.error


def test_only_the_wave_page_reads_the_link():
    readers = [p.relative_to(REPO).as_posix() for p in [REPO / "app.py", *REPO.glob("app_pages/*.py"),
                                                          *REPO.glob("ui/*.py")]
               if "query_params" in p.read_text()]
    assert sorted(readers) == ["app_pages/waves.py", "ui/i18n.py", "ui/wave_settings.py"]
    # ui/i18n.py reads and writes its one parameter, the language, and nothing else of the link
    uses = re.findall(r"st\.query_params\S*", (REPO / "ui" / "i18n.py").read_text())
    assert uses and all(use.startswith(("st.query_params.get(QUERY_PARAM)", "st.query_params[QUERY_PARAM]"))
                        for use in uses), uses


def test_empty_padded_or_miscased_link_values():
    at = open_app("app_pages/waves.py", {"hidden": "", "speed": " 7 ", "cell": "GRU"})
    notes = at.code[0].value
    assert "hidden=''" in notes and "cell='GRU'" in notes and "speed" not in notes
    assert at.slider(key="waves_speed").value == 7


# ----------------------------------------------------------------------------- no user text as HTML

def test_raw_html_is_used_once_and_only_with_numbers():
    """unsafe_allow_html appears once, on the digit page's answer, and formats only numbers into it (the
    confidence through its message in the visitor's language, escaped)."""
    sources = [REPO / "app.py", *REPO.glob("app_pages/*.py"), *REPO.glob("ui/*.py")]
    raw = []
    for path in sources:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                assert name not in ("st.html", "components.html", "st.components.v1.html"), f"{path}: {name}"
                if any(k.arg == "unsafe_allow_html" for k in node.keywords):
                    raw.append((path.name, node))
    assert [name for name, _ in raw] == ["digits.py"]
    values = {ast.unparse(v.value) for part in ast.walk(raw[0][1].args[0]) if isinstance(part, ast.JoinedStr)
              for v in part.values if isinstance(v, ast.FormattedValue)}
    assert values == {"color", "reading.digit", "confidence"}
    source = (REPO / "app_pages" / "digits.py").read_text()  # the one message in it: a number, escaped
    assert 'confidence = html.escape(_("{percent}% sure").format(percent=shown))' in source
