"""Every page keeps its setup in its link (ui/page_links.py): a link opens the same view, a value that is
not understood gets a note and its default, and a change on the page is written back into the link. The
wave page's own link tests are in tests/test_page_waves.py."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from harness.whole_app import open_app
from ui.page_links import Choice, Decimal, Flag, LinkField, Text, WholeNumber, read_link

NOTE = "Some settings in the link were not understood; they were left at their defaults:"


def page_params(at: AppTest) -> dict[str, str]:
    return {name: value for name, value in at.query_params.items() if name not in ("lang", "projector")}


def noted(at: AppTest) -> str:
    """The link's note, which must be there, and what it lists."""
    assert [w.value for w in at.warning if w.value == NOTE], [w.value for w in at.warning]
    return at.code[0].value


def copy_link(at: AppTest) -> str:
    return at.get("link_button")[0].proto.url


# ----------------------------------------------------------------------------- the kinds of value

def test_each_kind_reads_what_it_writes_and_says_why_not():
    kinds = {"choice": Choice({"lstm": "LSTM", "gru": "GRU"}), "number": WholeNumber(1, 5, shown_from=1),
             "flag": Flag(), "decimal": Decimal(0.0, 2.0, 0.05), "text": Text(12)}
    values, notes = read_link({"choice": "gru", "number": "3", "flag": "1", "decimal": "0.35", "text": " Mac "},
                              kinds)
    assert values == {"choice": "GRU", "number": 2, "flag": True, "decimal": 0.35, "text": "Mac"} and notes == []
    assert {name: kinds[name].format(value) for name, value in values.items()} == {
        "choice": "gru", "number": "3", "flag": "1", "decimal": "0.35", "text": "Mac"}
    _values, notes = read_link({"choice": "LSTM", "number": "²", "flag": "yes", "decimal": "0.33", "text": "x" * 13,
                                "other": "1", "lang": "zh"}, kinds)
    assert notes == ["choice='LSTM': not one of lstm, gru", "number='²': not a whole number", "flag='yes': not 0 or 1",
                     "decimal='0.33': not a number from 0 to 2 in steps of 0.05",
                     f"text={'x' * 13!r}: longer than 12 characters", "other='1': unknown setting"]
    for bad in ("nan", "inf", "-0.05", "2.05", "1e999", ""):
        assert read_link({"decimal": bad}, kinds)[1], bad
    with pytest.raises(ValueError):  # a value no link can carry: left out of the link
        kinds["choice"].format("Yours · LSTM 64")
    assert LinkField("flag", "key", False, Flag()).kind.format(True) == "1"


# ----------------------------------------------------------------------------- the digit page

def test_digits_link_opens_its_model_and_gates():
    at = open_app("app_pages/digits.py", {"model": "gru", "gates": "1"})
    assert at.radio(key="digits_model").value == "GRU" and at.session_state["digits_gates"] is True
    assert page_params(at) == {"model": "gru", "gates": "1"} and not at.warning
    assert copy_link(at).endswith("?model=gru&gates=1")
    at.radio(key="digits_model").set_value("RNN").run()
    assert page_params(at) == {"model": "rnn", "gates": "1"}


def test_digits_bad_link_is_noted_and_defaults_used():
    at = open_app("app_pages/digits.py", {"model": "../checkpoints/digits-gru.pt", "gates": "on"})
    notes = noted(at)
    assert "model='../checkpoints/digits-gru.pt': not one of lstm, gru, rnn" in notes and "gates='on'" in notes
    assert at.radio(key="digits_model").value == "LSTM" and page_params(at) == {"model": "lstm", "gates": "0"}


# ----------------------------------------------------------------------------- the memory page

def test_memory_link_opens_its_setup():
    at = open_app("app_pages/memory.py", {"distance": "10", "speed": "5", "scale": "2.5", "clip": "off"})
    assert at.slider(key="memory_distance").value == 10 and at.slider(key="memory_speed").value == 5
    assert at.select_slider(key="memory_scale").value == 2.5 and at.radio(key="memory_clip").value == 0.0
    assert at.session_state["memory_comparison"].config.distance == 10 and not at.warning
    at.slider(key="memory_speed").set_value(9).run()
    assert page_params(at) == {"distance": "10", "speed": "9", "scale": "2.5", "clip": "off"}


def test_memory_bad_link_is_noted_and_defaults_used():
    at = open_app("app_pages/memory.py", {"distance": "1000", "clip": "0"})
    assert "distance='1000': not between 5 and 100" in noted(at) and "clip='0'" in noted(at)
    assert at.session_state["memory_comparison"].config.distance == 40
    assert page_params(at) == {"distance": "40", "speed": "2", "scale": "4", "clip": "1"}


# ----------------------------------------------------------------------------- the cell page

