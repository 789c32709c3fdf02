"""Where the data sets live, and the error raised when they cannot be had."""
from __future__ import annotations

import os
from pathlib import Path

DATA_ENV_VAR = "RNN_DATA_DIR"


class DataMissingError(RuntimeError):
    """A data set is not on disk and could not be downloaded; the message says where to put it."""


def data_root(override: str | os.PathLike | None = None) -> Path:
    """The data root: `override`, else $RNN_DATA_DIR, else a per-user cache folder."""
    if override:
        return Path(override).expanduser()
    if os.environ.get(DATA_ENV_VAR):
        return Path(os.environ[DATA_ENV_VAR]).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "rnn-playground" / "data"
