"""Wave regressor: an RNN learns, live, to turn a sine into a cosine (or to continue a sine), window after
window, its hidden state carried from one window into the next.

The trainers live in st.session_state (one set per visitor, on the CPU: the models are tiny). While
playing, one fragment reruns every TICK_SECONDS: it takes `speed` optimizer steps and redraws the step
counter, the current window, the loss and the gradient norm, and says so when training has collapsed; a
second one redraws the bigger, slower views every RECENT_SECONDS. Settings round-trip through the URL
(ui/wave_settings.py).
"""
from __future__ import annotations

import math
from dataclasses import fields

import numpy as np
import streamlit as st

from rnn_core.settings import LIVE_UPDATES_ENV_VAR
from rnn_core.waves.trainer import CarryComparison, WaveHealth, WaveTrainer, WaveWindowRecord
from ui import wave_charts
from ui.wave_charts import readable
from ui.i18n import _, bound_gettext, join_sentences, number, percent
from ui.live_updates import DEFAULT_UPDATES_PER_SECOND, live_update_schedule, updates_per_second
from ui.page_header import page_header
from ui.page_links import link_params, show_notes, write_link
from ui.pages import WAVES
from ui.play_controls import model_lock, play_controls
from ui.projector import aside, scaled
from ui.wave_settings import (CELLS, CLIP_CHOICES, FEEDBACK_CHOICES, HIDDEN_SIZES, LEARNING_RATES, POINTS_RANGE,
                              SPEED_RANGE, TASKS, WINDOW_LENGTHS, WaveSettings, clip_shown,
                              settings_from_query_params)

TICK_SECONDS = 0.05  # asks for 20 updates a second; how long a tick takes sets the real rate
RECENT_SECONDS = 1.0  # the recent stream, hidden state, free run and comparison: once a second
GENERATED_POINTS = 50  # next-step task: samples generated free-running after the current window
# Settings that define the model or its data: changing one starts training afresh.
RESTARTING_SETTINGS = ("task", "cell", "hidden", "points", "length", "feedback")
SETUP_SETTINGS = RESTARTING_SETTINGS + ("lr", "carry", "clip")  # what a task's defaults or a preset set
EMPTY_STEPS, EMPTY_LOG_RANGE = (0, 100), (1e-3, 10)  # the curve charts' axes before the first step


def key(name: str) -> str:
    return f"waves_{name}"


def settings_from_widgets(applied: WaveSettings) -> WaveSettings:
    # A widget that is not on screen (feedback, outside the next-step task) keeps its applied value.
    return WaveSettings(**{f.name: st.session_state.get(key(f.name), getattr(applied, f.name))
                           for f in fields(WaveSettings)})


def start_training(settings: WaveSettings) -> None:
    config = settings.trainer_config()
    st.session_state[key("trainer")] = WaveTrainer(config)
    st.session_state[key("comparison")] = CarryComparison(config) if settings.compare else None


def apply_settings(settings: WaveSettings) -> None:
    """Bring the trainers in line with the widgets: restart, or change the learning rate / carrying live."""
    applied: WaveSettings = st.session_state[key("applied")]
    trainer: WaveTrainer | None = st.session_state.get(key("trainer"))
    if trainer is None or any(getattr(settings, name) != getattr(applied, name) for name in RESTARTING_SETTINGS):
        start_training(settings)
    else:
        comparison: CarryComparison | None = st.session_state[key("comparison")]
        if settings.lr != applied.lr:
            trainer.set_lr(settings.lr)  # the model keeps what it has learned
            if comparison is not None:
                comparison.set_lr(settings.lr)
        if settings.carry != applied.carry:
            trainer.set_carry_state(settings.carry)
        if settings.clip != applied.clip:
            trainer.set_grad_clip(settings.clip or None)  # the model keeps what it has learned
            if comparison is not None:
                comparison.set_grad_clip(settings.clip or None)
        if settings.compare != applied.compare:
            st.session_state[key("comparison")] = (CarryComparison(settings.trainer_config())
                                                   if settings.compare else None)
    st.session_state[key("applied")] = settings


