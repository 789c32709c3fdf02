"""Many to many, delayed: an encoder-decoder that reads English number words and writes a Chinese numeral.

The encoder, a bidirectional GRU, reads every word first and leaves one annotation per word. The decoder,
a GRU cell, then writes one character per step. With attention (Bahdanau's additive kind), before each
character it scores every annotation against its own state, softmaxes the scores over the words into
weights, and reads their weighted sum, the context; without attention the context is the encoder's last
states at every step, the one summary a plain encoder-decoder has. Trained by teacher forcing through
ClassifierTrainer: forward returns logits (B, V, T) against targets (B, T), padding marked -100.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnn_core.translator.data import CHARACTERS, WORDS

PAD, START, END = 0, 1, 2  # target ids below SPECIAL_TOKENS are marks; a source pads with 0 too
SPECIAL_TOKENS = 3
IGNORED_TARGET = -100  # F.cross_entropy's default ignore_index: padding costs nothing


class SourceVocab:
    """English words <-> ids: 0 pads, the words follow from 1. Stored in a checkpoint as the words, spaced."""

    def __init__(self, words: str = " ".join(WORDS)):
        self.words = words.split()
        self._index = {word: i + 1 for i, word in enumerate(self.words)}

    def __len__(self) -> int:
        return len(self.words) + 1

    def encode(self, words: list[str]) -> list[int]:
        return [self._index[word] for word in words]


class TargetVocab:
    """Chinese characters <-> ids: 0 pads, 1 starts, 2 ends; characters follow from 3."""

    def __init__(self, chars: list[str] | str = CHARACTERS):
        self.chars = list(chars)
        self._index = {c: i + SPECIAL_TOKENS for i, c in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars) + SPECIAL_TOKENS

    def encode(self, text: str) -> list[int]:
        return [self._index[c] for c in text]

    def decode(self, ids: list[int]) -> str:
        """The characters up to the first end mark."""
        out = []
        for token in ids:
            if token == END:
                break
            if token >= SPECIAL_TOKENS:
                out.append(self.chars[token - SPECIAL_TOKENS])
        return "".join(out)


@dataclass
class TranslatorConfig:
    vocab_size: int  # English words + padding
    num_labels: int  # Chinese characters + the three marks
    attention: bool = True  # False: the decoder gets the encoder's last states only
    word_dim: int = 64
    char_dim: int = 32
    hidden_size: int = 128  # per direction of the encoder
    decoder_size: int = 256
    attention_size: int = 128


@dataclass
class EncodedSource:
    """What the decoder reads from: the encoder's output for a batch, computed once per translation."""
    annotations: torch.Tensor  # (B, S, 2H): each word in the context of the whole input
    keys: torch.Tensor  # (B, S, A): the annotations projected once for scoring
    mask: torch.Tensor  # (B, S): True at real words, False at padding
    summary: torch.Tensor  # (B, 2H): the last forward and backward states

    def select(self, rows: torch.Tensor) -> EncodedSource:
        """The same source for the rows given (a beam's copies of one input)."""
        return EncodedSource(self.annotations[rows], self.keys[rows], self.mask[rows], self.summary[rows])


class NumberTranslator(nn.Module):
    """Source ids (B, S) + lengths (B,) + decoder inputs (B, T) starting with START -> logits (B, V, T)."""

    def __init__(self, config: TranslatorConfig):
        super().__init__()
        self.config = config
        context = 2 * config.hidden_size
        self.word_embedding = nn.Embedding(config.vocab_size, config.word_dim, padding_idx=PAD)
        self.encoder = nn.GRU(config.word_dim, config.hidden_size, batch_first=True, bidirectional=True)
        self.initial_state = nn.Linear(context, config.decoder_size)
        self.query = nn.Linear(config.decoder_size, config.attention_size, bias=False)
        self.key = nn.Linear(context, config.attention_size)
        self.score = nn.Linear(config.attention_size, 1, bias=False)
        self.char_embedding = nn.Embedding(config.num_labels, config.char_dim, padding_idx=PAD)
        self.decoder = nn.GRUCell(config.char_dim + context, config.decoder_size)
        self.head = nn.Linear(config.decoder_size + context + config.char_dim, config.num_labels)

    def encode(self, source: torch.Tensor, lengths: torch.Tensor) -> EncodedSource:
        packed = pack_padded_sequence(self.word_embedding(source), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        output, last = self.encoder(packed)  # last: (2, B, H), each direction's state after its last word
        annotations, _ = pad_packed_sequence(output, batch_first=True, total_length=source.shape[1])
        mask = torch.arange(source.shape[1], device=source.device)[None, :] < lengths.to(source.device)[:, None]
        return EncodedSource(annotations, self.key(annotations), mask, torch.cat([last[0], last[1]], dim=-1))

    def start_state(self, source: EncodedSource) -> torch.Tensor:
        return torch.tanh(self.initial_state(source.summary))  # (B, D)

    def attend(self, state: torch.Tensor, source: EncodedSource) -> tuple[torch.Tensor, torch.Tensor | None]:
        """(context (B, 2H), weights (B, S) over the words, or None without attention)."""
        if not self.config.attention:
            return source.summary, None
        scores = self.score(torch.tanh(self.query(state)[:, None, :] + source.keys)).squeeze(-1)  # (B, S)
        weights = torch.softmax(scores.masked_fill(~source.mask, float("-inf")), dim=-1)  # padding gets 0
        return torch.bmm(weights[:, None, :], source.annotations).squeeze(1), weights

    def step(self, previous: torch.Tensor, state: torch.Tensor, source: EncodedSource
             ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """One character: previous ids (B,) and state (B, D) -> (logits (B, V), new state, weights (B, S))."""
        context, weights = self.attend(state, source)  # where to look is decided before writing
        embedded = self.char_embedding(previous)
        state = self.decoder(torch.cat([embedded, context], dim=-1), state)
        return self.head(torch.cat([state, context, embedded], dim=-1)), state, weights

    def forward(self, source: torch.Tensor, lengths: torch.Tensor, decoder_inputs: torch.Tensor) -> torch.Tensor:
        encoded = self.encode(source, lengths)
        state = self.start_state(encoded)
        logits = []
        for t in range(decoder_inputs.shape[1]):
            step_logits, state, _ = self.step(decoder_inputs[:, t], state, encoded)
            logits.append(step_logits)
        return torch.stack(logits, dim=2)  # (B, V, T)
