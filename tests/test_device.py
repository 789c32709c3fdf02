"""Device choice (argument, environment, fallback) and the CPU thread setting."""
import os
import subprocess
import sys
from pathlib import Path

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


# Run in a fresh interpreter: how many OpenMP threads a *new* thread gets (Streamlit runs every page and
# fragment tick in a thread of its own), read from the OpenMP runtime that torch loaded.
NEW_THREAD_OPENMP = """
import threading, ctypes
import rnn_core, torch
torch.set_num_threads(1)  # as configure_threads does, in this thread only
paths = {line.split()[-1] for line in open("/proc/self/maps") if "libgomp" in line or "libiomp" in line}
if not paths:
    print("no OpenMP")
else:
    openmp = ctypes.CDLL(sorted(paths)[0])
    seen = []
    worker = threading.Thread(target=lambda: seen.append(openmp.omp_get_max_threads()))
    worker.start()
    worker.join()
    print(seen[0])
"""


@pytest.mark.parametrize("setting, expected", [(None, "1"), ("2", "2")])
def test_threads_started_later_use_the_thread_setting_too(setting, expected):
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "RNN_TORCH_THREADS")}
    if setting:
        env["RNN_TORCH_THREADS"] = setting
    out = subprocess.run([sys.executable, "-c", NEW_THREAD_OPENMP], env=env, capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent).stdout.strip()
    if out == "no OpenMP":
        pytest.skip("this torch build does not use OpenMP")
    assert out == expected
