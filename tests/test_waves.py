"""The wave engine: streams, WaveTrainer and CarryComparison (tiny models, CPU, a few steps each)."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
import torch

from rnn_core.waves.data import NextStepSineStream, SinCosStream
from rnn_core.waves.trainer import CarryComparison, WaveTrainer, WaveTrainerConfig, WaveWindowRecord
from ui.wave_charts import hidden_panel, series_rows, thin
from ui.wave_settings import WINDOW_LENGTHS, WaveSettings, settings_from_query_params


def small(**overrides) -> WaveTrainerConfig:
    return replace(WaveTrainerConfig(hidden_size=8), **overrides)


# ----------------------------------------------------------------------------- streams

def test_sin_cos_windows_continue_the_phase():
    stream = SinCosStream(points=10, length=math.pi)
    first, second = stream.window(0), stream.window(1)
    assert first.inputs.shape == first.targets.shape == (1, 10, 1)
    assert second.t[0] == pytest.approx(math.pi, abs=1e-6)  # window 1 starts where window 0 stopped
    np.testing.assert_allclose(first.targets.view(-1).numpy(), np.cos(first.t), atol=1e-6)
    # The tutorial's windows: np.linspace(k * pi, (k + 1) * pi, 10, endpoint=False) in float32
    np.testing.assert_array_equal(second.t, np.linspace(np.pi, 2 * np.pi, 10, dtype=np.float32, endpoint=False))


def test_next_step_targets_are_the_following_samples():
    window = NextStepSineStream(points=50, length=10.0).window(3)
    assert torch.equal(window.inputs[0, 1:], window.targets[0, :-1])
    np.testing.assert_allclose(window.targets.view(-1).numpy(), np.sin(window.t), atol=1e-5)


# ----------------------------------------------------------------------------- trainer

def test_step_counts_and_returned_window():
    trainer = WaveTrainer(small(eval_every=3))
    record = trainer.step(4)
    assert trainer.step_count == 4 and record.step == 4
    assert len(trainer.losses) == 4
    assert record.predictions.shape == record.targets.shape == (10,)
    assert record.hidden.shape == (10, 8)
    assert [step for step, _ in trainer.eval_losses] == [3]
    trainer.step(2)
    assert trainer.step_count == 6 and [step for step, _ in trainer.eval_losses] == [3, 6]
    assert trainer.step(0) is None and trainer.step_count == 6


def test_history_is_bounded():
    trainer = WaveTrainer(small(history=5, recent_windows=3, eval_every=2))
    trainer.step(20)
    steps, losses = trainer.loss_curve()
    assert len(trainer.losses) == 5 and list(steps) == [16, 17, 18, 19, 20]
    assert len(trainer.recent) == 3 and [r.step for r in trainer.recent] == [18, 19, 20]
    assert len(trainer.eval_losses) == 5 // 2 + 1
    stream = trainer.recent_stream()
    assert stream.t.shape == (30,) and stream.hidden.shape == (30, 8)
    assert np.all(np.diff(stream.t) > 0)  # stitched in order


def test_carried_state_is_detached_and_used():
    trainer = WaveTrainer(small())
    trainer.step(3)
    assert trainer.state is not None and not trainer.state.requires_grad
    # The next window from the carried state differs from the same window read from zeros.
    x = trainer.stream.window(trainer.step_count).inputs
    with torch.no_grad():
        carried, _, _ = trainer.model(x, trainer.state)
        fresh, _, _ = trainer.model(x, None)
    assert not torch.allclose(carried, fresh)


def test_carry_vs_reset_same_start_different_memory():
    comparison = CarryComparison(small())
    for a, b in zip(comparison.carrying.model.parameters(), comparison.resetting.model.parameters()):
        assert torch.equal(a, b)  # the same initial weights: only memory differs
    comparison.step(1)
    # The first window starts from zeros for both, so both lose the same.
    assert comparison.carrying.losses[0] == pytest.approx(comparison.resetting.losses[0])
    comparison.step(1)
    assert comparison.carrying.state is not None and comparison.resetting.state is not None
    assert comparison.carrying.losses[1] != pytest.approx(comparison.resetting.losses[1])
    assert comparison.step_count == 2 == comparison.resetting.step_count


def test_reset_state_trainer_ignores_its_state():
    """Starting every window from zeros: two trainers that differ only in a stale state agree."""
    a, b = WaveTrainer(small(carry_state=False)), WaveTrainer(small(carry_state=False))
    b.state = torch.ones(1, 1, 8)
    a.step(2)
    b.step(2)
    assert list(a.losses) == list(b.losses)


def test_reset_restores_the_initial_model():
    trainer = WaveTrainer(small())
    first_losses = list(trainer.step(5) and trainer.losses)
    initial = {k: v.clone() for k, v in WaveTrainer(small()).model.state_dict().items()}
    trainer.reset()
    assert trainer.step_count == 0 and trainer.state is None and not trainer.losses and not trainer.recent
    assert all(torch.equal(initial[k], v) for k, v in trainer.model.state_dict().items())
    trainer.step(5)
    assert list(trainer.losses) == first_losses  # same seed, same stream: the same run again


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_each_cell_carries_its_state(cell):
    trainer = WaveTrainer(small(cell=cell))
    trainer.step(3)
    if cell == "lstm":  # an LSTM carries the pair (h, c), both detached
        h, c = trainer.state
        assert h.shape == c.shape == (1, 1, 8)
        assert not h.requires_grad and not c.requires_grad
    else:
        assert isinstance(trainer.state, torch.Tensor) and trainer.state.shape == (1, 1, 8)
    assert trainer.recent[-1].hidden.shape == (10, 8)


def test_set_lr_keeps_the_model_and_optimizer():
    trainer = WaveTrainer(small())
    trainer.step(3)
    model, optimizer = trainer.model, trainer.optimizer
    weights = {k: v.clone() for k, v in model.state_dict().items()}
    trainer.set_lr(0.001)
    assert trainer.model is model and trainer.optimizer is optimizer and trainer.step_count == 3
    assert all(torch.equal(weights[k], v) for k, v in model.state_dict().items())
    assert optimizer.param_groups[0]["lr"] == 0.001 and trainer.config.lr == 0.001
    assert optimizer.state  # Adam's moments survive


def test_set_carry_state_drops_the_state():
    trainer = WaveTrainer(small())
    trainer.step(2)
    trainer.set_carry_state(False)
    assert trainer.state is None and not trainer.config.carry_state
    trainer.step(1)
    assert trainer.step_count == 3


def test_defaults_clip_and_the_tutorial_setup_is_one_call_away():
    config = WaveTrainerConfig.for_task("sin_to_cos")
    assert (config.cell, config.hidden_size, config.lr, config.points, config.window_length,
            config.carry_state, config.feedback, config.grad_clip) == ("rnn", 32, 0.005, 10, math.pi, True, 0.0, 1.0)
    assert WaveTrainerConfig.tutorial_setup() == replace(config, lr=0.02, grad_clip=None)  # the tutorial's own loop


def test_feedback_windows_and_generation():
    config = replace(WaveTrainerConfig.for_task("next_step"), hidden_size=8, points=20, feedback=0.5)
    trainer = WaveTrainer(config)
    record = trainer.step(2)
    assert record.predictions.shape == (20,) and record.hidden.shape == (20, 8)
    t, generated, truth = trainer.continue_free_running(30)
    assert t.shape == generated.shape == truth.shape == (30,)
    assert t[0] == pytest.approx(record.t[-1] + trainer.stream.dt, abs=1e-5)
    np.testing.assert_allclose(truth, np.sin(t), atol=1e-5)
    assert trainer.step_count == 2  # generating does not train
    t, generated, truth = trainer.free_run(start=1.0, warmup=10, steps=5)
    assert generated.shape == (5,) and t[0] == pytest.approx(1.0 + 10 * trainer.stream.dt, abs=1e-5)


def test_bad_config_is_refused():
    with pytest.raises(ValueError, match="task"):
        WaveTrainer(small(task="cosine"))
    with pytest.raises(ValueError, match="cell"):
        WaveTrainer(small(cell="transformer"))
    with pytest.raises(ValueError):
        WaveTrainer(small(points=1))
    with pytest.raises(ValueError, match="Free-running"):
        WaveTrainer(small()).continue_free_running(3)


# ----------------------------------------------------------------------------- page helpers

def test_thin_keeps_short_curves_and_averages_long_ones():
    steps, values = np.arange(10), np.arange(10.0)
    assert thin(steps, values)[1] is values
    steps, values = np.arange(3000), np.ones(3000)
    thin_steps, thin_values = thin(steps, values)
    assert len(thin_values) == 300 and np.allclose(thin_values, 1.0)
    assert thin_steps[0] == pytest.approx(4.5) and np.all(np.diff(thin_steps) > 0)


def test_series_rows_keep_each_point_with_its_series_and_leave_out_what_cannot_be_drawn():
    rows = series_rows(("a", np.array([0, 1, 2]), np.array([1.0, np.nan, -3.0])),
                       ("b", np.array([5.0, np.inf]), np.array([2.0, 2.0]))).to_pylist()
    assert rows == [{"x": 0.0, "y": 1.0, "series": "a"}, {"x": 2.0, "y": -3.0, "series": "a"},
                    {"x": 5.0, "y": 2.0, "series": "b"}]
    on_a_log_scale = series_rows(("a", np.arange(3), np.array([1.0, 0.0, -3.0])), positive=True)
    assert on_a_log_scale.to_pylist() == [{"x": 0.0, "y": 1.0, "series": "a"}]


def test_the_hidden_heatmap_has_one_cell_per_point_and_unit_in_its_place():
    hidden = np.arange(12, dtype=np.float32).reshape(4, 3) / 10  # (T, H)
    hidden[2, 1] = np.nan
    t = np.arange(4.0)
    record = WaveWindowRecord(step=1, loss=0.1, t=t, inputs=t, targets=t, predictions=t, hidden=hidden)
    cells = hidden_panel(record).rows.to_pylist()
    assert len(cells) == 12
    by_place = {(cell["x"], cell["unit"]): cell["value"] for cell in cells}
    assert by_place[(3, 0)] == pytest.approx(0.9) and by_place[(0, 2)] == pytest.approx(0.2)
    assert by_place[(2, 1)] == 0.0  # a diverged unit is drawn white, not left out


@pytest.mark.parametrize("clip", [0.0, 0.1, 10.0])
def test_settings_round_trip_through_the_url(clip):
    settings = WaveSettings(task="next_step", cell="gru", hidden=64, lr=0.005, points=40, length="10",
                            carry=False, feedback=0.3, speed=7, compare=False, clip=clip)
    parsed, notes = settings_from_query_params(settings.to_query_params())
    assert parsed == settings and notes == []


def test_clipping_in_the_url():
    assert WaveSettings(clip=0.0).to_query_params()["clip"] == "off"
    assert WaveSettings().to_query_params()["clip"] == "1"
    settings, notes = settings_from_query_params({"clip": "off"})
    assert notes == [] and settings.trainer_config().grad_clip is None
    assert settings.trainer_config() == replace(WaveTrainerConfig(), grad_clip=None)
    for bad in ("0", "3", "none", "-1", "1e999", "<b>1</b>"):
        settings, notes = settings_from_query_params({"clip": bad})
        assert settings.clip == 1.0 and notes == [f"clip={bad!r}: not one of off, 0.1, 1, 10"]


def test_the_tutorial_setup_settings():
    tutorial = WaveSettings.tutorial_setup()
    assert tutorial.trainer_config() == WaveTrainerConfig.tutorial_setup()
    assert (tutorial.lr, tutorial.clip) == (0.02, 0.0)


def test_default_settings_give_the_default_config():
    config = WaveSettings().trainer_config()
    assert config == WaveTrainerConfig()
    assert WINDOW_LENGTHS[WaveSettings().length] == math.pi


def test_malformed_url_params_are_noted_and_ignored():
    settings, notes = settings_from_query_params(
        {"hidden": "abc", "lr": "0.02", "points": "9999", "carry": "yes", "bogus": "1", "cell": "<b>lstm</b>",
         "speed": ["3", "8"]})
    assert settings == WaveSettings(speed=8, lr=0.02)
    assert len(notes) == 5 and any(note.startswith("bogus=") for note in notes)


def test_task_in_url_brings_the_task_defaults():
    settings, notes = settings_from_query_params({"task": "next_step", "hidden": "16"})
    assert notes == [] and settings.hidden == 16 and settings.points == 50 and settings.length == "10"
    assert settings.trainer_config() == replace(WaveTrainerConfig.for_task("next_step"), hidden_size=16)
