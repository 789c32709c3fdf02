"""How the shipped name generator is made and measured: names-v1 training names -> ClassifierTrainer ->
bits per character on the test names, beside a Kneser-Ney n-gram fitted on the same training names."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import torch

from rnn_core.checkpoint_meta import CheckpointMetadata, GeneratorMetrics
from rnn_core.checkpoints import half_precision_state
from rnn_core.names.data import NamesData, load_names, split_names_v1
from rnn_core.generator.model import (
    END, GeneratorVocab, NameGenerator, NameGeneratorConfig, name_bits, teacher_forcing_tensors,
)
from rnn_core.generator.kneser_ney import fit_language_ngram
from rnn_core.seeding import seeded
from rnn_core.training.loop import ClassificationData, ClassifierTrainer, StepReport, TrainConfig


@dataclass
class GeneratorRecipe:
    cell: str = "lstm"
    char_dim: int = 32
    language_dim: int = 16
    hidden_size: int = 256
    num_layers: int = 2
    dropout: float = 0.5
    letter_dropout: float = 0.15
    ngram_sizes: list[int] = field(default_factory=lambda: [1, 2, 3, 4, 5])
    ngram_buckets: int = 32768
    ngram_dim: int = 32
    # Each language's names are repeated round((largest language's count / its count) ** balance) times per
    # epoch, so the small languages are learnt as languages, not as a few odd Russian names; 0: no repeats.
    language_balance: float = 0.15
    epochs: float = 20
    batch_size: int = 64
    lr: float = 3e-3
    weight_decay: float = 1e-4
    half_precision: bool = True  # weights stored as float16; the recorded figures are the file's own
    ngram_order: int = 5  # the baseline's order
    seed: int = 0


def generator_data(pairs: list[tuple[str, str]], languages: list[str], vocab: GeneratorVocab
                   ) -> ClassificationData:
    """Teacher-forcing tensors as ClassifierTrainer takes them: inputs (ids, language), labels (N, T)."""
    inputs, targets = teacher_forcing_tensors([name for name, _ in pairs], vocab)
    index = {language: i for i, language in enumerate(languages)}
    language_ids = torch.tensor([index[language] for _, language in pairs], dtype=torch.long)
    return ClassificationData((inputs, language_ids), targets, (inputs[:0], language_ids[:0]), targets[:0],
                              num_classes=len(vocab))


def balanced_pairs(pairs: list[tuple[str, str]], balance: float) -> list[tuple[str, str]]:
    """The pairs, each language's repeated round((largest count / its count) ** balance) times."""
    counts: dict[str, int] = defaultdict(int)
    for _, language in pairs:
        counts[language] += 1
    largest = max(counts.values(), default=1)
    return [pair for pair in pairs for _ in range(max(1, round((largest / counts[pair[1]]) ** balance)))]


def train_generator_model(train_pairs: list[tuple[str, str]], languages: list[str], vocab: GeneratorVocab,
                          recipe: GeneratorRecipe, device: torch.device,
                          on_steps: Callable[[StepReport], None] | None = None) -> NameGenerator:
    """A generator trained on `train_pairs` by the classifiers' own loop (teacher forcing), in eval mode."""
    config = NameGeneratorConfig(
        vocab_size=len(vocab), num_languages=len(languages), cell=recipe.cell, char_dim=recipe.char_dim,
        language_dim=recipe.language_dim, hidden_size=recipe.hidden_size, num_layers=recipe.num_layers,
        dropout=recipe.dropout, letter_dropout=recipe.letter_dropout, ngram_sizes=list(recipe.ngram_sizes),
        ngram_buckets=recipe.ngram_buckets, ngram_dim=recipe.ngram_dim)
    model = seeded(lambda: NameGenerator(config), recipe.seed)
    train = TrainConfig(epochs=recipe.epochs, batch_size=recipe.batch_size, lr=recipe.lr,
                        weight_decay=recipe.weight_decay, seed=recipe.seed)
    data = generator_data(balanced_pairs(train_pairs, recipe.language_balance), languages, vocab)
    trainer = ClassifierTrainer(model, data, train, device)
    while not trainer.done:  # train_steps, not fit: fit measures accuracy, which a generator has none of
        report = trainer.train_steps(20)
        if on_steps is not None:
            on_steps(report)
    return model.cpu().eval()


