"""rnn_core.inside.cells and rnn_core.digits.gates: the hand-unrolled cells against PyTorch's own modules, the parameter
and shape tables against the real modules, seeded modules, and the digit models' gates."""
from __future__ import annotations

import itertools

import pytest
import torch
from torch import nn

from rnn_core.inside.cells import (CELL_MODULES, GATE_NAMES, SHAPE_CHOICES, CellSpec, GRUStep, LSTMStep, RNNStep,
                            describe_parameter, parameter_table, parameter_total, seeded_module, spec_of,
                            tensor_shapes, unroll)
from rnn_core.digits.gates import GATES, NoGatesError, digit_gates, gate_means, telling_units
from rnn_core.digits.model import MNIST_MEAN, MNIST_STD, RowClassifier, RowClassifierConfig

TOLERANCE = 1e-5
STEPS, BATCH, INPUT, HIDDEN = 6, 3, 4, 5
GRID = list(itertools.product(CELL_MODULES, (1, 2), (False, True), (False, True), (0, 1)))


def grid_id(case) -> str:
    cell, layers, bidirectional, batch_first, seed = case
    return f"{cell}-L{layers}-{'bi' if bidirectional else 'uni'}-{'bf' if batch_first else 'tf'}-s{seed}"


def random_input(spec: CellSpec, seed: int, steps: int = STEPS, batch: int = BATCH) -> torch.Tensor:
    shape = (batch, steps, spec.input_size) if spec.batch_first else (steps, batch, spec.input_size)
    return torch.randn(shape, generator=torch.Generator().manual_seed(1000 + seed))


def random_state(spec: CellSpec, seed: int, batch: int = BATCH):
    generator = torch.Generator().manual_seed(2000 + seed)
    shape = (spec.num_layers * spec.directions, batch, spec.hidden_size)
    h0 = torch.randn(shape, generator=generator) * 0.5
    return (h0, torch.randn(shape, generator=generator) * 0.5) if spec.cell == "lstm" else h0


def one_layer_module(module: nn.RNNBase, layer: int, input_size: int) -> nn.RNNBase:
    """PyTorch's own module for layer `layer` alone: its weights, renamed to layer 0."""
    spec = spec_of(module)
    single = CELL_MODULES[spec.cell](input_size, spec.hidden_size, bidirectional=spec.bidirectional)
    with torch.no_grad():
        for name, parameter in single.named_parameters():
            parameter.copy_(getattr(module, name.replace("_l0", f"_l{layer}")))
    return single.eval()


def max_difference(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).detach().abs().max())


# ----------------------------------------------------------------------------- the unrolled cells

@pytest.mark.parametrize("case", GRID, ids=grid_id)
@pytest.mark.parametrize("start", ["zeros", "given"])
def test_unrolled_cell_reproduces_pytorch_at_every_step(case, start):
    cell, layers, bidirectional, batch_first, seed = case
    spec = CellSpec(cell, INPUT, HIDDEN, layers, bidirectional, batch_first)
    module = seeded_module(spec, seed).eval()
    x = random_input(spec, seed)
    hx = random_state(spec, seed) if start == "given" else None
    with torch.no_grad():
        output, state = module(x, hx)
    by_hand = unroll(module, x, hx)

    assert by_hand.output.shape == output.shape
    assert max_difference(by_hand.output, output) < TOLERANCE  # the top layer, every step, both directions
    h_n = state[0] if cell == "lstm" else state
    assert max_difference(by_hand.h_n, h_n) < TOLERANCE
    if cell == "lstm":
        assert max_difference(by_hand.c_n, state[1]) < TOLERANCE
    else:
        assert by_hand.c_n is None

    # Every layer, every step: each layer against PyTorch's module for that layer alone, on the same input.
    for layer, runs in enumerate(by_hand.layers):
        layer_input = runs[0].x  # (T, B, input of this layer)
        single = one_layer_module(module, layer, layer_input.shape[-1])
        start_state = None
        if hx is not None:
            rows = slice(layer * spec.directions, (layer + 1) * spec.directions)
            start_state = (hx[0][rows], hx[1][rows]) if cell == "lstm" else hx[rows]
        with torch.no_grad():
            expected, _ = single(layer_input, start_state)  # (T, B, D * H)
        for direction, run in enumerate(runs):
            wanted = expected[..., direction * HIDDEN:(direction + 1) * HIDDEN]
            for t in range(STEPS):
                assert max_difference(run.step(t).h, wanted[t]) < TOLERANCE, (layer, direction, t)


