"""The RNN_* settings: one rule for every variable (a value that cannot be used gives the default and a
reason), and the thread setting applied before torch loads."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_core import settings

REPO = Path(__file__).resolve().parent.parent
VARIABLE = "RNN_TEST_SETTING"


@pytest.mark.parametrize("text, expected", [("", 40.0), ("  ", 40.0), ("2.5", 2.5), (" 120 ", 120.0)])
def test_a_usable_or_missing_positive_number(text, expected, monkeypatch):
    monkeypatch.setenv(VARIABLE, text)
    assert settings.positive_number_from_env(VARIABLE, 40.0) == (expected, None)


@pytest.mark.parametrize("text", ["fast", "0", "-3", "inf", "nan"])
def test_a_bad_positive_number_gives_the_default_and_a_reason(text, monkeypatch):
    monkeypatch.setenv(VARIABLE, text)
    value, reason = settings.positive_number_from_env(VARIABLE, 40.0)
    assert value == 40.0
    assert isinstance(reason, settings.SettingError) and reason.code == "settings.positive_number"
    assert str(reason) == f"{VARIABLE} must be a positive number, not {text!r}."


@pytest.mark.parametrize("text, expected", [("", 1), ("3", 3), (" 2 ", 2)])
def test_a_usable_or_missing_whole_number(text, expected, monkeypatch):
    monkeypatch.setenv(VARIABLE, text)
    assert settings.whole_number_from_env(VARIABLE, 1) == (expected, None)


@pytest.mark.parametrize("text", ["many", "2.5", "0", "-4"])
def test_a_bad_whole_number_gives_the_default_and_a_reason(text, monkeypatch):
    monkeypatch.setenv(VARIABLE, text)
    value, reason = settings.whole_number_from_env(VARIABLE, 1)
    assert value == 1
    assert isinstance(reason, settings.SettingError) and reason.code == "settings.whole_number"
    assert str(reason) == f"{VARIABLE} must be a whole number of at least 1, not {text!r}."


def test_the_thread_setting_follows_the_whole_number_rule(monkeypatch):
    monkeypatch.delenv(settings.THREADS_ENV_VAR, raising=False)
    assert settings.torch_threads() == (settings.DEFAULT_TORCH_THREADS, None)
    monkeypatch.setenv(settings.THREADS_ENV_VAR, "many")
    value, reason = settings.torch_threads()
    assert value == settings.DEFAULT_TORCH_THREADS
    assert str(reason).startswith("RNN_TORCH_THREADS must be a whole number")


def test_folders_and_the_device_request(monkeypatch, tmp_path):
    monkeypatch.delenv(VARIABLE, raising=False)
    assert settings.folder_from_env(VARIABLE) is None
    monkeypatch.setenv(VARIABLE, f" {tmp_path} ")
    assert settings.folder_from_env(VARIABLE) == tmp_path
    monkeypatch.setenv(VARIABLE, "~/data")
    assert settings.folder_from_env(VARIABLE) == Path.home() / "data"
    monkeypatch.delenv(settings.DEVICE_ENV_VAR, raising=False)
    assert settings.device_request() == "auto"
    monkeypatch.setenv(settings.DEVICE_ENV_VAR, " CUDA ")
    assert settings.device_request() == "cuda"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", settings.THREADS_ENV_VAR)}
    return subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True,
                          check=True, cwd=REPO)


@pytest.mark.parametrize("setting, expected", [("3", "3"), ("many", "1"), ("0", "1")])
def test_rnn_core_hands_the_thread_setting_to_openmp(setting, expected):
    done = run_python("import os, rnn_core; print(os.environ['OMP_NUM_THREADS'])", RNN_TORCH_THREADS=setting)
    assert done.stdout.strip() == expected


def test_an_openmp_setting_of_its_own_is_kept_when_rnn_torch_threads_is_unset():
    done = run_python("import os, rnn_core; print(os.environ['OMP_NUM_THREADS'])", OMP_NUM_THREADS="4")
    assert done.stdout.strip() == "4"


def test_a_warning_when_torch_was_imported_first():
    assert "torch was imported before rnn_core" in run_python("import torch, rnn_core").stderr
    assert "torch was imported before rnn_core" not in run_python("import rnn_core, torch").stderr
