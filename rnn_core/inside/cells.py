"""Inside a cell: nn.RNN, nn.LSTM and nn.GRU unrolled by hand, one time step at a time.

PyTorch's recurrent modules read a whole sequence in one call and hand back only the hidden states. Here
the same arithmetic is written out in plain tensor operations, from the module's own parameters, and every
named value on the way is kept (each gate, the cell state ...), so a page can show them and a test can
check them against the real module: they agree to float rounding.

    unroll(module, x)         -> Unrolled: output, h_n (c_n), and every step of every layer and direction
    parameter_table(module)   -> one row per parameter: name, shape, count, what it multiplies
    tensor_shapes(spec, ...)  -> the shapes of input, h0 (c0), output, h_n (c_n) and the weights, with reasons
    seeded_module(spec, seed) -> a module with PyTorch's default init, drawn from a generator of its own

The words about parameters and tensors are EngineMessages (rnn_core.errors), so a page can translate
them.

The formulas, with PyTorch's names (W_ih x_t is x_t @ weight_ih.T; each weight stacks one block of H rows
per gate, in the order given):
    RNN   h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
    LSTM  i, f, g, o = split(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)          gates in the order i, f, g, o
          i, f, o = sigmoid(.)   g = tanh(.)   c_t = f * c_{t-1} + i * g   h_t = o * tanh(c_t)
    GRU   r, z = sigmoid(W_i{r,z} x_t + b_i{r,z} + W_h{r,z} h_{t-1} + b_h{r,z})   gates in the order r, z, n
          n = tanh(W_in x_t + b_in + r * (W_hn h_{t-1} + b_hn))   h_t = (1 - z) * n + z * h_{t-1}

Shapes in comments: T time steps, B batch, I input size, H hidden size, G gates (RNN 1, LSTM 4, GRU 3),
L layers, D directions (2 when bidirectional).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from rnn_core.errors import EngineMessage, EngineValueError
from rnn_core.seeding import init_parameters

CELL_MODULES: dict[str, type[nn.RNNBase]] = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
GATE_NAMES = {"rnn": ("h",), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}  # PyTorch's stacking order

# The sizes the "Inside a cell" page offers: small enough to list every parameter, up to the digit models'.
SHAPE_CHOICES: dict[str, tuple[int, ...]] = {
    "input_size": (1, 2, 3, 4, 8, 16, 28),
    "hidden_size": (1, 2, 3, 4, 8, 16, 32, 64, 128),
    "num_layers": (1, 2, 3),
    "batch": (1, 2, 3, 4, 8, 16, 32),
    "seq_len": (1, 2, 3, 4, 5, 8, 16, 28),
}


@dataclass(frozen=True)
class CellSpec:
    """What the constructor of nn.RNN / nn.LSTM / nn.GRU is given."""
    cell: str = "lstm"  # "rnn", "lstm" or "gru"
    input_size: int = 2
    hidden_size: int = 3
    num_layers: int = 1
    bidirectional: bool = False
    batch_first: bool = False

    @property
    def gates(self) -> int:
        return len(GATE_NAMES[self.cell])

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional else 1

    def pytorch_line(self) -> str:
        """The line of PyTorch that builds this module."""
        return (f"nn.{CELL_MODULES[self.cell].__name__}(input_size={self.input_size}, "
                f"hidden_size={self.hidden_size}, num_layers={self.num_layers}, "
                f"bidirectional={self.bidirectional}, batch_first={self.batch_first})")


def spec_of(module: nn.RNNBase) -> CellSpec:
    cell = {nn.RNN: "rnn", nn.LSTM: "lstm", nn.GRU: "gru"}.get(type(module))
    if cell is None:
        raise TypeError(f"Expected nn.RNN, nn.LSTM or nn.GRU, got {type(module).__name__}.")
    return CellSpec(cell, module.input_size, module.hidden_size, module.num_layers, module.bidirectional,
                    module.batch_first)


def seeded_module(spec: CellSpec, seed: int) -> nn.RNNBase:
    """The module, its parameters drawn as PyTorch's default init draws them, from torch.Generator(seed).

    The same numbers as torch.manual_seed(seed) and then building the module, but without touching the
    process-wide random state (the app serves many visitors from threads of one process).
    """
    # Built on the meta device: building it on the CPU would draw its init from the global generator.
    module = CELL_MODULES[spec.cell](spec.input_size, spec.hidden_size, num_layers=spec.num_layers,
                                     bidirectional=spec.bidirectional, batch_first=spec.batch_first,
                                     device="meta").to_empty(device="cpu")
    return init_parameters(module, torch.Generator().manual_seed(seed))


# ----------------------------------------------------------------------------- one step, by hand

@dataclass(kw_only=True)
class Step:
    """One time step of one layer in one direction. Vectors are (B, H) unless noted."""
    x: Tensor  # (B, I) this step's input: x_t, or the layer below's output at t (D * H wide)
    h_prev: Tensor  # h_{t-1}
    wx: Tensor  # (B, G * H) W_ih x_t, one block of H per gate
    wh: Tensor  # (B, G * H) W_hh h_{t-1}
    b_ih: Tensor  # (G * H,)
    b_hh: Tensor  # (G * H,)
    h: Tensor  # h_t


@dataclass(kw_only=True)
class RNNStep(Step):
    pre: Tensor  # W_ih x_t + b_ih + W_hh h_{t-1} + b_hh: the sum before tanh


@dataclass(kw_only=True)
class LSTMStep(Step):
    c_prev: Tensor  # c_{t-1}, the cell state (the LSTM's second, longer memory)
    i: Tensor  # input gate: how much of the candidate to write
    f: Tensor  # forget gate: how much of c_{t-1} to keep
    g: Tensor  # cell candidate: what could be written
    o: Tensor  # output gate: how much of tanh(c_t) to show as h_t
    c: Tensor  # c_t


@dataclass(kw_only=True)
class GRUStep(Step):
    r: Tensor  # reset gate: how much of the memory the candidate may look at
    z: Tensor  # update gate: how much of h_{t-1} to keep
    n: Tensor  # new candidate


@dataclass
class LayerRun:
    """One layer in one direction over the whole sequence, every value stacked over time: (T, B, ...).

    Index t is the position in the sequence, for both directions (the backward one reads t = T-1 first).
    """
    cell: str
    x: Tensor  # (T, B, I) the layer's input
    h_prev: Tensor  # (T, B, H) the state each step starts from
    wx: Tensor  # (T, B, G * H)
    wh: Tensor  # (T, B, G * H)
    b_ih: Tensor  # (G * H,)
    b_hh: Tensor  # (G * H,)
    h: Tensor  # (T, B, H)
    values: dict[str, Tensor]  # the cell's own named values, each (T, B, H): "pre" or i f g o c_prev c or r z n

    def step(self, t: int) -> Step:
        shared = dict(x=self.x[t], h_prev=self.h_prev[t], wx=self.wx[t], wh=self.wh[t], b_ih=self.b_ih,
                      b_hh=self.b_hh, h=self.h[t])
        own = {name: value[t] for name, value in self.values.items()}
        return {"rnn": RNNStep, "lstm": LSTMStep, "gru": GRUStep}[self.cell](**shared, **own)


@dataclass
class Unrolled:
    """What unroll() found: the module's own outputs, and every step of every layer and direction."""
    output: Tensor  # as the module returns it: (T, B, D * H), or (B, T, D * H) when batch_first
    h_n: Tensor  # (L * D, B, H)
    c_n: Tensor | None  # (L * D, B, H) for an LSTM
    layers: list[list[LayerRun]]  # [layer][direction]

    def step(self, t: int, layer: int = 0, direction: int = 0) -> Step:
        return self.layers[layer][direction].step(t)


