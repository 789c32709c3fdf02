"""The generator's yardstick: character n-gram models with interpolated, modified Kneser-Ney smoothing.

KneserNey is one model over token sequences (Chen & Goodman's modified KN: three discounts per order, read
off the counts, so nothing is tuned on test data). LanguageNgram conditions it on the language: each
language's own model, mixed with one fitted on every language's names; a language with few names leans on
the shared one (weight n / (n + strength), the strength chosen on training names held out from the fit).
"""
from __future__ import annotations

import math
import zlib
from collections import defaultdict
from dataclasses import dataclass

BEGIN = -1  # pads the history before a name's first letter (token ids of the vocabulary are >= 0)


def _discounts(count_of_counts: dict[int, int]) -> tuple[float, float, float]:
    """Modified Kneser-Ney discounts D1, D2, D3+ from how many n-grams occur once, twice, ... four times."""
    n1, n2, n3, n4 = (count_of_counts.get(k, 0) for k in (1, 2, 3, 4))
    y = n1 / (n1 + 2 * n2) if n1 and n2 else 0.5
    raw = (1 - 2 * y * n2 / n1 if n1 else 0.5, 2 - 3 * y * n3 / n2 if n2 else 1.0, 3 - 4 * y * n4 / n3 if n3 else 1.5)
    # Tiny data sets give degenerate ratios; keep each discount positive and below its count.
    return tuple(min(max(d, 0.05), k - 0.05) for k, d in zip((1, 2, 3), raw))


class KneserNey:
    """An interpolated modified Kneser-Ney model of order n over sequences of int tokens.

    A sequence is read with n - 1 BEGIN marks before it, and every token of it is predicted (the caller ends
    sequences with its own end token). The lowest order falls back on a uniform choice among `vocab_size`
    tokens, so no token has probability 0.
    """

    def __init__(self, order: int, vocab_size: int):
        self.order, self.vocab_size = order, vocab_size
        # counts[k][history of k tokens][token]: raw counts at the top order, continuation counts below.
        self.counts: list[dict[tuple, dict[int, int]]] = [defaultdict(dict) for _ in range(order)]
        self.discounts: list[tuple[float, float, float]] = []
        self._totals: list[dict[tuple, tuple[int, int, int, int]]] = []  # per history: total, N1, N2, N3+

    def fit(self, sequences: list[list[int]]) -> KneserNey:
        top = self.order - 1
        for sequence in sequences:
            padded = [BEGIN] * top + list(sequence)
            for i in range(top, len(padded)):
                row = self.counts[top][tuple(padded[i - top: i])]
                row[padded[i]] = row.get(padded[i], 0) + 1
        # Lower orders count in how many different contexts a shorter n-gram continues (Kneser-Ney).
        for k in range(top - 1, -1, -1):
            for history, row in self.counts[k + 1].items():
                for token in row:
                    lower = self.counts[k][history[1:]]
                    lower[token] = lower.get(token, 0) + 1
        self.discounts, self._totals = [], []
        for level in self.counts:
            count_of_counts: dict[int, int] = defaultdict(int)
            totals = {}
            for history, row in level.items():
                values = row.values()
                for c in values:
                    count_of_counts[c] += 1
                totals[history] = (sum(values), sum(c == 1 for c in values), sum(c == 2 for c in values),
                                   sum(c >= 3 for c in values))
            self.discounts.append(_discounts(count_of_counts))
            self._totals.append(totals)
        return self

    def probability(self, history: tuple[int, ...], token: int) -> float:
        """p(token | the last order - 1 tokens of `history`, BEGIN-padded)."""
        history = ((BEGIN,) * self.order + tuple(history))[len(history) + 1:]  # the last order - 1 tokens
        p = 1.0 / self.vocab_size
        for k in range(self.order):
            context = history[len(history) - k:] if k else ()
            totals = self._totals[k].get(context)
            if totals is None:
                continue  # an unseen history: the lower order's answer stands
            total, n1, n2, n3 = totals
            d1, d2, d3 = self.discounts[k]
            count = self.counts[k][context].get(token, 0)
            discount = 0.0 if count == 0 else d1 if count == 1 else d2 if count == 2 else d3
            p = (count - discount) / total + (d1 * n1 + d2 * n2 + d3 * n3) / total * p
        return p

    def sequence_bits(self, sequence: list[int]) -> float:
        """-log2 p of every token of the sequence."""
        return -sum(math.log2(self.probability(tuple(sequence[:i]), token)) for i, token in enumerate(sequence))


@dataclass
class LanguageNgram:
    """p(token | language, history) = w * p_language + (1 - w) * p_all, w = n / (n + strength), where n is
    how many training names the language has."""
    order: int
    strength: float
    own: dict[str, KneserNey]
    shared: KneserNey
    name_counts: dict[str, int]

    @classmethod
    def fit(cls, sequences: list[list[int]], languages: list[str], vocab_size: int, order: int,
            strength: float) -> LanguageNgram:
        by_language: dict[str, list[list[int]]] = defaultdict(list)
        for sequence, language in zip(sequences, languages):
            by_language[language].append(sequence)
        own = {language: KneserNey(order, vocab_size).fit(seqs) for language, seqs in by_language.items()}
        return cls(order, strength, own, KneserNey(order, vocab_size).fit(sequences),
                   {language: len(seqs) for language, seqs in by_language.items()})

    def sequence_bits(self, sequence: list[int], language: str) -> float:
        own, n = self.own.get(language), self.name_counts.get(language, 0)
        weight = n / (n + self.strength) if own is not None and n + self.strength > 0 else 0.0
        bits = 0.0
        for i, token in enumerate(sequence):
            history = tuple(sequence[:i])
            p = (1 - weight) * self.shared.probability(history, token)
            if weight:
                p += weight * own.probability(history, token)
            bits -= math.log2(p)
        return bits

    def bits(self, sequences: list[list[int]], languages: list[str]) -> tuple[float, int]:
        """(total bits, tokens) over the sequences."""
        return (sum(self.sequence_bits(s, language) for s, language in zip(sequences, languages)),
                sum(len(s) for s in sequences))


STRENGTHS = (0.0, 10.0, 30.0, 100.0, 300.0, 1000.0, math.inf)


def fit_language_ngram(sequences: list[list[int]], languages: list[str], names: list[str], vocab_size: int,
                       order: int = 5, strengths: tuple[float, ...] = STRENGTHS) -> LanguageNgram:
    """Choose the mixing strength on a fifth of the training names held out (by a hash of the name), then fit
    on all of them. `names` only decides which fifth a sequence falls in."""
    held_out = [zlib.crc32(("ngram:" + name).encode("utf-8")) % 5 == 0 for name in names]
    fit_part = [i for i, h in enumerate(held_out) if not h]
    check_part = [i for i, h in enumerate(held_out) if h]
    best = strengths[0]
    if fit_part and check_part and len(strengths) > 1:
        scores = {}
        for strength in strengths:
            model = LanguageNgram.fit([sequences[i] for i in fit_part], [languages[i] for i in fit_part], vocab_size,
                                      order, strength)
            scores[strength] = model.bits([sequences[i] for i in check_part], [languages[i] for i in check_part])[0]
        best = min(strengths, key=lambda s: (scores[s], s))
    return LanguageNgram.fit(sequences, languages, vocab_size, order, best)
