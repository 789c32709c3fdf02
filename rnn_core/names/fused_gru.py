"""The names model's fast path for a few names without autograd: every member and direction of its GRUs
stepped together, one batched matrix product per character, from weights stacked once (StackedMembers)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

if TYPE_CHECKING:  # the model imports this module
    from rnn_core.names.model import NameClassifier


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


def fused_log_probs(model: NameClassifier, w: StackedMembers, ids: torch.Tensor, lengths: torch.Tensor,
                    grams: torch.Tensor | None) -> torch.Tensor:
    """Every member's log-probabilities (M, B, C), all members and directions stepped together.

    The same arithmetic as running each member's nn.GRU on a packed batch, but one batched matrix
    product per time step serves all members, so a short name costs a few dozen small ops instead of
    a few dozen per member (for one name, the overhead of each op call outweighs its arithmetic).
    """
    members, directions, hidden = len(model.members), w.directions, model.config.hidden_size
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
        ngrams = torch.stack([m.ngrams.embedding.weight[grams].sum(1) for m in model.members])  # (M, B, Dg)
        features = torch.cat([features, ngrams / count], dim=2)  # (M, B, D * H + Dg)
    return torch.baddbmm(w.head_bias, features, w.heads).log_softmax(-1)  # (M, B, C)
