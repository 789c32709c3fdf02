"""The wave trainer's gradient story: recorded norms, clipping, collapse detection, non-finite steps, seeding."""
from __future__ import annotations

import math
import threading
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from rnn_core.waves.trainer import HEALTH_WINDOW, CarryComparison, WaveTrainer, WaveTrainerConfig


def small(**overrides) -> WaveTrainerConfig:
    return replace(WaveTrainerConfig(hidden_size=8), **overrides)


def applied_norms(trainer: WaveTrainer) -> list[float]:
    """The gradient norm each optimizer step really uses: read just before Adam steps."""
    seen: list[float] = []
    trainer.optimizer.register_step_pre_hook(lambda optimizer, args, kwargs: seen.append(
        torch.nn.utils.get_total_norm([p.grad for p in trainer.model.parameters()]).item()))
    return seen


def test_the_recorded_norm_is_the_gradient_norm_before_clipping():
    trainer = WaveTrainer(small(grad_clip=None))
    twin = WaveTrainer(small(grad_clip=None))
    for _ in range(3):
        # By hand on the twin: the same window, the same state, the whole gradient's norm.
        window = twin.stream.window(twin.step_count)
        prediction, _, state = twin.model(window.inputs, twin.state)
        loss = F.mse_loss(prediction, window.targets)
        twin.optimizer.zero_grad()
        loss.backward()
        expected = math.sqrt(sum(float((p.grad ** 2).sum()) for p in twin.model.parameters()))
        twin.optimizer.step()
        twin.state, twin.step_count = state.detach(), twin.step_count + 1
        trainer.step(1)
        assert trainer.grad_norms[-1] == pytest.approx(expected, rel=1e-5)
    steps, norms = trainer.grad_norm_curve()
    assert list(steps) == [1, 2, 3] and np.allclose(norms, list(trainer.grad_norms))
    assert list(trainer.clipped) == [False] * 3 and trainer.clipped_share() == 0.0


def test_clipping_caps_the_applied_norm():
    trainer = WaveTrainer(small(grad_clip=0.01))
    applied = applied_norms(trainer)
    trainer.step(30)
    recorded = np.array(trainer.grad_norms)
    assert np.all(np.array(applied) <= 0.01 * (1 + 1e-4))  # what Adam saw never exceeded the threshold
    assert recorded.max() > 0.01  # while the gradients themselves did
    assert list(trainer.clipped) == list(recorded > 0.01)
    assert trainer.clipped_share() == pytest.approx(np.mean(recorded > 0.01))
    unclipped = np.array(applied)[recorded <= 0.01]
    assert np.allclose(unclipped, recorded[recorded <= 0.01], rtol=1e-5)  # small ones pass untouched


def test_clipping_can_change_while_training():
    trainer = WaveTrainer(small(grad_clip=None))
    trainer.step(3)
    model, optimizer = trainer.model, trainer.optimizer
    trainer.set_grad_clip(1e-4)
    applied = applied_norms(trainer)
    trainer.step(3)
    assert trainer.model is model and trainer.optimizer is optimizer and trainer.step_count == 6
    assert max(applied) <= 1e-4 * (1 + 1e-4) and all(list(trainer.clipped)[3:])
    with pytest.raises(ValueError, match="positive"):
        trainer.set_grad_clip(0.0)
    assert trainer.config.grad_clip == 1e-4
    comparison = CarryComparison(small())
    comparison.set_grad_clip(None)
    assert comparison.carrying.config.grad_clip is None and comparison.resetting.config.grad_clip is None


def saturate(trainer: WaveTrainer) -> None:
    """Recurrent and input weights so large that every hidden unit sits at +1 or -1 after a point or two."""
    with torch.no_grad():
        trainer.model.rnn.weight_hh_l0.fill_(4.0)
        trainer.model.rnn.weight_ih_l0.fill_(4.0)


def test_collapse_detection_fires_on_a_saturated_model_and_not_on_a_healthy_one():
    healthy = WaveTrainer(small(hidden_size=16))
    healthy.step(HEALTH_WINDOW + 100)
    health = healthy.health()
    assert not health.collapsed and health.kind is None
    assert health.recent_loss < 0.1 and health.pinned_share < 0.5

    collapsed = WaveTrainer(small(hidden_size=16, lr=1e-6))  # too slow to climb back out in the test
    saturate(collapsed)
    collapsed.step(HEALTH_WINDOW)
    health = collapsed.health()
    assert health.collapsed and health.kind == "saturated"
    assert health.pinned_share > 0.9 and health.recent_loss > 0.1
    assert health.peak_norm >= health.typical_norm > 0 and 1 <= health.peak_step <= collapsed.step_count


