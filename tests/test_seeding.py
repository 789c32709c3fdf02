"""Random draws belong to their trainer: the same seed gives the same weights whether a run is alone or
shares the process with others training at the same moment (as visitors do, each in a thread)."""
from __future__ import annotations

import threading

import pytest
import torch
from torch import nn

from rnn_core.checkpoints import weights_digest
from rnn_core.digits.data import load_mnist
from rnn_core.names.data import load_names
from rnn_core.digits.recipe import mnist_classification_data
from rnn_core.names.model import NameClassifier, NameClassifierConfig
from rnn_core.digits.model import RowClassifier, RowClassifierConfig
from rnn_core.seeding import draws_dropout, init_parameters, seeded
from rnn_core.training.loop import ClassifierTrainer, TrainConfig
from rnn_core.training.plans import TrainingPlan, prepare_training
from rnn_core.waves.trainer import WaveTrainer, WaveTrainerConfig
from harness.tiny_data import write_tiny_mnist, write_tiny_names

CPU = torch.device("cpu")


def in_threads(jobs: list) -> list:
    """Run every job at once, each in a thread of its own, started together; their results in order."""
    results, start = [None] * len(jobs), threading.Barrier(len(jobs))

    def run(i: int) -> None:
        start.wait()
        results[i] = jobs[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    write_tiny_names(root)
    write_tiny_mnist(root, train=200, test=20)
    return load_names(root, download=False), load_mnist(root, download=False)


def names_run(names, seed: int) -> str:
    """The training page's names plan (its head has dropout), 24 steps."""
    trainer, _ = prepare_training(TrainingPlan("names", "gru", 16, 1, 1e-2, 2, 4, seed), names, CPU)
    trainer.train_steps(24)
    return weights_digest(trainer.model)


def digits_run(mnist, seed: int) -> str:
    """A 2-layer LSTM (dropout between its layers) on randomly transformed digits, 12 steps."""
    model = seeded(lambda: RowClassifier(RowClassifierConfig(cell="lstm", hidden_size=16, num_layers=2, dropout=0.3)),
                   seed)
    trainer = ClassifierTrainer(model, mnist_classification_data(mnist, augment=True),
                                TrainConfig(epochs=1, batch_size=16, seed=seed), CPU)
    trainer.train_steps(12)
    return weights_digest(model)


def wave_run(seed: int) -> str:
    trainer = WaveTrainer(WaveTrainerConfig(seed=seed))
    trainer.reset()
    trainer.step(30)
    return weights_digest(trainer.model)


def test_runs_at_the_same_time_give_the_weights_they_give_alone(data):
    names, mnist = data
    jobs = [lambda: names_run(names, 0), lambda: names_run(names, 1), lambda: digits_run(mnist, 0),
            lambda: digits_run(mnist, 1), lambda: wave_run(0), lambda: wave_run(1)]
    alone = [job() for job in jobs]
    assert len(set(alone)) == len(alone)  # different seeds, different weights
    assert in_threads(jobs) == alone
    assert in_threads(jobs[::-1]) == alone[::-1]


def test_a_seed_gives_the_same_weights_as_the_global_seed_did():
    config = NameClassifierConfig(vocab_size=20, num_classes=3, hidden_size=8, ngram_buckets=64, num_members=2)
    torch.manual_seed(3)
    built = NameClassifier(config)
    state = torch.random.get_rng_state()
    drawn = seeded(lambda: NameClassifier(config), 3)
    assert weights_digest(drawn) == weights_digest(built)
    torch.random.set_rng_state(state)


def test_models_with_and_without_dropout_are_told_apart():
    assert draws_dropout(NameClassifier(NameClassifierConfig(vocab_size=5, num_classes=2)))
    assert draws_dropout(RowClassifier(RowClassifierConfig(num_layers=2, dropout=0.1)))
    assert not draws_dropout(RowClassifier(RowClassifierConfig(num_layers=1)))


def test_a_layer_it_cannot_draw_is_refused():
    with pytest.raises(TypeError, match="LayerNorm"):
        init_parameters(nn.Sequential(nn.LayerNorm(3)), torch.Generator())