@pytest.mark.parametrize("cell", list(CELL_MODULES))
def test_every_step_holds_its_named_values_and_they_add_up(cell):
    spec = CellSpec(cell, INPUT, HIDDEN, num_layers=2, bidirectional=True)
    module = seeded_module(spec, 7)
    by_hand = unroll(module, random_input(spec, 7))
    size = HIDDEN
    for layer, direction, t in itertools.product(range(2), range(2), range(STEPS)):
        step = by_hand.step(t, layer, direction)
        run = by_hand.layers[layer][direction]
        suffix = f"_l{layer}" + ("_reverse" if direction else "")
        w_ih, w_hh = getattr(module, "weight_ih" + suffix), getattr(module, "weight_hh" + suffix)
        assert max_difference(step.wx, step.x @ w_ih.T) < TOLERANCE  # W_ih x_t
        assert max_difference(step.wh, step.h_prev @ w_hh.T) < TOLERANCE  # W_hh h_{t-1}
        # The state a step starts from is the one the step before (in its direction's order) ended in.
        before = t - 1 if direction == 0 else t + 1
        if 0 <= before < STEPS:
            assert torch.equal(step.h_prev, run.step(before).h)
        else:
            assert torch.equal(step.h_prev, torch.zeros_like(step.h_prev))
        total = step.wx + step.b_ih + step.wh + step.b_hh  # (B, G * H)
        block = [total[:, k * size:(k + 1) * size] for k in range(spec.gates)]
        if cell == "rnn":
            assert isinstance(step, RNNStep)
            assert max_difference(step.pre, total) < TOLERANCE
            assert max_difference(step.h, torch.tanh(step.pre)) < TOLERANCE
        elif cell == "lstm":
            assert isinstance(step, LSTMStep)
            i, f, g, o = torch.sigmoid(block[0]), torch.sigmoid(block[1]), torch.tanh(block[2]), torch.sigmoid(block[3])
            for mine, theirs in ((step.i, i), (step.f, f), (step.g, g), (step.o, o)):
                assert max_difference(mine, theirs) < TOLERANCE
            assert max_difference(step.c, f * step.c_prev + i * g) < TOLERANCE
            assert max_difference(step.h, o * torch.tanh(step.c)) < TOLERANCE
        else:
            assert isinstance(step, GRUStep)
            assert max_difference(step.r, torch.sigmoid(block[0])) < TOLERANCE
            assert max_difference(step.z, torch.sigmoid(block[1])) < TOLERANCE
            # n = tanh(W_in x + b_in + r * (W_hn h + b_hn)): the reset gate multiplies b_hn too.
            x_n = (step.wx + step.b_ih)[:, 2 * size:]
            h_n = (step.wh + step.b_hh)[:, 2 * size:]
            assert max_difference(step.n, torch.tanh(x_n + step.r * h_n)) < TOLERANCE
            assert max_difference(step.h, (1 - step.z) * step.n + step.z * step.h_prev) < TOLERANCE


def test_relu_rnn_and_a_single_sequence_of_one_step():
    module = nn.RNN(3, 4, nonlinearity="relu")
    x = torch.randn(1, 1, 3)
    with torch.no_grad():
        expected, h_n = module(x)
    by_hand = unroll(module, x)
    assert max_difference(by_hand.output, expected) < TOLERANCE
    assert max_difference(by_hand.h_n, h_n) < TOLERANCE


def test_unroll_refuses_what_it_does_not_do():
    with pytest.raises(ValueError, match="3 dimensions"):
        unroll(nn.GRU(3, 4), torch.randn(5, 3))
    with pytest.raises(ValueError, match="proj_size"):
        unroll(nn.LSTM(3, 4, proj_size=2), torch.randn(5, 1, 3))
    with pytest.raises(ValueError, match="bias=False"):
        unroll(nn.RNN(3, 4, bias=False), torch.randn(5, 1, 3))
    with pytest.raises(TypeError):
        unroll(nn.Linear(3, 4), torch.randn(5, 1, 3))


# ----------------------------------------------------------------------------- parameters and shapes

