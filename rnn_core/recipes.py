"""How each shipped model is made: data -> model -> ClassifierTrainer -> metrics -> checkpoint metadata.

The CLI (`python -m rnn_core train ...`) and the app's training page both call these.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import torch

from .data.mnist import MnistData, random_affine, to_unit_range
from .data.names import CharVocab, NamesData, encode_batch, split_names_v1
from .models import NameClassifier, NameClassifierConfig, RowClassifier, RowClassifierConfig
from .training import (ClassificationData, ClassifierTrainer, Metrics, StepReport, TrainConfig,
                       metrics_from_logits, predict_logits, seed_everything)

DIGIT_LABELS = [str(d) for d in range(10)]

ProgressCallback = Callable[[str, StepReport], None]  # (phase, report)
EpochCallback = Callable[[str, int, Metrics], None]  # (phase, epoch, test metrics)


# ----------------------------------------------------------------------------- digits

def mnist_classification_data(mnist: MnistData, augment: bool = True) -> ClassificationData:
    def augment_images(inputs: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
        return (random_affine(inputs[0]),)

    return ClassificationData(
        train_inputs=(to_unit_range(mnist.train_images),), train_labels=mnist.train_labels,
        test_inputs=(to_unit_range(mnist.test_images),), test_labels=mnist.test_labels,
        num_classes=10, augment=augment_images if augment else None)


def digit_metadata(metrics: Metrics, mnist: MnistData, train: TrainConfig, augment: bool) -> dict:
    return {"task": "mnist", "labels": DIGIT_LABELS, "data_digest": mnist.digest,
            "test_metrics": {"accuracy": metrics.accuracy, "balanced_accuracy": metrics.balanced_accuracy,
                             "loss": metrics.loss, "examples": metrics.examples,
                             "confusion": metrics.confusion},
            "training": {**asdict(train), "augment": augment}}


def train_digit_model(mnist: MnistData, model_config: RowClassifierConfig, train: TrainConfig,
                      device: torch.device, augment: bool = True,
                      on_steps: Callable[[StepReport], None] | None = None,
                      on_epoch: Callable[[int, Metrics], None] | None = None
                      ) -> tuple[RowClassifier, dict]:
    """Train a row classifier on MNIST; returns the model (eval mode, CPU) and its checkpoint metadata."""
    seed_everything(train.seed)
    model = RowClassifier(model_config)
    trainer = ClassifierTrainer(model, mnist_classification_data(mnist, augment), train, device)
    metrics = trainer.fit(on_steps=on_steps, on_epoch=on_epoch)
    return model.cpu().eval(), digit_metadata(metrics, mnist, train, augment)


# ----------------------------------------------------------------------------- names

@dataclass
class NamesRecipe:
    members: int = 5  # BiGRUs averaged in the one checkpoint
    epochs: float = 25
    hidden_size: int = 128
    embedding_dim: int = 64
    num_layers: int = 2
    dropout: float = 0.3
    batch_size: int = 64
    lr: float = 3e-3
    weight_decay: float = 1e-4
    class_weight_power: float = 0.5  # loss weight of a language ~ (1 / its training count) ** power
    validation_share: int = 10  # 1 in this many training names tunes the decision rule, not the weights
    prior_strengths: list[float] = field(default_factory=lambda: [i / 10 for i in range(0, 16)])
    seed: int = 0


def names_classification_data(train: list[tuple[str, str]], test: list[tuple[str, str]],
                              languages: list[str], vocab: CharVocab) -> ClassificationData:
    index = {lang: i for i, lang in enumerate(languages)}

    def tensors(pairs: list[tuple[str, str]]) -> tuple[tuple[torch.Tensor, torch.Tensor], torch.Tensor]:
        ids, lengths = encode_batch([name for name, _ in pairs], vocab)
        return (ids, lengths), torch.tensor([index[lang] for _, lang in pairs])

    train_inputs, train_labels = tensors(train)
    test_inputs, test_labels = tensors(test)
    return ClassificationData(train_inputs, train_labels, test_inputs, test_labels, len(languages))


def _is_validation_name(name: str, share: int) -> bool:
    import zlib
    return zlib.crc32(("validation:" + name).encode("utf-8")) % share == 0


def train_name_model(names: NamesData, recipe: NamesRecipe, device: torch.device,
                     on_steps: ProgressCallback | None = None) -> tuple[NameClassifier, dict]:
    """Train the members, tune the per-language prior correction on held-out training names, test once."""
    train_pairs, test_pairs = split_names_v1(names.pairs)
    fit_pairs = [p for p in train_pairs if not _is_validation_name(p[0], recipe.validation_share)]
    validation_pairs = [p for p in train_pairs if _is_validation_name(p[0], recipe.validation_share)]
    vocab = CharVocab.from_names([name for name, _ in train_pairs])
    languages = names.languages
    data = names_classification_data(fit_pairs, validation_pairs, languages, vocab)
    counts = torch.bincount(data.train_labels, minlength=len(languages)).float()
    weights = counts.clamp(min=1).pow(-recipe.class_weight_power)
    data.class_weights = weights / (weights * counts).sum() * counts.sum()  # mean weight 1 per example

    seed_everything(recipe.seed)
    config = NameClassifierConfig(vocab_size=len(vocab), num_classes=len(languages),
                                  embedding_dim=recipe.embedding_dim, hidden_size=recipe.hidden_size,
                                  num_layers=recipe.num_layers, dropout=recipe.dropout,
                                  num_members=recipe.members)
    model = NameClassifier(config)
    for i, member in enumerate(model.members):
        train = TrainConfig(epochs=recipe.epochs, batch_size=recipe.batch_size, lr=recipe.lr,
                            weight_decay=recipe.weight_decay, seed=recipe.seed + i)
        seed_everything(recipe.seed + i)
        trainer = ClassifierTrainer(member, data, train, device)
        trainer.fit(on_steps=(lambda r, i=i: on_steps(f"member {i + 1}/{recipe.members}", r))
                    if on_steps else None)

    # The decision rule: argmax of averaged log-probabilities minus strength * log(prior). Chosen on
    # the validation names to maximise accuracy + balanced accuracy; the test split is only measured.
    model = model.cpu().eval()
    log_prior = (counts / counts.sum()).log()
    validation_logits = predict_logits(model, data.test_inputs)
    scored = []
    for strength in recipe.prior_strengths:
        m = metrics_from_logits(validation_logits - strength * log_prior, data.test_labels, len(languages))
        scored.append((m.accuracy + m.balanced_accuracy, strength))
    strength = max(scored)[1]
    model.logit_bias.copy_(-strength * log_prior)

    test = names_classification_data([], test_pairs, languages, vocab)
    metrics = metrics_from_logits(predict_logits(model, test.test_inputs), test.test_labels, len(languages))
    metadata = {
        "task": "names", "split": "names-v1", "labels": languages, "vocab": vocab.chars,
        "data_digest": names.digest, "line_counts": names.line_counts,
        "pair_counts": {"train": len(train_pairs), "validation": len(validation_pairs), "test": len(test_pairs)},
        "test_metrics": {"accuracy": metrics.accuracy, "balanced_accuracy": metrics.balanced_accuracy,
                         "loss": metrics.loss, "examples": metrics.examples, "confusion": metrics.confusion,
                         "per_class_recall": dict(zip(languages, metrics.per_class_recall()))},
        "decision_rule": {"prior_strength": strength},
        "training": asdict(recipe),
    }
    return model, metadata
