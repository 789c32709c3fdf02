"""Training: one loop for the classifiers (CLI and app alike), and a stateful stepper for the waves.

ClassifierTrainer.train_steps(n) runs n optimizer steps and returns; `fit()` is the whole run built on
it, with callbacks. The app calls train_steps a few at a time between screen updates, so both train the
same way. WaveTrainer.step(n) does the same for the live wave demo.
"""
from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .data.waves import WAVE_TASKS, make_stream
from .models import State, WaveConfig, WaveRegressor, detach_state


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# ----------------------------------------------------------------------------- classifiers

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
    # Applied to each training batch's inputs (e.g. random affine for images); None for none.
    augment: Callable[[tuple[torch.Tensor, ...]], tuple[torch.Tensor, ...]] | None = None
    class_weights: torch.Tensor | None = None  # per-class loss weights, for imbalanced data


@dataclass
class Metrics:
    accuracy: float
    balanced_accuracy: float  # mean per-class recall over the classes present
    loss: float
    confusion: list[list[int]] = field(repr=False)  # [true][predicted] counts
    examples: int = 0

    def per_class_recall(self) -> list[float | None]:
        return [row[i] / sum(row) if sum(row) else None for i, row in enumerate(self.confusion)]

    def summary(self) -> str:
        return (f"accuracy {100 * self.accuracy:.2f}%  balanced accuracy {100 * self.balanced_accuracy:.2f}%  "
                f"loss {self.loss:.4f}  ({self.examples} examples)")


def metrics_from_logits(logits: torch.Tensor, labels: torch.Tensor, num_classes: int) -> Metrics:
    """Accuracy, balanced accuracy, mean loss and confusion matrix of logits (N, C) against labels (N,)."""
    loss = F.cross_entropy(logits, labels).item()
    predicted = logits.argmax(1)
    confusion = torch.bincount(labels * num_classes + predicted, minlength=num_classes ** 2)
    confusion = confusion.view(num_classes, num_classes)
    support = confusion.sum(1)
    recall = confusion.diag()[support > 0].float() / support[support > 0]
    return Metrics(accuracy=(predicted == labels).float().mean().item(),
                   balanced_accuracy=recall.mean().item(), loss=loss,
                   confusion=confusion.tolist(), examples=len(labels))


@torch.no_grad()
def predict_logits(model: nn.Module, inputs: tuple[torch.Tensor, ...], batch_size: int = 1000) -> torch.Tensor:
    """Logits for all rows of `inputs`, in eval mode, in batches; returned on the CPU."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    n = len(inputs[0])
    chunks = [model(*(x[i: i + batch_size].to(device) for x in inputs)).float().cpu()
              for i in range(0, n, batch_size)]
    model.train(was_training)
    return torch.cat(chunks)


def evaluate_classifier(model: nn.Module, inputs: tuple[torch.Tensor, ...], labels: torch.Tensor,
                        num_classes: int) -> Metrics:
    return metrics_from_logits(predict_logits(model, inputs), labels.cpu(), num_classes)


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
        self.generator = torch.Generator().manual_seed(config.seed)
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
                inputs = self.data.augment(inputs)
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


# ----------------------------------------------------------------------------- waves

HELD_OUT_PHASE = 0.5  # the held-out stream is shifted by this much time: its windows start at unseen phases


@dataclass
class WaveTrainerConfig:
    task: str = "sin_to_cos"  # "sin_to_cos" or "next_step"
    cell: str = "rnn"
    hidden_size: int = 32
    lr: float = 0.02
    points: int = 10  # points per window
    window_length: float = math.pi
    carry_state: bool = True  # carry the hidden state from one window into the next
    # Next-step task: the fraction of each window (its tail) in which the model reads its own previous
    # prediction instead of the true sample, so it learns to recover from its own errors when generating.
    feedback: float = 0.0
    grad_clip: float | None = None  # max gradient norm; None leaves the gradients as they are (the seed)
    seed: int = 1
    history: int = 2000  # training losses kept for the chart; older ones are dropped
    recent_windows: int = 6  # windows kept for the stream and hidden-state charts
    eval_every: int = 25  # steps between held-out evaluations
    eval_windows: int = 4

    @classmethod
    def for_task(cls, task: str) -> WaveTrainerConfig:
        """The defaults of a task. sin -> cos is the seed's setup; next-step sine is tuned to generate well."""
        if task == "next_step":
            return cls(task=task, cell="lstm", hidden_size=32, lr=0.01, points=50, window_length=10.0,
                       grad_clip=1.0)
        return cls(task=task)

    def validate(self) -> None:
        if self.task not in WAVE_TASKS:
            raise ValueError(f"Unknown wave task {self.task!r}: use one of {', '.join(WAVE_TASKS)}.")
        if self.points < 2 or self.window_length <= 0 or self.hidden_size < 1 or self.lr <= 0:
            raise ValueError("A window needs at least 2 points and a positive length; hidden size and "
                             "learning rate must be positive.")
        if not 0.0 <= self.feedback < 1.0:
            raise ValueError("feedback is a fraction of the window in [0, 1).")


