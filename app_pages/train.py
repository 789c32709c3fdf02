"""Train it yourself: a digit or name classifier trained live, its curves drawn while it learns.

The training runs in a background thread (rnn_core.live_training), so the page can redraw twice a second
without slowing it down. The run and its model belong to this visitor only (st.session_state).
"""
import math
import time
from dataclasses import astuple, replace

import plotly.graph_objects as go
import streamlit as st

from rnn_core.checkpoints import Checkpoint, CheckpointError, checkpoint_bytes, load_checkpoint
from rnn_core.live_training import LiveTraining
from rnn_core.models import CELLS
from rnn_core.recipes import TrainingPlan, prepare_training, test_metrics_metadata
from rnn_core.training import ClassifierTrainer
from ui.resources import device_choice, training_data
from ui.session_models import add_session_model, session_models, upload_problem

TASKS = {"Digits (MNIST)": "mnist", "Names (18 languages)": "names"}
KINDS = {"mnist": "row_classifier", "names": "name_classifier"}
MAX_UPLOAD_MB = 20
CALIBRATION_STEPS = 5  # optimizer steps timed to say how long a run will take
EVALUATION_SHARE = 1.15  # a run also measures held-out accuracy once a second: about this much on top
state = st.session_state

st.title("Train it yourself")
st.markdown(
    "Pick a network and press **Train**. The curves update while it learns: the training loss after every "
    "few batches, and the accuracy on held-out examples it never trains on. Stop whenever you like; the "
    "model keeps what it has learned and you can try it on the **Draw a digit** or **Name classifier** "
    "page, or download it.")


MAX_CHART_POINTS = 150  # thinned beyond this: the browser redraws the chart twice a second
INDIGO, GREEN = "#4f46e5", "#059669"


