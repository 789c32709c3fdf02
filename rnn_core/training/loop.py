"""Training: one loop for the classifiers (CLI and app alike).

ClassifierTrainer.train_steps(n) runs n optimizer steps and returns; `fit()` is the whole run built on
it, with callbacks. The app calls train_steps a few at a time between screen updates, so both train the
same way. What it measures is in metrics.py; the live wave demo's trainer is in waves/trainer.py.
"""
from __future__ import annotations

import math
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn

from rnn_core.metrics import Metrics, evaluate_classifier
from rnn_core.seeding import draws_dropout, dropout_draws


@dataclass
class TrainConfig:
    epochs: float = 1.0  # may be fractional: training stops after epochs * steps_per_epoch steps
    batch_size: int = 128
    lr: float = 3e-3
    weight_decay: float = 0.0
    grad_clip: float = 1.0
    schedule: str = "onecycle"  # "onecycle" (warm up, then anneal) or "constant"
    label_smoothing: float = 0.0
    seed: int = 0


@dataclass
class ClassificationData:
    """One task's tensors. The model is called as model(*inputs); row i of every input is example i."""
    train_inputs: tuple[torch.Tensor, ...]
    train_labels: torch.Tensor
    test_inputs: tuple[torch.Tensor, ...]
    test_labels: torch.Tensor
    num_classes: int
    # Applied to each training batch's (inputs, labels) (e.g. random affine for images), drawing from the
    # trainer's generator; returns new inputs. None for none.
    augment: Callable[[tuple[torch.Tensor, ...], torch.Tensor, torch.Generator], tuple[torch.Tensor, ...]] | None = None
    class_weights: torch.Tensor | None = None  # per-class loss weights, for imbalanced data


@dataclass
class StepReport:
    step: int  # optimizer steps taken so far
    epoch: float  # fractional epochs done
    loss: float  # mean training loss over the steps just taken
    lr: float


class ClassifierTrainer:
    """Trains a classifier on tensors held on the device, a few steps at a time or to the end."""

    def __init__(self, model: nn.Module, data: ClassificationData, config: TrainConfig,
                 device: torch.device):
        self.model, self.data, self.config, self.device = model.to(device), data, config, device
        self.train_inputs = tuple(x.to(device) for x in data.train_inputs)
        self.train_labels = data.train_labels.to(device)
        self.class_weights = None if data.class_weights is None else data.class_weights.to(device)
        self.generator = torch.Generator().manual_seed(config.seed)  # order, augmentation, dropout: all its own
        self._draws_dropout = draws_dropout(model)
        n = len(self.train_labels)
        self.steps_per_epoch = math.ceil(n / config.batch_size)
        self.total_steps = max(1, round(config.epochs * self.steps_per_epoch))
        self.optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
        self.scheduler = (torch.optim.lr_scheduler.OneCycleLR(self.optimizer, max_lr=config.lr,
                                                              total_steps=self.total_steps)
                          if config.schedule == "onecycle" else None)
        self.step_count = 0
        self._order = torch.empty(0, dtype=torch.long)  # the current epoch's shuffled example order

    @property
    def done(self) -> bool:
        return self.step_count >= self.total_steps

    def _next_batch(self) -> torch.Tensor:
        position = (self.step_count % self.steps_per_epoch) * self.config.batch_size
        if position == 0:
            self._order = torch.randperm(len(self.train_labels), generator=self.generator).to(self.device)
        return self._order[position: position + self.config.batch_size]

    def train_steps(self, n: int) -> StepReport:
        """Take up to n optimizer steps (fewer at the end of training); report the mean loss."""
        self.model.train()
        losses = []
        for _ in range(min(n, self.total_steps - self.step_count)):
            index = self._next_batch()
            inputs = tuple(x[index] for x in self.train_inputs)
            if self.data.augment is not None:
                inputs = self.data.augment(inputs, self.train_labels[index], self.generator)
            with dropout_draws(self.generator) if self._draws_dropout else nullcontext():
                logits = self.model(*inputs)
            loss = F.cross_entropy(logits, self.train_labels[index], weight=self.class_weights,
                                   label_smoothing=self.config.label_smoothing)
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(self.model.parameters(), self.config.grad_clip)
            self.optimizer.step()
            if self.scheduler is not None:
                self.scheduler.step()
            self.step_count += 1
            losses.append(loss.detach())
        mean_loss = torch.stack(losses).mean().item() if losses else float("nan")
        return StepReport(self.step_count, self.step_count / self.steps_per_epoch, mean_loss,
                          self.optimizer.param_groups[0]["lr"])

    def evaluate(self, limit: int | None = None) -> Metrics:
        """Metrics on the test tensors (the first `limit` examples when given: a quick look mid-epoch)."""
        inputs = tuple(x[:limit] for x in self.data.test_inputs)
        return evaluate_classifier(self.model, inputs, self.data.test_labels[:limit], self.data.num_classes)

    def fit(self, on_steps: Callable[[StepReport], None] | None = None,
            on_epoch: Callable[[int, Metrics], None] | None = None, report_every: int = 20) -> Metrics:
        """Train to the end, calling on_steps every `report_every` steps and on_epoch after each epoch."""
        while not self.done:
            report = self.train_steps(min(report_every, self.steps_per_epoch
                                          - self.step_count % self.steps_per_epoch))
            if on_steps is not None:
                on_steps(report)
            if on_epoch is not None and (self.step_count % self.steps_per_epoch == 0 or self.done):
                on_epoch(math.ceil(self.step_count / self.steps_per_epoch), self.evaluate())
        return self.evaluate()

