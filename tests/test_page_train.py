"""The training page: a short run on tiny data advances the progress and the curves; stop keeps the model."""
import time

import pytest
from streamlit.testing.v1 import AppTest

from harness.server import APP_PATH
from harness.tiny_data import write_tiny_mnist


@pytest.fixture
def train_page(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("RNN_DATA_DIR", str(write_tiny_mnist(tmp_path / "data", train=4000, test=200)))
    at = AppTest.from_file(APP_PATH, default_timeout=60).run()
    at.switch_page("app_pages/train.py").run()
    assert not at.exception
    return at


def progress_text(at: AppTest) -> str:
    return at.get("progress")[0].proto.text


def test_training_advances_and_stop_keeps_a_usable_model(train_page):
    at = train_page
    # 20 epochs of 250 batches: long enough to catch it running, however fast the machine.
    next(s for s in at.select_slider if s.label == "Epochs").set_value(20)
    next(s for s in at.select_slider if s.label == "Batch size").set_value(16)
    next(b for b in at.button if b.label == "Train").click().run()
    assert not at.exception
    first = progress_text(at)
    time.sleep(0.5)
    at.run()  # each run ticks the live view once
    second = progress_text(at)
    assert "running" in second and first != second
    live = at.session_state["live_run"].snapshot()
    assert live.step > 0 and live.losses and len(live.accuracies) >= 1

    next(b for b in at.button if b.label == "Stop").click().run()
    at.run()
    assert not at.exception
    assert "stopped" in progress_text(at)
    assert any("Pick it on the Draw a digit page" in s.value for s in at.success)
    assert any(label.startswith("Yours · LSTM") for label in at.session_state["session_models"]["row_classifier"])
    assert any(b.label == "Download checkpoint" for b in at.get("download_button"))


def test_missing_data_gets_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setattr("rnn_core.digits.data.MNIST.mirrors", [])  # never reach for the network here
    at = AppTest.from_file(APP_PATH, default_timeout=60).run()
    at.switch_page("app_pages/train.py").run()
    next(b for b in at.button if b.label == "Train").click().run()
    assert not at.exception
    assert any("MNIST is not in" in e.value for e in at.error)



def test_a_names_model_trained_here_can_be_picked_on_the_names_page(tmp_path, monkeypatch):
    from harness.tiny_data import write_tiny_names

    monkeypatch.setenv("RNN_DATA_DIR", str(write_tiny_names(tmp_path / "data")))
    at = AppTest.from_file(APP_PATH, default_timeout=60).run()
    at.switch_page("app_pages/train.py").run()
    at.radio[0].set_value("Names (18 languages)")
    next(s for s in at.select_slider if s.label == "Epochs").set_value(20)
    next(b for b in at.button if b.label == "Train").click().run()
    at.session_state["live_run"].wait(timeout=60)  # 20 tiny epochs: a second or two
    at.run()
    assert not at.exception and "finished" in progress_text(at)
    assert any("Pick it on the Name classifier page" in s.value for s in at.success)

    at.switch_page("app_pages/names.py").run()
    picker = at.radio(key="names_model")
    assert picker.options[0] == "Shipped BiGRU ensemble" and picker.options[1].startswith("Yours · LSTM")
    picker.set_value(picker.options[1]).run()
    assert not at.exception
    assert at.text_input(key="names_text").value  # the page answers with the visitor's own model


def test_the_page_says_how_long_a_run_will_take_before_it_starts(train_page):
    at = train_page
    estimate = next(c.value for c in at.caption if c.value.startswith("This run:"))
    assert "315 optimizer steps" in estimate and "on this server" in estimate  # 63 batches of 64, 5 epochs
    next(s for s in at.select_slider if s.label == "Epochs").set_value(10).run()
    assert any("630 optimizer steps" in c.value for c in at.caption)
    assert "live_run" not in at.session_state  # nothing trains before Train is pressed