def use_setup(setup: WaveSettings) -> None:
    """Set the widgets to a whole setup (a task's defaults, or the tutorial's)."""
    for name in SETUP_SETTINGS:
        st.session_state[key(name)] = getattr(setup, name)


def on_task_change() -> None:
    """A new task brings its own defaults."""
    use_setup(WaveSettings.for_task(st.session_state[key("task")]))


def step_once() -> None:
    st.session_state[key("trainer")].step(1)
    if st.session_state[key("comparison")] is not None:
        st.session_state[key("comparison")].step(1)


def reset_training() -> None:
    st.session_state[key("trainer")].reset()
    if st.session_state[key("comparison")] is not None:
        st.session_state[key("comparison")].reset()


def draw_chart(name: str, panel: wave_charts.Panel) -> None:
    """One panel in a container of its own: the same spec every tick, so the browser updates it in place."""
    with st.container(key=key(f"{name}_chart")):
        st.vega_lite_chart(scaled(wave_charts.chart_spec(panel)), width="stretch")


def collapse_message(health: WaveHealth, clip: float | None) -> str:
    """What went wrong, why, and what to try, in a few plain lines (the longer story is in "What you are
    seeing")."""
    jump = health.peak_norm / max(health.typical_norm, 1e-12)
    spike = _("a gradient {times} times its usual size became one huge step").format(times=number(jump))
    tries = (_("**Try:** **Clip gradients**, a lower **learning rate**, or **LSTM** / **GRU**; then **Reset**.")
             if clip is None else
             _("**Try:** a lower clipping threshold, a lower **learning rate**, or **LSTM** / **GRU**; then "
               "**Reset**."))
    if health.kind == "non_finite":
        what = _("**Training stopped at step {step}: the loss or the gradient was no longer a number.** That step "
                 "was not applied; the charts show the last good steps.").format(step=number(health.diverged_at))
    elif health.kind == "saturated":
        what = _("**Training has collapsed** near step {step}: {spike}, and {share} of the hidden values are now "
                 "pinned at +1 or -1, where tanh passes almost no gradient back.").format(
                     step=number(health.peak_step), spike=spike, share=percent(health.pinned_share))
    else:
        what = _("**Training has collapsed** near step {step}: the loss was down to {best} and is stuck at "
                 "{recent} since {spike}.").format(step=number(health.peak_step), best=readable(health.best_loss),
                                                   recent=f"{health.recent_loss:.2f}", spike=spike)
    return join_sentences([what, tries])


def status_line(trainer: WaveTrainer) -> str:
    last_eval = trainer.eval_losses[-1][1] if trainer.eval_losses else None
    return ("**" + _("Step {step}").format(step=number(trainer.step_count)) + "**"
            + (" · " + _("loss {loss}").format(loss=readable(trainer.losses[-1])) if trainer.losses else "")
            + (" · " + _("held-out {loss}").format(loss=readable(last_eval)) if last_eval is not None else ""))


def clipping_line(trainer: WaveTrainer) -> str:
    clip = trainer.config.grad_clip
    text = (_("Last gradient norm {norm}").format(norm=readable(trainer.grad_norms[-1])) + " · "
            if trainer.grad_norms else "")
    if clip is None:
        return text + _("no clipping")
    if not trainer.clipped:  # before the first step
        return _("clipped at {threshold}").format(threshold=f"{clip:g}")
    return text + _("clipped at {threshold} in {share} of the last {count} steps").format(
        threshold=f"{clip:g}", share=percent(trainer.clipped_share(), 1), count=number(len(trainer.clipped)))


