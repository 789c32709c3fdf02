"""A name's character n-grams, hashed into table rows, and the fastText-style features read from them."""
from __future__ import annotations

import torch
from torch import nn


def ngram_keys(ids: torch.Tensor, lengths: torch.Tensor, vocab_size: int, sizes: list[int]
               ) -> tuple[torch.Tensor, torch.Tensor]:
    """A name's character n-grams as hash keys (B, G), and which slots hold an n-gram (B, G), from ids (B, L)
    + lengths (B,). hashed_ngram_ids turns the keys into rows of a table of any size.

    The n-grams are read over the name framed by a boundary mark at both ends, so "-ov" at the end of a
    name differs from "ov" inside it.
    """
    batch, length = ids.shape
    boundary = vocab_size  # an id no character has
    framed = torch.cat([torch.full((batch, 1), boundary, dtype=ids.dtype, device=ids.device), ids,
                        torch.zeros(batch, 1, dtype=ids.dtype, device=ids.device)], dim=1)
    lengths = lengths.to(ids.device)
    framed[torch.arange(batch, device=ids.device), lengths + 1] = boundary  # (B, L + 2)
    keys, valid = [], []
    for n in sizes:
        if n > length + 2:
            continue
        windows = framed.unfold(1, n, 1)  # (B, L + 3 - n, n)
        code = torch.zeros(windows.shape[:2], dtype=torch.long, device=ids.device)
        for k in range(n):
            code = code * (vocab_size + 1) + windows[..., k]
        # A multiplicative hash, salted by n so that n-grams of different sizes land apart.
        keys.append(code * 2654435761 + n * 40503)
        start = torch.arange(windows.shape[1], device=ids.device)
        valid.append(start[None] <= (lengths + 2 - n)[:, None])  # the window ends inside the framed name
    return torch.cat(keys, dim=1), torch.cat(valid, dim=1)


def hashed_ngram_ids(keys: torch.Tensor, valid: torch.Tensor, buckets: int) -> torch.Tensor:
    """ngram_keys' keys as table rows (B, G) in [1, buckets), 0 where a name has no n-gram at that slot."""
    return (keys % (buckets - 1) + 1) * valid


class CharNgrams(nn.Module):
    """fastText-style features: the mean embedding of a name's hashed character n-grams.

    Computed inside the model from the ids (ngram_keys). Ids (B, L) + lengths (B,) -> (B, D).
    """

    def __init__(self, vocab_size: int, sizes: list[int], buckets: int, dim: int):
        super().__init__()
        self.vocab_size, self.sizes, self.buckets = vocab_size, list(sizes), buckets
        self.embedding = nn.Embedding(buckets, dim, padding_idx=0)  # row 0: no n-gram (padding)

    def ngram_ids(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Hashed n-gram ids (B, G) in [1, buckets), 0 where a name has no n-gram at that slot."""
        return hashed_ngram_ids(*ngram_keys(ids, lengths, self.vocab_size, self.sizes), self.buckets)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor, grams: torch.Tensor | None = None
                ) -> torch.Tensor:
        if grams is None:
            grams = self.ngram_ids(ids, lengths)  # (B, G)
        count = (grams > 0).sum(1, keepdim=True).clamp(min=1)
        return self.embedding(grams).sum(1) / count  # (B, D): padding rows are zero
