"""Why gates remember: a plain RNN, an LSTM and a GRU learn, live and side by side, to recall at the end of a
noisy sequence a symbol it showed T steps earlier; and how far back each one's gradient reaches.

The three trainers live in st.session_state (one set per visitor, on the CPU). While playing, one
fragment reruns every TICK_SECONDS: it takes `speed` optimizer steps for each cell and redraws the status
line and the accuracy curves; a second one redraws the three gradient heatmaps every REACH_SECONDS. The
"exploding" view below measures an untrained RNN once per setting.
"""
from __future__ import annotations

import math

import numpy as np
import streamlit as st

from rnn_core.memory.data import CHANCE, DISTANCE_RANGE, SYMBOLS, MemoryTaskConfig
from rnn_core.memory.trainer import (LEARNT_ACCURACY, GradientGrowth, MemoryComparison, MemoryTrainer,
                                    gradient_growth)
from rnn_core.settings import LIVE_UPDATES_ENV_VAR
from ui import memory_charts
from ui.i18n import _, bound_gettext, number
from ui.i18n import percent as locale_percent
from ui.live_updates import DEFAULT_UPDATES_PER_SECOND, live_update_schedule, updates_per_second
from ui.page_header import page_header
from ui.page_links import Choice, LinkField, WholeNumber, follow_link, keep_in_link, link_notes
from ui.pages import MEMORY
from ui.play_controls import model_lock, play_controls
from ui.projector import aside, scaled
from ui.wave_charts import chart_spec, readable
from ui.wave_settings import clip_label

