"""What a checkpoint records beside its weights: typed here, validated on load, stored as plain data.

torch.load(weights_only=True) hands back plain dicts, lists, strings and numbers. `from_dict` checks that
each field has the form this app writes, so a page can show any checkpoint's metadata without checking it
again; a checkpoint may come from an upload, so a field that is not in that form is refused with a reason
fit for a user (MetadataError). Fields an older checkpoint lacks take their empty defaults.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from numbers import Real
from typing import Any

from rnn_core.errors import EngineError

NAME_KINDS = ("name_classifier", "name_generator")  # kinds whose labels are languages and whose input is text
TEXT_KINDS = (*NAME_KINDS, "translator")  # kinds whose metadata lists what they read


class MetadataError(EngineError, ValueError):
    """A checkpoint's metadata is not in the form this app writes; the message says which part, for a user."""


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _numbers(value: Any, name: str, keys: list[str] | None = None, plain_keys: bool = False) -> dict[str, Any]:
    """A dict of numbers (or None), its keys among `keys` when given, language names when `plain_keys`;
    else MetadataError naming `name`."""
    if not (isinstance(value, dict) and all(isinstance(k, str) and (_plain_name(k) or not plain_keys) for k in value)
            and (keys is None or set(value) <= set(keys))
            and all(v is None or _is_number(v) for v in value.values())):
        raise MetadataError("metadata.malformed_part", part=name)
    return dict(value)


def _texts(value: Any, name: str) -> dict[str, str]:
    if not (isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())):
        raise MetadataError("metadata.malformed_part", part=name)
    return dict(value)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise MetadataError("metadata.malformed_part", part=name)
    return value


def _plain_name(label: Any) -> bool:
    """A language name in letters, spaces and .'- only: pages show labels in headings and captions, which
    render markdown, so a label can carry no markup."""
    return (isinstance(label, str) and 0 < len(label) <= 40 and label[0].isalpha()
            and all(c.isalpha() or c in " .'-" for c in label))


@dataclass
class ClassifierMetrics:
    """A classifier measured on its test split; each figure may be missing (a fine-tuned copy has two)."""
    accuracy: float | None = None
    balanced_accuracy: float | None = None
    loss: float | None = None
    examples: int | None = None
    confusion: list[list[int]] | None = None  # (C, C): rows the true class, columns the answer
    per_class_recall: dict[str, float] | None = None  # label -> share of its test examples answered right

    @classmethod
    def from_dict(cls, data: Any, plain_keys: bool) -> ClassifierMetrics:
        """`plain_keys`: the per-class figures are keyed by language names, which pages show as words."""
        tables = ("confusion", "per_class_recall")
        figures = _numbers({k: v for k, v in data.items() if k not in tables} if isinstance(data, dict) else data,
                           "test_metrics", [f.name for f in fields(cls) if f.name not in tables])
        confusion = data.get("confusion")
        if confusion is not None and not _square(confusion):
            raise MetadataError("metadata.malformed_part", part="confusion")
        recall = data.get("per_class_recall")
        if recall is not None:
            recall = _numbers(recall, "per_class_recall", plain_keys=plain_keys)
        return cls(**figures, confusion=confusion, per_class_recall=recall)


def _square(value: Any) -> bool:
    """A list of n lists of n numbers each."""
    return (isinstance(value, list)
            and all(isinstance(row, list) and len(row) == len(value) and all(_is_number(v) for v in row)
                    for row in value))


