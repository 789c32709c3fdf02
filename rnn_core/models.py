"""The three model families, each a plain nn.Module with a small config dataclass.

- RowClassifier: reads a 28x28 image one row (28 pixels) per time step and names the digit.
- WaveRegressor: many-to-many; maps an input wave to an output wave, its state carried by the caller.
- NameClassifier: character-level recurrent members over packed batches, averaged, with an optional naive
  Bayes vote over character n-grams and a per-language bias.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

CELLS = ("rnn", "lstm", "gru")
# An LSTM's recurrent state is a pair (h, c); the other cells carry a single tensor h.
State = torch.Tensor | tuple[torch.Tensor, torch.Tensor]

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


def make_recurrent_layer(cell: str, input_size: int, hidden_size: int, num_layers: int = 1,
                         dropout: float = 0.0, bidirectional: bool = False) -> nn.RNNBase:
    """nn.RNN / nn.LSTM / nn.GRU by name, batch-first."""
    layers = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
    if cell not in layers:
        raise ValueError(f"Unknown cell {cell!r}: use one of {', '.join(CELLS)}.")
    return layers[cell](input_size, hidden_size, num_layers=num_layers, batch_first=True,
                        dropout=dropout if num_layers > 1 else 0.0, bidirectional=bidirectional)


def detach_state(state: State | None) -> State | None:
    """Cut the graph behind a carried state (truncated backprop through time)."""
    if state is None:
        return None
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()


# ----------------------------------------------------------------------------- digits

@dataclass
class RowClassifierConfig:
    cell: str = "lstm"
    hidden_size: int = 128
    num_layers: int = 2
    dropout: float = 0.1
    row_size: int = 28  # pixels per row = input size per step
    num_classes: int = 10


class RowClassifier(nn.Module):
    """Image (B, 28, 28) in [0, 1] -> digit logits (B, 10), reading one row per time step."""

    def __init__(self, config: RowClassifierConfig):
        super().__init__()
        self.config = config
        self.rnn = make_recurrent_layer(config.cell, config.row_size, config.hidden_size,
                                        config.num_layers, config.dropout)
        self.head = nn.Linear(config.hidden_size, config.num_classes)

    def _read(self, images: torch.Tensor) -> torch.Tensor:
        x = (images - MNIST_MEAN) / MNIST_STD  # normalised as in training, inside the model
        outputs, _ = self.rnn(x)  # (B, rows, H): the top layer's hidden state after each row
        return outputs

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.head(self._read(images)[:, -1])  # (B, C)

    def read_rows(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The per-row story: logits after every row (B, rows, C) and hidden states (B, rows, H)."""
        hidden = self._read(images)
        return self.head(hidden), hidden


# ----------------------------------------------------------------------------- waves

@dataclass
class WaveConfig:
    cell: str = "rnn"
    hidden_size: int = 32
    num_layers: int = 1


class WaveRegressor(nn.Module):
    """Many-to-many: input wave (B, T, 1) -> output wave (B, T, 1), one value per step."""

    def __init__(self, config: WaveConfig):
        super().__init__()
        self.config = config
        self.rnn = make_recurrent_layer(config.cell, 1, config.hidden_size, config.num_layers)
        self.head = nn.Linear(config.hidden_size, 1)

    def forward(self, x: torch.Tensor, state: State | None = None
                ) -> tuple[torch.Tensor, torch.Tensor, State]:
        """Returns (prediction (B, T, 1), hidden states (B, T, H), final state to carry on)."""
        hidden, state = self.rnn(x, state)
        return self.head(hidden), hidden, state


