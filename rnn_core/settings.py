"""Numeric settings read from environment variables, with the same rule everywhere they are read."""
from __future__ import annotations

import os


def positive_number_from_env(env_var: str, default: float) -> tuple[float, str]:
    """$env_var when it is a positive finite number, else `default`; and why the setting was not used
    ("" when it was used or is unset), for a page to show."""
    text = os.environ.get(env_var, "").strip()
    if not text:
        return default, ""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):  # also refuses nan
        return default, f"{env_var} must be a positive number, not {text!r}; using {default:g}."
    return value, ""
