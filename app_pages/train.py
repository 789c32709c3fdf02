"""Train it yourself: a digit or name classifier trained live, its curves drawn while it learns.

The training runs in a background thread (rnn_core.training.live), so the page can redraw twice a second
without slowing it down. The run and its model belong to this visitor only (st.session_state).
"""
import math
from dataclasses import astuple, replace

import plotly.graph_objects as go
import streamlit as st

from rnn_core.checkpoints import Checkpoint, CheckpointError, checkpoint_bytes, load_checkpoint
from rnn_core.training.live import LiveTraining, estimate_seconds
from rnn_core.layers import CELLS
from rnn_core.training.plans import TrainingPlan, prepare_training, test_metrics_metadata
from rnn_core.training.loop import ClassifierTrainer
from ui.engine_words import engine_words
from ui.i18n import N_, _, bound_gettext, number, percent, uploader_note
from ui.page_header import page_header
from ui.page_links import Choice, LinkField, follow_link, keep_in_link, link_notes
from ui.pages import TRAIN
from ui.projector import aside, scaled_figure
from ui.resources import device_choice, training_data
from ui.session_models import add_session_model, session_models, upload_problem

TASKS = {N_("Digits (MNIST)"): "mnist", N_("Names (18 languages)"): "names"}  # labels shown through _()
TASK_NAMES = {"mnist": N_("MNIST digits"), "names": N_("surnames")}
STATUSES = {"running": N_("running"), "paused": N_("paused"), "finished": N_("finished"), "stopped": N_("stopped"),
            "failed": N_("failed")}
