"""One to many: a character-level surname generator conditioned on the language, and its step-by-step story.

The model reads a start mark and then the letters so far, with the language fed beside every character,
and gives at each step a distribution over the next character or the end mark. Trained by teacher forcing
through ClassifierTrainer: forward returns logits (B, V, T) against targets (B, T), which F.cross_entropy
takes as they are, padding marked -100 so it is ignored.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnn_core.errors import EngineError
from rnn_core.layers import State, make_recurrent_layer

PAD, START, END, UNKNOWN = 0, 1, 2, 3
SPECIAL_TOKENS = 4  # ids below this are marks, not characters
IGNORED_TARGET = -100  # F.cross_entropy's default ignore_index: padding costs nothing
END_LABEL = "end"  # how the end mark is written on charts and in stories


class GeneratorInputError(EngineError, ValueError):
    """A request the generator cannot serve; the message says why, in plain words, without echoing input."""


class GeneratorVocab:
    """Characters <-> ids, case kept (a name's capitals are part of what is learnt). 0 pads, 1 starts a name,
    2 ends it, 3 stands for a character never seen in training; characters follow from 4."""

    def __init__(self, chars: str):
        self.chars = chars
        self._index = {c: i + SPECIAL_TOKENS for i, c in enumerate(chars)}

    @classmethod
    def from_names(cls, names: list[str]) -> GeneratorVocab:
        return cls("".join(sorted({c for name in names for c in name})))

    def __len__(self) -> int:
        return len(self.chars) + SPECIAL_TOKENS

    def encode(self, name: str) -> list[int]:
        return [self._index.get(c, UNKNOWN) for c in name]

    def char(self, token: int) -> str:
        """The character of a token id; '' for the marks."""
        return self.chars[token - SPECIAL_TOKENS] if token >= SPECIAL_TOKENS else ""

    def label(self, token: int) -> str:
        """A token as a chart shows it: the character, or 'end' for the end mark."""
        return END_LABEL if token == END else self.char(token) or "?"

    def unknown_chars(self, text: str) -> list[str]:
        return sorted({c for c in text if c not in self._index})


@dataclass
class NameGeneratorConfig:
    vocab_size: int
    num_languages: int
    cell: str = "gru"
    char_dim: int = 32
    language_dim: int = 16
    hidden_size: int = 256
    num_layers: int = 2
    dropout: float = 0.2
    # In training, this share of the letters read is replaced by the unknown mark, so the model cannot lean
    # on any one letter before it and learns more than the training names by heart.
    letter_dropout: float = 0.0
    # Beside the recurrent layer's output, hashed embeddings of the last 1, 2, ... characters read, plain and
    # per language (the recipe of an RNN with direct n-gram connections); no sizes or 0 buckets: none.
    ngram_sizes: list[int] = field(default_factory=list)
    ngram_buckets: int = 0
    ngram_dim: int = 64


HASH_PRIME = 2_147_483_647  # keys stay below it, so no product of two overflows 64 bits


class ContextNgrams(nn.Module):
    """At each position of ids (B, T), the mean embedding of the hashed n-grams ending there, each n-gram both
    as it is and paired with the language: (B, T, D). Positions before a name's start read as START."""

    def __init__(self, vocab_size: int, sizes: list[int], buckets: int, dim: int):
        super().__init__()
        self.vocab_size, self.sizes, self.buckets = vocab_size, list(sizes), buckets
        self.embedding = nn.Embedding(buckets, dim, padding_idx=0)  # row 0: padding, no n-gram

    @property
    def context(self) -> int:
        """How many tokens before a position its n-grams reach back."""
        return max(self.sizes) - 1

    def keys(self, ids: torch.Tensor, languages: torch.Tensor) -> torch.Tensor:
        """Table rows (B, T, 2 * len(sizes)) in [1, buckets); 0 at padding."""
        padded = nn.functional.pad(ids, (self.context, 0), value=START)
        language = languages[:, None].to(ids.device) + 1
        keys = []
        for n in self.sizes:
            windows = padded[:, self.context + 1 - n:].unfold(1, n, 1)  # (B, T, n): the n tokens ending at t
            code = torch.zeros_like(ids)
            for k in range(n):
                code = (code * (self.vocab_size + 1) + windows[..., k]) % HASH_PRIME
            keys.append((code * 48271 + n) % HASH_PRIME)
            keys.append(((code * 31 + language) * 48271 + n + 17) % HASH_PRIME)
        rows = torch.stack(keys, dim=-1) % (self.buckets - 1) + 1
        return rows.masked_fill((ids == PAD)[..., None], 0)

    def forward(self, ids: torch.Tensor, languages: torch.Tensor) -> torch.Tensor:
        return self.embedding(self.keys(ids, languages)).mean(2)


class NameGenerator(nn.Module):
    """Ids (B, T) starting with START + languages (B,) -> next-character logits (B, V, T).

    The language is an embedding concatenated to every character's embedding, so each step knows which
    language it is inventing for; it also sets the recurrent layer's first state. Beside the recurrent
    output, the softmax sees the hashed n-grams of the last characters read (ContextNgrams), when configured.
    """

    def __init__(self, config: NameGeneratorConfig):
        super().__init__()
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.char_dim, padding_idx=PAD)
        self.language_embedding = nn.Embedding(config.num_languages, config.language_dim)
        self.initial_state = nn.Linear(config.language_dim, config.num_layers * config.hidden_size)
        self.rnn = make_recurrent_layer(config.cell, config.char_dim + config.language_dim, config.hidden_size,
                                        config.num_layers, config.dropout)
        self.dropout = nn.Dropout(config.dropout)
        self.ngrams = (ContextNgrams(config.vocab_size, config.ngram_sizes, config.ngram_buckets, config.ngram_dim)
                       if config.ngram_sizes and config.ngram_buckets > 0 else None)
        features = config.hidden_size + (config.ngram_dim if self.ngrams is not None else 0)
        self.head = nn.Linear(features, config.vocab_size)

    @property
    def context(self) -> int:
        """How many tokens before the ones read step() needs (as `before`) to give what forward gives."""
        return self.ngrams.context if self.ngrams is not None else 0

    def _head(self, outputs: torch.Tensor, ids: torch.Tensor, languages: torch.Tensor) -> torch.Tensor:
        """Logits (B, T, V) from the recurrent outputs (B, T, H) and, when used, the n-grams of `ids`."""
        if self.ngrams is not None:
            outputs = torch.cat([outputs, self.ngrams(ids, languages)[:, -outputs.shape[1]:]], dim=2)
        return self.head(self.dropout(outputs))

    def first_state(self, languages: torch.Tensor) -> State:
        """The state before the start mark: a function of the language alone, (layers, B, H)."""
        h = torch.tanh(self.initial_state(self.language_embedding(languages)))  # (B, layers * H)
        h = h.view(len(languages), self.config.num_layers, self.config.hidden_size).transpose(0, 1).contiguous()
        return (h, torch.zeros_like(h)) if self.config.cell == "lstm" else h

    def step(self, ids: torch.Tensor, languages: torch.Tensor, state: State | None = None,
             before: torch.Tensor | None = None) -> tuple[torch.Tensor, State]:
        """Read ids (B, T) from `state` (the language's first state when None): logits (B, T, V), new state.

        `before` (B, k): the last tokens read before these (up to `context` of them), for the n-grams.
        """
        if state is None:
            state = self.first_state(languages)
        language = self.language_embedding(languages)[:, None].expand(-1, ids.shape[1], -1)  # (B, T, Dl)
        outputs, state = self.rnn(torch.cat([self.embedding(ids), language], dim=2), state)
        context = ids if before is None or self.ngrams is None else torch.cat([before, ids], dim=1)
        return self._head(outputs, context, languages), state

    def forward(self, ids: torch.Tensor, languages: torch.Tensor) -> torch.Tensor:
        """Teacher forcing over whole names, PAD after each. Packed, so the recurrent layer reads each name
        only as far as it goes (most are under half the longest); the padding's logits are zeros, which the
        -100 targets there ignore."""
        lengths = (ids != PAD).sum(1).clamp(min=1).cpu()
        if self.training and self.config.letter_dropout > 0:  # only the CLI trains it: the app never draws here
            hidden = (torch.rand(ids.shape, device=ids.device) < self.config.letter_dropout) & (ids >= SPECIAL_TOKENS)
            ids = ids.masked_fill(hidden, UNKNOWN)
        language = self.language_embedding(languages)[:, None].expand(-1, ids.shape[1], -1)  # (B, T, Dl)
        packed = pack_padded_sequence(torch.cat([self.embedding(ids), language], dim=2), lengths, batch_first=True,
                                      enforce_sorted=False)
        outputs, _ = self.rnn(packed, self.first_state(languages))
        outputs, _ = pad_packed_sequence(outputs, batch_first=True, total_length=ids.shape[1])  # (B, T, H)
        logits = self._head(outputs, ids, languages)
        logits = logits.masked_fill((ids == PAD)[..., None], 0.0)  # beyond a name: no prediction, no cost
        return logits.transpose(1, 2)  # (B, V, T): the class axis second, as F.cross_entropy wants it


