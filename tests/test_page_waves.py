"""The wave page under streamlit.testing: it renders, every control works, the link holds the setup.

`run_every` never fires under AppTest: each at.run() runs the live fragment once, so while playing every
run is one tick (`speed` optimizer steps).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rnn_core.training import WaveTrainerConfig

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


def test_renders_with_the_seed_defaults():
    at = open_page()
    assert at.title[0].value.endswith("Wave regressor")
    assert trainer(at).config == WaveTrainerConfig()
    assert status(at) == "**Step 0**"
    assert at.button(key="waves_play").label.endswith("Play")
    assert at.query_params["hidden"] == "32" and at.query_params["length"] == "pi"
    assert any("What you are seeing" in e.label for e in at.expander)


def test_each_run_while_playing_is_one_tick(playing):
    at = playing
    assert at.button(key="waves_pause").label.endswith("Pause")
    assert trainer(at).step_count == 5  # the run that followed the click ticked once
    at.run()
    at.run()
    assert trainer(at).step_count == 15
    assert status(at).startswith("**Step 15**")
    assert len(panels(at)) == 5  # window, loss, stream, hidden state, carry vs reset
    assert panels(at)[0] == "Current window"
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
    assert trainer(at).step_count == 1 and len(panels(at)) == 5
    at.button(key="waves_step").click().run()
    assert trainer(at).step_count == 2
    at.button(key="waves_reset").click().run()
    assert trainer(at).step_count == 0 and at.session_state["waves_comparison"].step_count == 0
    assert status(at) == "**Step 0**" and panels(at) == []


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
    assert len(panels(at)) == 4
    at.toggle(key="waves_compare").set_value(True).run()
    assert at.session_state["waves_comparison"].step_count == 0  # a fresh pair
    at.button(key="waves_step").click().run()
    assert "Carry vs reset" in panels(at)[-1] and at.session_state["waves_comparison"].step_count == 1
    assert any(m.value.startswith("**Carry vs reset**") for m in at.markdown)
    at.toggle(key="waves_compare").set_value(False).run()
    assert at.session_state["waves_comparison"] is None and len(panels(at)) == 4


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
