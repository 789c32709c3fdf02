"""Background training runs (start, pause, stop, usable model at any time) and handwriting fine-tuning."""
import os
import sys
import time

import pytest
import torch

from rnn_core.checkpoints import weights_digest
from rnn_core.training.live import BACKGROUND_NICENESS
from rnn_core.digits.model import RowClassifier, RowClassifierConfig
from rnn_core.digits.recipe import fine_tune_on_drawings
from harness.live_runs import live_run, wait_until


def test_run_to_the_end_records_rising_curves():
    run = live_run(epochs=6)
    run.start()
    run.wait(timeout=120)
    snap = run.snapshot()
    assert snap.status == "finished" and snap.step == snap.total_steps == 48 and snap.progress == 1.0
    assert [s for s, _ in snap.losses] == list(range(2, 49, 2))
    assert snap.accuracies[0][0] == 0 and snap.accuracies[-1][0] == 48
    assert snap.accuracies[-1][1] > snap.accuracies[0][1]


def test_pause_holds_and_stop_leaves_a_usable_model():
    run = live_run(epochs=50)
    run.start()
    wait_until(lambda: run.snapshot().step >= 4)
    run.pause()
    time.sleep(0.3)  # let the step in flight finish
    held = run.snapshot().step
    time.sleep(0.5)
    assert run.snapshot().step == held and run.snapshot().status == "paused"
    run.start()
    wait_until(lambda: run.snapshot().step > held)
    run.stop()
    run.wait()
    snap = run.snapshot()
    assert snap.status == "stopped" and snap.step < snap.total_steps
    model = run.model_copy()
    assert not model.training and model(torch.rand(2, 28, 28)).shape == (2, 4)


def test_a_paused_run_holds_no_thread_and_stopping_it_measures_where_it_stands():
    run = live_run(epochs=50)
    run.start()
    wait_until(lambda: run.snapshot().step >= 4)
    thread = run._thread
    run.pause()
    thread.join(timeout=10)
    assert not thread.is_alive() and run._thread is None
    run.stop()
    run.wait()
    snap = run.snapshot()
    assert snap.status == "stopped" and snap.accuracies[-1][0] == snap.step


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux lowers one thread's priority")
def test_the_training_thread_gives_way_to_the_servers_other_threads():
    own_niceness = os.getpriority(os.PRIO_PROCESS, 0)  # 0: on Linux, the calling thread
    run = live_run(epochs=50)
    run.start()
    wait_until(lambda: run.snapshot().step >= 2)
    training_niceness = os.getpriority(os.PRIO_PROCESS, run._thread.native_id)
    run.stop()
    run.wait()
    assert training_niceness >= BACKGROUND_NICENESS > own_niceness
    assert os.getpriority(os.PRIO_PROCESS, 0) == own_niceness  # the rest of the server keeps its priority


def test_fine_tuning_changes_the_copy_and_not_the_shared_model():
    torch.manual_seed(0)
    shared = RowClassifier(RowClassifierConfig(cell="lstm", hidden_size=16, num_layers=1)).eval()
    shared.requires_grad_(False)  # as the app freezes its shared models
    before = weights_digest(shared)
    drawings = torch.zeros(3, 28, 28)
    drawings[:, 4:24, 12:16] = 1.0  # three "1"s ...
    labels = torch.tensor([7, 7, 7])  # ... that this visitor insists are 7s
    tuned = fine_tune_on_drawings(shared, drawings, labels, mnist=None, steps=40, lr=1e-2)
    assert weights_digest(shared) == before
    assert weights_digest(tuned) != before
    assert tuned(drawings).argmax(1).tolist() == [7, 7, 7]
