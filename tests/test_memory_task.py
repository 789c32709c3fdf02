"""The recall task behind "Why gates remember": its data, the per-step gradient norms, clipping, the curves."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from rnn_core.memory.data import ANSWER, CHANCE, INPUTS, LEAD_IN, REMEMBER, SYMBOLS, MemoryTaskConfig, recall_batch
from rnn_core.memory.trainer import (LEARNT_ACCURACY, CoarseningCurve, MemoryComparison, MemoryTrainer,
                                    gradient_growth)
from rnn_core.memory.model import build_model

TINY = MemoryTaskConfig(distance=7, hidden_size=5, batch_size=3)


def test_a_batch_holds_noise_the_symbol_noise_and_the_question_t_steps_later():
    inputs, labels = recall_batch(torch.Generator().manual_seed(0), 16, 9, noise=0.5)
    assert inputs.shape == (16, LEAD_IN + 9, INPUTS) and labels.shape == (16,)
    symbol = inputs[:, LEAD_IN]
    assert torch.equal(symbol[:, :SYMBOLS].argmax(1), labels) and torch.all(symbol[:, :SYMBOLS].sum(1) == 1)
    assert torch.all(symbol[:, REMEMBER] == 1) and inputs[:, :, REMEMBER].sum() == 16
    assert torch.all(inputs[:, -1, ANSWER] == 1) and inputs[:, :, ANSWER].sum() == 16
    assert inputs.shape[1] - LEAD_IN == 9  # the question is the 9th step counting the symbol's
    noise = torch.cat([inputs[:, :LEAD_IN, :SYMBOLS], inputs[:, LEAD_IN + 1:, :SYMBOLS]], 1)
    assert noise.std() == pytest.approx(0.5, rel=0.2)  # noise, nothing else
    again, _ = recall_batch(torch.Generator().manual_seed(0), 16, 9, noise=0.5)
    assert torch.equal(inputs, again)  # its own generator: the same seed, the same batch
    assert CHANCE == 1 / SYMBOLS


def by_hand(cell: str, model, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """The model written out step by step in plain tensor operations: logits and every h_t."""
    w_ih, w_hh = model.rnn.weight_ih_l0, model.rnn.weight_hh_l0
    b_ih, b_hh = model.rnn.bias_ih_l0, model.rnn.bias_hh_l0
    batch, hidden = x.shape[0], w_hh.shape[1]
    h, c, states = torch.zeros(batch, hidden), torch.zeros(batch, hidden), []
    for t in range(x.shape[1]):
        a, b = x[:, t] @ w_ih.T + b_ih, h @ w_hh.T + b_hh
        if cell == "rnn":
            h = torch.tanh(a + b)
        elif cell == "lstm":
            i, f, g, o = (a + b).chunk(4, 1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        else:
            a_r, a_z, a_n = a.chunk(3, 1)
            b_r, b_z, b_n = b.chunk(3, 1)
            r, z = torch.sigmoid(a_r + b_r), torch.sigmoid(a_z + b_z)
            h = (1 - z) * torch.tanh(a_n + r * b_n) + z * h
        states.append(h)
    return model.head(h), states


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_the_per_step_gradient_norms_are_what_autograd_gives_by_hand(cell):
    inputs, labels = recall_batch(torch.Generator().manual_seed(1), 3, 7, noise=0.5)  # LEAD_IN + 7 steps
    model = build_model(cell, TINY)
    logits, reaching = model.forward_reaching(inputs)
    parameters = list(model.parameters())
    grads = torch.autograd.grad(F.cross_entropy(logits, labels), parameters + reaching)
    measured = model.reach_norms(list(grads[len(parameters):]))

    hand_logits, states = by_hand(cell, model, inputs)
    hand_loss = F.cross_entropy(hand_logits, labels)
    hand_grads = torch.autograd.grad(hand_loss, parameters + states)
    expected = np.array([g.norm().item() for g in hand_grads[len(parameters):]])
    torch.testing.assert_close(logits, hand_logits, rtol=1e-5, atol=1e-6)
    assert measured.shape == (LEAD_IN + 7,)
    np.testing.assert_allclose(measured, expected, rtol=1e-4)
    for mine, theirs in zip(grads[:len(parameters)], hand_grads[:len(parameters)]):  # and the same weight grads
        torch.testing.assert_close(mine, theirs, rtol=1e-4, atol=1e-7)
    assert model(inputs).allclose(logits, atol=1e-6)  # the fused forward agrees


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_a_measured_step_trains_exactly_like_a_plain_one(cell):
    inputs, labels = recall_batch(torch.Generator().manual_seed(2), 8, 12, noise=0.5)
    measured, plain = MemoryTrainer(cell, replace(TINY, distance=12)), MemoryTrainer(cell, replace(TINY, distance=12))
    for _ in range(3):
        a = measured.train_batch(inputs, labels, measure=True)
        b = plain.train_batch(inputs, labels, measure=False)
        assert a.loss == pytest.approx(b.loss, rel=1e-5) and a.grad_norm == pytest.approx(b.grad_norm, rel=1e-4)
        assert a.reach.shape == (12,) and b.reach is None
    for x, y in zip(measured.model.parameters(), plain.model.parameters()):
        torch.testing.assert_close(x, y, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_clipping_caps_the_applied_norm(cell):
    trainer = MemoryTrainer(cell, replace(TINY, grad_clip=1e-3))
    applied: list[float] = []
    trainer.optimizer.register_step_pre_hook(lambda optimizer, args, kwargs: applied.append(
        torch.nn.utils.get_total_norm([p.grad for p in trainer.model.parameters()]).item()))
    generator = torch.Generator().manual_seed(0)
    recorded = [trainer.train_batch(*recall_batch(generator, 3, 7, 0.5)).grad_norm for _ in range(5)]
    assert max(applied) <= 1e-3 * (1 + 1e-4) < min(recorded)


def test_the_three_cells_share_their_batches_and_their_seed():
    comparison = MemoryComparison(replace(TINY, batch_size=4))
    seen = {cell: [] for cell in comparison.trainers}
    for cell, trainer in comparison.trainers.items():
        original = trainer.train_batch
        trainer.train_batch = (lambda inputs, labels, measure, cell=cell, original=original:
                               seen[cell].append(inputs.clone()) or original(inputs, labels, measure))
    comparison.step(3)
    assert comparison.step_count == 3 and all(t.step_count == 3 for t in comparison.trainers.values())
    for cell in ("lstm", "gru"):
        assert all(torch.equal(a, b) for a, b in zip(seen["rnn"], seen[cell]))
    assert not torch.equal(seen["rnn"][0], seen["rnn"][1])  # a new batch every step
    again = MemoryComparison(replace(TINY, batch_size=4))  # the same seed: the same run
    again.step(3)
    for cell in comparison.trainers:
        assert comparison.trainers[cell].last.loss == again.trainers[cell].last.loss
    comparison.reset()
    assert comparison.step_count == 0 and all(t.step_count == 0 for t in comparison.trainers.values())


def test_the_models_come_from_the_seed_alone_with_the_gates_open():
    torch.manual_seed(0)
    a = build_model("lstm", TINY)
    torch.manual_seed(99)
    b = build_model("lstm", TINY)
    assert all(torch.equal(x, y) for x, y in zip(a.parameters(), b.parameters()))
    hidden, bound = TINY.hidden_size, 1 / math.sqrt(TINY.hidden_size)
    forget = a.rnn.bias_hh_l0[hidden:2 * hidden]
    assert torch.all(forget > TINY.gate_bias - bound) and torch.all(a.rnn.bias_hh_l0[:hidden].abs() <= bound)
    update = build_model("gru", TINY).rnn.bias_hh_l0[hidden:2 * hidden]
    assert torch.all(update > TINY.gate_bias - bound)
    scaled = build_model("rnn", replace(TINY, recurrent_scale=3.0)).rnn.weight_hh_l0
    torch.testing.assert_close(scaled, 3 * build_model("rnn", TINY).rnn.weight_hh_l0)
    assert "_probe_twin" not in str(a.state_dict().keys())  # the probe's module is not part of the model


def test_a_non_finite_step_is_not_applied():
    trainer = MemoryTrainer("rnn", TINY)
    with torch.no_grad():
        trainer.model.head.bias[0] = float("nan")
    weights = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    record = trainer.train_batch(*recall_batch(torch.Generator().manual_seed(0), 3, 7, 0.5))
    assert math.isnan(record.loss)
    assert all(torch.equal(weights[k], v) or k == "head.bias" for k, v in trainer.model.state_dict().items())
    assert len(trainer.loss) == 0 and len(trainer.reach) == 0  # nothing non-finite is kept for the charts
    trainer.reset()
    assert math.isfinite(trainer.train_batch(*recall_batch(torch.Generator().manual_seed(0), 3, 7, 0.5)).loss)


def test_curves_keep_the_whole_run_in_bounded_memory():
    curve = CoarseningCurve(points=10, every=2)
    for step in range(1, 1001):
        curve.add(step, float(step))
    steps, means = curve.curve()
    assert 5 <= len(curve) <= 10 and steps[-1] <= 1000 and steps[0] <= 200  # from the start to near the end
    assert np.all(np.diff(steps) > 0) and np.allclose(means, steps - (curve.every - 1) / 2, rtol=0.2)
    profiles = CoarseningCurve(points=4, every=1)
    for step in range(1, 20):
        profiles.add(step, np.full(3, float(step)))
    assert profiles.curve()[1].shape[1] == 3 and len(profiles) <= 4


def test_trainer_curves_and_reach_history():
    config = replace(TINY, reach_rows=4)
    trainer = MemoryTrainer("gru", config)
    generator = torch.Generator().manual_seed(0)
    for _ in range(200):
        trainer.train_batch(*recall_batch(generator, 3, 7, 0.5))
    steps, profiles = trainer.reach.curve()
    assert profiles.shape[1] == 7 and len(profiles) <= 4 + 1 and steps[-1] == 200  # + the run not yet averaged
    assert len(trainer.accuracy) > 0 and 0 <= trainer.recent_accuracy() <= 1


def test_a_trainer_records_the_first_step_its_recent_accuracy_reached_the_learnt_level():
    trainer = MemoryTrainer("gru", MemoryTaskConfig(distance=5, hidden_size=16))
    generator = torch.Generator().manual_seed(0)
    accuracies, reached = [], None
    while reached is None and trainer.step_count < 1000:
        accuracies.append(trainer.train_batch(*recall_batch(generator, 64, 5, 0.5), measure=False).accuracy)
        if np.mean(accuracies[-100:]) >= LEARNT_ACCURACY:
            reached = trainer.step_count
        assert trainer.learnt_at == reached
    assert reached is not None  # a distance of 5 is learnt within the thousand steps
    for _ in range(20):  # and it stays the first step, whatever comes after
        trainer.train_batch(*recall_batch(generator, 64, 5, 0.5), measure=False)
    assert trainer.learnt_at == reached


def test_the_reach_history_holds_geometric_means():
    trainer = MemoryTrainer("rnn", TINY)
    generator = torch.Generator().manual_seed(3)
    measured = [trainer.train_batch(*recall_batch(generator, 3, 7, 0.5)).reach for _ in range(5)]
    _, rows = trainer.reach.curve()  # five steps: one row, not yet complete
    expected = np.mean(np.log10(measured), axis=0)
    np.testing.assert_allclose(rows[-1], expected, rtol=1e-6)
    np.testing.assert_allclose(trainer.reach_ratios(), [10 ** (expected[0] - expected[-1])], rtol=1e-6)
    assert MemoryTrainer("gru", TINY).reach_ratios().shape == (0,)


def test_large_recurrent_weights_make_the_gradient_grow_with_the_distance():
    distances = [5, 20, 60]
    default = gradient_growth(MemoryTaskConfig(), distances)
    large = gradient_growth(replace(MemoryTaskConfig(), recurrent_scale=5.0), distances)
    assert large.norms[-1] > 1e3 * large.norms[0]  # explodes with T
    assert default.norms[-1] < 10 * default.norms[0]
    assert default.first_to_last[-1] < 1e-6 < 1e3 < large.first_to_last[-1]  # fades / grows towards step 1
    assert large.reach.shape == (60,)


def test_bad_settings_are_refused_in_words():
    for bad in ({"distance": 2}, {"distance": 101}, {"hidden_size": 0}, {"grad_clip": 0.0}, {"recurrent_scale": 0}):
        with pytest.raises(ValueError, match="must"):
            MemoryComparison(replace(TINY, **bad))
    with pytest.raises(ValueError, match="Unknown cell"):
        MemoryTrainer("transformer", TINY)
