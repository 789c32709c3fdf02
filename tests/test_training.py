"""The classifier training loop: it learns, counts its steps, stops where told, and measures honestly."""
import math

import pytest
import torch

from rnn_core.digits.model import RowClassifier, RowClassifierConfig
from rnn_core.metrics import metrics_from_logits
from rnn_core.training.loop import ClassifierTrainer, TrainConfig
from harness.tiny_data import tiny_task


def make_trainer(epochs: float, **overrides) -> ClassifierTrainer:
    torch.manual_seed(0)
    model = RowClassifier(RowClassifierConfig(cell="gru", hidden_size=16, num_layers=1, num_classes=4))
    config = TrainConfig(epochs=epochs, batch_size=32, lr=1e-2, **overrides)
    return ClassifierTrainer(model, tiny_task(), config, torch.device("cpu"))


def test_trainer_learns_a_learnable_task():
    trainer = make_trainer(epochs=6)
    before = trainer.evaluate()
    after = trainer.fit()
    assert before.accuracy < 0.5 < 0.9 <= after.accuracy
    assert after.loss < before.loss


def test_steps_are_counted_and_training_stops_at_the_end():
    trainer = make_trainer(epochs=1.5)  # 8 steps per epoch -> 12 steps
    assert trainer.steps_per_epoch == 8 and trainer.total_steps == 12
    report = trainer.train_steps(5)
    assert report.step == 5 and report.epoch == pytest.approx(5 / 8) and math.isfinite(report.loss)
    assert trainer.train_steps(100).step == 12 and trainer.done
    assert trainer.train_steps(3).step == 12  # no steps past the end


def test_fit_reports_progress_and_each_epoch():
    trainer = make_trainer(epochs=2, schedule="constant")
    steps, epochs = [], []
    trainer.fit(on_steps=steps.append, on_epoch=lambda e, m: epochs.append(e), report_every=3)
    assert [s.step for s in steps][-1] == 16 and epochs == [1, 2]
    assert all(b.step > a.step for a, b in zip(steps, steps[1:]))


def test_same_seed_same_result():
    a, b = make_trainer(epochs=0.5), make_trainer(epochs=0.5)
    assert a.train_steps(4).loss == b.train_steps(4).loss


def test_metrics_balanced_accuracy_and_confusion():
    labels = torch.tensor([0, 0, 0, 0, 1])
    logits = torch.tensor([[1.0, 0.0]] * 5)  # always predicts class 0
    m = metrics_from_logits(logits, labels, num_classes=2)
    assert m.accuracy == pytest.approx(0.8)
    assert m.balanced_accuracy == pytest.approx(0.5)  # recall 1.0 on class 0, 0.0 on class 1
    assert m.confusion == [[4, 0], [1, 0]] and m.per_class_recall() == [1.0, 0.0]
