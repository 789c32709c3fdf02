"""Comments and docstrings of the app and the engine say why, never what was measured: a figure goes stale in
code and belongs in docs/, with the command that reproduces it."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = [REPO / "app.py", *sorted((REPO / "app_pages").rglob("*.py")), *sorted((REPO / "ui").rglob("*.py")),
           *sorted((REPO / "rnn_core").rglob("*.py")), *sorted((REPO / "classroom").rglob("*.py")),
           *sorted((REPO / "migrations").rglob("*.py"))]

MEASURED = re.compile(r"""(?ix)
    \b\d[\d,.]*\s?(ms|µs|MB|MiB|KB|KiB|GB|GiB)\b           # a duration or a size
  | \b\d[\d,.]*\s(s|sec|seconds?|minutes?)\b               # "2 s", "30 seconds"
  | \b\d[\d,.]*\s?%                                        # a percentage
  | \b\d[\d,.]*\s?x\b(?!\s?\d)                             # "3x" faster (not a 28x28 shape)
  | \b\d[\d,.]*\s?times\s(faster|slower|as\s|more|less|fewer)
  | \b(19|20)\d\d-\d\d-\d\d\b                              # a date
  | \b(january|february|march|april|june|july|august|september|october|november|december)\s+\d{1,2},?\s+20\d\d
""")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")  # examples of output, such as percent(0.5) -> '50%'


def comments_and_docstrings(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    found = [(token.start[0], token.string) for token in tokenize.generate_tokens(io.StringIO(source).readline)
             if token.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            docstring = ast.get_docstring(node, clean=False)
            if docstring:
                found += [(node.body[0].lineno + i, line) for i, line in enumerate(docstring.splitlines())]
    return found


def test_the_pattern_catches_figures_and_spares_shapes_and_examples():
    for text in ("# 1.1 ms against 3.8 ms", "a float copy would cost 220 MB", "over 2 s ten times",
                 "p95 answered in 83% of runs", "3x faster than before", "15 times slower", "measured 2026-12-02"):
        assert MEASURED.search(QUOTED.sub("", text)), text
    for text in ("a 28x28 image", "(B, T, H) per step", "percent(0.9731, 1) -> '97.3%'", "the first 2 steps",
                 "sigmoid(3) keeps most of the memory"):
        assert not MEASURED.search(QUOTED.sub("", text)), text


def test_no_comment_or_docstring_quotes_a_measured_figure():
    offenders = [f"{path.relative_to(REPO)}:{line}: {text.strip()}" for path in SOURCES
                 for line, text in comments_and_docstrings(path) if MEASURED.search(QUOTED.sub("", text))]
    assert not offenders, "move these figures to docs/, with their command:\n" + "\n".join(offenders)
