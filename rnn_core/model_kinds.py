"""Every kind of model a checkpoint can hold, in one registry: its config type, its model type and, for the
text models, how it reads the vocabulary stored beside the weights."""
from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from rnn_core.digits.model import RowClassifier, RowClassifierConfig
from rnn_core.generator.model import GeneratorVocab, NameGenerator, NameGeneratorConfig
from rnn_core.names.data import CharVocab
from rnn_core.names.model import NameClassifier, NameClassifierConfig
from rnn_core.translator.model import NumberTranslator, SourceVocab, TranslatorConfig
from rnn_core.waves.model import WaveConfig, WaveRegressor


@dataclass(frozen=True)
class ModelKind:
    config_type: type
    model_type: type[nn.Module]
    vocab_type: type | None = None  # how a text model reads the checkpoint's `vocab`


MODEL_KINDS: dict[str, ModelKind] = {
    "row_classifier": ModelKind(RowClassifierConfig, RowClassifier),
    "wave_regressor": ModelKind(WaveConfig, WaveRegressor),
    "name_classifier": ModelKind(NameClassifierConfig, NameClassifier, CharVocab),
    "name_generator": ModelKind(NameGeneratorConfig, NameGenerator, GeneratorVocab),
    "translator": ModelKind(TranslatorConfig, NumberTranslator, SourceVocab),
}


def kind_of(model: nn.Module) -> str:
    """The registry's name for a model's type."""
    for kind, entry in MODEL_KINDS.items():
        if type(model) is entry.model_type:
            return kind
    raise TypeError(f"No checkpoint kind for {type(model).__name__}.")
