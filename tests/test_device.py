"""Device choice (argument, environment, fallback) and the CPU thread setting."""
import pytest
import torch

from rnn_core.device import DeviceError, configure_threads, describe_device, pick_device


def test_cpu_can_always_be_forced(monkeypatch):
    monkeypatch.setenv("RNN_DEVICE", "cpu")
    assert pick_device() == torch.device("cpu")
    assert describe_device(torch.device("cpu")).startswith("CPU · ")


def test_argument_beats_environment_and_auto_picks_something(monkeypatch):
    monkeypatch.setenv("RNN_DEVICE", "tpu")
    assert pick_device("cpu").type == "cpu"
    assert pick_device("auto").type in ("cuda", "mps", "cpu")


def test_unknown_or_missing_devices_are_refused(monkeypatch):
    with pytest.raises(DeviceError, match="Unknown device 'tpu'"):
        pick_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(DeviceError, match="no CUDA GPU"):
            pick_device("cuda")


def test_thread_setting_from_argument_environment_and_errors(monkeypatch):
    before = torch.get_num_threads()
    try:
        assert configure_threads(2) == 2 and torch.get_num_threads() == 2
        monkeypatch.setenv("RNN_TORCH_THREADS", "1")
        assert configure_threads() == 1
        monkeypatch.setenv("RNN_TORCH_THREADS", "many")
        with pytest.raises(DeviceError, match="whole number"):
            configure_threads()
        with pytest.raises(DeviceError, match="at least 1"):
            configure_threads(0)
    finally:
        torch.set_num_threads(before)