# ----------------------------------------------------------------------------- names

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
            raise ValueError(f"{len(keys)} non-zero counts, but the model was made for {len(self.entry_keys)}")
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
            log_probs = self._fused_log_probs(stacked, ids, lengths, grams)
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
        """The stacked weights when _fused_log_probs can stand in for the members, else None.

        Only for small batches: the fused steps win where per-call overhead dominates (1 name: 1.1 ms against
        3.8 ms, 8 members, one thread), and lose to nn.GRU's own kernels on big ones (1,000 names: 577 ms
        against 221 ms); they break even near 16 names. And only while the weights are the ones stacked: a
        model changed in place since (by training) answers through its members.
        """
        if self._stacked is None or batch > FUSED_MAX_BATCH or self._stacked[0] != self._weights_key():
            return None
        return self._stacked[1]

    def _fused_log_probs(self, w: StackedMembers, ids: torch.Tensor, lengths: torch.Tensor,
                         grams: torch.Tensor | None) -> torch.Tensor:
        """Every member's log-probabilities (M, B, C), all members and directions stepped together.

        The same arithmetic as running each member's nn.GRU on a packed batch, but one batched matrix
        product per time step serves all members, so a short name costs a few dozen small ops instead of
        a few dozen per member (for one name, the overhead of each op call outweighs its arithmetic).
        """
        members, directions, hidden = len(self.members), w.directions, self.config.hidden_size
        streams = members * directions  # one recurrence per member and direction: S = M * D
        batch, length = ids.shape
        lengths = lengths.to(ids.device)
        # The backward direction reads each name from its own last character: reverse within the length.
        steps = torch.arange(length, device=ids.device)
        reverse = torch.where(steps < lengths[:, None], lengths[:, None] - 1 - steps, steps)  # (B, L)
        orders = torch.stack([ids, ids.gather(1, reverse)][:directions]).transpose(1, 2)  # (D, L, B)
        x = w.embeddings[:, orders].reshape(streams, length * batch, -1)  # (M, D, L, B, E) -> (S, L * B, E)
        gates_x = torch.baddbmm(w.b_ih, x, w.w_ih).view(streams, length, batch, -1)  # (S, L, B, 3H)
        h = x.new_zeros(streams, batch, hidden)  # (S, B, H)
        shortest = int(lengths.min())
        for t in range(length):
            gates_h = torch.baddbmm(w.b_hh, h, w.w_hh)  # (S, B, 3H), gates in nn.GRU's order: r, z, n
            r, z = torch.sigmoid(gates_x[:, t, :, :2 * hidden] + gates_h[..., :2 * hidden]).chunk(2, -1)
            n = torch.tanh(torch.addcmul(gates_x[:, t, :, 2 * hidden:], r, gates_h[..., 2 * hidden:]))
            h_next = torch.lerp(n, h, z)  # (1 - z) * n + z * h
            # A name that has ended keeps its final state (what packing gives nn.GRU).
            h = h_next if t < shortest else torch.where((t < lengths)[:, None], h_next, h)
        # (S, B, H) -> (M, B, D * H): forward end, then backward start, as each member concatenates them
        features = h.view(members, directions, batch, hidden).transpose(1, 2).reshape(members, batch, -1)
        if grams is not None:
            count = (grams > 0).sum(1, keepdim=True).clamp(min=1)  # (B, 1)
            ngrams = torch.stack([m.ngrams.embedding.weight[grams].sum(1) for m in self.members])  # (M, B, Dg)
            features = torch.cat([features, ngrams / count], dim=2)  # (M, B, D * H + Dg)
        return torch.baddbmm(w.head_bias, features, w.heads).log_softmax(-1)  # (M, B, C)


@dataclass
class StackedMembers:
    """A NameClassifier's member weights, stacked along a leading member (M) or stream (S = M * D) axis."""
    directions: int
    embeddings: torch.Tensor  # (M, V, E)
    w_ih: torch.Tensor  # (S, E, 3H), transposed for x @ w
    w_hh: torch.Tensor  # (S, H, 3H)
    b_ih: torch.Tensor  # (S, 1, 3H)
    b_hh: torch.Tensor  # (S, 1, 3H)
    heads: torch.Tensor  # (M, F, C)
    head_bias: torch.Tensor  # (M, 1, C)

    @classmethod
    @torch.no_grad()
    def of(cls, model: NameClassifier) -> "StackedMembers":
        members = list(model.members)
        suffixes = ["", "_reverse"] if model.config.bidirectional else [""]

        def stacked(name: str) -> torch.Tensor:  # member-major, direction-minor: stream = m * D + d
            return torch.stack([getattr(m.rnn, name + s) for m in members for s in suffixes])

        return cls(directions=len(suffixes),
                   embeddings=torch.stack([m.embedding.weight for m in members]),
                   w_ih=stacked("weight_ih_l0").transpose(1, 2).contiguous(),
                   w_hh=stacked("weight_hh_l0").transpose(1, 2).contiguous(),
                   b_ih=stacked("bias_ih_l0").unsqueeze(1), b_hh=stacked("bias_hh_l0").unsqueeze(1),
                   heads=torch.stack([m.head.weight for m in members]).transpose(1, 2).contiguous(),
                   head_bias=torch.stack([m.head.bias for m in members]).unsqueeze(1))


MODEL_KINDS: dict[str, tuple[type, type[nn.Module]]] = {
    "row_classifier": (RowClassifierConfig, RowClassifier),
    "wave_regressor": (WaveConfig, WaveRegressor),
    "name_classifier": (NameClassifierConfig, NameClassifier),
}