def latest_window(trainer: WaveTrainer) -> WaveWindowRecord:
    """The window just trained on; before the first step, the one it will train on, with no prediction yet."""
    if trainer.recent:
        return trainer.recent[-1]
    window = trainer.stream.window(0)
    inputs, targets = window.inputs.numpy().ravel(), window.targets.numpy().ravel()
    return WaveWindowRecord(0, math.nan, window.t, inputs, targets, np.full_like(targets, np.nan),
                            np.zeros((len(targets), 0)))


def with_axes(panel: wave_charts.Panel) -> wave_charts.Panel:
    """A curve chart before the first step: fixed scales, for axes that no data can place yet."""
    panel.x_scale = {"domain": list(EMPTY_STEPS)}
    panel.y_scale = {**panel.y_scale, "domain": list(EMPTY_LOG_RANGE)}
    return panel


def draw_live(trainer: WaveTrainer) -> None:
    """What changes every tick: the step counter, the window just trained on, the loss and gradient curves.

    Before the first step the charts are there already, with the wave to learn and empty curves: a projected
    page shows what is coming. The collapse message and the prompt to press Play have containers of their
    own that are always there, so the charts after them keep their places (and their in-place updates)
    whether or not they show.
    """
    with st.container(key=key("status")):
        st.markdown(status_line(trainer))
    health = trainer.health()
    with st.container(key=key("health")):
        if health.collapsed:
            st.error(collapse_message(health, trainer.config.grad_clip), icon=":material/error:")
    with st.container(key=key("prompt")):
        if trainer.step_count == 0:
            st.caption(_("Press **Play** (or **One step**) to start training."))  # the charts already show what comes
    window_column, curves_column = st.columns(2)
    with window_column:
        draw_chart("window", wave_charts.window_panel(latest_window(trainer), target_name(trainer)))
    with curves_column:
        loss = wave_charts.loss_panel(*trainer.loss_curve(), *trainer.eval_curve(), height=270)
        gradient = wave_charts.gradient_panel(*trainer.grad_norm_curve(), trainer.config.grad_clip, height=290)
        draw_chart("loss", loss if trainer.step_count else with_axes(loss))
        draw_chart("gradient", gradient if trainer.step_count else with_axes(gradient))
        st.caption(clipping_line(trainer))


def draw_recent(trainer: WaveTrainer, comparison: CarryComparison | None) -> None:
    """The slower view: the recent stream, the hidden state, the free run, the carry-vs-reset pair. Before
    the first step: the stream's first window, and no hidden state yet."""
    stream = trainer.recent_stream() or latest_window(trainer)
    starts = [float(r.t[0]) for r in trainer.recent] or [float(stream.t[0])]
    draw_chart("stream", wave_charts.stream_panel(stream, starts, target_name(trainer)))
    draw_chart("hidden", wave_charts.hidden_panel(stream))
    if trainer.config.task == "next_step" and trainer.recent:
        draw_chart("generation", wave_charts.generation_panel(*trainer.continue_free_running(GENERATED_POINTS),
                                                              trainer.recent[-1]))
    if comparison is not None and comparison.step_count > 0:
        carrying, resetting = comparison.carrying, comparison.resetting
        draw_chart("comparison", wave_charts.comparison_panel(carrying.recent_stream(), resetting.recent_stream(),
                                                              [float(r.t[0]) for r in carrying.recent],
                                                              target_name(trainer)))
        st.markdown(_("**Carry vs reset** (step {step}), mean loss over the last 10 windows: carries its state "
                      "**{carrying}** · starts each window from zeros **{resetting}**").format(
                          step=number(comparison.step_count), carrying=readable(np.mean(list(carrying.losses)[-10:])),
                          resetting=readable(np.mean(list(resetting.losses)[-10:]))))


def target_name(trainer: WaveTrainer) -> str:
    return _("cos (target)") if trainer.config.task == "sin_to_cos" else _("next sample (target)")


