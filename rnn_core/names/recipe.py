"""How the shipped names model is made: cross-fitted members on the names-v1 training split, a naive Bayes
vote, a decision rule chosen on their out-of-fold answers, and the test split measured once."""
from __future__ import annotations

import zlib
from dataclasses import asdict, dataclass, field
from typing import Callable

import torch

from rnn_core.checkpoint_meta import CheckpointMetadata, DecisionRuleRecord
from rnn_core.checkpoints import half_precision_state
from rnn_core.names.data import CharVocab, NamesData, encode_batch, split_names_v1
from rnn_core.metrics import Metrics, metrics_from_logits, metrics_metadata, predict_logits
from rnn_core.names.model import NameClassifier, NameClassifierConfig
from rnn_core.names.naive_bayes import NgramNaiveBayes
from rnn_core.seeding import seeded
from rnn_core.training.loop import ClassificationData, ClassifierTrainer, StepReport, TrainConfig

ProgressCallback = Callable[[str, StepReport], None]  # (phase, report)


@dataclass
class NamesRecipe:
    members: int = 8  # members averaged by the shipped model
    folds: int = 5  # the first `folds` members are cross-fitted (member i never sees fold i), the rest see all
    epochs: float = 20
    cell: str = "gru"
    embedding_dim: int = 32
    hidden_size: int = 128
    num_layers: int = 1
    dropout: float = 0.3
    ngram_buckets: int = 4096  # hashed character 1- to 4-gram features beside each member; 0 for none
    ngram_dim: int = 32
    # A naive Bayes vote over the same n-grams, counted exactly (1-4 grams of the training names fill about
    # 31,000 buckets, so few collide); 0 for none. Its weight is tuned with the prior strength.
    naive_bayes_buckets: int = 2 ** 18
    naive_bayes_smoothing: float = 0.01
    naive_bayes_weights: list[float] = field(default_factory=lambda: [i / 100 for i in range(0, 21)])
    batch_size: int = 64
    lr: float = 3e-3
    weight_decay: float = 1e-4
    class_weight_power: float = 0.5  # loss weight of a language ~ (1 / its training count) ** power
    label_smoothing: float = 0.1
    half_precision: bool = True  # weights stored as float16; the recorded test metrics are the file's
    prior_strengths: list[float] = field(default_factory=lambda: [i / 20 for i in range(0, 31)])
    # The decision rule maximises out-of-fold accuracy + balance_weight x balanced accuracy; with the naive
    # Bayes vote, which carries no language prior, 0 did best (docs/names-experiments.md).
    balance_weight: float = 0.0
    seed: int = 0


def names_classification_data(train: list[tuple[str, str]], test: list[tuple[str, str]],
                              languages: list[str], vocab: CharVocab) -> ClassificationData:
    index = {lang: i for i, lang in enumerate(languages)}

    def tensors(pairs: list[tuple[str, str]]) -> tuple[tuple[torch.Tensor, torch.Tensor], torch.Tensor]:
        ids, lengths = encode_batch([name for name, _ in pairs], vocab)
        return (ids, lengths), torch.tensor([index[lang] for _, lang in pairs], dtype=torch.long)

    train_inputs, train_labels = tensors(train)
    test_inputs, test_labels = tensors(test)
    return ClassificationData(train_inputs, train_labels, test_inputs, test_labels, len(languages))


def name_fold(name: str, folds: int) -> int:
    """Which cross-fitting fold a training name belongs to; by name, so a name never straddles folds."""
    return zlib.crc32(("fold:" + name).encode("utf-8")) % folds


def _balanced_class_weights(labels: torch.Tensor, num_classes: int, power: float) -> torch.Tensor:
    counts = torch.bincount(labels, minlength=num_classes).float()
    weights = counts.clamp(min=1).pow(-power)
    return weights / (weights * counts).sum() * counts.sum()  # mean weight 1 per example


