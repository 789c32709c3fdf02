"""The shipped translators from the command line: line for line on standard input and output, a bad line in
the middle included; and their recorded figures, measured again, meeting the floors."""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_core.__main__ import main
from rnn_core.checkpoints import load_checkpoint
from rnn_core.translator.recipe import measure_translator

REPO = Path(__file__).resolve().parent.parent
WITH_ATTENTION = REPO / "checkpoints" / "translator.pt"
PLAIN = REPO / "checkpoints" / "translator-plain.pt"


def run_translate(monkeypatch, capsys, lines: list[str]) -> tuple[list[str], str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))
    assert main(["translate", str(WITH_ATTENTION)]) == 0
    out = capsys.readouterr()
    return out.out.split("\n")[:-1], out.err


def test_one_chinese_line_per_english_line_and_a_bad_line_is_left_empty(monkeypatch, capsys):
    lines, errors = run_translate(monkeypatch, capsys, [
        "three hundred and five thousand and seven", "forty-two apples", "FORTY-TWO THOUSAND, THREE HUNDRED",
        "", "one hundred five"])
    assert lines == ["三十万五千零七", "", "四万二千三百", "", "一百零五"]
    assert "line 2: The translator reads only number words" in errors and "line 4: Type a number" in errors
    assert "Traceback" not in errors


def test_the_command_streams_through_a_pipe():
    done = subprocess.run([sys.executable, "-m", "rnn_core", "translate", str(WITH_ATTENTION)], cwd=REPO,
                          input="ten thousand and ten\none billion\nzero\n", capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stdout == "一万零一十\n\n零\n"
    assert "line 2: The translator reads numbers from zero up to" in done.stderr


def test_a_checkpoint_that_is_not_a_translator_is_refused_in_words(capsys):
    assert main(["translate", str(REPO / "checkpoints" / "names.pt")]) == 2
    assert "holds a name_classifier model, not a translator" in capsys.readouterr().err


@pytest.mark.slow
def test_evaluate_measures_the_attention_model_again_overall_and_by_digit_count(capsys):
    assert main(["evaluate", str(WITH_ATTENTION)]) == 0
    out = capsys.readouterr().out
    measured = re.search(r"exact match ([0-9.]+)% of 36,000 held-out translations", out)
    recorded = re.search(r"recorded: exact match ([0-9.]+)%", out)
    assert measured and recorded and measured.group(1) == recorded.group(1)
    assert all(re.search(rf"\n{digits} +[0-9.]+%", out) for digits in range(1, 10))


@pytest.mark.slow
def test_the_plain_models_recorded_figures_are_measured_again():
    checkpoint = load_checkpoint(PLAIN, expected_kind="translator")
    recorded, measured = checkpoint.metadata.test_metrics, measure_translator(checkpoint.model)
    assert measured.examples == recorded.examples
    assert abs(measured.exact_match - recorded.exact_match) <= 2 / recorded.examples
    assert measured.by_words == recorded.by_words


def test_with_attention_the_floors_are_met_in_every_band_and_style():
    figures = load_checkpoint(WITH_ATTENTION, expected_kind="translator").metadata.test_metrics
    assert figures.exact_match >= 0.995
    assert min(figures.by_digits.values()) >= 0.99 and len(figures.by_digits) == 9
    assert min(figures.by_style.values()) >= 0.99 and len(figures.by_style) == 6