@dataclass
class WaveWindowRecord:
    """One trained window, as the charts draw it."""
    step: int  # the optimizer step this window was trained in (1-based)
    loss: float
    t: np.ndarray  # (T,) times
    inputs: np.ndarray  # (T,)
    targets: np.ndarray  # (T,)
    predictions: np.ndarray  # (T,)
    hidden: np.ndarray  # (T, H) the top layer's hidden state after each point


class WaveTrainer:
    """Trains a WaveRegressor window after window: step(n) takes the next n windows, one optimizer step each.

    Everything it keeps grows no further than the config says (losses, evaluations, recent windows), and
    the carried state is detached after every window, so memory stays flat however long it trains.
    """

    def __init__(self, config: WaveTrainerConfig, device: torch.device | None = None):
        config.validate()
        self.config, self.device = config, device or torch.device("cpu")
        self.reset()

    def reset(self) -> None:
        """A fresh model (the same initial weights for the same seed) at the start of the stream."""
        config = self.config
        torch.manual_seed(config.seed)
        self.model = WaveRegressor(WaveConfig(config.cell, config.hidden_size)).to(self.device)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        self.stream = make_stream(config.task, config.points, config.window_length)
        self.held_out = make_stream(config.task, config.points, config.window_length, phase=HELD_OUT_PHASE)
        self.state: State | None = None
        self.step_count = 0
        self.losses: deque[float] = deque(maxlen=config.history)
        self.eval_losses: deque[tuple[int, float]] = deque(maxlen=config.history // config.eval_every + 1)
        self.recent: deque[WaveWindowRecord] = deque(maxlen=config.recent_windows)

    def set_lr(self, lr: float) -> None:
        """Change the learning rate, keeping the model and the optimizer's moments."""
        self.config.lr = lr
        for group in self.optimizer.param_groups:
            group["lr"] = lr

    def set_carry_state(self, carry: bool) -> None:
        """Switch carrying on or off while training goes on; the next window starts from zeros either way."""
        self.config.carry_state = carry
        self.state = None

    def _read(self, x: torch.Tensor, state: State | None) -> tuple[torch.Tensor, torch.Tensor, State]:
        """Run the model over a window: (predictions (1, T, 1), hidden (1, T, H), final state).

        With feedback on the next-step task, the last part of the window is generated: each step reads
        the model's own previous prediction (gradients flow through it) instead of the true sample.
        """
        generated = round(self.config.feedback * x.shape[1]) if self.config.task == "next_step" else 0
        read = max(1, x.shape[1] - generated)
        prediction, hidden, state = self.model(x[:, :read], state)
        predictions, hiddens = [prediction], [hidden]
        value = prediction[:, -1:]
        for _ in range(x.shape[1] - read):
            value, hidden, state = self.model(value, state)
            predictions.append(value)
            hiddens.append(hidden)
        if len(predictions) == 1:
            return prediction, hidden, state
        return torch.cat(predictions, 1), torch.cat(hiddens, 1), state

    def step(self, n: int = 1) -> WaveWindowRecord | None:
        """Train on the next n windows of the stream; returns the last one (None when n is 0)."""
        self.model.train()
        for _ in range(n):
            window = self.stream.window(self.step_count)
            x, y = window.inputs.to(self.device), window.targets.to(self.device)
            prediction, hidden, state = self._read(x, self.state if self.config.carry_state else None)
            self.state = detach_state(state)  # carry the values, not the graph (truncated BPTT)
            loss = F.mse_loss(prediction, y)
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if self.config.grad_clip is not None:
                nn.utils.clip_grad_norm_(self.model.parameters(), self.config.grad_clip)
            self.optimizer.step()
            self.step_count += 1
            self.losses.append(loss.item())
            self.recent.append(WaveWindowRecord(self.step_count, self.losses[-1], window.t, _flat(x), _flat(y),
                                                _flat(prediction), hidden[0].detach().cpu().numpy()))
            if self.step_count % self.config.eval_every == 0:
                self.eval_losses.append((self.step_count, self.evaluate()))
        return self.recent[-1] if n > 0 else None

    def loss_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, training losses) for the kept history."""
        steps = np.arange(self.step_count - len(self.losses) + 1, self.step_count + 1)
        return steps, np.array(self.losses, dtype=np.float32)

    def eval_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, held-out losses) of the kept evaluations."""
        steps, losses = zip(*self.eval_losses) if self.eval_losses else ((), ())
        return np.array(steps, dtype=np.float32), np.array(losses, dtype=np.float32)

    def recent_stream(self) -> WaveWindowRecord | None:
        """The kept windows stitched end to end (hidden is (sum T, H)); None before the first step."""
        if not self.recent:
            return None
        records = list(self.recent)
        return WaveWindowRecord(records[-1].step, records[-1].loss,
                                *(np.concatenate([getattr(r, name) for r in records])
                                  for name in ("t", "inputs", "targets", "predictions", "hidden")))

    @torch.no_grad()
    def evaluate(self, windows: int | None = None) -> float:
        """The training loss on a held-out stream (its windows start at phases training never saw).

        A carrying model first reads one window to warm its state up, then carries it as in training.
        """
        self.model.eval()
        state, errors = None, []
        for k in range(1 + (windows or self.config.eval_windows)):
            window = self.held_out.window(k)
            prediction, _, state = self._read(window.inputs.to(self.device),
                                              state if self.config.carry_state else None)
            if k > 0 or not self.config.carry_state:
                errors.append(F.mse_loss(prediction.cpu(), window.targets).item())
        self.model.train()
        return float(np.mean(errors))

    @torch.no_grad()
    def _generate(self, first: torch.Tensor, state: State | None, steps: int) -> np.ndarray:
        """Feed the model its own output `steps` times, starting from the true sample `first` (1, 1, 1)."""
        value, generated = first, []
        for _ in range(steps):
            value, _, state = self.model(value, state)
            generated.append(value.item())
        return np.array(generated, dtype=np.float32)

    @torch.no_grad()
    def continue_free_running(self, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Next-step task: after the last trained window, generate `steps` samples from the model alone.

        It reads the one true sample that follows the window, then only its own predictions. A carrying
        model starts from its carried state; one that does not re-reads the last window from zeros.
        Returns (t, generated, truth), each (steps,).
        """
        if self.config.task != "next_step" or not self.recent:
            raise ValueError("Free-running generation needs the next-step task and at least one step.")
        self.model.eval()
        last = self.recent[-1]
        state = self.state
        if not self.config.carry_state:
            _, _, state = self.model(torch.from_numpy(last.inputs).view(1, -1, 1).to(self.device))
        dt = self.stream.dt
        t = last.t[-1] + dt * np.arange(1, steps + 1, dtype=np.float64)
        first = torch.tensor(last.targets[-1:], device=self.device).view(1, 1, 1)
        generated = self._generate(first, state, steps)
        self.model.train()
        return t.astype(np.float32), generated, np.sin(t).astype(np.float32)

    @torch.no_grad()
    def free_run(self, start: float, warmup: int, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Next-step task, from a zero state: read `warmup` true samples from time `start`, then generate.

        Returns (t, generated, truth), each (steps,), for the generated part only.
        """
        self.model.eval()
        t = start + self.stream.dt * np.arange(warmup + steps)
        truth = np.sin(t).astype(np.float32)
        state = None
        if warmup > 1:
            _, _, state = self.model(torch.from_numpy(truth[:warmup - 1]).view(1, -1, 1).to(self.device))
        generated = self._generate(torch.tensor(truth[warmup - 1]).view(1, 1, 1).to(self.device), state, steps)
        self.model.train()
        return t[warmup:].astype(np.float32), generated, truth[warmup:]


class CarryComparison:
    """Two trainers with the same settings, initial weights and stream: one carries its hidden state from
    window to window, the other starts every window from zeros. What differs between them is memory."""

    def __init__(self, config: WaveTrainerConfig, device: torch.device | None = None):
        self.carrying = WaveTrainer(replace(config, carry_state=True), device)
        self.resetting = WaveTrainer(replace(config, carry_state=False), device)

    @property
    def step_count(self) -> int:
        return self.carrying.step_count

    def step(self, n: int = 1) -> None:
        self.carrying.step(n)
        self.resetting.step(n)

    def set_lr(self, lr: float) -> None:
        self.carrying.set_lr(lr)
        self.resetting.set_lr(lr)

    def reset(self) -> None:
        self.carrying.reset()
        self.resetting.reset()


def _flat(x: torch.Tensor) -> np.ndarray:
    return x.detach().view(-1).cpu().numpy()
