"""The "Inside a cell" page under streamlit.testing (opened through app.py, as a visitor would), and
ui.gate_view.show_gates in a tiny script with the shipped digit models."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rnn_core.inside.cells import SHAPE_CHOICES, CellSpec, parameter_total, seeded_module
from ui.cell_diagram import unrolled_svg

REPO = Path(__file__).resolve().parent.parent
PAGE = "app_pages/inside.py"
SLIDERS = {"inside_input": "input_size", "inside_hidden": "hidden_size", "inside_layers": "num_layers",
           "inside_batch": "batch", "inside_seq_len": "seq_len"}
TOGGLES = ["inside_bidirectional", "inside_batch_first"]
STEP_COUNT = 5


def open_page() -> AppTest:
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    app.run()
    app.switch_page(PAGE)
    app.run()
    assert not app.exception, app.exception
    return app


def button(app: AppTest, key: str):
    return next(b for b in app.button if b.key == key)


def shown_spec(app: AppTest) -> CellSpec:
    state = app.session_state
    return CellSpec(state["inside_cell"], state["inside_input"], state["inside_hidden"], state["inside_layers"],
                    state["inside_bidirectional"], state["inside_batch_first"])


def check_line(app: AppTest) -> str:
    return next(m.value for m in app.markdown if m.value.startswith("**Check:**"))


def assert_shapes_match_the_controls(app: AppTest) -> None:
    spec = shown_spec(app)
    assert spec.pytorch_line() in app.code[0].value
    parameters = app.table[1].value
    module = seeded_module(spec, 0)
    assert list(parameters["parameter"]) == [name for name, _ in module.named_parameters()]
    assert any(f"Parameters: {parameter_total(module):,} in all" in m.value for m in app.markdown)
    tensors = app.table[0].value
    assert "h_n" in list(tensors["tensor"])


def test_the_page_opens_with_shapes_and_a_worked_step():
    app = open_page()
    assert app.title[0].value == "Inside a cell"
    assert app.caption[0].value  # a caption under the title
    assert {e.label for e in app.expander} >= {"What you are seeing", "Try this", "The matrix products, in full"}
    assert_shapes_match_the_controls(app)
    assert "the same" in check_line(app)
    assert button(app, "inside_previous").disabled and not button(app, "inside_next").disabled
    assert len(app.latex) == 2  # W_ih x_t and W_hh h_(t-1), in full


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_every_shape_control_takes_every_value(cell):
    app = open_page()
    app.radio(key="inside_cell").set_value(cell).run()
    assert not app.exception
    for key, choices in SLIDERS.items():
        for value in SHAPE_CHOICES[choices]:
            app.select_slider(key=key).set_value(value).run()
            assert not app.exception, (key, value, app.exception)
            assert app.session_state[key] == value
        assert_shapes_match_the_controls(app)
    for key in TOGGLES:
        for value in (True, False, True):
            app.toggle(key=key).set_value(value).run()
            assert not app.exception, (key, value, app.exception)
            assert_shapes_match_the_controls(app)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_stepping_through_the_sequence_by_hand_matches_pytorch_at_every_step(cell):
    app = open_page()
    app.radio(key="inside_cell").set_value(cell).run()
    for t in range(STEP_COUNT):
        assert app.session_state["inside_step"] == t
        assert f"Step {t + 1} of {STEP_COUNT}" in " ".join(c.value for c in app.caption)
        line = check_line(app)
        assert "the same" in line and f"nn.{cell.upper()}" in line, line
        assert float(re.search(r"largest difference ([0-9.e+-]+)", line).group(1)) < 1e-5
        if t < STEP_COUNT - 1:
            button(app, "inside_next").click().run()
            assert not app.exception
    assert button(app, "inside_next").disabled
    button(app, "inside_previous").click().run()
    assert app.session_state["inside_step"] == STEP_COUNT - 2
    button(app, "inside_restart").click().run()
    assert app.session_state["inside_step"] == 0 and button(app, "inside_restart").disabled
    gate_titles = [m.value for m in app.markdown if m.value.startswith("**")]
    expected = {"rnn": [], "lstm": ["Input gate", "Forget gate", "Cell candidate", "Output gate"],
                "gru": ["Reset gate", "Update gate", "New candidate"]}[cell]
    shown = [title for title in expected if any(t.startswith(f"**{title}**") for t in gate_titles)]
    assert shown == expected  # every gate by name, in PyTorch's order


def test_the_hand_worked_cell_is_named_with_the_right_article():
    app = open_page()
    for cell, words in (("rnn", "An RNN with 2 inputs"), ("lstm", "An LSTM with 2 inputs"),
                        ("gru", "A GRU with 2 inputs")):
        app.radio(key="inside_cell").set_value(cell).run()
        assert any(c.value.startswith(words) for c in app.caption), [c.value for c in app.caption]
    app.query_params["lang"] = "zh"  # Chinese has no article: the cell's name alone
    app.run()
    assert any(c.value.startswith("一个有 2 个输入、3 个隐藏单元的 GRU") for c in app.caption)


def test_new_weights_reseeds_and_starts_again():
    app = open_page()
    button(app, "inside_next").click().run()
    before = check_line(app)
    button(app, "inside_new_weights").click().run()
    assert not app.exception
    assert app.session_state["inside_seed"] == 1 and app.session_state["inside_step"] == 0
    assert "seed 1" in " ".join(c.value for c in app.caption)
    assert check_line(app) != before and "the same" in check_line(app)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("layers,bidirectional,seq_len", [(1, False, 1), (3, True, 28), (2, True, 4)])
def test_the_diagram_is_well_formed_svg(cell, layers, bidirectional, seq_len):
    svg = unrolled_svg(CellSpec(cell, 4, 8, layers, bidirectional), 2, seq_len)
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert svg.count("<rect") == layers * min(seq_len, 4 if seq_len <= 4 else 3)
    assert "(2, 8)" in svg and ("(2, 16)" in svg) == bidirectional


# ----------------------------------------------------------------------------- show_gates

def gate_script(cell: str) -> None:
    from pathlib import Path

    import torch

    from rnn_core.checkpoints import load_checkpoint
    from ui.gate_view import show_gates

    path = Path.cwd() / "checkpoints" / f"digits-{cell}.pt"
    model = load_checkpoint(path, expected_kind="row_classifier").model
    image = torch.zeros(28, 28)
    image[4:24, 13:16] = 1.0  # a "1"
    show_gates(model, image, cell.upper())


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_show_gates_draws_every_gate_per_layer(cell, monkeypatch):
    monkeypatch.chdir(REPO)
    app = AppTest.from_function(gate_script, kwargs={"cell": cell}, default_timeout=60).run()
    assert not app.exception, app.exception
    assert not app.info
    assert [tab.label for tab in app.tabs] == ["Layer 1 · reads the pixels", "Layer 2 · feeds the answer"]
    gates = 3 if cell == "lstm" else 2
    assert len(app.get("plotly_chart")) == 2 * (gates + 1)  # per layer: a heatmap per gate, and the means
    caption = " ".join(c.value for c in app.caption)
    assert ("forget" in caption) == (cell == "lstm") and ("update" in caption) == (cell == "gru")


def test_show_gates_says_a_plain_rnn_has_none(monkeypatch):
    monkeypatch.chdir(REPO)
    app = AppTest.from_function(gate_script, kwargs={"cell": "rnn"}, default_timeout=60).run()
    assert not app.exception, app.exception
    assert len(app.info) == 1 and "no gates" in app.info[0].value
    assert not app.get("plotly_chart")