def _run_layer(cell: str, x: Tensor, h: Tensor, c: Tensor | None, w_ih: Tensor, w_hh: Tensor,
               b_ih: Tensor, b_hh: Tensor, reverse: bool, activation=torch.tanh) -> LayerRun:
    """One layer, one direction: x (T, B, I), h and c (B, H) at the start."""
    steps, hidden = x.shape[0], w_hh.shape[1]
    wx = x @ w_ih.T  # (T, B, G * H): the input's part of every step at once, as it does not depend on h
    # The biases go in with it; a GRU's b_hh stays out, as its n block belongs inside r * (W_hn h + b_hn).
    x_part = (wx + b_ih + b_hh if cell != "gru" else wx + b_ih).unbind(0)  # T tensors (B, G * H)
    w_hh_t = w_hh.T  # (H, G * H): h @ w_hh_t is W_hh h for every sequence of the batch
    # Each step's values, by position t; a backward direction fills them from the end.
    h_prev, hs, kept = [None] * steps, [None] * steps, [None] * steps
    for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
        h_prev[t] = h
        if cell == "rnn":
            pre = torch.addmm(x_part[t], h, w_hh_t)  # (B, H) W_ih x_t + b_ih + b_hh + W_hh h_{t-1}
            h = activation(pre)  # tanh (or relu, when the module was built so)
            kept[t] = pre
        elif cell == "lstm":
            pre = torch.addmm(x_part[t], h, w_hh_t)  # (B, 4H): the blocks of i, f, g, o before activation
            gates = pre.sigmoid()  # i, f and o are sigmoids, 0 shut to 1 open (block g is not used)
            i, f, o = gates[:, :hidden], gates[:, hidden:2 * hidden], gates[:, 3 * hidden:]
            g = pre[:, 2 * hidden:3 * hidden].tanh()  # the candidate is a tanh: a value in [-1, 1]
            c_prev, c = c, torch.addcmul(f * c, i, g)  # c_t = f * c_{t-1} + i * g: keep some, write some
            h = o * c.tanh()  # show some of the memory
            kept[t] = (gates, g, c_prev, c)
        else:  # gru
            h_part = torch.addmm(b_hh, h, w_hh_t)  # (B, 3H) W_hh h_{t-1} + b_hh, blocks r, z, n
            rz = (x_part[t][:, :2 * hidden] + h_part[:, :2 * hidden]).sigmoid()
            r, z = rz[:, :hidden], rz[:, hidden:]
            n = torch.addcmul(x_part[t][:, 2 * hidden:], r, h_part[:, 2 * hidden:]).tanh()  # r scales the memory
            h = torch.lerp(n, h, z)  # (1 - z) * n + z * h_{t-1}: z near 1 keeps the old state
            kept[t] = (rz, n)
        hs[t] = h
    h_prev = torch.stack(h_prev)  # (T, B, H)
    return LayerRun(cell, x, h_prev, wx, h_prev @ w_hh_t, b_ih.detach(), b_hh.detach(), torch.stack(hs),
                    _named_values(cell, kept, hidden))