# Two fragments: the window and the loss redraw on every tick; the rest, bigger and slower to change,
# once a second. Every chart redrawn per tick costs the browser a render, and the tick rate is what
# makes training look live. Only the fast one trains.
def live() -> None:
    playing_now = st.session_state[key("playing")]
    if playing_now:
        live_update_schedule().wait_for_slot()  # in a full room, every player's ticks slow down evenly
    with model_lock(key):
        trainer: WaveTrainer = st.session_state[key("trainer")]
        comparison: CarryComparison | None = st.session_state[key("comparison")]
        if playing_now:
            trainer.step(st.session_state[key("speed")])
            if comparison is not None:
                comparison.step(st.session_state[key("speed")])
            if trainer.diverged_at is not None:  # nothing left to train: pause, and let Play come back
                st.session_state[key("playing")] = False
                st.rerun()
        draw_live(trainer)


def recent() -> None:
    if st.session_state[key("playing")]:
        live_update_schedule().wait_for_slot()
    with model_lock(key):
        draw_recent(st.session_state[key("trainer")], st.session_state[key("comparison")])


# ----------------------------------------------------------------------------- state

linked = link_params()
# First visit, or a link that says something new (not the one this page wrote): its settings, else the defaults.
if key("applied") not in st.session_state or (linked and linked != st.session_state[key("linked")]):
    link_settings, st.session_state[key("link_notes")] = settings_from_query_params(linked)
    st.session_state[key("applied")] = link_settings
    st.session_state[key("playing")] = False
    for field in fields(WaveSettings):
        st.session_state[key(field.name)] = getattr(link_settings, field.name)
for field in fields(WaveSettings):  # widgets start from the applied settings (also after visiting other pages)
    if key(field.name) not in st.session_state:
        st.session_state[key(field.name)] = getattr(st.session_state[key("applied")], field.name)
settings = settings_from_widgets(st.session_state[key("applied")])  # callbacks have run: what the widgets will show
st.session_state[key("linked")] = settings.to_query_params()
link = write_link(st.session_state[key("linked")])  # the address bar now holds a link to this very setup

# ----------------------------------------------------------------------------- controls

page_header(WAVES, link=link)
aside("intro").caption(_("A recurrent network learns, live, window after window, with its hidden state carried "
                         "from one window into the next."))
if updates_per_second()[1]:  # the server's setting is not a number: say so in the visitor's language
    st.warning(_("{variable} must be a positive number; using {default} live updates a second.").format(
        variable=LIVE_UPDATES_ENV_VAR, default=f"{DEFAULT_UPDATES_PER_SECOND:g}"), icon=":material/warning:")
if st.session_state[key("link_notes")]:
    show_notes(st.session_state[key("link_notes")])

explain_left, explain_right = aside("explain").columns(2)
with explain_left.expander(_("What you are seeing")):
    st.markdown(_(
        "- **sin → cos**: the network reads a sine, one point at a time, and must say the cosine at the "
        "same moment. At the start of a window it cannot tell a rising sine from a falling one; only its "
        "**memory of the last window** can.\n"
        "- Each optimizer step trains on the next window of the stream. The hidden state it ends in is "
        "carried into the next window, detached: the network remembers, gradients stop at the border.\n"
        "- The heatmap is that memory: every row is one hidden unit over time.\n"
        "- **next-step sine**: predict the next sample; then the network runs on its own, each output "
        "becoming its next input, drawn against the true wave.\n"
        "- **Gradient norm**: how big each step's gradient was. Learning follows it backwards through every "
        "point of the window; through a plain RNN it is multiplied by the recurrent weights at each point, so "
        "it can shrink to nothing or **explode**. One explosion can throw the weights where every unit is "
        "pinned at +1 or -1, and the network stops learning for good (Adam divides each step by the recent "
        "size of the gradients: after many tiny ones, a large one becomes a huge step). **Clipping** scales "
        "any gradient longer than the threshold down to it (red dashes): the direction is kept, the jump is "
        "not."))