def test_inside_link_opens_its_cell_sizes_and_step():
    link = {"cell": "gru", "input": "8", "hidden": "16", "layers": "2", "seq_len": "8", "batch": "4",
            "bidirectional": "1", "batch_first": "0", "step": "3", "seed": "7"}
    at = open_app("app_pages/inside.py", link)
    assert at.radio(key="inside_cell").value == "gru" and at.select_slider(key="inside_hidden").value == 16
    assert at.toggle(key="inside_bidirectional").value and not at.toggle(key="inside_batch_first").value
    assert any("Step 3 of 5 · weights and inputs from seed 7" in c.value for c in at.caption)
    assert "nn.GRU(input_size=8, hidden_size=16, num_layers=2, bidirectional=True" in at.code[0].value
    assert not at.warning
    at.button(key="inside_next").click().run()
    assert page_params(at) == {**link, "step": "4"}


def test_inside_bad_link_is_noted_and_defaults_used():
    at = open_app("app_pages/inside.py", {"cell": "transformer", "step": "0", "seed": "-1"})
    notes = noted(at)
    assert "cell='transformer'" in notes and "step='0': not between 1 and 5" in notes and "seed='-1'" in notes
    assert at.radio(key="inside_cell").value == "lstm" and page_params(at)["step"] == "1"


# ----------------------------------------------------------------------------- the names page

def test_names_link_opens_the_name_typed():
    at = open_app("app_pages/names.py", {"name": "Kowalski"})
    assert at.text_input(key="names_text").value == "Kowalski" and not at.warning
    assert any("for Kowalski" in t.value for t in at.text)
    at.text_input(key="names_text").input("Rossi").run()
    assert page_params(at) == {"name": "Rossi"}


def test_names_bad_link_is_noted_and_defaults_used():
    long_name = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft"
    at = open_app("app_pages/names.py", {"name": long_name})
    assert f"name={long_name!r}: longer than 40 characters" in noted(at)
    assert at.text_input(key="names_text").value == "Nakamura" and page_params(at) == {"name": "Nakamura"}


# ----------------------------------------------------------------------------- the generate page

def test_generate_link_opens_its_setup_and_the_same_name():
    link = {"language": "Russian", "temperature": "1.2", "first": "Mac", "seed": "42"}
    first, again = open_app("app_pages/generate.py", link), open_app("app_pages/generate.py", link)
    assert first.selectbox(key="gen_language").value == "Russian" and first.slider(key="gen_temperature").value == 1.2
    assert first.text_input(key="gen_prefix").value == "Mac" and not first.warning
    story = first.session_state["gen_story"]
    assert story.name.startswith("Mac") and story.name == again.session_state["gen_story"].name
    assert first.dataframe[0].value.equals(again.dataframe[0].value)  # the five drawn beside greedy, too
    first.button(key="gen_invent_button").click().run()
    assert page_params(first)["seed"] != "42" and page_params(first)["language"] == "Russian"


def test_generate_bad_link_is_noted_and_defaults_used():
    at = open_app("app_pages/generate.py", {"language": "Klingon", "temperature": "5", "first": "x" * 20,
                                            "seed": "lucky"})
    notes = noted(at)
    assert all(f"{name}=" in notes for name in ("language", "temperature", "first", "seed"))
    assert at.selectbox(key="gen_language").value == "Italian" and at.slider(key="gen_temperature").value == 0.5
    assert at.text_input(key="gen_prefix").value == "" and page_params(at)["seed"].isdigit()


# ----------------------------------------------------------------------------- the training page

def test_train_link_opens_its_recipe_and_sizes():
    link = {"task": "names", "cell": "gru", "hidden": "128", "layers": "2", "lr": "0.003", "epochs": "2",
            "batch": "32"}
    at = open_app("app_pages/train.py", link)
    assert at.radio(key="train_task").value == "Names (18 languages)" and at.selectbox(key="train_cell").value == "gru"
    assert at.select_slider(key="train_lr").value == 0.003 and at.select_slider(key="train_epochs").value == 2
    assert page_params(at) == link and not [w for w in at.warning if w.value == NOTE]
    at.select_slider(key="train_hidden").set_value(32).run()
    assert page_params(at) == {**link, "hidden": "32"}


def test_train_bad_link_is_noted_and_defaults_used():
    at = open_app("app_pages/train.py", {"task": "mnist", "hidden": "1000000", "lr": "1e-3"})
    notes = noted(at)
    assert "hidden='1000000': not one of 16, 32, 64, 128, 256" in notes and "lr='1e-3'" in notes
    assert at.select_slider(key="train_hidden").value == 64 and page_params(at)["lr"] == "0.001"


# ----------------------------------------------------------------------------- following a new link

def test_a_new_link_in_the_same_session_is_followed_and_the_pages_own_is_not():
    at = open_app("app_pages/inside.py", {"cell": "rnn"})
    at.radio(key="inside_cell").set_value("gru").run()
    assert at.radio(key="inside_cell").value == "gru"  # the link the page wrote is not followed back
    at.query_params["cell"] = "lstm"  # a link sent to this tab: followed
    at.run()
    assert at.radio(key="inside_cell").value == "lstm"
