"""NameClassifier: character-level recurrent members over packed batches, their log-probabilities
averaged, with an optional naive Bayes vote over character n-grams and a per-language bias."""
from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from rnn_core.names.fused_gru import StackedMembers, fused_log_probs
from rnn_core.layers import make_recurrent_layer
from rnn_core.names.naive_bayes import NgramNaiveBayes
from rnn_core.names.ngram_features import CharNgrams, hashed_ngram_ids, ngram_keys


@dataclass
class NameClassifierConfig:
    vocab_size: int
    num_classes: int
    cell: str = "gru"  # each member's recurrent layer: "rnn", "lstm" or "gru"
    embedding_dim: int = 32
    hidden_size: int = 128
    num_layers: int = 1
    dropout: float = 0.3
    bidirectional: bool = True
    num_members: int = 1  # members whose log-probabilities are averaged
    ngram_sizes: list[int] = field(default_factory=lambda: [1, 2, 3, 4])
    ngram_buckets: int = 4096  # hashed n-gram table rows; 0 turns the n-gram features off
    ngram_dim: int = 16
    # A naive Bayes vote over the same n-gram sizes beside the members; 0 buckets: none.
    naive_bayes_buckets: int = 0
    naive_bayes_entries: int = 0  # stored (n-gram bucket, language) counts: known once counted
    naive_bayes_smoothing: float = 0.01  # added to every count (Lidstone smoothing)



class CharRNNMember(nn.Module):
    """One member: character ids (B, L) padded with 0 + lengths (B,) -> logits (B, C).

    A (bi)directional recurrent layer reads the characters; its final states sit beside the name's
    n-gram features.
    """

    def __init__(self, config: NameClassifierConfig):
        super().__init__()
        self.embedding = nn.Embedding(config.vocab_size, config.embedding_dim, padding_idx=0)
        self.rnn = make_recurrent_layer(config.cell, config.embedding_dim, config.hidden_size,
                                        config.num_layers, config.dropout, config.bidirectional)
        directions = 2 if config.bidirectional else 1
        self.ngrams = (CharNgrams(config.vocab_size, config.ngram_sizes, config.ngram_buckets, config.ngram_dim)
                       if config.ngram_buckets > 0 else None)
        features = directions * config.hidden_size + (config.ngram_dim if self.ngrams is not None else 0)
        self.dropout = nn.Dropout(config.dropout)
        self.head = nn.Linear(features, config.num_classes)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor, grams: torch.Tensor | None = None
                ) -> torch.Tensor:
        """`grams`: the names' hashed n-gram ids, when the caller has them already (they depend on the
        config alone, so an ensemble computes them once for all its members)."""
        # Packing lets each name stop at its own length; enforce_sorted=False so callers need not sort.
        packed = pack_padded_sequence(self.embedding(ids), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        _, state = self.rnn(packed)
        h_n = state[0] if isinstance(state, tuple) else state  # (layers * directions, B, H); an LSTM adds c
        last_layer = h_n[-2:] if self.rnn.bidirectional else h_n[-1:]
        features = torch.cat(list(last_layer), dim=1)  # (B, directions * H): forward end + backward start
        if self.ngrams is not None:
            features = torch.cat([features, self.ngrams(ids, lengths, grams)], dim=1)  # (B, directions * H + D)
        return self.head(self.dropout(features))



FUSED_MAX_BATCH = 16  # names per call up to which NameClassifier steps its members together


class NameClassifier(nn.Module):
    """An average of CharRNNMember members, optionally a weighted naive Bayes vote, and a per-language
    bias; the vote's weight and the bias make the decision rule."""

    def __init__(self, config: NameClassifierConfig):
        super().__init__()
        self.config = config
        self.members = nn.ModuleList(CharRNNMember(config) for _ in range(config.num_members))
        # Added to the averaged log-probabilities: a per-language correction tuned on held-out training names.
        self.register_buffer("logit_bias", torch.zeros(config.num_classes))
        self.naive_bayes = None
        if config.naive_bayes_buckets > 0:
            self.naive_bayes = NgramNaiveBayes(config.vocab_size, config.num_classes, config.ngram_sizes,
                                               config.naive_bayes_buckets, config.naive_bayes_entries,
                                               config.naive_bayes_smoothing)
            self.register_buffer("naive_bayes_weight", torch.zeros(()))  # tuned with logit_bias
        # (weights' key, stacks) for fast inference: made when weights are built, loaded or moved, never in
        # forward, so a model shared read-only by many threads is never written to.
        self._stacked: tuple[tuple, StackedMembers] | None = None
        self.register_load_state_dict_post_hook(lambda module, _: module._stack_weights())
        self._stack_weights()

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        # The n-grams are read once: the members' features and the vote only hash them into tables of
        # different sizes.
        first, naive_bayes = self.members[0].ngrams, self.naive_bayes
        keys = (ngram_keys(ids, lengths, self.config.vocab_size, self.config.ngram_sizes)
                if first is not None or naive_bayes is not None else None)
        grams = hashed_ngram_ids(*keys, first.buckets) if first is not None else None  # the same for every member
        stacked = None if self.training or torch.is_grad_enabled() else self._current_stack(len(ids))
        if stacked is None:
            log_probs = torch.stack([m(ids, lengths, grams).log_softmax(-1) for m in self.members])  # (M, B, C)
        else:
            log_probs = fused_log_probs(self, stacked, ids, lengths, grams)
        scores = log_probs.mean(0)  # (B, C)
        if naive_bayes is not None:
            vote = naive_bayes(ids, lengths, hashed_ngram_ids(*keys, naive_bayes.buckets))  # (B, C)
            scores = scores + self.naive_bayes_weight * vote
        return scores + self.logit_bias

    def _apply(self, fn, recurse=True):  # .to(), .cpu(), .half() ... make new weights: stack those
        result = super()._apply(fn, recurse)
        self._stack_weights()
        return result

    def _weights_key(self) -> tuple | None:
        """Each parameter's storage and in-place version counter: training, load_state_dict and moving the
        model all change it. None for weights made under torch.inference_mode, which keep no counter."""
        try:
            return tuple((p.data_ptr(), p._version) for p in self.parameters())
        except RuntimeError:
            return None

    def _stack_weights(self) -> None:
        key = self._weights_key()
        fusable = self.config.cell == "gru" and self.config.num_layers == 1
        self._stacked = (key, StackedMembers.of(self)) if fusable and key is not None else None

    def _current_stack(self, batch: int) -> StackedMembers | None:
        """The stacked weights when fused_log_probs can stand in for the members, else None.

        Only for small batches: the fused steps win where per-call overhead dominates, and lose to nn.GRU's
        own kernels on big batches (docs/benchmarks.md has the crossover, FUSED_MAX_BATCH). And only while the
        weights are the ones stacked: a model changed in place since (by training) answers through its members.
        """
        if self._stacked is None or batch > FUSED_MAX_BATCH or self._stacked[0] != self._weights_key():
            return None
        return self._stacked[1]
