"""The wave page under streamlit.testing: it renders, every control works, the link holds the setup.

`run_every` never fires under AppTest: each at.run() runs the live fragment once, so while playing every
run is one tick (`speed` optimizer steps).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import pytest
from streamlit.testing.v1 import AppTest

import torch

from rnn_core.waves.trainer import HEALTH_WINDOW, WaveTrainer, WaveTrainerConfig

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "waves.py")


def open_page(query_params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update(query_params or {})
    at.run()
    assert not at.exception
    return at


def trainer(at: AppTest):
    return at.session_state["waves_trainer"]


def status(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Step"))


def charts(at: AppTest) -> list:
    return list(at.get("vega_lite_chart"))


def panels(at: AppTest) -> list[str]:
    """The titles of the chart panels, in page order (one chart per panel)."""
    return [json.loads(chart.proto.spec)["title"]["text"] for chart in charts(at)]


@pytest.fixture
def playing() -> AppTest:
    at = open_page({"compare": "1"})
    at.button(key="waves_play").click().run()
    assert not at.exception
    return at


def test_renders_with_the_safe_defaults():
    at = open_page()
    assert at.title[0].value.endswith("Wave regressor")
    assert trainer(at).config == WaveTrainerConfig()
    assert status(at) == "**Step 0**"
    assert at.button(key="waves_play").label.endswith("Play")
    assert at.query_params["hidden"] == "32" and at.query_params["length"] == "pi"
    assert at.query_params["clip"] == "1" and at.select_slider(key="waves_clip").value == 1.0
    assert any("What you are seeing" in e.label for e in at.expander)


def test_each_run_while_playing_is_one_tick(playing):
    at = playing
    assert at.button(key="waves_pause").label.endswith("Pause")
    assert trainer(at).step_count == 5  # the run that followed the click ticked once
    at.run()
    at.run()
    assert trainer(at).step_count == 15
    assert status(at).startswith("**Step 15**")
    assert len(panels(at)) == 6  # window, loss, gradient norm, stream, hidden state, carry vs reset
    assert panels(at)[0] == "Current window" and panels(at)[2].startswith("Gradient norm")
    assert at.session_state["waves_comparison"].step_count == 15  # the pair trains in the same ticks


def test_pause_stops_training(playing):
    at = playing
    at.button(key="waves_pause").click().run()
    steps = trainer(at).step_count
    at.run()
    at.run()
    assert trainer(at).step_count == steps and at.button(key="waves_play").label.endswith("Play")


def test_speed_sets_steps_per_tick(playing):
    at = playing
    at.slider(key="waves_speed").set_value(2).run()
    before = trainer(at).step_count
    at.run()
    assert trainer(at).step_count == before + 2


def test_one_step_and_reset():
    at = open_page({"compare": "1"})
    at.button(key="waves_step").click().run()
    assert trainer(at).step_count == 1 and len(panels(at)) == 6
    at.button(key="waves_step").click().run()
    assert trainer(at).step_count == 2
    at.button(key="waves_reset").click().run()
    assert trainer(at).step_count == 0 and at.session_state["waves_comparison"].step_count == 0
    assert status(at) == "**Step 0**"
    # Before the first step: the wave to learn and empty curves, not a blank half page (and no pair yet).
    assert panels(at) == ["Current window", "Loss (MSE, log scale)", "Gradient norm (log)",
                          "Recent stream (grey lines: where each window begins)",
                          "Hidden state over time (one row per unit; red +1, white 0, blue -1)"]
    window, loss, gradient = charts(at)[:3]
    assert {row["series"] for row in dataset(window, "lines")} == {"input", "cos (target)"}  # no prediction yet
    assert dataset(loss, "lines") == [] and dataset(gradient, "lines") == []


@pytest.mark.parametrize("widget, value, field, expected", [
    ("radio", "lstm", "cell", "lstm"),
    ("select_slider", 64, "hidden_size", 64),
    ("slider", 20, "points", 20),
    ("select_slider", "2pi", "window_length", 2 * 3.141592653589793),
])
def test_model_settings_start_a_new_model(playing, widget, value, field, expected):
    at = playing
    before = trainer(at)
    name = {"cell": "cell", "hidden_size": "hidden", "points": "points", "window_length": "length"}[field]
    getattr(at, widget)(key=f"waves_{name}").set_value(value).run()
    assert not at.exception
    assert trainer(at) is not before
    assert getattr(trainer(at).config, field) == pytest.approx(expected)
    assert trainer(at).step_count == 5  # fresh, and the run ticked once
    assert at.query_params[name] == str(value)


def test_learning_rate_keeps_the_model(playing):
    at = playing
    before, model = trainer(at), trainer(at).model
    at.select_slider(key="waves_lr").set_value(0.005).run()
    assert trainer(at) is before and trainer(at).model is model and trainer(at).step_count == 10
    assert trainer(at).optimizer.param_groups[0]["lr"] == 0.005
    comparison = at.session_state["waves_comparison"]
    assert comparison.carrying.optimizer.param_groups[0]["lr"] == 0.005
    assert at.query_params["lr"] == "0.005"


def test_carry_toggle_applies_live(playing):
    at = playing
    before = trainer(at)
    at.toggle(key="waves_carry").set_value(False).run()
    assert trainer(at) is before and not before.config.carry_state and before.step_count == 10
    assert at.query_params["carry"] == "0"


def test_comparison_toggle():
    at = open_page()
    assert at.session_state["waves_comparison"] is None  # off by default: it trains two more models
    at.button(key="waves_step").click().run()
    assert len(panels(at)) == 5
    at.toggle(key="waves_compare").set_value(True).run()
    assert at.session_state["waves_comparison"].step_count == 0  # a fresh pair
    at.button(key="waves_step").click().run()
    assert "Carry vs reset" in panels(at)[-1] and at.session_state["waves_comparison"].step_count == 1
    assert any(m.value.startswith("**Carry vs reset**") for m in at.markdown)
    at.toggle(key="waves_compare").set_value(False).run()
    assert at.session_state["waves_comparison"] is None and len(panels(at)) == 5


def test_next_step_task_brings_its_defaults_and_generation():
    at = open_page()
    at.radio(key="waves_task").set_value("next_step").run()
    assert not at.exception
    assert trainer(at).config == WaveTrainerConfig.for_task("next_step")
    assert at.select_slider(key="waves_feedback").value == 0.0
    at.select_slider(key="waves_feedback").set_value(0.2).run()
    assert trainer(at).config.feedback == 0.2
    at.button(key="waves_step").click().run()
    assert "Free-running" in panels(at)[-1]
    at.radio(key="waves_task").set_value("sin_to_cos").run()
    assert trainer(at).config == WaveTrainerConfig()


def test_a_link_opens_its_setup():
    at = open_page({"task": "next_step", "cell": "gru", "hidden": "16", "speed": "3", "compare": "1"})
    config = trainer(at).config
    assert (config.task, config.cell, config.hidden_size, config.points) == ("next_step", "gru", 16, 50)
    assert at.slider(key="waves_speed").value == 3 and at.toggle(key="waves_compare").value
    assert at.session_state["waves_comparison"].carrying.config.cell == "gru"
    assert not at.warning


def test_a_malformed_link_is_noted_not_fatal():
    at = open_page({"hidden": "lots", "lr": "<script>", "cell": "lstm"})
    assert trainer(at).config.cell == "lstm" and trainer(at).config.hidden_size == 32
    assert at.warning and "not understood" in at.warning[0].value
    assert "hidden='lots'" in at.code[0].value and "<script>" in at.code[0].value
    assert at.query_params["hidden"] == "32"  # the link now holds what is really used


def test_the_charts_specs_stay_the_same_while_playing_only_their_data_moves(playing):
    """A chart whose spec is unchanged is updated in place by the browser; a new spec redraws it from blank."""
    at = playing
    before = [(chart.proto.spec, [d.data.data for d in chart.proto.datasets]) for chart in charts(at)]
    at.run()
    after = [(chart.proto.spec, [d.data.data for d in chart.proto.datasets]) for chart in charts(at)]
    assert [spec for spec, _ in after] == [spec for spec, _ in before]
    assert after[0][1] != before[0][1]  # the current window moved on


def test_a_diverged_model_leaves_gaps_in_the_charts_not_errors(playing):
    at = playing
    record = trainer(at).recent[-1]
    record.predictions[:] = float("nan")
    trainer(at).losses.append(float("inf"))
    at.run()
    assert not at.exception and panels(at)[0] == "Current window"


# ----------------------------------------------------------------------------- gradients and collapse

def chart(at: AppTest, title_start: str):
    return next(c for c in charts(at) if json.loads(c.proto.spec)["title"]["text"].startswith(title_start))


def dataset(chart_element, name: str) -> list[dict]:
    """A named dataset of a drawn chart, as rows."""
    import pyarrow as pa

    for data in chart_element.proto.datasets:
        if data.name == name:
            return pa.ipc.open_stream(data.data.data).read_all().to_pylist()
    raise KeyError(name)


def test_the_gradient_chart_shows_the_norms_and_the_clipping_threshold(playing):
    at = playing
    gradient = chart(at, "Gradient norm")
    norms = [row["y"] for row in dataset(gradient, "lines")]
    assert len(norms) == 5 and norms == pytest.approx(list(trainer(at).grad_norms))
    assert dataset(gradient, "rules") == [{"y": 1.0}]
    assert any("clipped at 1 in" in c.value and "of the last 5 steps" in c.value for c in at.caption)


def test_clip_control_applies_live_keeps_the_model_and_the_chart(playing):
    at = playing
    before, spec = trainer(at), chart(at, "Gradient norm").proto.spec
    at.select_slider(key="waves_clip").set_value(0.0).run()
    assert not at.exception
    assert trainer(at) is before and before.config.grad_clip is None and before.step_count == 10
    assert at.session_state["waves_comparison"].carrying.config.grad_clip is None
    assert at.query_params["clip"] == "off" and any(c.value.endswith("no clipping") for c in at.caption)
    gradient = chart(at, "Gradient norm")
    assert gradient.proto.spec == spec and dataset(gradient, "rules") == []  # the threshold is data, not spec
    at.select_slider(key="waves_clip").set_value(0.1).run()
    assert before.config.grad_clip == 0.1 and at.query_params["clip"] == "0.1"
    assert dataset(chart(at, "Gradient norm"), "rules") == [{"y": 0.1}]


def test_a_link_can_turn_clipping_off_and_a_bad_one_is_noted():
    at = open_page({"clip": "off"})
    assert trainer(at).config.grad_clip is None and at.select_slider(key="waves_clip").value == 0.0
    at = open_page({"clip": "3"})
    assert trainer(at).config.grad_clip == 1.0 and "clip='3': not one of off, 0.1, 1, 10" in at.code[0].value


def test_the_tutorial_setup_and_the_safe_defaults_are_one_click_away():
    at = open_page({"task": "next_step"})
    at.button(key="waves_tutorial_setup").click().run()
    assert not at.exception
    assert trainer(at).config == WaveTrainerConfig.tutorial_setup()
    assert at.query_params["clip"] == "off" and at.query_params["lr"] == "0.02"
    at.button(key="waves_safe_setup").click().run()
    assert trainer(at).config == WaveTrainerConfig()


def collapsed_trainer() -> WaveTrainer:
    """The page's model after a collapse: every hidden unit pinned, the loss stuck near a flat line."""
    trainer = WaveTrainer(WaveTrainerConfig(lr=1e-6))
    with torch.no_grad():
        trainer.model.rnn.weight_hh_l0.fill_(4.0)
        trainer.model.rnn.weight_ih_l0.fill_(4.0)
    trainer.step(HEALTH_WINDOW)
    assert trainer.health().kind == "saturated"
    return trainer


