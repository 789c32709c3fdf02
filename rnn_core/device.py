"""Pick the device everything trains and infers on: CUDA, then Apple MPS, then CPU.

Set RNN_DEVICE=cpu|cuda|mps (or pass `request`) to force a choice.
"""
from __future__ import annotations

import torch

from rnn_core.errors import EngineError
from rnn_core.settings import device_request, torch_threads

KNOWN_DEVICES = ("auto", "cuda", "mps", "cpu")


class DeviceError(EngineError, ValueError):
    """An unknown or unavailable device was requested."""


def _mps_available() -> bool:
    return getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()


def pick_device(request: str | None = None) -> torch.device:
    """The device named by `request` (or $RNN_DEVICE), else the best one present."""
    choice = (request or device_request()).strip().lower()
    if choice not in KNOWN_DEVICES:
        raise DeviceError("device.unknown", choice=repr(choice), choices=", ".join(KNOWN_DEVICES))
    if choice == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if choice == "cuda" and not torch.cuda.is_available():
        raise DeviceError("device.no_cuda")
    if choice == "mps" and not _mps_available():
        raise DeviceError("device.no_mps")
    return torch.device(choice)


def configure_threads(count: int | None = None) -> int:
    """Set torch's CPU threads per operation: `count`, else $RNN_TORCH_THREADS, else 1. Returns it.

    A count or setting that cannot be used raises DeviceError with the reason: the CLI stops on it. The app
    instead passes settings.torch_threads()'s value and shows its reason.
    One is the default because these models are small: with other work holding the cores, OpenMP threads
    spin waiting for each other and training slows down many times over.
    """
    if count is None:
        count, problem = torch_threads()
        if problem:
            raise DeviceError(problem.code, **problem.fields)
    if count < 1:
        raise DeviceError("device.threads", count=count)
    torch.set_num_threads(count)
    return count


def describe_device(device: torch.device) -> str:
    """One line for the UI, e.g. 'CUDA · NVIDIA H100' or 'CPU · 2 threads'."""
    if device.type == "cuda":
        return f"CUDA · {torch.cuda.get_device_name(device)}"
    if device.type == "mps":
        return "Apple MPS · GPU"
    threads = torch.get_num_threads()
    return f"CPU · {threads} thread{'s' if threads > 1 else ''}"