def _named_values(cell: str, kept: list, hidden: int) -> dict[str, Tensor]:
    """The loop's kept values stacked over time and cut into the cell's named values, each (T, B, H)."""
    if cell == "rnn":
        return {"pre": torch.stack(kept)}
    if cell == "lstm":
        gates, g, c_prev, c = (torch.stack(values) for values in zip(*kept))  # (T, B, 4H), then (T, B, H)
        return {"i": gates[..., :hidden], "f": gates[..., hidden:2 * hidden], "g": g,
                "o": gates[..., 3 * hidden:], "c": c, "c_prev": c_prev}
    rz, n = (torch.stack(values) for values in zip(*kept))  # (T, B, 2H), (T, B, H)
    return {"r": rz[..., :hidden], "z": rz[..., hidden:], "n": n}


@torch.no_grad()
def unroll(module: nn.RNNBase, x: Tensor, hx: Tensor | tuple[Tensor, Tensor] | None = None) -> Unrolled:
    """Run `module` on x step by step, by hand; the same output and final state as module(x, hx).

    x: (T, B, I), or (B, T, I) when the module is batch_first. hx: h0 (L * D, B, H), for an LSTM (h0, c0);
    zeros when None. Dropout between layers is never applied: this is the module as in eval mode.
    """
    spec = spec_of(module)
    if getattr(module, "proj_size", 0):
        raise EngineValueError("inside.proj_size")
    if not module.bias:
        raise EngineValueError("inside.no_bias")
    if x.dim() != 3:
        raise EngineValueError("inside.input_shape", shape=tuple(x.shape))
    if spec.batch_first:
        x = x.transpose(0, 1)  # (T, B, I): the loop runs over time
    batch, hidden, directions = x.shape[1], spec.hidden_size, spec.directions
    h0, c0 = hx if isinstance(hx, tuple) else (hx, None)
    if h0 is None:
        h0 = x.new_zeros(spec.num_layers * directions, batch, hidden)  # (L * D, B, H)
    if c0 is None and spec.cell == "lstm":
        c0 = torch.zeros_like(h0)
    activation = torch.relu if getattr(module, "nonlinearity", "tanh") == "relu" else torch.tanh

    layers, h_n, c_n, layer_input = [], [], [], x
    for layer in range(spec.num_layers):
        runs = []
        for direction in range(directions):
            suffix = f"_l{layer}" + ("_reverse" if direction else "")
            k = layer * directions + direction  # h0 and h_n are ordered layer by layer, forward first
            run = _run_layer(spec.cell, layer_input, h0[k], None if c0 is None else c0[k],
                             getattr(module, "weight_ih" + suffix), getattr(module, "weight_hh" + suffix),
                             getattr(module, "bias_ih" + suffix), getattr(module, "bias_hh" + suffix),
                             reverse=direction == 1, activation=activation)
            last = -1 if direction == 0 else 0  # the backward direction ends at the first position
            h_n.append(run.h[last])
            if spec.cell == "lstm":
                c_n.append(run.values["c"][last])
            runs.append(run)
        layers.append(runs)
        layer_input = torch.cat([run.h for run in runs], dim=-1)  # (T, B, D * H): the next layer's input
    output = layer_input.transpose(0, 1) if spec.batch_first else layer_input
    return Unrolled(output, torch.stack(h_n), torch.stack(c_n) if c_n else None, layers)