@dataclass
class GeneratorMetrics:
    """Held-out bits per character of a name generator and of the n-gram baseline, on the same names."""
    bits_per_character: float
    ngram_bits_per_character: float
    symbols: int  # letters + one end mark per name
    names: int
    ngram_order: int
    ngram_strength: float  # the baseline's mixing strength, chosen on training names
    per_language: dict[str, tuple[float, float]]  # language -> (model, n-gram) bits per character

    def summary(self) -> str:
        return (f"bits per character {self.bits_per_character:.4f}  {self.ngram_order}-gram Kneser-Ney baseline "
                f"{self.ngram_bits_per_character:.4f}  ({self.names} names, {self.symbols} characters "
                "with the end marks)")

    @classmethod
    def from_dict(cls, data: Any) -> GeneratorMetrics:
        if not isinstance(data, dict):
            raise MetadataError("metadata.malformed_part", part="test_metrics")
        per_language = data.get("per_language", {})
        if not (isinstance(per_language, dict) and all(
                isinstance(pair, list) and len(pair) == 2 and all(_is_number(v) for v in pair)
                for pair in per_language.values())):
            raise MetadataError("metadata.malformed_part", part="per_language")
        figures = _numbers({k: v for k, v in data.items() if k != "per_language"}, "test_metrics",
                           [f.name for f in fields(cls) if f.name != "per_language"])
        if set(figures) != {f.name for f in fields(cls)} - {"per_language"}:
            raise MetadataError("metadata.malformed_part", part="test_metrics")
        return cls(**figures, per_language={k: (v[0], v[1]) for k, v in per_language.items()})

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "per_language": {k: list(v) for k, v in self.per_language.items()}}


@dataclass
class TranslatorMetrics:
    """Exact match of a translator's greedy output on the held-out numbers, typed in every style."""
    exact_match: float
    examples: int  # held-out numbers x styles
    by_digits: dict[str, float]  # digit count ("1" to "9") -> exact match
    by_style: dict[str, float]  # style name -> exact match
    by_words: dict[str, float]  # words read ("1", "2", ...) -> exact match
    words_examples: dict[str, int]  # words read -> examples measured
    # Training steps ("100", "200", ...) -> exact match then, on a fixed part of the held-out set
    learning_curve: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        return f"exact match {100 * self.exact_match:.2f}% of {self.examples:,} held-out translations"

    @classmethod
    def from_dict(cls, data: Any) -> TranslatorMetrics:
        tables = ("by_digits", "by_style", "by_words", "words_examples", "learning_curve")
        names = {f.name for f in fields(cls)}
        if not isinstance(data, dict) or not names - {"learning_curve"} <= set(data) <= names:
            raise MetadataError("metadata.malformed_part", part="test_metrics")
        figures = _numbers({k: v for k, v in data.items() if k not in tables}, "test_metrics")
        if None in figures.values():
            raise MetadataError("metadata.malformed_part", part="test_metrics")
        return cls(**figures, **{table: _numbers(data[table], table) for table in tables if table in data})


@dataclass
class DecisionRuleRecord:
    """How a names model turns its members' answers into one (chosen on out-of-fold answers)."""
    prior_strength: float
    naive_bayes_weight: float | None = None
    folds: int | None = None
    out_of_fold_accuracy: float | None = None
    out_of_fold_balanced_accuracy: float | None = None

    @classmethod
    def from_dict(cls, data: Any) -> DecisionRuleRecord:
        figures = _numbers(data, "decision_rule", [f.name for f in fields(cls)])
        if figures.get("prior_strength") is None:
            raise MetadataError("metadata.malformed_part", part="decision_rule")
        return cls(**figures)


