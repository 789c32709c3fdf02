"""The wave page's settings: their choices, defaults per task, and their round trip through the URL.

A shared link carries every setting as a query parameter, so it opens the same setup. Anything in a link
that is not understood is left out, with a note saying what and why; a link can never break the page.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Mapping

from rnn_core.waves.trainer import DEFAULT_GRAD_CLIP, DEFAULT_LR, WaveTrainerConfig
from ui.i18n import N_, _
from ui.page_links import Choice, Flag, WholeNumber, read_link

TASKS = {"sin_to_cos": N_("sin → cos"), "next_step": N_("next-step sine")}  # shown through _()
CELLS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
HIDDEN_SIZES = (4, 8, 16, 32, 64, 128)
LEARNING_RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1)
# Window lengths by name, in time units; pi-based ones so that sin -> cos can use the tutorial's windows of pi.
WINDOW_LENGTHS = {"pi/2": math.pi / 2, "2": 2.0, "pi": math.pi, "5": 5.0, "2pi": 2 * math.pi, "10": 10.0,
                  "4pi": 4 * math.pi, "20": 20.0}
POINTS_RANGE = (3, 100)
SPEED_RANGE = (1, 50)  # optimizer steps per chart update
FEEDBACK_CHOICES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
CLIP_CHOICES = (0.0, 0.1, 1.0, 10.0)  # max gradient norm; 0 is off (a widget's None would mean "nothing chosen")


def clip_label(clip: float) -> str:
    """The threshold as a link writes it: "off" or the number (the same in every language)."""
    return "off" if clip == 0 else f"{clip:g}"


def clip_shown(clip: float, gettext=_) -> str:
    """The threshold as the slider shows it, in the visitor's language (or gettext's: see bound_gettext)."""
    return gettext(N_("off")) if clip == 0 else f"{clip:g}"


@dataclass
class WaveSettings:
    task: str = "sin_to_cos"
    cell: str = "rnn"
    hidden: int = 32
    lr: float = DEFAULT_LR
    points: int = 10
    length: str = "pi"  # a key of WINDOW_LENGTHS
    carry: bool = True
    feedback: float = 0.0  # next-step only: share of each window read from the model's own predictions
    speed: int = 5
    compare: bool = False  # train the carry-vs-reset pair beside the main model (two more models)
    clip: float = DEFAULT_GRAD_CLIP  # gradient clipping threshold, one of CLIP_CHOICES; 0 is off

    @classmethod
    def for_task(cls, task: str) -> WaveSettings:
        return cls._from_config(WaveTrainerConfig.for_task(task))

    @classmethod
    def tutorial_setup(cls) -> WaveSettings:
        """The tutorial's sin -> cos loop: no clipping, lr 0.02. It collapses after a few thousand steps."""
        return cls._from_config(WaveTrainerConfig.tutorial_setup())

    @classmethod
    def _from_config(cls, config: WaveTrainerConfig) -> WaveSettings:
        length = min(WINDOW_LENGTHS, key=lambda name: abs(WINDOW_LENGTHS[name] - config.window_length))
        return cls(task=config.task, cell=config.cell, hidden=config.hidden_size, lr=config.lr,
                   points=config.points, length=length, carry=config.carry_state, feedback=config.feedback,
                   clip=config.grad_clip or 0.0)

    def trainer_config(self) -> WaveTrainerConfig:
        defaults = WaveTrainerConfig.for_task(self.task)
        return replace(defaults, cell=self.cell, hidden_size=self.hidden, lr=self.lr, points=self.points,
                       window_length=WINDOW_LENGTHS[self.length], carry_state=self.carry,
                       feedback=self.feedback if self.task == "next_step" else 0.0,
                       grad_clip=self.clip or None)

    def to_query_params(self) -> dict[str, str]:
        """The settings as a link's query parameters."""
        return {name: KINDS[name].format(value) for name, value in asdict(self).items()}


KINDS = {"task": Choice(tuple(TASKS)), "cell": Choice(tuple(CELLS)), "hidden": Choice(HIDDEN_SIZES),
         "lr": Choice(LEARNING_RATES), "points": WholeNumber(*POINTS_RANGE), "length": Choice(tuple(WINDOW_LENGTHS)),
         "carry": Flag(), "feedback": Choice(FEEDBACK_CHOICES), "speed": WholeNumber(*SPEED_RANGE),
         "compare": Flag(), "clip": Choice({clip_label(clip): clip for clip in CLIP_CHOICES})}


def settings_from_query_params(params: Mapping[str, str | list[str]]) -> tuple[WaveSettings, list[str]]:
    """Settings from a link: the task's defaults, overridden by every parameter that parses.

    Returns the settings and one note per parameter left out (unknown name or bad value).
    """
    values, notes = read_link(params, KINDS)
    settings = WaveSettings.for_task(values.get("task", "sin_to_cos"))
    return replace(settings, **values), notes
