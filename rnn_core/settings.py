"""Every RNN_* environment variable the app and the CLI read, read here and nowhere else.

One rule for a value that cannot be used: the reader gives the default instead, and beside it the reason
(a SettingError naming the variable and the value, not raised) for the caller to show or log with what it
does instead.
Each read looks at the environment afresh, so a test that sets a variable sees it.
"""
from __future__ import annotations

import os
from pathlib import Path

from rnn_core.errors import EngineError

DATA_DIR_ENV_VAR = "RNN_DATA_DIR"  # the data sets' root
CHECKPOINT_DIR_ENV_VAR = "RNN_CHECKPOINT_DIR"  # serve the shipped models from another folder
DEVICE_ENV_VAR = "RNN_DEVICE"  # cpu, cuda, mps or auto
THREADS_ENV_VAR = "RNN_TORCH_THREADS"  # torch's CPU threads per operation
LIVE_UPDATES_ENV_VAR = "RNN_LIVE_UPDATES_PER_SECOND"  # the server's budget of live chart updates
IDLE_PAUSE_ENV_VAR = "RNN_IDLE_PAUSE_SECONDS"  # a live training run nobody watches pauses after this
CLASS_DB_ENV_VAR = "RNN_CLASS_DB"  # the class store's SQLAlchemy URL, shared by every replica
CLASS_HOURS_ENV_VAR = "RNN_CLASS_HOURS"  # a class, and all it holds, is deleted this long after it opens

DEFAULT_TORCH_THREADS = 1  # device.configure_threads says why
DEFAULT_CLASS_HOURS = 12.0  # a school day, with room to spare


class SettingError(EngineError, ValueError):
    """An RNN_* variable holds a value that cannot be used; its reader returns it beside the default."""


def _text(env_var: str) -> str:
    return os.environ.get(env_var, "").strip()


def is_set(env_var: str) -> bool:
    """Whether $env_var holds anything but white space."""
    return bool(_text(env_var))


def positive_number_from_env(env_var: str, default: float) -> tuple[float, SettingError | None]:
    """$env_var when it is a positive finite number, else `default`; and why the setting was not used
    (None when it was used or is unset)."""
    text = _text(env_var)
    if not text:
        return default, None
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):  # also refuses nan
        return default, SettingError("settings.positive_number", variable=env_var, text=repr(text))
    return value, None


def whole_number_from_env(env_var: str, default: int, minimum: int = 1) -> tuple[int, SettingError | None]:
    """$env_var when it is a whole number of at least `minimum`, else `default`; and why the setting was
    not used (None when it was used or is unset)."""
    text = _text(env_var)
    if not text:
        return default, None
    try:
        value = int(text)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        return default, SettingError("settings.whole_number", variable=env_var, minimum=minimum, text=repr(text))
    return value, None


def folder_from_env(env_var: str) -> Path | None:
    """$env_var as a folder (~ expanded), or None when unset. Any text names a folder; whether it holds
    what is wanted is for its reader to find out."""
    text = _text(env_var)
    return Path(text).expanduser() if text else None


def torch_threads() -> tuple[int, SettingError | None]:
    """$RNN_TORCH_THREADS, else DEFAULT_TORCH_THREADS; and why the setting was not used."""
    return whole_number_from_env(THREADS_ENV_VAR, DEFAULT_TORCH_THREADS)


def device_request() -> str:
    """$RNN_DEVICE in lower case, else "auto". Whether it names a device this machine has is for
    device.pick_device to say: only torch knows what is present."""
    return _text(DEVICE_ENV_VAR).lower() or "auto"


def class_database_url() -> str | None:
    """$RNN_CLASS_DB, an SQLAlchemy URL such as postgresql+psycopg://user:password@host/db; None when unset
    (the store then keeps its SQLite file under the data root)."""
    return _text(CLASS_DB_ENV_VAR) or None


def class_hours() -> tuple[float, SettingError | None]:
    """$RNN_CLASS_HOURS, else DEFAULT_CLASS_HOURS; and why the setting was not used."""
    return positive_number_from_env(CLASS_HOURS_ENV_VAR, DEFAULT_CLASS_HOURS)
