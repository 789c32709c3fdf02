"""Many visitors, one server: each visitor's work stays theirs, and the shared pretrained models never change.

AppTest runs every page in this process, so its st.cache_resource is the one the shipped models live in:
several AppTest instances are several visitors of one server.
"""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import ui.resources
from harness.server import APP_PATH
from harness.tiny_data import write_tiny_mnist
from rnn_core.checkpoints import weights_digest
from rnn_core.digits.preprocess import canvas_from_strokes
from harness.canvas import canvas_state

VISITORS = 6
STROKE_WIDTH = 28
STROKES = {  # one drawing per visitor, as points on the 280x280 canvas
    "one": [[(140, 40), (140, 240)]],
    "bar": [[(40, 140), (240, 140)]],
    "seven": [[(60, 50), (220, 50), (120, 240)]],
}


def visitor() -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=60).run()
    assert not at.exception
    return at


def shared_models() -> dict[str, object]:
    models = {f"digits {label}": loaded.checkpoint.model for label, loaded in ui.resources.digit_models().items()}
    models["names"] = ui.resources.names_model().checkpoint.model
    return models


def use_every_page(at: AppTest, n: int) -> None:
    """What a busy visitor does: draws with each model, teaches a drawing, types names, trains waves."""
    at.switch_page("app_pages/digits.py").run()
    strokes = list(STROKES.values())[n % len(STROKES)]
    at.session_state["digits_canvas_0"] = canvas_state(canvas_from_strokes(strokes, STROKE_WIDTH))
    at.run()
    for label in ui.resources.DIGIT_CHECKPOINTS:
        at.radio(key="digits_model").set_value(label).run()
    next(s for s in at.selectbox if s.label == "This drawing is a").set_value(n % 10).run()
    next(b for b in at.button if b.label == "Add this drawing").click().run()
    next(b for b in at.button if b.label.startswith("Fine-tune a copy of")).click().run()

    at.switch_page("app_pages/names.py").run()
    for name in ("Nakamura", "Kowalski", "O'Neill"):
        at.text_input(key="names_text").input(name).run()
    at.text_area(key="names_batch_text").input("Smith\nRossi\nDubois").run()

    at.switch_page("app_pages/waves.py").run()
    at.button(key="waves_play").click().run()
    for _ in range(3):
        at.run()  # each run is one tick of training while playing
    assert not at.exception


@pytest.mark.slow  # many visitors, each fine-tuning a model
def test_many_visitors_leave_the_shared_models_untouched(monkeypatch, tmp_path):
    monkeypatch.setenv("RNN_DATA_DIR", str(tmp_path / "no-data"))  # fine-tuning on drawings alone: fast
    monkeypatch.setattr("rnn_core.digits.data.MNIST.mirrors", [])
    visitor()  # loads the shared models into the process-wide cache
    models = shared_models()
    before = {name: weights_digest(model) for name, model in models.items()}

    visitors = [visitor() for _ in range(VISITORS)]
    for n, at in enumerate(visitors):
        use_every_page(at, n)

    after = shared_models()
    assert all(after[name] is models[name] for name in models)  # the visitors used these very objects
    assert {name: weights_digest(model) for name, model in after.items()} == before
    assert all(not model.training for model in after.values())
    # Each visitor's fine-tuned copy is their own, and differs from the shared model.
    tuned = [next(checkpoint.model for label, checkpoint in at.session_state["session_models"]["row_classifier"].items()
                  if "your 1 drawing" in label) for at in visitors]
    assert len({id(model) for model in tuned}) == VISITORS
    assert all(weights_digest(model) not in before.values() for model in tuned)


def test_one_visitors_wave_training_reset_and_settings_leave_anothers_alone():
    first, second = visitor(), visitor()
    for at in (first, second):
        at.switch_page("app_pages/waves.py").run()
    second.button(key="waves_play").click().run()
    second.run()
    theirs = second.session_state["waves_trainer"]
    steps, config = theirs.step_count, theirs.config
    assert steps > 0

    first.radio(key="waves_cell").set_value("gru").run()  # a setting that starts a new model
    first.select_slider(key="waves_lr").set_value(0.1).run()
    first.button(key="waves_play").click().run()
    first.run()
    first.button(key="waves_reset").click().run()
    assert first.session_state["waves_trainer"].config.cell == "gru"

    assert second.session_state["waves_trainer"] is theirs
    assert theirs.step_count == steps and theirs.config == config
    assert second.radio(key="waves_cell").value == config.cell
    second.run()  # still playing: their training goes on from where it was
    assert theirs.step_count > steps and not second.exception


def test_a_model_trained_by_one_visitor_is_not_offered_to_another(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_DATA_DIR", str(write_tiny_mnist(tmp_path / "data", train=400, test=100)))
    trainer, other = visitor(), visitor()
    trainer.switch_page("app_pages/train.py").run()
    next(s for s in trainer.select_slider if s.label == "Epochs").set_value(1)
    next(b for b in trainer.button if b.label == "Train").click().run()
    trainer.session_state["live_run"].wait(timeout=60)
    trainer.run()
    assert any(label.startswith("Yours") for label in trainer.session_state["session_models"]["row_classifier"])

    other.switch_page("app_pages/digits.py").run()
    offered = [option for radio in other.radio for option in radio.options]
    assert not any(str(option).startswith("Yours") for option in offered)
    assert not other.exception
