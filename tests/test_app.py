"""Every page renders without an exception, and the sidebar names the device and the models."""
import gc
import re
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from harness.server import APP_PATH, REPO
from ui.pages import PAGES as REGISTRY

PAGES = [entry.path for entry in REGISTRY]


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.run()
    return at


def test_home_page_and_sidebar(app):
    assert not app.exception
    assert app.title[0].value == "RNN Playground"
    sidebar = " ".join(m.value for m in app.sidebar.markdown)
    assert "CPU" in sidebar or "CUDA" in sidebar or "MPS" in sidebar
    lstm = next(m.value for m in app.sidebar.markdown if "Digits · LSTM" in m.value)
    assert lstm.endswith("%") and "check_circle" in lstm  # loaded, with its test accuracy
    generator = next(m.value for m in app.sidebar.markdown if "Name generator" in m.value)
    assert re.search(r"check_circle.* \d\.\d\d bits per letter$", generator)  # its held-out figure


def test_every_page_script_is_in_the_registry_once_and_the_home_page_links_every_other_page(app):
    scripts = sorted(str(path.relative_to(REPO)) for path in (REPO / "app_pages").glob("*.py"))
    assert sorted(PAGES) == scripts
    links = {link.proto.page for link in app.get("page_link")}  # each page's URL path: its script's name
    assert links == {Path(page).stem for page in PAGES} - {"home"}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app, page):
    app.switch_page(page).run()
    assert not app.exception, app.exception


def test_unknown_device_request_falls_back_with_a_warning(monkeypatch):
    from ui.resources import device_choice

    device_choice.clear()
    monkeypatch.setenv("RNN_DEVICE", "tpu")
    try:
        at = AppTest.from_file(APP_PATH, default_timeout=60).run()
        assert not at.exception
        assert any("Unknown device 'tpu'" in w.value for w in at.sidebar.warning)
    finally:
        device_choice.clear()


def test_the_shared_heap_is_frozen_once_every_page_module_is_loaded(app):
    """A full garbage collection walks only what visitors make: the modules and models everyone shares are
    frozen (ui/serving.py, freeze_shared_heap), page modules included, which load lazily otherwise."""
    assert not app.exception
    assert gc.get_freeze_count() > 100_000
    assert {"ui.name_charts", "ui.wave_charts", "ui.memory_charts", "rnn_core.memory.trainer"} <= set(sys.modules)