ALL_SPECS = [CellSpec(cell, i, h, layers, bidirectional, batch_first) for cell, i, h, layers, bidirectional, batch_first
             in itertools.product(CELL_MODULES, SHAPE_CHOICES["input_size"], SHAPE_CHOICES["hidden_size"],
                                  SHAPE_CHOICES["num_layers"], (False, True), (False, True))]


def test_the_parameter_table_is_the_modules_own_for_every_choice_the_page_offers():
    assert len(ALL_SPECS) == 3 * 7 * 9 * 3 * 2 * 2
    for spec in ALL_SPECS:
        module = seeded_module(spec, 0)
        reference = CELL_MODULES[spec.cell](spec.input_size, spec.hidden_size, num_layers=spec.num_layers,
                                            bidirectional=spec.bidirectional, batch_first=spec.batch_first,
                                            device="meta")  # PyTorch's own, built the ordinary way
        rows = parameter_table(module)
        expected = [(name, tuple(p.shape)) for name, p in reference.named_parameters()]
        assert [(row.name, row.shape) for row in rows] == expected, spec
        assert [(row.name, row.shape) for row in rows] == [(n, tuple(p.shape)) for n, p in module.named_parameters()]
        assert all(row.count == torch.Size(row.shape).numel() for row in rows)
        total = sum(p.numel() for p in reference.parameters())
        assert parameter_total(module) == sum(row.count for row in rows) == total
        gates = spec.gates
        for row in rows:
            assert row.shape[0] == gates * spec.hidden_size  # one block of rows per gate
            if gates > 1:
                assert f"{gates} gates ({', '.join(GATE_NAMES[spec.cell])}) x hidden {spec.hidden_size}" in str(
                    row.layout)
            assert row.name.endswith("_reverse") == str(row.does).startswith("backward")
            assert row.meaning.startswith(str(row.does))
        assert module.batch_first == spec.batch_first and spec_of(module) == spec


def described(spec: CellSpec, name: str) -> tuple[str, str]:
    """describe_parameter's words in English, as the command line and the logs read them."""
    does, layout = describe_parameter(spec, name)
    return str(does), str(layout)


def test_parameter_descriptions_say_what_each_weight_multiplies():
    spec = CellSpec("lstm", 2, 3, num_layers=2, bidirectional=True)
    assert described(spec, "weight_ih_l0") == (
        "multiplies the input x_t", "rows: 4 gates (i, f, g, o) x hidden 3, columns: input 2")
    assert described(spec, "weight_ih_l1")[1].endswith("columns: 2 directions x hidden 3")
    assert described(spec, "weight_hh_l1_reverse")[0] == "backward: multiplies the last state h_(t-1)"
    assert described(CellSpec("rnn", 2, 3), "bias_hh_l0") == ("added to W_hh h_(t-1)", "one per row: hidden 3")
    assert "inside r" in described(CellSpec("gru", 2, 3), "bias_hh_l0")[0]
    with pytest.raises(ValueError):
        describe_parameter(spec, "weight_hr_l0")
    assert CellSpec("gru", 2, 3, 2, True, True).pytorch_line() == (
        "nn.GRU(input_size=2, hidden_size=3, num_layers=2, bidirectional=True, batch_first=True)")


