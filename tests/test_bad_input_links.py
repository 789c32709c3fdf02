"""Malformed or path-carrying links: they open no file and load nothing; every page with a setup notes each
value it could not use (the home page has none, and ignores them)."""
from __future__ import annotations

import os
import sys

import pytest

from rnn_core.checkpoint_meta import CheckpointMetadata, ClassifierMetrics
from rnn_core.checkpoints import save_checkpoint
from harness.checkpoint_files import digits_checkpoint
from harness.server import REPO
from harness.whole_app import PAGES, open_app


HOSTILE_LINK = {"checkpoint": "/etc/passwd", "model": "../../../etc/passwd", "data": "/", "page": "../app.py",
                "file": "file:///etc/shadow", "<script>": "alert(1)", "hidden": "9" * 400, "lr": "nan",
                "points": "²", "task": "../x"}


OPEN_LOGS: list[list[str]] = []  # one per test that watches; an audit hook cannot be removed once added


def _log_open(event: str, args: tuple) -> None:
    if event == "open":
        for log in OPEN_LOGS:
            log.append(str(args[0]))


@pytest.fixture
def opened_files():
    """Paths the process opens while the test runs (an audit hook sees every open())."""
    if not getattr(_log_open, "added", False):
        sys.addaudithook(_log_open)
        _log_open.added = True
    opened: list[str] = []
    OPEN_LOGS.append(opened)
    yield opened
    OPEN_LOGS.remove(opened)


@pytest.mark.parametrize("page", PAGES)
def test_a_hostile_link_is_ignored_and_opens_no_file(page, tmp_path, opened_files):
    # A real checkpoint the link points at: were it loaded, its 12.34% would show.
    bait = save_checkpoint(tmp_path / "bait.pt", digits_checkpoint(),
                           CheckpointMetadata(test_metrics=ClassifierMetrics(accuracy=0.1234)))
    link = {**HOSTILE_LINK, "checkpoint": str(bait), "model": os.path.relpath(bait, REPO)}
    opened_files.clear()  # saving the bait opened it
    plain, linked = open_app(page), open_app(page, link)
    assert not any("bait" in path or "passwd" in path or "shadow" in path for path in opened_files)
    shown = [e.value for e in [*linked.markdown, *linked.caption, *linked.error, *linked.warning, *linked.code]]
    assert not any("12.34%" in text for text in shown)
    assert [r.options for r in linked.radio] == [r.options for r in plain.radio]
    assert linked.title[0].value == plain.title[0].value
    if page == "app_pages/home.py":  # no setup of its own to keep in a link
        assert not linked.warning and not linked.error
    else:  # none of these is a setting this page takes as it is: each is noted, and its default used
        notes = linked.code[0].value
        assert all(f"{name}=" in notes for name in link)
    if page == "app_pages/waves.py":
        assert linked.session_state["waves_trainer"].config == plain.session_state["waves_trainer"].config


def test_empty_padded_or_miscased_link_values():
    at = open_app("app_pages/waves.py", {"hidden": "", "speed": " 7 ", "cell": "GRU"})
    notes = at.code[0].value
    assert "hidden=''" in notes and "cell='GRU'" in notes and "speed" not in notes
    assert at.slider(key="waves_speed").value == 7
