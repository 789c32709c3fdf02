"""How the shipped digit models are made (MNIST -> RowClassifier -> ClassifierTrainer -> checkpoint metadata),
and how the digit page fine-tunes a copy on a visitor's drawings."""
from __future__ import annotations

import copy
from dataclasses import asdict
from typing import Callable

import torch

from rnn_core.checkpoint_meta import CheckpointMetadata
from rnn_core.digits.data import MnistData, augment_digits, random_affine, to_unit_range
from rnn_core.metrics import Metrics, metrics_metadata
from rnn_core.digits.model import RowClassifier, RowClassifierConfig
from rnn_core.seeding import seeded
from rnn_core.training.loop import ClassificationData, ClassifierTrainer, StepReport, TrainConfig

DIGIT_LABELS = [str(d) for d in range(10)]


def mnist_classification_data(mnist: MnistData, augment: bool = True) -> ClassificationData:
    def augment_images(inputs: tuple[torch.Tensor, ...], labels: torch.Tensor,
                       generator: torch.Generator) -> tuple[torch.Tensor, ...]:
        return (augment_digits(inputs[0], labels, generator),)

    return ClassificationData(
        train_inputs=(mnist.unit_train_images,), train_labels=mnist.train_labels,
        test_inputs=(mnist.unit_test_images,), test_labels=mnist.test_labels,
        num_classes=10, augment=augment_images if augment else None)


def digit_metadata(metrics: Metrics, mnist: MnistData, train: TrainConfig, augment: bool) -> CheckpointMetadata:
    return CheckpointMetadata(task="mnist", labels=DIGIT_LABELS, data_digest=mnist.digest,
                              test_metrics=metrics_metadata(metrics, DIGIT_LABELS),
                              training={**asdict(train), "augment": augment})


def train_digit_model(mnist: MnistData, model_config: RowClassifierConfig, train: TrainConfig,
                      device: torch.device, augment: bool = True,
                      on_steps: Callable[[StepReport], None] | None = None,
                      on_epoch: Callable[[int, Metrics], None] | None = None
                      ) -> tuple[RowClassifier, CheckpointMetadata]:
    """Train a row classifier on MNIST; returns the model (eval mode, CPU) and its checkpoint metadata."""
    model = seeded(lambda: RowClassifier(model_config), train.seed)
    trainer = ClassifierTrainer(model, mnist_classification_data(mnist, augment), train, device)
    metrics = trainer.fit(on_steps=on_steps, on_epoch=on_epoch)
    return model.cpu().eval(), digit_metadata(metrics, mnist, train, augment)


def fine_tune_on_drawings(model: RowClassifier, drawings: torch.Tensor, labels: torch.Tensor,
                          mnist: MnistData | None, steps: int = 30, lr: float = 1e-3,
                          mnist_per_step: int = 32, seed: int = 0) -> RowClassifier:
    """A copy of `model` fine-tuned on a visitor's drawings (N, 28, 28) and their labels (N,).

    Each step mixes the drawings (slightly transformed, so it learns the digit rather than the exact
    pixels) with fresh MNIST training digits, so the copy does not forget the rest. `model` is untouched.
    """
    generator = torch.Generator().manual_seed(seed)
    tuned = copy.deepcopy(model).cpu().train().requires_grad_(True)  # shared models are frozen
    optimizer = torch.optim.Adam(tuned.parameters(), lr=lr)
    for _ in range(steps):
        images, targets = random_affine(drawings, generator=generator), labels
        if mnist is not None:
            index = torch.randint(len(mnist.train_labels), (mnist_per_step,), generator=generator)
            images = torch.cat([images, to_unit_range(mnist.train_images[index])])
            targets = torch.cat([targets, mnist.train_labels[index]])
        loss = torch.nn.functional.cross_entropy(tuned(images), targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(tuned.parameters(), 1.0)
        optimizer.step()
    return tuned.eval().requires_grad_(False)