@dataclass
class CheckpointMetadata:
    """Everything a checkpoint says about its model besides config and weights."""
    task: str = ""  # "mnist", "names", "name-generator" or "translator"
    labels: list[str] = field(default_factory=list)  # the classes (digits, languages, characters), in output order
    vocab: str = ""  # text models: the characters read in id order; a translator's words, spaced
    split: str = ""  # names models: "names-v1"
    data_digest: str = ""  # sha256 of the data it was trained and tested on
    line_counts: dict[str, int] = field(default_factory=dict)  # language -> lines in its names file
    pair_counts: dict[str, int] = field(default_factory=dict)  # "train", "test", "out_of_fold" -> pairs
    test_metrics: ClassifierMetrics | GeneratorMetrics | TranslatorMetrics | None = None
    drawn_metrics: ClassifierMetrics | None = None  # digit models: on the drawn-digit benchmark
    decision_rule: DecisionRuleRecord | None = None  # names classifiers
    training_names: dict[str, str] = field(default_factory=dict)  # generator: language -> names, one a line
    training: dict[str, Any] = field(default_factory=dict)  # the recipe's settings as run: a record only
    fine_tuned_on: int = 0  # drawings a visitor fine-tuned this copy on
    saved_at: str = ""  # ISO date and time, UTC; written by checkpoints.save_checkpoint
    versions: dict[str, str] = field(default_factory=dict)  # "torch", "python" at saving time

    @classmethod
    def from_dict(cls, data: Any, kind: str) -> CheckpointMetadata:
        """Validate metadata as loaded for a checkpoint of `kind`; MetadataError says what is wrong."""
        if not isinstance(data, dict):
            raise MetadataError("metadata.malformed")
        if set(data) - {f.name for f in fields(cls)}:  # never named: a key could carry markup
            raise MetadataError("metadata.unknown_fields")
        labels = data.get("labels", [])
        plain = _plain_name if kind in NAME_KINDS else lambda label: isinstance(label, str) and len(label) <= 40
        if not (isinstance(labels, list) and all(plain(label) for label in labels)
                and (labels or kind not in NAME_KINDS)):
            raise (MetadataError("metadata.languages") if kind in NAME_KINDS
                   else MetadataError("metadata.malformed_part", part="labels"))
        vocab = data.get("vocab", "")
        if not isinstance(vocab, str) or (kind in TEXT_KINDS and not vocab):
            raise MetadataError("metadata.vocab")
        metrics = data.get("test_metrics")
        if metrics is not None:
            metrics = (GeneratorMetrics.from_dict(metrics) if kind == "name_generator"
                       else TranslatorMetrics.from_dict(metrics) if kind == "translator"
                       else ClassifierMetrics.from_dict(metrics, kind in NAME_KINDS))
        drawn = data.get("drawn_metrics")
        rule = data.get("decision_rule")
        fine_tuned_on = data.get("fine_tuned_on", 0)
        if not isinstance(fine_tuned_on, int) or isinstance(fine_tuned_on, bool):
            raise MetadataError("metadata.malformed_part", part="fine_tuned_on")
        training = data.get("training", {})
        if not isinstance(training, dict):
            raise MetadataError("metadata.malformed_part", part="training")
        return cls(
            task=_text(data.get("task", ""), "task"), labels=list(labels), vocab=vocab,
            split=_text(data.get("split", ""), "split"), data_digest=_text(data.get("data_digest", ""), "data_digest"),
            line_counts=_numbers(data.get("line_counts", {}), "line_counts", plain_keys=kind in NAME_KINDS),
            pair_counts=_numbers(data.get("pair_counts", {}), "pair_counts"),
            test_metrics=metrics, drawn_metrics=None if drawn is None else ClassifierMetrics.from_dict(drawn, False),
            decision_rule=None if rule is None else DecisionRuleRecord.from_dict(rule),
            training_names=_texts(data.get("training_names", {}), "training_names"), training=training,
            fine_tuned_on=fine_tuned_on, saved_at=_text(data.get("saved_at", ""), "saved_at"),
            versions=_texts(data.get("versions", {}), "versions"))

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts, lists, strings and numbers, as weights_only loading accepts; empty fields left out."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", 0, [], {}) and not isinstance(value, float):
                continue
            if isinstance(value, GeneratorMetrics):
                value = value.to_dict()
            elif isinstance(value, TranslatorMetrics):
                value = asdict(value)
            elif isinstance(value, ClassifierMetrics):
                value = {k: v for k, v in asdict(value).items() if v is not None}
            elif isinstance(value, DecisionRuleRecord):
                value = {k: v for k, v in asdict(value).items() if v is not None}
            out[f.name] = value
        return out