def test_collapse_needs_a_full_window_of_evidence():
    trainer = WaveTrainer(small(lr=1e-6))
    saturate(trainer)
    trainer.step(HEALTH_WINDOW - 1)  # a fresh model is high and may be pinned for its first steps
    assert not trainer.health().collapsed
    trainer.step(1)
    assert trainer.health().kind == "saturated"


def test_a_loss_stuck_high_after_having_been_low_is_a_collapse():
    trainer = WaveTrainer(small())
    trainer.step(HEALTH_WINDOW)
    assert trainer.health().kind is None
    trainer.best_loss = 1e-4  # it had learned ...
    trainer.losses.extend([0.4] * HEALTH_WINDOW)  # ... and is now stuck near a flat line
    health = trainer.health()
    assert health.kind == "stuck" and health.pinned_share < 0.9


def test_the_best_loss_is_the_lowest_complete_window():
    trainer = WaveTrainer(small())
    assert trainer.health().best_loss == math.inf
    trainer.step(2 * HEALTH_WINDOW)
    blocks = np.array(trainer.losses)[-2 * HEALTH_WINDOW:].reshape(2, -1).mean(1)
    assert trainer.best_loss == pytest.approx(blocks.min())


def test_a_non_finite_loss_stops_training_and_reset_makes_it_usable_again():
    trainer = WaveTrainer(small())
    trainer.step(5)
    losses = list(trainer.losses)
    with torch.no_grad():
        trainer.model.head.weight[0, 0] = float("nan")
    assert trainer.step(3) is None  # nothing trained
    assert trainer.diverged_at == 6 and trainer.step_count == 5 and trainer.state is None
    assert list(trainer.losses) == losses and all(map(math.isfinite, trainer.grad_norms))
    assert trainer.health().kind == "non_finite"
    trainer.step(10)
    assert trainer.step_count == 5  # it stays stopped until reset
    trainer.reset()
    assert trainer.diverged_at is None and trainer.health().kind is None
    trainer.step(10)
    assert trainer.step_count == 10 and all(map(math.isfinite, trainer.losses))
    assert all(torch.isfinite(p).all() for p in trainer.model.parameters())


def test_an_infinite_gradient_is_not_applied():
    trainer = WaveTrainer(small(grad_clip=None))
    trainer.step(2)
    weights = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    trainer.model.head.bias.register_hook(lambda grad: grad * float("inf"))
    trainer.step(1)
    assert trainer.diverged_at == 3 and trainer.step_count == 2
    assert all(torch.equal(weights[k], v) for k, v in trainer.model.state_dict().items())


def test_the_weights_come_from_the_trainer_seed_alone():
    torch.manual_seed(0)
    a = WaveTrainer(small(seed=3))
    torch.manual_seed(12345)
    b = WaveTrainer(small(seed=3))
    assert all(torch.equal(x, y) for x, y in zip(a.model.parameters(), b.model.parameters()))
    # the same numbers PyTorch's own init draws after torch.manual_seed(seed): the tutorial loop's model
    torch.manual_seed(3)
    reference = type(a.model)(a.model.config)
    assert all(torch.equal(x, y) for x, y in zip(reference.parameters(), a.model.parameters()))


def test_trainers_in_threads_do_not_disturb_each_other():
    expected = WaveTrainer(small(seed=2))
    expected.step(20)
    results: list[list[float]] = []

    def train() -> None:
        trainer = WaveTrainer(small(seed=2))
        for _ in range(20):
            trainer.step(1)
            torch.manual_seed(len(results))  # someone else reseeding the process meanwhile changes nothing
        results.append(list(trainer.losses))

    threads = [threading.Thread(target=train) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [list(expected.losses)] * 3


def test_the_spike_behind_a_collapse_is_remembered_after_it_leaves_the_history():
    trainer = WaveTrainer(small(hidden_size=16, lr=1e-6, history=HEALTH_WINDOW + 50))
    saturate(trainer)
    trainer.step(HEALTH_WINDOW)
    first = trainer.health()
    assert first.kind == "saturated"
    trainer.grad_norms.extend([1e-3] * trainer.config.history)  # the spike scrolls out of the kept history
    later = trainer.health()
    assert later.collapsed
    assert (later.peak_norm, later.peak_step, later.typical_norm) == (first.peak_norm, first.peak_step,
                                                                       first.typical_norm)
    trainer.reset()
    assert trainer.health().peak_norm == 0.0 and not trainer.health().collapsed