def test_tensor_shapes_are_read_off_the_real_module_for_every_choice():
    batches, lengths = SHAPE_CHOICES["batch"], SHAPE_CHOICES["seq_len"]
    for k, spec in enumerate(ALL_SPECS):
        batch, steps = batches[k % len(batches)], lengths[(k // len(batches)) % len(lengths)]
        rows = {row.name: row for row in tensor_shapes(spec, batch, steps)}
        layers_directions, width = spec.num_layers * spec.directions, spec.directions * spec.hidden_size
        time_major = not spec.batch_first
        names = ["input", "h0"] + (["c0"] if spec.cell == "lstm" else []) + ["output", "h_n"] \
            + (["c_n"] if spec.cell == "lstm" else []) + ["weight_ih_l0", "weight_hh_l0"]
        assert list(rows) == names
        expected = (steps, batch, spec.input_size) if time_major else (batch, steps, spec.input_size)
        assert rows["input"].shape == expected
        assert rows["output"].shape == ((steps, batch, width) if time_major else (batch, steps, width))
        for name in ("h0", "h_n", "c0", "c_n"):
            if name in rows:
                assert rows[name].shape == (layers_directions, batch, spec.hidden_size)
        assert rows["weight_ih_l0"].shape == (spec.gates * spec.hidden_size, spec.input_size)
        assert rows["weight_hh_l0"].shape == (spec.gates * spec.hidden_size, spec.hidden_size)
        assert all(row.reason for row in rows.values())
    # The reasons say why, in the words the issue asked for.
    rows = {row.name: row for row in tensor_shapes(CellSpec("lstm", 2, 3, 2, True), 4, 5)}
    assert "layers x directions, batch, hidden" in str(rows["h_n"].reason)
    assert "x @ W.T" in str(rows["weight_ih_l0"].reason)


# ----------------------------------------------------------------------------- seeded modules

@pytest.mark.parametrize("cell", list(CELL_MODULES))
def test_seeded_modules_are_reproducible_and_leave_the_global_random_state_alone(cell):
    spec = CellSpec(cell, 3, 8, num_layers=2, bidirectional=True)
    before = torch.get_rng_state()
    first, again, other = seeded_module(spec, 5), seeded_module(spec, 5), seeded_module(spec, 6)
    assert torch.equal(torch.get_rng_state(), before)
    assert all(torch.equal(a, b) for a, b in zip(first.parameters(), again.parameters()))
    assert not all(torch.equal(a, b) for a, b in zip(first.parameters(), other.parameters()))
    bound = 1 / 8 ** 0.5  # uniform(-1/sqrt(H), 1/sqrt(H))
    assert all(p.abs().max() <= bound for p in first.parameters())
    # PyTorch's default init, drawn the same way: as if torch.manual_seed(5) had come before the module.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(5)
        reference = CELL_MODULES[cell](3, 8, num_layers=2, bidirectional=True)
    assert all(torch.equal(a, b) for a, b in zip(first.parameters(), reference.parameters()))


# ----------------------------------------------------------------------------- the digit models' gates

def small_digit_model(cell: str, seed: int = 0) -> RowClassifier:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return RowClassifier(RowClassifierConfig(cell=cell, hidden_size=16, num_layers=2)).eval()


def an_image(seed: int = 0) -> torch.Tensor:
    image = torch.rand(28, 28, generator=torch.Generator().manual_seed(seed)) * 0.3
    image[6:22, 12:16] = 1.0  # a stroke
    return image


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("seed", [0, 1])
def test_digit_gates_reproduce_the_models_reading_and_the_step_by_step_unroll(cell, seed):
    model, image = small_digit_model(cell, seed), an_image(seed)
    found = digit_gates(model, image)
    with torch.no_grad():
        _, hidden = model.read_rows(image.unsqueeze(0))  # (1, 28, H): the top layer after each row
    assert found.cell == cell and len(found.gates) == len(found.hidden) == 2
    assert found.hidden[-1].shape == (28, 16)
    assert max_difference(found.hidden[-1], hidden[0]) < TOLERANCE

    by_steps = unroll(model.rnn, ((image - MNIST_MEAN) / MNIST_STD).unsqueeze(0))
    for layer in range(2):
        run = by_steps.layers[layer][0]
        assert max_difference(found.hidden[layer], run.h[:, 0]) < TOLERANCE
        assert list(found.gates[layer]) == list(GATES[cell])
        for name, letter in GATES[cell].items():
            assert found.gates[layer][name].shape == (28, 16)
            assert max_difference(found.gates[layer][name], run.values[letter][:, 0]) < TOLERANCE
        if cell == "lstm":
            assert max_difference(found.memory[layer], run.values["c"][:, 0]) < TOLERANCE
    assert (found.memory is None) == (cell == "gru")
    means = gate_means(found, 0)
    assert all(0 <= float(m.min()) and float(m.max()) <= 1 for name, m in means.items()
               if name not in ("candidate", "new"))
    units = telling_units(found.gates[0][next(iter(GATES[cell]))], 5)
    assert len(set(units.tolist())) == 5


def test_digit_gates_of_a_model_in_training_mode_still_match_its_eval_reading():
    model = small_digit_model("lstm").train()  # dropout between layers: the gate view reads as in eval
    found = digit_gates(model, an_image())
    model.eval()
    with torch.no_grad():
        _, hidden = model.read_rows(an_image().unsqueeze(0))
    assert max_difference(found.hidden[-1], hidden[0]) < TOLERANCE


def test_a_plain_rnn_has_no_gates():
    with pytest.raises(NoGatesError, match="no gates"):
        digit_gates(small_digit_model("rnn"), an_image())
