"""The "Why gates remember" page under streamlit.testing: it renders, every control works, the charts keep
their specs while playing.

`run_every` never fires under AppTest: each at.run() runs the live fragments once, so while playing every
run is one tick (`speed` optimizer steps for each of the three cells).
"""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from harness.server import APP_PATH
from rnn_core.memory.data import CHANCE, MemoryTaskConfig
from ui.memory_charts import reach_rows

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "memory.py")


def open_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def comparison(at: AppTest):
    return at.session_state["memory_comparison"]


def status(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Step"))


def charts(at: AppTest) -> dict[str, object]:
    """The drawn charts by title."""
    return {json.loads(c.proto.spec)["title"]["text"]: c for c in at.get("vega_lite_chart")}


def dataset(chart, name: str) -> list[dict]:
    for data in chart.proto.datasets:
        if data.name == name:
            return pa.ipc.open_stream(data.data.data).read_all().to_pylist()
    raise KeyError(name)


@pytest.fixture
def playing() -> AppTest:
    at = open_page()
    at.button(key="memory_play").click().run()
    assert not at.exception
    return at


def test_renders_ready_to_play():
    at = open_page()
    assert at.title[0].value == "Why gates remember"
    assert status(at).startswith("**Step 0**") and comparison(at).config == MemoryTaskConfig()
    assert set(comparison(at).trainers) == {"rnn", "lstm", "gru"}
    assert at.button(key="memory_play").label == "Play"
    assert at.slider(key="memory_distance").value == MemoryTaskConfig().distance
    assert {"What you are seeing", "Try this"} <= {e.label for e in at.expander}
    assert list(charts(at)) == ["Gradient norm against the distance T (log)"]


def test_the_status_says_in_steps_when_each_cell_learnt_the_task():
    at = open_page()
    at.slider(key="memory_distance").set_value(5).run()  # short enough for all three to learn it quickly
    at.slider(key="memory_speed").set_value(20).run()
    at.button(key="memory_play").click().run()
    while comparison(at).trainers["gru"].learnt_at is None and comparison(at).step_count < 1000:
        at.run()
    assert not at.exception
    line = next(c.value for c in at.caption if "GRU:" in c.value)
    for cell, trainer in comparison(at).trainers.items():
        name = cell.upper()
        assert (f"{name}: 90% at step {trainer.learnt_at:,}" if trainer.learnt_at is not None
                else f"{name}: not at 90% yet") in line, line
    seeing = " ".join(m.value for m in at.markdown if "**The task**" in m.value)
    assert "within seconds" not in seeing and "hundreds of optimizer steps" in seeing


def test_each_run_while_playing_trains_all_three_cells_one_tick(playing):
    at = playing
    assert at.button(key="memory_pause").label == "Pause"
    assert comparison(at).step_count == 2  # the default speed: 2 steps a tick
    at.run()
    assert comparison(at).step_count == 4
    assert all(t.step_count == 4 for t in comparison(at).trainers.values())
    assert status(at).startswith("**Step 4**") and "RNN **" in status(at) and "GRU **" in status(at)
    drawn = charts(at)
    accuracy = drawn["Accuracy on each new batch (dashes: chance)"]
    assert {row["series"] for row in dataset(accuracy, "lines")} == {"RNN", "LSTM", "GRU"}
    assert dataset(accuracy, "rules") == [{"y": CHANCE}]
    for name in ("RNN", "LSTM", "GRU"):
        rows = dataset(drawn[name], "reach")
        assert rows and {row["t"] for row in rows} == set(range(1, 41))
        assert all(0 < row["value"] <= 1e3 for row in rows)
    assert sum("gets **" in c.value for c in at.caption) == 3


def test_the_reach_heatmap_has_one_cell_per_step_and_row_relative_to_the_last_step():
    log_profiles = np.array([[-2.0, -1.0, 0.0], [np.nan, 0.0, 0.0], [1.0, 1.0, 3.0]])  # (rows, T)
    history = SimpleNamespace(reach=SimpleNamespace(curve=lambda: (np.array([10.0, 20.0, 30.0]), log_profiles)))
    cells = {(cell["step"], cell["t"]): cell["value"] for cell in reach_rows(history).to_pylist()}
    assert sorted(cells) == [(10, 1), (10, 2), (10, 3), (30, 1), (30, 2), (30, 3)]  # a non-finite row left out
    assert cells[(10, 1)] == pytest.approx(0.01) and cells[(10, 3)] == 1.0 and cells[(30, 2)] == pytest.approx(0.01)
    empty = SimpleNamespace(reach=SimpleNamespace(curve=lambda: (np.zeros(0), np.zeros(0))))
    assert reach_rows(empty).num_rows == 0


def test_pause_one_step_and_reset(playing):
    at = playing
    at.button(key="memory_pause").click().run()
    steps = comparison(at).step_count
    at.run()
    assert comparison(at).step_count == steps and at.button(key="memory_play").label == "Play"
    at.button(key="memory_step").click().run()
    assert comparison(at).step_count == steps + 1
    at.button(key="memory_reset").click().run()
    assert comparison(at).step_count == 0 and status(at).startswith("**Step 0**")
    assert len(charts(at)) == 1  # only the exploding view until training starts again


def test_speed_sets_steps_per_tick(playing):
    at = playing
    at.slider(key="memory_speed").set_value(5).run()
    before = comparison(at).step_count
    at.run()
    assert comparison(at).step_count == before + 5


def test_the_distance_starts_the_three_afresh(playing):
    at = playing
    before = comparison(at)
    at.slider(key="memory_distance").set_value(10).run()
    assert not at.exception
    assert comparison(at) is not before and comparison(at).config.distance == 10
    assert comparison(at).step_count == 2  # fresh, and the run ticked once
    rows = dataset(charts(at)["LSTM"], "reach")
    assert {row["t"] for row in rows} == set(range(1, 11))


def test_the_specs_stay_the_same_while_playing_only_the_data_moves(playing):
    at = playing
    before = {title: (c.proto.spec, [d.data.data for d in c.proto.datasets]) for title, c in charts(at).items()}
    for _ in range(3):
        at.run()
    after = {title: (c.proto.spec, [d.data.data for d in c.proto.datasets]) for title, c in charts(at).items()}
    assert {t: spec for t, (spec, _) in after.items()} == {t: spec for t, (spec, _) in before.items()}
    assert after["Accuracy on each new batch (dashes: chance)"][1] != before[
        "Accuracy on each new batch (dashes: chance)"][1]
    assert after["LSTM"][1] != before["LSTM"][1]


GROWTH = "Gradient norm against the distance T (log)"


def test_the_exploding_view_follows_its_controls():
    at = open_page()
    norms = {row["x"]: row["y"] for row in dataset(charts(at)[GROWTH], "lines") if row["series"] == "gradient norm"}
    assert norms[100] > 1e3 * norms[5]  # at 4x the default scale, it grows with T
    clipped = [row["y"] for row in dataset(charts(at)[GROWTH], "lines") if row["series"] == "after clipping"]
    assert max(clipped) == pytest.approx(1.0) and dataset(charts(at)[GROWTH], "rules") == [{"y": 1.0}]
    spec = charts(at)[GROWTH].proto.spec
    at.radio(key="memory_clip").set_value(0.0).run()
    assert dataset(charts(at)[GROWTH], "rules") == [] and charts(at)[GROWTH].proto.spec == spec
    assert any("all of it used by the step" in m.value for m in at.markdown)
    at.select_slider(key="memory_scale").set_value(1.0).run()
    assert not at.exception
    calm = {row["x"]: row["y"] for row in dataset(charts(at)[GROWTH], "lines") if row["series"] == "gradient norm"}
    assert calm[100] < 10 * calm[5]
    assert any("At T = 100, the symbol's step gets" in m.value for m in at.markdown)


def test_the_page_is_in_the_navigation_and_notes_what_a_link_holds_that_it_cannot_use():
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.query_params.update({"distance": "3", "checkpoint": "/etc/passwd", "scale": "<b>9</b>"})
    at.run()
    at.switch_page("app_pages/memory.py").run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Why gates remember"
    assert at.session_state["memory_comparison"].config == MemoryTaskConfig()
    assert "not understood" in at.warning[0].value
    assert all(f"{name}=" in at.code[0].value for name in ("distance", "checkpoint", "scale"))


def test_settings_survive_a_visit_to_another_page():
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.run()
    at.switch_page("app_pages/memory.py").run()
    at.slider(key="memory_distance").set_value(20).run()
    at.switch_page("app_pages/home.py").run()
    at.switch_page("app_pages/memory.py").run()
    assert not at.exception
    assert at.slider(key="memory_distance").value == 20 and at.session_state["memory_comparison"].config.distance == 20
