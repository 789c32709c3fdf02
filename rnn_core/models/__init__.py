"""The model families, each a plain nn.Module with a small config dataclass, one module per family.

- digits.py: RowClassifier reads a 28x28 image one row per time step and names the digit.
- waves.py: WaveRegressor maps an input wave to an output wave, its state carried by the caller.
- names.py: NameClassifier averages character-level recurrent members, beside a naive Bayes vote
  (naive_bayes.py) over hashed character n-grams (ngrams.py); fused_gru.py is its fast inference path.
- layers.py: the recurrent layer by name and the state it carries, shared by all of them.
"""
from .digits import MNIST_MEAN, MNIST_STD, RowClassifier, RowClassifierConfig
from .fused_gru import StackedMembers
from .layers import CELLS, State, detach_state, make_recurrent_layer
from .naive_bayes import NgramNaiveBayes
from .names import FUSED_MAX_BATCH, CharRNNMember, NameClassifier, NameClassifierConfig
from .ngrams import CharNgrams, hashed_ngram_ids, ngram_keys
from .waves import WaveConfig, WaveRegressor

# Checkpoint kind -> (config type, model type); checkpoints.py adds the name generator.
MODEL_KINDS: dict[str, tuple[type, type]] = {
    "row_classifier": (RowClassifierConfig, RowClassifier),
    "wave_regressor": (WaveConfig, WaveRegressor),
    "name_classifier": (NameClassifierConfig, NameClassifier),
}

__all__ = ["CELLS", "FUSED_MAX_BATCH", "MNIST_MEAN", "MNIST_STD", "MODEL_KINDS", "CharNgrams", "CharRNNMember",
           "NameClassifier", "NameClassifierConfig", "NgramNaiveBayes", "RowClassifier", "RowClassifierConfig",
           "StackedMembers", "State", "WaveConfig", "WaveRegressor", "detach_state", "hashed_ngram_ids",
           "make_recurrent_layer", "ngram_keys"]
