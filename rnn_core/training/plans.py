"""The training page's runs: a visitor's choices become a fresh model, its trainer and its checkpoint
metadata. The CLI's recipes are digits/recipe.py and names/recipe.py."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch

from rnn_core.checkpoint_meta import CheckpointMetadata, ClassifierMetrics
from rnn_core.digits.data import MnistData
from rnn_core.names.data import CharVocab, NamesData, split_names_v1
from rnn_core.digits.recipe import DIGIT_LABELS, mnist_classification_data
from rnn_core.metrics import metrics_metadata
from rnn_core.names.model import NameClassifier, NameClassifierConfig
from rnn_core.digits.model import RowClassifier, RowClassifierConfig
from rnn_core.names.recipe import names_classification_data
from rnn_core.seeding import seeded
from rnn_core.training.loop import ClassifierTrainer, TrainConfig


@dataclass
class TrainingPlan:
    """What a visitor picks on the training page."""
    task: str  # "mnist" or "names"
    cell: str
    hidden_size: int
    num_layers: int
    lr: float
    epochs: float
    batch_size: int
    seed: int = 0


def prepare_training(plan: TrainingPlan, data: MnistData | NamesData, device: torch.device
                     ) -> tuple[ClassifierTrainer, CheckpointMetadata]:
    """A fresh model and its trainer for `plan`, and the metadata its checkpoint will carry.

    Live runs use a constant learning rate and no augmentation, so the curves move from the first second.
    """
    train = TrainConfig(epochs=plan.epochs, batch_size=plan.batch_size, lr=plan.lr, schedule="constant",
                        seed=plan.seed)
    if plan.task == "mnist":
        model = seeded(lambda: RowClassifier(RowClassifierConfig(cell=plan.cell, hidden_size=plan.hidden_size,
                                                                 num_layers=plan.num_layers)), plan.seed)
        metadata = CheckpointMetadata(task="mnist", labels=DIGIT_LABELS, data_digest=data.digest,
                                      training={**asdict(train), "augment": False})
        return ClassifierTrainer(model, mnist_classification_data(data, augment=False), train, device), metadata
    train_pairs, test_pairs = split_names_v1(data.pairs)
    vocab = CharVocab.from_names([name for name, _ in train_pairs])
    config = NameClassifierConfig(vocab_size=len(vocab), num_classes=len(data.languages), cell=plan.cell,
                                  hidden_size=plan.hidden_size, num_layers=plan.num_layers)
    model = seeded(lambda: NameClassifier(config), plan.seed)
    metadata = CheckpointMetadata(task="names", split="names-v1", labels=data.languages, vocab=vocab.chars,
                                  data_digest=data.digest, line_counts=data.line_counts, training=asdict(train))
    task_data = names_classification_data(train_pairs, test_pairs, data.languages, vocab)
    return ClassifierTrainer(model, task_data, train, device), metadata


def test_metrics_metadata(trainer: ClassifierTrainer, labels: list[str]) -> ClassifierMetrics:
    """The trainer's model measured on its whole test split, as checkpoint metadata."""
    return metrics_metadata(trainer.evaluate(), labels)
