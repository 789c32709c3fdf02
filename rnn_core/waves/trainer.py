"""The live wave demo's trainer: WaveTrainer.step(n) trains on the next n windows of a stream.

Each optimizer step records its gradient norm (before clipping) and whether it was clipped, and
`health()` says whether training has collapsed: the loss stuck high after having been low, the hidden
units pinned at +-1, or a non-finite loss or gradient (then training stops until reset, and nothing
non-finite is recorded).

Why the defaults clip: the tutorial's loop (RNN 32, Adam at lr 0.02, no clipping) fits sin -> cos to a loss
near 1e-8 within a few thousand windows. Adam divides each step by the running size of the gradients,
so once they are tiny, one ordinary bump in the gradient (a norm 10,000 times the usual) becomes a
huge step; the recurrent weights jump, the tanh units saturate at +-1, almost no gradient comes back
through them, and the loss stays at 0.5 (a flat prediction) for good. Clipping caps the size of the
gradient that reaches Adam, and a smaller learning rate the size of each of its steps.
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from rnn_core.errors import EngineValueError
from rnn_core.waves.data import WAVE_TASKS, make_stream
from rnn_core.layers import State, detach_state
from rnn_core.waves.model import WaveConfig, WaveRegressor
from rnn_core.seeding import seeded

HELD_OUT_PHASE = 0.5  # the held-out stream is shifted by this much time: its windows start at unseen phases

# The defaults that survive a 30-minute lesson (benchmarks/bench_wave_health.py: 8 seeds x 100,000 steps).
DEFAULT_GRAD_CLIP = 1.0
DEFAULT_LR = 0.005
TUTORIAL_LR = 0.02  # the tutorial's loop: Adam at 0.02, no clipping; it collapses after about 5,000 steps

# Collapse: over the last HEALTH_WINDOW windows the mean loss is above STUCK_LOSS (0.5 is a flat line),
# and either it was once below LOW_LOSS (it had learned) or most hidden values are pinned at +-1.
HEALTH_WINDOW = 200
STUCK_LOSS = 0.1
LOW_LOSS = 0.01
PINNED = 0.99  # |h| above this counts as pinned
PINNED_SHARE = 0.9


@dataclass
class WaveTrainerConfig:
    task: str = "sin_to_cos"  # "sin_to_cos" or "next_step"
    cell: str = "rnn"
    hidden_size: int = 32
    lr: float = DEFAULT_LR
    points: int = 10  # points per window
    window_length: float = math.pi
    carry_state: bool = True  # carry the hidden state from one window into the next
    # Next-step task: the fraction of each window (its tail) in which the model reads its own previous
    # prediction instead of the true sample, so it learns to recover from its own errors when generating.
    feedback: float = 0.0
    grad_clip: float | None = DEFAULT_GRAD_CLIP  # max gradient norm; None leaves the gradients as they are
    seed: int = 1
    history: int = 2000  # training losses and gradient norms kept for the charts; older ones are dropped
    recent_windows: int = 6  # windows kept for the stream and hidden-state charts
    eval_every: int = 25  # steps between held-out evaluations
    eval_windows: int = 4

    @classmethod
    def for_task(cls, task: str) -> WaveTrainerConfig:
        """The defaults of a task: each survives a long lesson. The tutorial's own setup is tutorial_setup()."""
        if task == "next_step":
            return cls(task=task, cell="lstm", hidden_size=32, lr=0.01, points=50, window_length=10.0,
                       grad_clip=1.0)
        return cls(task=task)

    @classmethod
    def tutorial_setup(cls) -> WaveTrainerConfig:
        """The tutorial's sin -> cos loop: RNN 32, Adam at 0.02, no clipping. Its collapse is the lesson."""
        return cls(lr=TUTORIAL_LR, grad_clip=None)

    def validate(self) -> None:
        if self.task not in WAVE_TASKS:
            raise EngineValueError("waves.unknown_task", task=repr(self.task), choices=", ".join(WAVE_TASKS))
        if self.points < 2 or self.window_length <= 0 or self.hidden_size < 1 or self.lr <= 0:
            raise EngineValueError("waves.window")
        if not 0.0 <= self.feedback < 1.0:
            raise EngineValueError("waves.feedback")
        if self.grad_clip is not None and not self.grad_clip > 0:
            raise EngineValueError("training.clip")


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