def _train_member(member: torch.nn.Module, data: ClassificationData, recipe: NamesRecipe, seed: int,
                  device: torch.device, on_steps: Callable[[StepReport], None] | None) -> None:
    data.class_weights = _balanced_class_weights(data.train_labels, data.num_classes,
                                                 recipe.class_weight_power)
    train = TrainConfig(epochs=recipe.epochs, batch_size=recipe.batch_size, lr=recipe.lr,
                        weight_decay=recipe.weight_decay, label_smoothing=recipe.label_smoothing, seed=seed)
    trainer = ClassifierTrainer(member, data, train, device)
    while not trainer.done:  # train_steps, not fit: fit would measure the (possibly empty) test tensors
        report = trainer.train_steps(20)
        if on_steps is not None:
            on_steps(report)
    member.eval()


@dataclass
class CrossFittedNames:
    """A names model fitted on some training pairs, with the out-of-fold answers that choose its rule."""
    model: NameClassifier  # every member, and the vote counted on every training pair; eval mode, CPU
    labels: torch.Tensor  # (N,) the training pairs' languages
    member_answers: torch.Tensor  # (N, C) log-probabilities from the member that never saw the pair; NaN: none
    vote_answers: torch.Tensor  # (N, C) the vote's log-probabilities, counted without the pair's fold
    folds: int

    @property
    def answered(self) -> torch.Tensor:
        """(N,) which pairs have an out-of-fold answer (with one cross-fitted member, only fold 0's)."""
        return ~self.member_answers.isnan().any(1)

    @property
    def log_prior(self) -> torch.Tensor:
        """(C,) log of each language's share of the training pairs."""
        counts = torch.bincount(self.labels, minlength=self.member_answers.shape[1]).float()
        return (counts.clamp(min=1) / counts.sum()).log()


@dataclass
class DecisionRule:
    prior_strength: float
    naive_bayes_weight: float
    out_of_fold: Metrics  # the out-of-fold answers under this rule


def fit_name_members(train_pairs: list[tuple[str, str]], languages: list[str], vocab: CharVocab,
                     recipe: NamesRecipe, device: torch.device,
                     on_steps: ProgressCallback | None = None) -> CrossFittedNames:
    """Cross-fit members and count the vote; no decision rule yet.

    Cross-fitted member i trains on every training name outside fold i, so each training name is predicted
    once by a member that never saw it; the naive Bayes vote is counted the same way. The remaining
    members train on every training name, and the model's own vote counts every training name.
    """
    everything = names_classification_data(train_pairs, [], languages, vocab)
    ids, lengths = everything.train_inputs
    labels = everything.train_labels
    cross_fitted = min(recipe.folds, recipe.members)
    folds = max(2, cross_fitted)  # a lone cross-fitted member holds out half the names
    fold = torch.tensor([name_fold(name, folds) for name, _ in train_pairs], dtype=torch.long)

    config = NameClassifierConfig(vocab_size=len(vocab), num_classes=len(languages), cell=recipe.cell,
                                  embedding_dim=recipe.embedding_dim, hidden_size=recipe.hidden_size,
                                  num_layers=recipe.num_layers, dropout=recipe.dropout,
                                  num_members=recipe.members, ngram_buckets=recipe.ngram_buckets,
                                  ngram_dim=recipe.ngram_dim, naive_bayes_buckets=recipe.naive_bayes_buckets,
                                  naive_bayes_smoothing=recipe.naive_bayes_smoothing)
    # The naive Bayes vote's out-of-fold answers: fold i's names scored by the counts of the other folds.
    vote_answers = torch.zeros(len(labels), len(languages))  # (N, C) log-probabilities
    if recipe.naive_bayes_buckets > 0:
        counter = NgramNaiveBayes(len(vocab), len(languages), config.ngram_sizes, recipe.naive_bayes_buckets,
                                  entries=0, smoothing=recipe.naive_bayes_smoothing)
        fold_counts = [counter.count(ids[fold == f], lengths[fold == f], labels[fold == f]) for f in range(folds)]
        all_counts = sum(fold_counts)
        config.naive_bayes_entries = int((all_counts > 0).sum())
        for f in range(folds):
            table = counter.table(all_counts - fold_counts[f])
            vote_answers[fold == f] = counter.scores(table, ids[fold == f], lengths[fold == f])
    model = seeded(lambda: NameClassifier(config), recipe.seed)
    if model.naive_bayes is not None:
        model.naive_bayes.set_counts(all_counts)
    member_answers = torch.full((len(labels), len(languages)), float("nan"))  # (N, C) log-probabilities
    for i, member in enumerate(model.members):
        held_out = fold == i if i < cross_fitted else torch.zeros_like(fold, dtype=torch.bool)
        seen = ~held_out
        data = ClassificationData((ids[seen], lengths[seen]), labels[seen],
                                  (ids[held_out], lengths[held_out]), labels[held_out], len(languages))
        report = (lambda r, i=i: on_steps(f"member {i + 1}/{recipe.members}", r)) if on_steps else None
        _train_member(member, data, recipe, recipe.seed + i, device, report)
        if held_out.any():
            member_answers[held_out] = predict_logits(member, data.test_inputs).log_softmax(-1)
    return CrossFittedNames(model.cpu().eval(), labels, member_answers, vote_answers, folds)


