"""Pick the device everything trains and infers on: CUDA, then Apple MPS, then CPU.

Set RNN_DEVICE=cpu|cuda|mps (or pass `request`) to force a choice.
"""
from __future__ import annotations

import os

import torch

DEVICE_ENV_VAR = "RNN_DEVICE"
KNOWN_DEVICES = ("auto", "cuda", "mps", "cpu")


class DeviceError(ValueError):
    """An unknown or unavailable device was requested."""


def _mps_available() -> bool:
    return getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()


def pick_device(request: str | None = None) -> torch.device:
    """The device named by `request` (or $RNN_DEVICE), else the best one present."""
    choice = (request or os.environ.get(DEVICE_ENV_VAR) or "auto").strip().lower()
    if choice not in KNOWN_DEVICES:
        raise DeviceError(f"Unknown device {choice!r}: use one of {', '.join(KNOWN_DEVICES)}.")
    if choice == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if choice == "cuda" and not torch.cuda.is_available():
        raise DeviceError("CUDA was requested but no CUDA GPU is available.")
    if choice == "mps" and not _mps_available():
        raise DeviceError("Apple MPS was requested but is not available on this machine.")
    return torch.device(choice)


def describe_device(device: torch.device) -> str:
    """One line for the UI, e.g. 'CUDA · NVIDIA H100' or 'CPU · 2 threads'."""
    if device.type == "cuda":
        return f"CUDA · {torch.cuda.get_device_name(device)}"
    if device.type == "mps":
        return "Apple MPS · GPU"
    return f"CPU · {torch.get_num_threads()} threads"
