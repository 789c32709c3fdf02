"""An unrolled recurrent network as an inline SVG, with the tensor shape each arrow carries at one step.

Layers stack bottom to top, time runs left to right; a bidirectional network gets a second, amber arrow
running right to left in every layer. Long sequences show their first two steps, a gap, and the last.
"""
from __future__ import annotations

from rnn_core.inside.cells import CellSpec
from ui.i18n import _

INDIGO, AMBER, INK, MUTED = "#4f46e5", "#d97706", "#1f2333", "#6b7280"
BOX_W, BOX_H = 104, 50
PITCH_X, PITCH_Y = 172, 120  # from one cell to the next in time, and from one layer to the next
GAP_W = 30  # the column standing for the steps left out
LEFT, RIGHT, TOP, BOTTOM = 124, 124, 68, 68  # room for h0, h_n, the outputs and the inputs


def _columns(seq_len: int) -> list[int | None]:
    """The time steps drawn, 1-based; None is the gap standing for the steps left out."""
    return list(range(1, seq_len + 1)) if seq_len <= 4 else [1, 2, None, seq_len]


def _shape(*sizes: int) -> str:
    return "(" + ", ".join(str(s) for s in sizes) + ")"


def _arrow(x1: float, y1: float, x2: float, y2: float, colour: str, dashed: bool = False) -> str:
    marker = {INDIGO: "i", AMBER: "a", INK: "k"}[colour]
    dash = ' stroke-dasharray="5,4"' if dashed else ""
    return (f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="{colour}" '
            f'stroke-width="2"{dash} marker-end="url(#{marker})"/>')


def _text(x: float, y: float, text: str, colour: str = INK, size: int = 13, anchor: str = "middle",
          weight: str = "normal") -> str:
    return (f'<text x="{x:.0f}" y="{y:.0f}" fill="{colour}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}">{text}</text>')


def unrolled_svg(spec: CellSpec, batch: int, seq_len: int) -> str:
    """The network unrolled over time; every arrow labelled with the shape it carries at one step."""
    columns = _columns(seq_len)
    layers, hidden, d = spec.num_layers, spec.hidden_size, spec.directions
    widths = [BOX_W if step is not None else GAP_W for step in columns]
    lefts = [LEFT + sum(widths[:j]) + j * (PITCH_X - BOX_W) for j in range(len(columns))]  # each column's left edge
    width = lefts[-1] + widths[-1] + RIGHT
    height = TOP + layers * PITCH_Y - (PITCH_Y - BOX_H) + BOTTOM
    lstm = spec.cell == "lstm"
    name = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}[spec.cell]
    parts = []
    layer_label = _("layer {layer}, t={step}")

    def box_y(layer: int) -> float:  # top edge of a layer's cells; layer 0 at the bottom
        return TOP + (layers - 1 - layer) * PITCH_Y

    for layer in range(layers):
        y = box_y(layer)
        mid = y + BOX_H / 2
        forward_y, backward_y = (mid - 9, mid + 11) if d == 2 else (mid, mid)
        for j, step in enumerate(columns):
            x = lefts[j]
            if step is None:  # the steps left out
                parts.append(_text(x + GAP_W / 2, mid + 6, "…", MUTED, 26))
            else:
                parts.append(f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="9" fill="#eef2ff" '
                             f'stroke="{INDIGO}" stroke-width="2"/>')
                parts.append(_text(x + BOX_W / 2, mid - 1, name, INK, 18, weight="bold"))
                parts.append(_text(x + BOX_W / 2, mid + 14, layer_label.format(layer=layer, step=step), MUTED, 13))
            # The memory to the next step: the forward arrow, and for a bidirectional layer the backward one.
            if j + 1 < len(columns):
                gap = step is None or columns[j + 1] is None
                x1, x2 = x + widths[j] + 3, lefts[j + 1] - 3
                parts.append(_arrow(x1, forward_y, x2, forward_y, INDIGO, dashed=gap))
                if not gap:
                    parts.append(_text((x1 + x2) / 2, forward_y - 7, _shape(batch, hidden), INDIGO, 17))
                if d == 2:
                    parts.append(_arrow(x2, backward_y, x1, backward_y, AMBER, dashed=gap))
                    if not gap:
                        parts.append(_text((x1 + x2) / 2, backward_y + 19, _shape(batch, hidden), AMBER, 17))
            # Up: this layer's h_t (both directions side by side) is the next layer's input, or the output.
            if step is not None:
                centre, up_shape = x + BOX_W / 2, _shape(batch, d * hidden)
                if layer < layers - 1:
                    parts.append(_arrow(centre, y - 3, centre, box_y(layer + 1) + BOX_H + 3, INK))
                    parts.append(_text(centre + 6, y - (PITCH_Y - BOX_H) / 2 + 4, up_shape, INK, 17, "start"))
                else:
                    parts.append(_arrow(centre, y - 3, centre, 24, INK))
                    parts.append(_text(centre - 6, 16, f"out{_subscript(step)}", INK, 16, "end"))
                    parts.append(_text(centre + 6, 16, up_shape, INK, 17, "start"))
        # Where the memory starts (h0) and ends (h_n).
        first, last = lefts[0], lefts[-1] + BOX_W
        start, end = ("h₀, c₀", "hₙ, cₙ") if lstm else ("h₀", "hₙ")
        parts.append(_text(4, forward_y + 5, start, INDIGO, 16, "start"))
        parts.append(_arrow(56, forward_y, first - 3, forward_y, INDIGO))
        parts.append(_text((56 + first) / 2, forward_y - 7, _shape(batch, hidden), INDIGO, 17))
        parts.append(_arrow(last + 3, forward_y, width - 60, forward_y, INDIGO))
        parts.append(_text(width - 4, forward_y + 5, end, INDIGO, 16, "end"))
        if d == 2:  # the backward direction starts at the last step and ends at the first
            parts.append(_arrow(width - 60, backward_y, last + 3, backward_y, AMBER))
            parts.append(_arrow(first - 3, backward_y, 56, backward_y, AMBER))
            parts.append(_text(4, backward_y + 5, end, AMBER, 16, "start"))
            parts.append(_text(width - 4, backward_y + 5, start, AMBER, 16, "end"))

    # The inputs, one step's slice each: x_t is (B, I) whether the batch or time comes first.
    bottom = box_y(0) + BOX_H
    for j, step in enumerate(columns):
        if step is None:
            continue
        x = lefts[j] + BOX_W / 2
        parts.append(_arrow(x, height - 22, x, bottom + 3, INK))
        parts.append(_text(x - 6, height - 6, f"x{_subscript(step)}", INK, 16, "end"))
        parts.append(_text(x + 6, height - 6, _shape(batch, spec.input_size), INK, 17, "start"))

    markers = "".join(
        f'<marker id="{m}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
        for m, c in (("i", INDIGO), ("a", AMBER), ("k", INK)))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'font-family="sans-serif"><defs>{markers}</defs>{"".join(parts)}</svg>')


def _subscript(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