def thinned(points: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Every k-th point, and the last, when there are more than MAX_CHART_POINTS."""
    if len(points) <= MAX_CHART_POINTS:
        return points
    return points[:: math.ceil(len(points) / MAX_CHART_POINTS)] + points[-1:]


def curves_figure(losses: list[tuple[int, float]], accuracies: list[tuple[int, float]]) -> go.Figure:
    """Training loss (log scale) beside held-out accuracy, in one figure: one browser render per tick.

    Built from plain dicts without plotly's validation, which would cost more than the tick itself.
    """
    losses, accuracies = thinned(losses), thinned(accuracies)
    data = [{"type": "scatter", "mode": "lines", "name": "training loss", "line": {"color": INDIGO},
             "x": [s for s, _ in losses], "y": [v for _, v in losses], "xaxis": "x", "yaxis": "y"},
            {"type": "scatter", "mode": "lines+markers", "name": "held-out accuracy", "marker": {"size": 5},
             "line": {"color": GREEN}, "x": [s for s, _ in accuracies], "y": [100 * v for _, v in accuracies],
             "xaxis": "x2", "yaxis": "y2"}]
    # Panel titles above the plots, not beside their axes: on a phone an axis title ran over the curve.
    titles = [{"text": f"<b>{text}</b>", "x": x, "y": 1.02, "xref": "paper", "yref": "paper", "xanchor": "left",
               "yanchor": "bottom", "showarrow": False} for text, x in (("Training loss (log scale)", 0),
                                                                         ("Held-out accuracy (%)", 0.55))]
    layout = {"height": 300, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "showlegend": False,
              "annotations": titles,
              "xaxis": {"domain": [0, 0.45], "title": {"text": "optimizer step"}, "automargin": True},
              "yaxis": {"type": "log", "dtick": 1, "automargin": True},
              "xaxis2": {"domain": [0.55, 1], "anchor": "y2", "title": {"text": "optimizer step"},
                         "automargin": True},
              "yaxis2": {"anchor": "x2", "automargin": True},
              "uirevision": "curves"}
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def split_problem(trainer: ClassifierTrainer, plan: TrainingPlan) -> str:
    """Why this data cannot train: a partial data folder (a few names files, a handful of lines) can
    leave a split empty. "" when it can."""
    train, test = len(trainer.data.train_labels), len(trainer.data.test_labels)
    if train and test:
        return ""
    return (f"The {plan.task} data has {train:,} training and {test:,} test examples; training needs both. "
            "Is the data folder complete?")


def start_run(plan: TrainingPlan) -> None:
    data = training_data(plan.task, download=True)  # the one place a click may fetch a data set
    if data.error:
        st.error(data.error)
        return
    trainer, metadata = prepare_training(plan, data.data, device_choice().device)
    if problem := split_problem(trainer, plan):
        st.error(problem)
        return
    run = LiveTraining(trainer)
    state.live_run, state.live_plan, state.live_metadata, state.live_saved = run, plan, metadata, None
    run.start()


def save_result() -> Checkpoint:
    """The run's model as a checkpoint (test metrics measured once, on the whole test split)."""
    run: LiveTraining = state.live_run
    run.wait()  # a stopped run finishes the steps in flight first
    model = run.model_copy()
    metadata = replace(state.live_metadata,
                       test_metrics=test_metrics_metadata(run.trainer, state.live_metadata.labels))
    return Checkpoint(KINDS[state.live_plan.task], model, metadata)


@st.cache_data(show_spinner="Timing a few steps…", max_entries=64)
def run_estimate(plan_fields: tuple, data_digest: str) -> tuple[int, float] | None:
    """(optimizer steps, seconds) a run of this plan takes here, from timing a few of its steps; None when
    the data cannot train. The data's digest is part of the key: other data, other step counts."""
    plan = TrainingPlan(*plan_fields)
    trainer, _ = prepare_training(plan, training_data(plan.task).data, device_choice().device)
    if split_problem(trainer, plan):
        return None
    started = time.perf_counter()
    trainer.train_steps(CALIBRATION_STEPS)
    per_step = (time.perf_counter() - started) / CALIBRATION_STEPS
    return trainer.total_steps, per_step * trainer.total_steps * EVALUATION_SHARE


def duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


left, middle, right = st.columns(3)
task = TASKS[left.radio("Task", list(TASKS))]
cell = left.selectbox("Cell", CELLS, index=1, format_func=str.upper)
hidden = middle.select_slider("Hidden size", [16, 32, 64, 128, 256], value=64)
layers = middle.select_slider("Layers", [1, 2, 3], value=1)
# Defaults that take about a minute here and climb visibly: at 1e-3 an LSTM's accuracy rises over the
# first thousand steps instead of the first hundred.
lr = right.select_slider("Learning rate", [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2], value=1e-3)
epochs = right.select_slider("Epochs", [1, 2, 3, 5, 10, 20], value=5)
batch = middle.select_slider("Batch size", [16, 32, 64, 128, 256], value=64)
plan = TrainingPlan(task, cell, hidden, layers, lr, epochs, batch)
estimate_slot = st.empty()  # filled last: timing a run takes a moment, and the page shows first
if st.button("Train", type="primary", icon=":material/play_arrow:"):
    if "live_run" in state:
        state.live_run.stop()
    start_run(plan)

run: LiveTraining | None = state.get("live_run")
running = run is not None and run.snapshot().status == "running"


@st.fragment(run_every=0.4 if running else None)  # at least two updates a second, with room to spare
def live_view() -> None:
    snap = run.snapshot()
    plan: TrainingPlan = state.live_plan
    if (snap.status == "running") != running:
        st.rerun()  # started, paused or ended: redraw the whole page, ticking only while it runs
    st.progress(snap.progress, text=f"{plan.task} · {plan.cell.upper()} {plan.num_layers}x{plan.hidden_size} · "
                                    f"epoch {snap.epoch:.2f} of {plan.epochs} · step {snap.step:,} of "
                                    f"{snap.total_steps:,} · {snap.status}")
    buttons = st.columns(3)
    if snap.status == "running":
        buttons[0].button("Pause", icon=":material/pause:", on_click=run.pause, width="stretch")
    elif snap.status == "paused":
        buttons[0].button("Resume", icon=":material/play_arrow:", on_click=run.start, width="stretch")
    if snap.status in ("running", "paused"):
        buttons[1].button("Stop", icon=":material/stop:", on_click=run.stop, width="stretch")
    if snap.error:
        st.error(f"Training failed: {snap.error}")
    st.plotly_chart(curves_figure(snap.losses, snap.accuracies), key="live_curves",
                    config={"displayModeBar": False})


if run is not None:
    live_view()
    snap = run.snapshot()
    if snap.status in ("finished", "stopped") and state.get("live_saved") is None:
        with st.spinner("Measuring the model on the whole test split…"):
            checkpoint = save_result()
        label = f"Yours · {state.live_plan.cell.upper()} {state.live_plan.hidden_size}"
        state.live_saved = (add_session_model(label, checkpoint), checkpoint)
    if state.get("live_saved"):
        label, checkpoint = state.live_saved
        accuracy = checkpoint.metadata.test_metrics.accuracy
        page = "Draw a digit" if checkpoint.kind == "row_classifier" else "Name classifier"
        st.success(f"“{label}” reached {accuracy:.2%} on the test split. Pick it on the {page} page.")
        st.download_button("Download checkpoint", checkpoint_bytes(checkpoint.model, checkpoint.metadata),
                           file_name=f"{state.live_plan.task}-{state.live_plan.cell}.pt", icon=":material/download:")

st.divider()
st.subheader("Load a checkpoint")
upload = st.file_uploader("A .pt file saved by this app or by `python -m rnn_core train`", type=["pt"])
if upload is not None and state.get("uploaded_name") != upload.file_id:
    state.uploaded_name = upload.file_id
    if upload.size > MAX_UPLOAD_MB * 2 ** 20:
        st.error(f"That file is {upload.size / 2 ** 20:.0f} MB; checkpoints here are under {MAX_UPLOAD_MB} MB.")
    else:
        try:
            checkpoint = load_checkpoint(upload.getvalue())
        except CheckpointError as error:
            st.error(str(error))
        else:
            if problem := upload_problem(checkpoint):
                st.error(f"That checkpoint cannot be used here. {problem}")
            else:
                label = add_session_model(f"Uploaded {checkpoint.model.config.cell.upper()}"
                                          if checkpoint.kind == "row_classifier" else "Uploaded names model",
                                          checkpoint)
                st.success(f"Loaded as “{label}”. Pick it on its demo page.")
mine = {kind: session_models(kind) for kind in KINDS.values()}
if any(mine.values()):
    st.caption("Your models in this browser tab: " + ", ".join(sorted(label for m in mine.values() for label in m)))

data_now = training_data(task)
if not data_now.error and (estimate := run_estimate(astuple(plan), data_now.data.digest)):
    steps, seconds = estimate
    estimate_slot.caption(f"This run: {steps:,} optimizer steps, about {duration(seconds)} on this server.")