def measure_generator(model: NameGenerator, vocab: GeneratorVocab, languages: list[str],
                      train_pairs: list[tuple[str, str]], test_pairs: list[tuple[str, str]],
                      ngram_order: int = 5) -> GeneratorMetrics:
    """Bits per character on `test_pairs` of the model and of an n-gram fitted now on `train_pairs`."""
    index = {language: i for i, language in enumerate(languages)}
    by_language: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pair in test_pairs:
        by_language[pair[1]].append(pair)

    def sequences(pairs: list[tuple[str, str]]) -> list[list[int]]:
        return [vocab.encode(name) + [END] for name, _ in pairs]

    ngram = fit_language_ngram(sequences(train_pairs), [language for _, language in train_pairs],
                               [name for name, _ in train_pairs], len(vocab), ngram_order)
    per_language, model_total, ngram_total, symbols = {}, 0.0, 0.0, 0
    for language, pairs in sorted(by_language.items()):
        bits, count = name_bits(model, [name for name, _ in pairs], [index[language]] * len(pairs), vocab)
        ngram_bits, _ = ngram.bits(sequences(pairs), [language] * len(pairs))
        per_language[language] = (bits / count, ngram_bits / count)
        model_total, ngram_total, symbols = model_total + bits, ngram_total + ngram_bits, symbols + count
    symbols = max(symbols, 1)
    return GeneratorMetrics(model_total / symbols, ngram_total / symbols, symbols, len(test_pairs), ngram_order,
                               ngram.strength, per_language)


def names_by_language(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Language -> its names, one a line: how a checkpoint records which names it was trained on."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for name, language in pairs:
        grouped[language].append(name)
    return {language: "\n".join(sorted(names)) for language, names in sorted(grouped.items())}


def train_generator(names: NamesData, recipe: GeneratorRecipe, device: torch.device,
                    on_steps: Callable[[StepReport], None] | None = None
                    ) -> tuple[NameGenerator, CheckpointMetadata]:
    """Train on the names-v1 training names only; measure once on the test names. Returns (model, metadata)."""
    train_pairs, test_pairs = split_names_v1(names.pairs)
    vocab = GeneratorVocab.from_names([name for name, _ in train_pairs])
    model = train_generator_model(train_pairs, names.languages, vocab, recipe, device, on_steps)
    if recipe.half_precision:
        model.load_state_dict(half_precision_state(model))  # measure exactly the weights the file will hold
    evaluation = measure_generator(model, vocab, names.languages, train_pairs, test_pairs, recipe.ngram_order)
    metadata = CheckpointMetadata(
        task="name-generator", split="names-v1", labels=names.languages, vocab=vocab.chars,
        data_digest=names.digest, line_counts=names.line_counts,
        pair_counts={"train": len(train_pairs), "test": len(test_pairs)},
        training_names=names_by_language(train_pairs),  # so the app can say whether a name is new
        test_metrics=evaluation, training=asdict(recipe))
    return model, metadata


def evaluate_generator(model: NameGenerator, metadata: CheckpointMetadata, root: Path) -> GeneratorMetrics:
    """A generator checkpoint measured again on names-v1 (read from `root`, without downloading)."""
    train_pairs, test_pairs = split_names_v1(load_names(root, download=False).pairs)
    order = metadata.test_metrics.ngram_order if isinstance(metadata.test_metrics, GeneratorMetrics) else 5
    return measure_generator(model, GeneratorVocab(metadata.vocab), metadata.labels, train_pairs, test_pairs,
                             order)