@dataclass
class WaveHealth:
    """Whether training has collapsed, and the figures that say why."""
    kind: str | None  # None (healthy), "non_finite", "saturated" or "stuck"
    recent_loss: float  # mean loss over the last HEALTH_WINDOW windows (nan before the first step)
    best_loss: float  # the lowest such mean so far (inf until one window is complete)
    pinned_share: float  # share of the recent hidden values with |h| > PINNED
    peak_norm: float  # the largest gradient norm in the kept history (0 before the first step)
    peak_step: int  # the step it came at
    typical_norm: float  # the median gradient norm in the kept history
    diverged_at: int | None  # the step whose loss or gradient was not finite

    @property
    def collapsed(self) -> bool:
        return self.kind is not None


class WaveTrainer:
    """Trains a WaveRegressor window after window: step(n) takes the next n windows, one optimizer step each.

    Everything it keeps grows no further than the config says (losses, gradient norms, evaluations, recent
    windows), and the carried state is detached after every window, so memory stays flat however long it
    trains. Its random numbers come from a generator of its own (the app runs many trainers in threads).
    """

    def __init__(self, config: WaveTrainerConfig, device: torch.device | None = None):
        config.validate()
        self.config, self.device = config, device or torch.device("cpu")
        self.reset()

    def reset(self) -> None:
        """A fresh model (the same initial weights for the same seed) at the start of the stream."""
        config = self.config
        model = seeded(lambda: WaveRegressor(WaveConfig(config.cell, config.hidden_size)), config.seed)
        self.model = model.to(self.device)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        self.stream = make_stream(config.task, config.points, config.window_length)
        self.held_out = make_stream(config.task, config.points, config.window_length, phase=HELD_OUT_PHASE)
        self.state: State | None = None
        self.step_count = 0
        self.losses: deque[float] = deque(maxlen=config.history)
        self.grad_norms: deque[float] = deque(maxlen=config.history)  # before clipping
        self.clipped: deque[bool] = deque(maxlen=config.history)
        self.eval_losses: deque[tuple[int, float]] = deque(maxlen=config.history // config.eval_every + 1)
        self.recent: deque[WaveWindowRecord] = deque(maxlen=config.recent_windows)
        self.best_loss = math.inf  # the lowest mean over a complete block of HEALTH_WINDOW windows
        self.diverged_at: int | None = None
        self._spike: tuple[float, int, float] | None = None  # (peak, its step, typical) when a collapse was seen

    def set_lr(self, lr: float) -> None:
        """Change the learning rate, keeping the model and the optimizer's moments."""
        self.config.lr = lr
        for group in self.optimizer.param_groups:
            group["lr"] = lr

    def set_carry_state(self, carry: bool) -> None:
        """Switch carrying on or off while training goes on; the next window starts from zeros either way."""
        self.config.carry_state = carry
        self.state = None

    def set_grad_clip(self, clip: float | None) -> None:
        """Change the clipping threshold (None: no clipping) while training goes on."""
        replace(self.config, grad_clip=clip).validate()
        self.config.grad_clip = clip

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
        """Train on the next n windows of the stream; returns the last one trained (None when none was).

        A window whose loss or gradient is not finite is not applied: training stops there (diverged_at)
        until reset(), and the model keeps the last finite weights.
        """
        self.model.train()
        trained = 0
        for _ in range(n):
            if self.diverged_at is not None:
                break
            window = self.stream.window(self.step_count)
            x, y = window.inputs.to(self.device), window.targets.to(self.device)
            prediction, hidden, state = self._read(x, self.state if self.config.carry_state else None)
            loss = F.mse_loss(prediction, y)
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            clip = self.config.grad_clip
            parameters = list(self.model.parameters())
            norm = (nn.utils.clip_grad_norm_(parameters, clip) if clip is not None
                    else nn.utils.get_total_norm([p.grad for p in parameters]))
            loss_value, norm_value = loss.item(), norm.item()
            if not (math.isfinite(loss_value) and math.isfinite(norm_value)):
                self.diverged_at, self.state = self.step_count + 1, None  # a NaN state would poison the next window
                break
            self.optimizer.step()
            self.state = detach_state(state)  # carry the values, not the graph (truncated BPTT)
            self.step_count += 1
            trained += 1
            self.losses.append(loss_value)
            self.grad_norms.append(norm_value)
            self.clipped.append(clip is not None and norm_value > clip)
            self.recent.append(WaveWindowRecord(self.step_count, loss_value, window.t, _flat(x), _flat(y),
                                                _flat(prediction), hidden[0].detach().cpu().numpy()))
            if self.step_count % HEALTH_WINDOW == 0 and len(self.losses) >= HEALTH_WINDOW:
                self.best_loss = min(self.best_loss, self._recent_loss())
            if self.step_count % self.config.eval_every == 0:
                held_out = self.evaluate()
                if math.isfinite(held_out):  # a chart gets gaps, never a NaN
                    self.eval_losses.append((self.step_count, held_out))
        return self.recent[-1] if trained else None

    def _recent_loss(self) -> float:
        recent = list(self.losses)[-HEALTH_WINDOW:]
        return float(np.mean(recent)) if recent else math.nan

    def clipped_share(self) -> float:
        """The share of the kept steps whose gradient was clipped (0 before the first step)."""
        return float(np.mean(self.clipped)) if self.clipped else 0.0

    def health(self) -> WaveHealth:
        """Whether training has collapsed (see the module's docstring), from the kept history alone."""
        recent_loss = self._recent_loss()
        hidden = np.concatenate([r.hidden.ravel() for r in self.recent]) if self.recent else np.zeros(0)
        pinned = float(np.mean(np.abs(hidden) > PINNED)) if hidden.size else 0.0
        norms = np.array(self.grad_norms, dtype=np.float64)
        peak = int(np.argmax(norms)) if norms.size else -1
        spike = ((float(norms[peak]), self.step_count - len(norms) + 1 + peak, float(np.median(norms)))
                 if norms.size else (0.0, 0, 0.0))
        kind = None
        if self.diverged_at is not None:
            kind = "non_finite"
        elif len(self.losses) >= HEALTH_WINDOW and recent_loss > STUCK_LOSS:
            if pinned >= PINNED_SHARE:
                kind = "saturated"
            elif self.best_loss < LOW_LOSS:
                kind = "stuck"
        # The spike that caused a collapse leaves the kept history after a while: keep the first one seen.
        self._spike = (self._spike or spike) if kind else None
        return WaveHealth(kind, recent_loss, self.best_loss, pinned, *(self._spike or spike), self.diverged_at)

    def loss_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, training losses) for the kept history."""
        steps = np.arange(self.step_count - len(self.losses) + 1, self.step_count + 1)
        return steps, np.array(self.losses, dtype=np.float32)

    def grad_norm_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, gradient norms before clipping) for the kept history."""
        steps = np.arange(self.step_count - len(self.grad_norms) + 1, self.step_count + 1)
        return steps, np.array(self.grad_norms, dtype=np.float64)

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
            raise EngineValueError("waves.free_running")
        self.model.eval()
        last = self.recent[-1]
        state = self.state
        if not self.config.carry_state or state is None:
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

    def set_grad_clip(self, clip: float | None) -> None:
        self.carrying.set_grad_clip(clip)
        self.resetting.set_grad_clip(clip)

    def reset(self) -> None:
        self.carrying.reset()
        self.resetting.reset()


def _flat(x: torch.Tensor) -> np.ndarray:
    return x.detach().view(-1).cpu().numpy()