# Ten updates a second at most: asked for faster, the browser dropped most chart redraws (3-4 drawn a second).
TICK_SECONDS = 0.1
REACH_SECONDS = 1.0  # the heatmaps: once a second
SPEED_RANGE = (1, 20)  # optimizer steps per chart update, for each cell
DEFAULT_SPEED = 2
SCALES = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0)  # the exploding view's recurrent weight scale
DEFAULT_SCALE = 4.0
CLIPS = (0.0, 1.0, 10.0)  # the exploding view's clipping threshold; 0 is off
GROWTH_DISTANCES = [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
# The setup a link carries: the distance and the speed of the three learners, and the exploding view's settings.
LINK = (LinkField("distance", "memory_distance", MemoryTaskConfig.distance, WholeNumber(*DISTANCE_RANGE)),
        LinkField("speed", "memory_speed", DEFAULT_SPEED, WholeNumber(*SPEED_RANGE)),
        LinkField("scale", "memory_scale", DEFAULT_SCALE, Choice(SCALES)),
        LinkField("clip", "memory_clip", 1.0, Choice({clip_label(clip): clip for clip in CLIPS})))


def key(name: str) -> str:
    return f"memory_{name}"


def config_for(distance: int) -> MemoryTaskConfig:
    return MemoryTaskConfig(distance=distance)


def start_training() -> None:
    st.session_state[key("comparison")] = MemoryComparison(config_for(st.session_state[key("distance")]))


def step_once() -> None:
    st.session_state[key("comparison")].step(1)


def reset_training() -> None:
    st.session_state[key("comparison")].reset()


@st.cache_data(max_entries=32, show_spinner=False)
def growth_for(scale: float) -> GradientGrowth:
    """The exploding view's measurement: the same for every visitor, so measured once per scale."""
    return gradient_growth(MemoryTaskConfig(recurrent_scale=scale), GROWTH_DISTANCES)


def percent(value: float) -> str:
    return "–" if math.isnan(value) else locale_percent(value)


def draw_chart(name: str, spec: dict) -> None:
    """A chart in a container of its own: the same spec every tick, so the browser updates it in place."""
    with st.container(key=key(f"{name}_chart")):
        st.vega_lite_chart(scaled(spec), width="stretch")


def learnt_line(trainers: dict[str, MemoryTrainer]) -> str:
    """When each cell first reached LEARNT_ACCURACY, in optimizer steps: the same on every machine."""
    level = percent(LEARNT_ACCURACY)
    return " · ".join(
        (_("{cell}: {level} at step {step}").format(cell=memory_charts.CELL_NAMES[cell], level=level,
                                                   step=number(trainer.learnt_at))
         if trainer.learnt_at is not None else
         _("{cell}: not at {level} yet").format(cell=memory_charts.CELL_NAMES[cell], level=level))
        for cell, trainer in trainers.items())


def draw_live(comparison: MemoryComparison) -> None:
    trainers = comparison.trainers
    with st.container(key=key("status")):
        st.markdown("**" + _("Step {step}").format(step=number(comparison.step_count)) + "**"
                    + f" · T = {comparison.config.distance} · " + _("accuracy, last 100 batches:") + " "
                    + " · ".join(
                        f"{memory_charts.CELL_NAMES[cell]} **{percent(trainer.recent_accuracy())}**"
                        for cell, trainer in trainers.items()))
        if comparison.step_count:
            st.caption(learnt_line(trainers))
    if comparison.step_count == 0:
        st.info(_("Press **Play** (or **Step**) to start training."))
        return
    draw_chart("accuracy", chart_spec(memory_charts.accuracy_panel(trainers, height=340)))


def reach_caption(ratios: np.ndarray) -> str:
    if not len(ratios) or not np.isfinite(ratios[-1]):
        return _("Not measured yet.")
    return _("Latest: the symbol's step gets **{ratio}** of the gradient at step T.").format(ratio=readable(ratios[-1]))


def draw_reach(comparison: MemoryComparison) -> None:
    if comparison.step_count == 0:
        return
    st.markdown(_("**How much of the gradient at step T reaches each step t** (log colour: yellow = all of it or "
                  "more, dark = almost nothing; one row per stretch of training, the newest at the bottom)"))
    for column, (cell, trainer) in zip(st.columns(len(comparison.trainers)), comparison.trainers.items()):
        with column:
            draw_chart(f"reach_{cell}", memory_charts.reach_spec(memory_charts.CELL_NAMES[cell],
                                                                 memory_charts.reach_rows(trainer)))
            st.caption(reach_caption(trainer.reach_ratios()))


def live() -> None:
    """The status line and the accuracy curves; while playing, `speed` steps for each cell first."""
    playing_now = st.session_state[key("playing")]
    if playing_now:
        live_update_schedule().wait_for_slot()  # in a full room, every player's ticks slow down evenly
    with model_lock(key):
        comparison: MemoryComparison = st.session_state[key("comparison")]
        if playing_now:
            comparison.step(st.session_state[key("speed")])
        draw_live(comparison)


def reach() -> None:
    """The three gradient heatmaps."""
    if st.session_state[key("playing")]:
        live_update_schedule().wait_for_slot()
    with model_lock(key):
        draw_reach(st.session_state[key("comparison")])


# ----------------------------------------------------------------------------- state

WIDGETS = ("distance", "speed", "scale", "clip")
first_visit = key("comparison") not in st.session_state
if first_visit:
    st.session_state[key("kept")] = {"distance": MemoryTaskConfig.distance, "speed": DEFAULT_SPEED,
                                     "scale": DEFAULT_SCALE, "clip": 1.0}
    st.session_state[key("playing")] = False
    st.session_state[key("distance")] = MemoryTaskConfig.distance
if follow_link("memory", LINK) or first_visit:
    st.session_state[key("playing")] = False
    start_training()
# A Streamlit workaround, with the others in ui/serving.py's catalogue.
for name in WIDGETS:  # Streamlit drops a widget's value while its page is not shown: bring it back
    st.session_state.setdefault(key(name), st.session_state[key("kept")][name])

# ----------------------------------------------------------------------------- controls

page_header(MEMORY, link=keep_in_link("memory", LINK))
link_notes("memory")
aside("intro").caption(_("A noisy sequence shows one of {symbols} symbols once; T steps later the network must "
                         "name it. A plain RNN, an LSTM and a GRU of the same size learn it side by side, on the "
                         "same batches, from the same seed.").format(symbols=SYMBOLS))
if updates_per_second()[1]:  # the server's setting is not a number: say so in the visitor's language
    st.warning(_("{variable} must be a positive number; using {default} live updates a second.").format(
        variable=LIVE_UPDATES_ENV_VAR, default=f"{DEFAULT_UPDATES_PER_SECOND:g}"), icon=":material/warning:")

explain_left, explain_right = aside("explain").columns(2)
with explain_left.expander(_("What you are seeing")):
    st.markdown(_(
        "- **The task**: among noise, one step shows a symbol (one of {symbols}) with a \"remember this\" flag "
        "(step t = 1 on the heatmaps); T steps later a flag asks for it, and the network must say which symbol it "
        "was. Guessing scores {chance} (dashed line).\n"
        "- **Learning needs a gradient that reaches the symbol's step.** The heatmaps show how much of the "
        "gradient at the question (t = T) is left at each earlier step (yellow: all of it; dark: almost "
        "nothing), one row per stretch of training, the newest at the bottom.\n"
        "- In a **plain RNN** the gradient is multiplied by the recurrent weights and the slope of tanh at "
        "every step back, so it fades geometrically: a millionth or less reaches the symbol, and the RNN never "
        "learns what the symbol was. It guesses.\n"
        "- An **LSTM** keeps a cell state that is only scaled by its forget gate, and a **GRU** a state kept "
        "by its update gate: with those gates open, memory and gradient pass through many steps almost "
        "untouched. Both start with them open, as is common, and learn the task in some hundreds of optimizer "
        "steps; the line above the chart says at which step each first reached {level}.\n"
        "- **When gradients explode** (below): with large recurrent weights the same product grows instead, "
        "exponentially in T. Clipping caps the norm an optimizer step may use and keeps its direction.").format(
            symbols=SYMBOLS, chance=percent(CHANCE), level=percent(LEARNT_ACCURACY)))
with explain_right.expander(_("Try this")):
    st.markdown(_(
        "- Set the distance to 5: now the RNN learns too. Raise it step by step (10, 20, 40): where does "
        "it stop learning, and what does its heatmap look like there?\n"
        "- Watch the LSTM's heatmap as it learns: the early steps light up as it starts to use them.\n"
        "- Set the distance to 100: the gated cells still learn, more slowly.\n"
        "- Below, raise the recurrent weight scale to 4 or 5: the gradient norm grows by orders of magnitude "
        "with T. Turn clipping off and on and compare."))

playing = st.session_state[key("playing")]
controls = st.columns([8, 3, 3], vertical_alignment="bottom")  # Play shows its key: room for the row at 1024 px
with controls[0]:
    play_controls(key, _("Step"), step_once, reset_training,
                  step_help=_("One optimizer step for each of the three networks."))
controls[1].slider(_("Distance T"), *DISTANCE_RANGE, key=key("distance"), on_change=start_training,
                   help=_("How many steps the symbol must be remembered. Changing it starts the three networks "
                          "afresh."))
controls[2].slider(_("Speed"), *SPEED_RANGE, key=key("speed"),
                   help=_("Optimizer steps of each network between two chart updates."))

st.fragment(live, run_every=TICK_SECONDS if playing else None)()
st.fragment(reach, run_every=REACH_SECONDS if playing else None)()

# ----------------------------------------------------------------------------- exploding gradients

st.subheader(_("When gradients explode"))
st.caption(_("The same plain RNN, untrained, with its recurrent weights drawn larger than PyTorch's default. "
             "One batch per distance T: the norm of the gradient of one optimizer step, before and after clipping."))
settings_column, chart_column = st.columns([1, 3], gap="large")
with settings_column:
    st.select_slider(_("Recurrent weight scale"), SCALES, key=key("scale"),
                     format_func=lambda scale: f"{scale:g}x",
                     help=_("A multiple of PyTorch's default: the recurrent weights W_hh are multiplied by this "
                            "after PyTorch's default draw."))
    translate = bound_gettext()
    st.radio(_("Clip gradients"), CLIPS, key=key("clip"), horizontal=True,
             format_func=lambda clip: translate("off") if clip == 0 else f"{clip:g}")
st.session_state[key("kept")] = {name: st.session_state[key(name)] for name in WIDGETS}
growth = growth_for(st.session_state[key("scale")])
clip = st.session_state[key("clip")] or None
with chart_column:
    draw_chart("growth", chart_spec(memory_charts.growth_panel(growth, clip)))
    longest, ratio = growth.distances[-1], growth.first_to_last[-1]
    if clip:
        st.markdown(_("At T = {distance}, the symbol's step gets **{ratio}** times the gradient of step T, and the "
                      "gradient norm is **{norm}**; clipped, the step uses **{used}**, in the same direction.").format(
                          distance=longest, ratio=readable(ratio), norm=readable(growth.norms[-1]),
                          used=readable(min(growth.norms[-1], clip))))
    else:
        st.markdown(_("At T = {distance}, the symbol's step gets **{ratio}** times the gradient of step T, and the "
                      "gradient norm is **{norm}**, all of it used by the step.").format(
                          distance=longest, ratio=readable(ratio), norm=readable(growth.norms[-1])))
