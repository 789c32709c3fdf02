"""Where the data sets live, and the error raised when they cannot be had."""
from __future__ import annotations

import os
from pathlib import Path

from rnn_core.errors import EngineError
from rnn_core.settings import DATA_DIR_ENV_VAR, folder_from_env


class DataMissingError(EngineError, RuntimeError):
    """A data set is not on disk and could not be downloaded; the message says where to put it."""


def data_root(override: str | os.PathLike | None = None) -> Path:
    """The data root: `override`, else $RNN_DATA_DIR, else a per-user cache folder."""
    if override:
        return Path(override).expanduser()
    from_env = folder_from_env(DATA_DIR_ENV_VAR)
    if from_env:
        return from_env
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "rnn-playground" / "data"
