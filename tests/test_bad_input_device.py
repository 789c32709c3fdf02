"""Bad device settings: an unknown or missing device, a bad thread count. The app falls back with a
warning and still trains."""
from __future__ import annotations

import pytest
import torch

from harness.whole_app import open_app
from ui.resources import device_choice


@pytest.fixture
def fresh_device_choice():
    device_choice.clear()
    yield
    device_choice.clear()
    torch.set_num_threads(1)  # as conftest set it


@pytest.mark.parametrize("variable, value, warning", [
    ("RNN_DEVICE", "tpu", "Unknown device 'tpu'"),
    ("RNN_DEVICE", "../../dev/null", "Unknown device"),
    ("RNN_TORCH_THREADS", "many", "must be a whole number"),
    ("RNN_TORCH_THREADS", "0", "at least 1"),
    ("RNN_TORCH_THREADS", "-4", "at least 1"),
])
def test_a_bad_device_setting_falls_back_with_a_warning(variable, value, warning, monkeypatch,
                                                        fresh_device_choice):
    monkeypatch.setenv(variable, value)
    at = open_app("app_pages/waves.py")
    assert any(warning in w.value for w in at.sidebar.warning), [w.value for w in at.sidebar.warning]
    at.button(key="waves_step").click().run()  # the app still trains, on the fallback
    assert not at.exception and at.session_state["waves_trainer"].step_count == 1
    if variable == "RNN_TORCH_THREADS":
        assert any("CPU · 1 thread" in m.value or "CUDA" in m.value for m in at.sidebar.markdown)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_requested_without_a_gpu_falls_back_to_cpu(monkeypatch, fresh_device_choice):
    monkeypatch.setenv("RNN_DEVICE", "cuda")
    at = open_app()
    assert any("no CUDA GPU" in w.value and "Using CPU" in w.value for w in at.sidebar.warning)