# ----------------------------------------------------------------------------- data

def teacher_forcing_tensors(names: list[str], vocab: GeneratorVocab, length: int | None = None
                            ) -> tuple[torch.Tensor, torch.Tensor]:
    """Names -> inputs (N, T) = START + letters, padded with PAD; targets (N, T) = letters + END, padded -100.

    T is the longest name + 1 unless `length` is given (names longer than length - 1 are cut).
    """
    encoded = [vocab.encode(name) for name in names]
    length = length or max((len(e) for e in encoded), default=0) + 1
    inputs = torch.full((len(names), length), PAD, dtype=torch.long)
    targets = torch.full((len(names), length), IGNORED_TARGET, dtype=torch.long)
    for row, e in enumerate(encoded):
        e = e[: length - 1]
        inputs[row, : len(e) + 1] = torch.tensor([START, *e])
        targets[row, : len(e) + 1] = torch.tensor([*e, END])
    return inputs, targets


@torch.no_grad()
def name_bits(model: NameGenerator, names: list[str], languages: list[int], vocab: GeneratorVocab,
              batch_size: int = 512) -> tuple[float, int]:
    """(total bits, symbols): -log2 p of every letter of every name and of its end mark, under the model."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    total, symbols = 0.0, 0
    for i in range(0, len(names), batch_size):
        inputs, targets = teacher_forcing_tensors(names[i: i + batch_size], vocab)
        logits = model(inputs.to(device), torch.tensor(languages[i: i + batch_size], device=device))
        nats = nn.functional.cross_entropy(logits.float(), targets.to(device), reduction="sum")
        total += nats.item() / math.log(2)
        symbols += int((targets != IGNORED_TARGET).sum())
    model.train(was_training)
    return total, symbols