# ----------------------------------------------------------------------------- parameters and shapes

@dataclass
class ParameterRow:
    name: str  # as named_parameters() names it
    shape: tuple[int, ...]
    count: int
    does: EngineMessage  # in words, short: what it multiplies or is added to
    layout: EngineMessage  # what its rows (and columns) stand for

    @property
    def meaning(self) -> str:
        return f"{self.does}; {self.layout}"


_PARAMETER_NAME = re.compile(r"(weight|bias)_(ih|hh)_l(\d+)(_reverse)?")


def describe_parameter(spec: CellSpec, name: str) -> tuple[EngineMessage, EngineMessage]:
    """What a parameter of nn.RNN / nn.LSTM / nn.GRU does, and what its rows and columns are, in words; in
    English, for an LSTM's weight_ih_l0: ("multiplies the input x_t", "rows: 4 gates (i, f, g, o) x hidden 3,
    columns: input 2")."""
    match = _PARAMETER_NAME.fullmatch(name)
    if match is None:
        raise EngineValueError("inside.parameter_name", name=repr(name))
    kind, side, layer, reverse = match.group(1), match.group(2), int(match.group(3)), bool(match.group(4))
    gates, hidden = GATE_NAMES[spec.cell], spec.hidden_size
    rows = (EngineMessage("inside.gate_rows", count=len(gates), names=", ".join(gates), hidden=hidden)
            if len(gates) > 1 else EngineMessage("inside.hidden", hidden=hidden))
    if side == "ih" and layer == 0:
        what, product = EngineMessage("inside.the_input"), "W_ih x_t"
        columns = EngineMessage("inside.input", size=spec.input_size)
    elif side == "ih":
        what = EngineMessage("inside.layer_output", layer=layer - 1)
        product = EngineMessage("inside.w_ih_times", what=what)
        columns = (EngineMessage("inside.both_directions", hidden=hidden) if spec.bidirectional
                   else EngineMessage("inside.hidden", hidden=hidden))
    else:
        what, product = EngineMessage("inside.the_last_state"), "W_hh h_(t-1)"
        columns = EngineMessage("inside.hidden", hidden=hidden)
    if kind == "weight":
        does = EngineMessage("inside.multiplies", what=what)
        layout = EngineMessage("inside.weight_layout", rows=rows, columns=columns)
    else:
        does = EngineMessage("inside.added_to", product=product)
        layout = EngineMessage("inside.bias_layout", rows=rows)
        if spec.cell == "gru" and side == "hh":
            does = EngineMessage("inside.gru_hh_bias", does=does)
    return EngineMessage("inside.backward", does=does) if reverse else does, layout