with explain_right.expander(_("Try this")):
    st.markdown(_(
        "- Switch **Carry state** off while it trains: the first points of every window go wrong. "
        "Turn on **Carry vs reset** to watch two models differ only in memory.\n"
        "- Set the learning rate to 0.1, then back to 0.005: the model is kept, only the steps change.\n"
        "- Try LSTM or GRU: the loss drops much lower in the same number of windows.\n"
        "- Next-step sine: pick RNN with hidden size 8, and watch the free-running generation drift "
        "from the truth while the one-step predictions still look fine.\n"
        "- Press **Tutorial's setup** (no clipping, learning rate 0.02) and let it play for a few minutes: after "
        "a few thousand steps the gradient spikes and the loss jumps to 0.5 and stays. Reset, turn **Clip "
        "gradients** to 1 and compare. See why long memories need gates on the **Why gates remember** page.\n"
        "- Press **Copy link** beside the title and share it: the link opens this same setup."))

playing = st.session_state[key("playing")]
buttons = st.columns([3, 2], vertical_alignment="bottom")
with buttons[0]:
    play_controls(key, _("One step"), step_once, reset_training)
buttons[1].slider(_("Speed: steps per chart update"), *SPEED_RANGE, key=key("speed"),
                  help=_("Optimizer steps taken between two chart updates."))

# Room for the labels at 1024 px. The container's key lets a phone show the charts first (ui/page_style.py).
settings_column, charts_column = st.container(key=key("body")).columns([1.3, 3], gap="medium")
with settings_column:
    translate = bound_gettext()
    st.radio(_("Task"), list(TASKS), format_func=lambda task: translate(TASKS[task]), key=key("task"),
             on_change=on_task_change)
    st.radio(_("Cell"), list(CELLS), format_func=CELLS.get, key=key("cell"), horizontal=True,
             help=_("Changing the cell or its size starts a new model."))
    st.select_slider(_("Hidden size"), HIDDEN_SIZES, key=key("hidden"))
    st.select_slider(_("Learning rate"), LEARNING_RATES, key=key("lr"),
                     help=_("Applied on the fly: the model keeps what it has learned."))
    st.select_slider(_("Clip gradients"), CLIP_CHOICES, format_func=lambda clip: clip_shown(clip, translate),
                     key=key("clip"),
                     help=_("The largest gradient norm an optimizer step may use; a longer gradient is scaled "
                            "down to it. Applied on the fly."))
    with st.container(horizontal=True):
        st.button(_("Tutorial's setup"), key=key("tutorial_setup"), on_click=use_setup,
                  args=(WaveSettings.tutorial_setup(),),
                  help=_("The tutorial's original loop: RNN 32, learning rate 0.02, no clipping. It collapses "
                         "after a few thousand steps."))
        st.button(_("Safe defaults"), key=key("safe_setup"), on_click=lambda: use_setup(
                  WaveSettings.for_task(st.session_state[key("task")])),
                  help=_("This task's defaults: they train for a whole lesson without collapsing."))
    st.slider(_("Points per window"), *POINTS_RANGE, key=key("points"))
    st.select_slider(_("Window length"), list(WINDOW_LENGTHS), key=key("length"),
                     format_func=lambda name: name.replace("pi", "π"))
    st.toggle(_("Carry state"), key=key("carry"),
              help=_("On: each window starts from the state the last one ended in. Off: from zeros."))
    if st.session_state[key("task")] == "next_step":
        st.select_slider(_("Train on its own predictions (share of each window)"), FEEDBACK_CHOICES,
                         key=key("feedback"),
                         help=_("The tail of each window is read from the model's own previous outputs "
                                "instead of the true samples, as in free-running generation."))
    st.toggle(_("Carry vs reset"), key=key("compare"),
              help=_("Side by side: trains two more models on the same stream, one carrying its state from "
                     "window to window, one starting each window from zeros."))

with model_lock(key):
    apply_settings(settings)

with charts_column:
    st.fragment(live, run_every=TICK_SECONDS if playing else None)()
    st.fragment(recent, run_every=RECENT_SECONDS if playing else None)()
