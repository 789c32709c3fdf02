"""How the shipped translators are made and measured: pairs made by num2words and cn2an -> ClassifierTrainer
(teacher forcing) -> exact match on the held-out numbers, in every style, by digit count and by length."""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Callable

import torch

from rnn_core.checkpoint_meta import CheckpointMetadata, TranslatorMetrics
from rnn_core.seeding import seeded
from rnn_core.training.loop import ClassificationData, ClassifierTrainer, StepReport, TrainConfig
from rnn_core.translator.data import (
    CHARACTERS, STYLES, WORDS, Style, chinese, digit_count, english, held_out_numbers, pairs_digest, training_pairs,
    words_of,
)
from rnn_core.translator.decoding import greedy, source_tensors
from rnn_core.translator.model import (
    END, IGNORED_TARGET, START, NumberTranslator, SourceVocab, TargetVocab, TranslatorConfig,
)

EVALUATION_BATCH = 1024
CURVE_NUMBERS = 500  # held-out numbers the learning curve is measured on, in the first two styles


@dataclass
class TranslatorRecipe:
    attention: bool = True
    pairs: int = 240_000  # training pairs made before training, every digit count equally often
    epochs: float = 2
    word_dim: int = 64
    char_dim: int = 32
    hidden_size: int = 128
    decoder_size: int = 256
    attention_size: int = 128
    batch_size: int = 256
    lr: float = 3e-3
    weight_decay: float = 1e-4
    curve_every: int = 100  # steps between two points of the learning curve
    seed: int = 0


def translation_data(pairs: list[tuple[list[str], str]], source_vocab: SourceVocab, target_vocab: TargetVocab
                     ) -> ClassificationData:
    """Teacher-forcing tensors as ClassifierTrainer takes them: inputs (source, lengths, decoder inputs),
    labels (N, T) of the characters and the end mark, padding -100."""
    source, lengths = source_tensors([words for words, _ in pairs], source_vocab)
    longest = max(len(text) for _, text in pairs) + 1
    decoder_inputs = torch.zeros(len(pairs), longest, dtype=torch.long)
    targets = torch.full((len(pairs), longest), IGNORED_TARGET, dtype=torch.long)
    for row, (_, text) in enumerate(pairs):
        ids = target_vocab.encode(text)
        decoder_inputs[row, : len(ids) + 1] = torch.tensor([START, *ids])
        targets[row, : len(ids) + 1] = torch.tensor([*ids, END])
    inputs = (source, lengths, decoder_inputs)
    return ClassificationData(inputs, targets, tuple(x[:0] for x in inputs), targets[:0], len(target_vocab))


def train_translator_model(recipe: TranslatorRecipe, device: torch.device,
                           on_steps: Callable[[StepReport], None] | None = None
                           ) -> tuple[NumberTranslator, dict[str, float]]:
    """A translator trained on freshly made pairs by the classifiers' own loop, in eval mode on the CPU, and
    its learning curve: exact match on a fixed part of the held-out numbers every `curve_every` steps."""
    source_vocab, target_vocab = SourceVocab(), TargetVocab()
    config = TranslatorConfig(vocab_size=len(source_vocab), num_labels=len(target_vocab), attention=recipe.attention,
                              word_dim=recipe.word_dim, char_dim=recipe.char_dim, hidden_size=recipe.hidden_size,
                              decoder_size=recipe.decoder_size, attention_size=recipe.attention_size)
    model = seeded(lambda: NumberTranslator(config), recipe.seed)
    data = translation_data(training_pairs(recipe.pairs, recipe.seed), source_vocab, target_vocab)
    train = TrainConfig(epochs=recipe.epochs, batch_size=recipe.batch_size, lr=recipe.lr,
                        weight_decay=recipe.weight_decay, seed=recipe.seed)
    trainer = ClassifierTrainer(model, data, train, device)
    curve_numbers = held_out_numbers()[:: max(1, len(held_out_numbers()) // CURVE_NUMBERS)]
    curve = {}
    while not trainer.done:  # train_steps, not fit: fit measures a classifier's accuracy
        report = trainer.train_steps(min(50, recipe.curve_every - trainer.step_count % recipe.curve_every))
        if on_steps is not None:
            on_steps(report)
        if trainer.step_count % recipe.curve_every == 0 or trainer.done:
            curve[str(trainer.step_count)] = measure_translator(model.eval(), curve_numbers, STYLES[:2]).exact_match
    return model.cpu().eval(), curve


def measure_translator(model: NumberTranslator, numbers: tuple[int, ...] | list[int] | None = None,
                       styles: list[Style] = STYLES) -> TranslatorMetrics:
    """Exact match of greedy translations of `numbers` (the held-out set) typed in each style."""
    numbers = held_out_numbers() if numbers is None else numbers
    source_vocab, target_vocab = SourceVocab(), TargetVocab()
    # part ("digits", "style", "words") -> group -> [right, measured]
    right: dict[str, dict[str, list[int]]] = {part: defaultdict(lambda: [0, 0]) for part in ("digits", "style",
                                                                                               "words")}
    for style in styles:
        examples = [(words_of(english(number, style)), number) for number in numbers]
        for start in range(0, len(examples), EVALUATION_BATCH):
            batch = examples[start: start + EVALUATION_BATCH]
            for translation, (words, number) in zip(greedy(model, [w for w, _ in batch], source_vocab, target_vocab),
                                                    batch):
                correct = int(translation.text == chinese(number))
                for part, group in (("digits", str(digit_count(number))), ("style", style.name),
                                    ("words", str(len(words)))):
                    right[part][group][0] += correct
                    right[part][group][1] += 1

    def shares(part: str) -> dict[str, float]:
        return {group: hits / total for group, (hits, total) in sorted(right[part].items(), key=lambda g: int(g[0])
                                                                      if g[0].isdigit() else g[0])}

    hits = sum(h for h, _ in right["style"].values())
    total = sum(t for _, t in right["style"].values())
    return TranslatorMetrics(exact_match=hits / max(total, 1), examples=total, by_digits=shares("digits"),
                             by_style=shares("style"), by_words=shares("words"),
                             words_examples={group: count for group, (_, count) in right["words"].items()})


def train_translator(recipe: TranslatorRecipe, device: torch.device,
                     on_steps: Callable[[StepReport], None] | None = None
                     ) -> tuple[NumberTranslator, CheckpointMetadata]:
    """Train on numbers outside the held-out set; measure once on it. Returns (model, metadata)."""
    model, curve = train_translator_model(recipe, device, on_steps)
    figures = dataclasses.replace(measure_translator(model), learning_curve=curve)
    metadata = CheckpointMetadata(
        task="translator", labels=list(CHARACTERS), vocab=" ".join(WORDS), split="held-out numbers",
        data_digest=pairs_digest(recipe.pairs, recipe.seed),
        pair_counts={"train": recipe.pairs, "test": len(held_out_numbers())}, test_metrics=figures,
        training=asdict(recipe))
    return model, metadata