def parameter_table(module: nn.RNNBase) -> list[ParameterRow]:
    """Every parameter of the real module, in named_parameters() order."""
    spec = spec_of(module)
    return [ParameterRow(name, tuple(p.shape), p.numel(), *describe_parameter(spec, name))
            for name, p in module.named_parameters()]


def parameter_total(module: nn.RNNBase) -> int:
    return sum(p.numel() for p in module.parameters())


@dataclass
class ShapeRow:
    name: str  # "input", "h0", "c0", "output", "h_n", "c_n", "weight_ih_l0", "weight_hh_l0"
    shape: tuple[int, ...]
    reason: EngineMessage  # one line: why this shape


def tensor_shapes(spec: CellSpec, batch: int, seq_len: int) -> list[ShapeRow]:
    """The shapes going in and out of the module, read off running the real module once, with reasons."""
    module = seeded_module(spec, seed=0)
    layers_directions, hidden = spec.num_layers * spec.directions, spec.hidden_size
    x = torch.zeros((batch, seq_len, spec.input_size) if spec.batch_first else (seq_len, batch, spec.input_size))
    h0 = torch.zeros(layers_directions, batch, hidden)  # the module checks this shape, and says so if wrong
    with torch.no_grad():
        output, state = module(x, (h0, torch.zeros_like(h0)) if spec.cell == "lstm" else h0)
    h_n, c_n = state if spec.cell == "lstm" else (state, None)
    rows = [
        ShapeRow("input", tuple(x.shape), EngineMessage("inside.input_batch_first") if spec.batch_first
                 else EngineMessage("inside.input_time_first")),
        ShapeRow("h0", tuple(h0.shape), EngineMessage("inside.h0", layers=spec.num_layers,
                                                      directions=spec.directions)),
    ]
    if spec.cell == "lstm":
        rows.append(ShapeRow("c0", tuple(h0.shape), EngineMessage("inside.c0")))
    rows += [
        ShapeRow("output", tuple(output.shape),
                 EngineMessage("inside.output_bidirectional", directions=spec.directions, hidden=hidden)
                 if spec.bidirectional else EngineMessage("inside.output")),
        ShapeRow("h_n", tuple(h_n.shape), EngineMessage("inside.h_n")),
    ]
    if c_n is not None:
        rows.append(ShapeRow("c_n", tuple(c_n.shape), EngineMessage("inside.c_n")))
    gate_rows = (EngineMessage("inside.gates_by_hidden", count=spec.gates) if spec.gates > 1
                 else EngineMessage("inside.hidden_rows"))
    rows += [
        ShapeRow("weight_ih_l0", tuple(module.weight_ih_l0.shape), EngineMessage("inside.weight_ih", rows=gate_rows)),
        ShapeRow("weight_hh_l0", tuple(module.weight_hh_l0.shape), EngineMessage("inside.weight_hh", rows=gate_rows)),
    ]
    return rows