KINDS = {"mnist": "row_classifier", "names": "name_classifier"}
MAX_UPLOAD_MB = 20
MAX_CHART_POINTS = 150  # thinned beyond this: the browser redraws the chart twice a second
INDIGO, GREEN = "#4f46e5", "#059669"
HIDDEN_SIZES, LAYERS, BATCH_SIZES = (16, 32, 64, 128, 256), (1, 2, 3), (16, 32, 64, 128, 256)
LEARNING_RATES, EPOCHS = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2), (1, 2, 3, 5, 10, 20)
# The setup a link carries: the recipe and the sizes. Defaults that take about a minute here and climb
# visibly: at 1e-3 an LSTM's accuracy rises over the first thousand steps instead of the first hundred.
LINK = (LinkField("task", "train_task", next(iter(TASKS)), Choice({code: label for label, code in TASKS.items()})),
        LinkField("cell", "train_cell", CELLS[1], Choice(CELLS)),
        LinkField("hidden", "train_hidden", 64, Choice(HIDDEN_SIZES)),
        LinkField("layers", "train_layers", 1, Choice(LAYERS)),
        LinkField("lr", "train_lr", 1e-3, Choice(LEARNING_RATES)),
        LinkField("epochs", "train_epochs", 5, Choice(EPOCHS)),
        LinkField("batch", "train_batch", 64, Choice(BATCH_SIZES)))


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
    data = [{"type": "scatter", "mode": "lines", "name": _("training loss"), "line": {"color": INDIGO},
             "x": [s for s, _ in losses], "y": [v for _, v in losses], "xaxis": "x", "yaxis": "y"},
            {"type": "scatter", "mode": "lines+markers", "name": _("held-out accuracy"), "marker": {"size": 5},
             "line": {"color": GREEN}, "x": [s for s, _ in accuracies], "y": [100 * v for _, v in accuracies],
             "xaxis": "x2", "yaxis": "y2"}]
    # Panel titles above the plots, not beside their axes: on a phone an axis title ran over the curve.
    titles = [{"text": f"<b>{text}</b>", "x": x, "y": 1.02, "xref": "paper", "yref": "paper", "xanchor": "left",
               "yanchor": "bottom", "showarrow": False} for text, x in ((_("Training loss (log scale)"), 0),
                                                                         (_("Held-out accuracy (%)"), 0.55))]
    layout = {"height": 300, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "showlegend": False,
              "annotations": titles,
              "xaxis": {"domain": [0, 0.45], "title": {"text": _("optimizer step")}, "automargin": True},
              "yaxis": {"type": "log", "dtick": 1, "automargin": True},
              "xaxis2": {"domain": [0.55, 1], "anchor": "y2", "title": {"text": _("optimizer step")},
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
    return _("The {task} data has {train} training and {test} test examples; training needs both. Is the data "
             "folder complete?").format(task=_(TASK_NAMES[plan.task]), train=number(train), test=number(test))


def start_run(plan: TrainingPlan) -> None:
    data = training_data(plan.task, download=True)  # the one place a click may fetch a data set
    if data.error:
        st.error(engine_words(data.error))
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


@st.cache_data(show_spinner=False, max_entries=64)  # the spinner, in the visitor's language, is where it is called
def run_estimate(plan_fields: tuple, data_digest: str) -> tuple[int, float] | None:
    """(optimizer steps, seconds) a run of this plan takes here, from timing some of its steps on a model
    of its own; None when the data cannot train. The data's digest is part of the key: other data, other
    step counts."""
    plan = TrainingPlan(*plan_fields)
    trainer, _metadata = prepare_training(plan, training_data(plan.task).data, device_choice().device)
    if split_problem(trainer, plan):
        return None
    return trainer.total_steps, estimate_seconds(trainer)


def duration(seconds: float) -> str:
    return (_("{seconds} s").format(seconds=f"{seconds:.0f}") if seconds < 90
            else _("{minutes} min").format(minutes=f"{seconds / 60:.0f}"))


def live_view(run: LiveTraining, running: bool) -> None:
    """The run's progress, its buttons and its curves; `running`: whether the page ticks."""
    snap = run.snapshot()
    plan: TrainingPlan = state.live_plan
    if (snap.status == "running") != running:
        st.rerun()  # started, paused or ended: redraw the whole page, ticking only while it runs
    st.progress(snap.progress, text=_("{task} · {cell} {layers}x{hidden} · epoch {epoch} of {epochs} · step {step} "
                                      "of {steps} · {status}").format(
        task=_(TASK_NAMES[plan.task]), cell=plan.cell.upper(), layers=plan.num_layers, hidden=plan.hidden_size,
        epoch=number(snap.epoch, 2), epochs=plan.epochs, step=number(snap.step), steps=number(snap.total_steps),
        status=_(STATUSES.get(snap.status, snap.status))))
    buttons = st.columns(3)
    if snap.status == "running":
        buttons[0].button(_("Pause"), icon=":material/pause:", on_click=run.pause, width="stretch")
    elif snap.status == "paused":
        buttons[0].button(_("Resume"), icon=":material/play_arrow:", on_click=run.start, width="stretch")
    if snap.status in ("running", "paused"):
        buttons[1].button(_("Stop"), icon=":material/stop:", on_click=run.stop, width="stretch")
    if snap.error:
        st.error(_("Training failed: {reason}").format(reason=snap.error))
    st.plotly_chart(scaled_figure(curves_figure(snap.losses, snap.accuracies)), key="live_curves",
                    config={"displayModeBar": False})


# ----------------------------------------------------------------------------- the page

state = st.session_state

follow_link("train", LINK)
for field in LINK:
    state.setdefault(field.key, field.default)
page_header(TRAIN, link=keep_in_link("train", LINK))
link_notes("train")
aside("intro").markdown(_(
    "Pick a network and press **Train**. The curves update while it learns: the training loss after every "
    "few batches, and the accuracy on held-out examples it never trains on. Stop whenever you like; the "
    "model keeps what it has learned and you can try it on the **Draw a digit** or **Name classifier** "
    "page, or download it."))

left, middle, right = st.columns(3)
translate = bound_gettext()
task = TASKS[left.radio(_("Task"), list(TASKS), format_func=translate, key="train_task")]
cell = left.selectbox(_("Cell"), CELLS, format_func=str.upper, key="train_cell")
hidden = middle.select_slider(_("Hidden size"), HIDDEN_SIZES, key="train_hidden")
layers = middle.select_slider(_("Layers"), LAYERS, key="train_layers")
lr = right.select_slider(_("Learning rate"), LEARNING_RATES, key="train_lr")
epochs = right.select_slider(_("Epochs"), EPOCHS, key="train_epochs")
batch = middle.select_slider(_("Batch size"), BATCH_SIZES, key="train_batch")
plan = TrainingPlan(task, cell, hidden, layers, lr, epochs, batch)
estimate_slot = st.empty()  # filled last: timing a run takes a moment, and the page shows first
if st.button(_("Train"), type="primary", icon=":material/play_arrow:"):
    if "live_run" in state:
        state.live_run.stop()
    start_run(plan)

run: LiveTraining | None = state.get("live_run")
running = run is not None and run.snapshot().status == "running"


if run is not None:
    # at least two updates a second while it runs, with room to spare
    st.fragment(live_view, run_every=0.4 if running else None)(run, running)
    snap = run.snapshot()
    if snap.status in ("finished", "stopped") and state.get("live_saved") is None:
        with st.spinner(_("Measuring the model on the whole test split…")):
            checkpoint = save_result()
        label = _("Yours · {cell} {hidden}").format(cell=state.live_plan.cell.upper(),
                                                    hidden=state.live_plan.hidden_size)
        state.live_saved = (add_session_model(label, checkpoint), checkpoint)
    if state.get("live_saved"):
        label, checkpoint = state.live_saved
        accuracy = checkpoint.metadata.test_metrics.accuracy
        page = _("Draw a digit") if checkpoint.kind == "row_classifier" else _("Name classifier")
        st.success(_("“{label}” reached {accuracy} on the test split. Pick it on the {page} page.").format(
            label=label, accuracy=percent(accuracy, 2), page=page))
        st.download_button(_("Download checkpoint"), checkpoint_bytes(checkpoint.model, checkpoint.metadata),
                           file_name=f"{state.live_plan.task}-{state.live_plan.cell}.pt", icon=":material/download:")

with aside("load"):  # beside the demo: hidden in projector mode
    st.divider()
    st.subheader(_("Load a checkpoint"))
    uploader_note(MAX_UPLOAD_MB)
    upload = st.file_uploader(_("A .pt file saved by this app or by `python -m rnn_core train`"), type=["pt"])
    if upload is not None and state.get("uploaded_name") != upload.file_id:
        state.uploaded_name = upload.file_id
        if upload.size > MAX_UPLOAD_MB * 2 ** 20:
            st.error(_("That file is {size} MB; checkpoints here are under {limit} MB.").format(
                size=f"{upload.size / 2 ** 20:.0f}", limit=MAX_UPLOAD_MB))
        else:
            try:
                checkpoint = load_checkpoint(upload.getvalue())
            except CheckpointError as error:
                st.error(engine_words(error))
            else:
                if problem := upload_problem(checkpoint):
                    st.error(_("That checkpoint cannot be used here. {problem}").format(problem=problem))
                else:
                    label = add_session_model(_("Uploaded {cell}").format(cell=checkpoint.model.config.cell.upper())
                                              if checkpoint.kind == "row_classifier" else _("Uploaded names model"),
                                              checkpoint)
                    st.success(_("Loaded as “{label}”. Pick it on its demo page.").format(label=label))
    mine = {kind: session_models(kind) for kind in KINDS.values()}
    if any(mine.values()):
        st.caption(_("Your models in this browser tab: {labels}").format(
            labels=", ".join(sorted(label for m in mine.values() for label in m))))

data_now = training_data(task)
if not data_now.error:
    with estimate_slot, st.spinner(_("Timing a few steps…")):
        estimate = run_estimate(astuple(plan), data_now.data.digest)
    if estimate:
        steps, seconds = estimate
        estimate_slot.caption(_("This run: {steps} optimizer steps, about {duration} on this server.").format(
            steps=number(steps), duration=duration(seconds)))
