"""The names model's naive Bayes vote: counts of character n-grams per language."""
from __future__ import annotations

import torch
from torch import nn

from rnn_core.errors import EngineValueError
from rnn_core.names.ngram_features import hashed_ngram_ids, ngram_keys


class NgramNaiveBayes(nn.Module):
    """Multinomial naive Bayes over a name's hashed character n-grams: ids (B, L) + lengths (B,) -> (B, C).

    Its parameters are counts, not learned weights: how often each n-gram occurs in each language's
    training names. A name's score for a language is the log-likelihood of its n-grams under that
    language's smoothed n-gram frequencies, normalised over languages; no language prior (the decision
    rule sets that). Most n-grams occur in one or two languages, so the counts are stored sparsely, as
    (bucket * C + language, count) entries; the dense table of log-likelihoods is rebuilt from them.
    """

    def __init__(self, vocab_size: int, num_classes: int, sizes: list[int], buckets: int, entries: int,
                 smoothing: float):
        super().__init__()
        self.vocab_size, self.num_classes, self.sizes = vocab_size, num_classes, list(sizes)
        self.buckets, self.smoothing = buckets, smoothing
        self.register_buffer("entry_keys", torch.zeros(entries, dtype=torch.int32))  # bucket * C + language
        self.register_buffer("entry_counts", torch.zeros(entries, dtype=torch.int32))
        self.register_buffer("log_likelihood", torch.zeros(buckets, num_classes), persistent=False)  # (N, C)
        self.register_load_state_dict_post_hook(lambda module, _: module.rebuild_table())

    def ngram_ids(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return hashed_ngram_ids(*ngram_keys(ids, lengths, self.vocab_size, self.sizes), self.buckets)

    def count(self, ids: torch.Tensor, lengths: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Dense counts (N, C): how often each n-gram bucket occurs in the names of each language."""
        grams = self.ngram_ids(ids, lengths)  # (B, G)
        counts = torch.zeros(self.buckets, self.num_classes, dtype=torch.int32)
        languages = labels[:, None].expand_as(grams)
        counts.index_put_((grams.flatten(), languages.flatten()), torch.ones(grams.numel(), dtype=torch.int32),
                          accumulate=True)
        counts[0] = 0  # bucket 0 is "no n-gram"
        return counts

    def table(self, counts: torch.Tensor) -> torch.Tensor:
        """Log-likelihoods (N, C) of each n-gram bucket in each language, from counts (N, C)."""
        seen = int((counts.sum(1) > 0).sum())  # the n-grams of the training names: the smoothed vocabulary
        smoothed = counts.double() + self.smoothing
        table = (smoothed / (counts.sum(0) + self.smoothing * seen)).log().float()
        table[0] = 0.0  # "no n-gram" adds nothing
        return table

    def scores(self, table: torch.Tensor, ids: torch.Tensor, lengths: torch.Tensor,
               grams: torch.Tensor | None = None) -> torch.Tensor:
        """Per-language log-likelihoods of each name's n-grams under `table`, normalised: (B, C).
        `grams`: the names' n-gram ids in this table, when the caller has them already."""
        if grams is None:
            grams = self.ngram_ids(ids, lengths)  # (B, G)
        return table[grams.to(table.device)].sum(1).log_softmax(-1)  # (B, G, C) -> (B, C)

    def set_counts(self, counts: torch.Tensor) -> None:
        """Store dense counts (N, C) as entries; there must be exactly `entries` non-zero ones."""
        keys = counts.flatten().nonzero().squeeze(1)
        if len(keys) != len(self.entry_keys):
            raise EngineValueError("names.naive_bayes_counts", found=len(keys), expected=len(self.entry_keys))
        self.entry_keys.copy_(keys)
        self.entry_counts.copy_(counts.flatten()[keys])
        self.rebuild_table()

    @torch.no_grad()
    def rebuild_table(self) -> None:
        counts = torch.zeros(self.buckets * self.num_classes, dtype=torch.int32, device=self.entry_keys.device)
        counts[self.entry_keys.long()] = self.entry_counts
        self.log_likelihood.copy_(self.table(counts.view(self.buckets, self.num_classes)))

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor, grams: torch.Tensor | None = None
                ) -> torch.Tensor:
        return self.scores(self.log_likelihood, ids, lengths, grams)