def choose_decision_rule(fitted: CrossFittedNames, recipe: NamesRecipe, balance_weight: float) -> DecisionRule:
    """The vote weight and prior strength whose out-of-fold answers score best.

    The rule: argmax of the averaged log-probabilities + weight * the vote - strength * log(prior); the
    score: out-of-fold accuracy + balance_weight * balanced accuracy. Ties go to the weaker prior
    correction, then to the lighter vote.
    """
    answered, log_prior = fitted.answered, fitted.log_prior
    labels = fitted.labels[answered]
    num_classes = fitted.member_answers.shape[1]
    weights = recipe.naive_bayes_weights if fitted.model.naive_bayes is not None else [0.0]
    scored = []
    for weight in weights:
        votes = fitted.member_answers[answered] + weight * fitted.vote_answers[answered]
        for strength in recipe.prior_strengths:
            m = metrics_from_logits(votes - strength * log_prior, labels, num_classes)
            scored.append((m.accuracy + balance_weight * m.balanced_accuracy, -strength, -weight, m))
    _, negative_strength, negative_weight, tuned = max(scored, key=lambda s: s[:3])
    return DecisionRule(-negative_strength, -negative_weight, tuned)


def apply_decision_rule(model: NameClassifier, rule: DecisionRule, log_prior: torch.Tensor) -> None:
    model.logit_bias.copy_(-rule.prior_strength * log_prior)
    if model.naive_bayes is not None:
        model.naive_bayes_weight.fill_(rule.naive_bayes_weight)


def train_name_model(names: NamesData, recipe: NamesRecipe, device: torch.device,
                     on_steps: ProgressCallback | None = None) -> tuple[NameClassifier, CheckpointMetadata]:
    """Fit members and vote on the names-v1 training split, choose the rule out of fold, test once."""
    train_pairs, test_pairs = split_names_v1(names.pairs)
    vocab = CharVocab.from_names([name for name, _ in train_pairs])
    languages = names.languages
    fitted = fit_name_members(train_pairs, languages, vocab, recipe, device, on_steps)
    # The out-of-fold answers (the whole training split, not a small slice) choose the decision rule.
    # The test split is only measured.
    rule = choose_decision_rule(fitted, recipe, recipe.balance_weight)
    model = fitted.model
    apply_decision_rule(model, rule, fitted.log_prior)
    if recipe.half_precision:
        model.load_state_dict(half_precision_state(model))  # measure exactly the weights the file will hold

    test = names_classification_data([], test_pairs, languages, vocab)
    metrics = metrics_from_logits(predict_logits(model, test.test_inputs), test.test_labels, len(languages))
    metadata = CheckpointMetadata(
        task="names", split="names-v1", labels=languages, vocab=vocab.chars, data_digest=names.digest,
        line_counts=names.line_counts,
        pair_counts={"train": len(train_pairs), "out_of_fold": int(fitted.answered.sum()), "test": len(test_pairs)},
        test_metrics=metrics_metadata(metrics, languages),
        decision_rule=DecisionRuleRecord(
            prior_strength=rule.prior_strength, naive_bayes_weight=rule.naive_bayes_weight, folds=fitted.folds,
            out_of_fold_accuracy=rule.out_of_fold.accuracy,
            out_of_fold_balanced_accuracy=rule.out_of_fold.balanced_accuracy),
        training=asdict(recipe))
    return model, metadata