def test_a_collapsed_model_gets_an_explanation_outside_the_charts():
    at = open_page()
    at.button(key="waves_step").click().run()
    specs = [c.proto.spec for c in charts(at)]
    assert not at.error
    at.session_state["waves_trainer"] = collapsed_trainer()
    at.run()
    assert not at.exception
    message = at.error[0].value
    assert "collapsed" in message and "pinned at +1 or -1" in message and "**Clip gradients**" not in message
    assert "times its usual size" in message and "near step" in message
    assert "lower clipping threshold" in message and "**Reset**" in message and "**LSTM**" in message
    assert [c.proto.spec for c in charts(at)] == specs  # the message is outside the charts; they stay put
    at.button(key="waves_reset").click().run()
    assert not at.error


def test_without_clipping_the_message_suggests_it():
    at = open_page({"clip": "off"})
    collapsed = collapsed_trainer()
    collapsed.set_grad_clip(None)
    at.session_state["waves_trainer"] = collapsed
    at.run()
    assert "**Clip gradients**" in at.error[0].value


def test_a_non_finite_loss_pauses_with_a_message_and_reset_recovers(playing):
    at = playing
    with torch.no_grad():
        trainer(at).model.head.weight.fill_(float("nan"))
    at.run()
    assert not at.exception
    assert trainer(at).diverged_at == 6 and trainer(at).step_count == 5
    assert at.button(key="waves_play").label.endswith("Play")  # paused by itself
    assert "no longer a number" in at.error[0].value
    assert all("nan" not in str(row).lower() for c in charts(at) for d in c.proto.datasets for row in [d.data.data])
    at.button(key="waves_reset").click().run()
    assert not at.error and trainer(at).diverged_at is None
    at.button(key="waves_play").click().run()
    assert trainer(at).step_count == 5 and all(map(np.isfinite, trainer(at).losses))
