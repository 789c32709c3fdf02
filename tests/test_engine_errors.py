"""The engine's errors carry codes, and every code has words in every language.

rnn_core speaks English only: each message it may show a user is a template in rnn_core.errors.MESSAGES,
raised (or returned) with a code and the values the template needs. The app translates by code, with the
table in ui/engine_words.py. A message with no entry there, or none in the Chinese catalog, would show
English on a Chinese page: these tests fail first.
"""
from __future__ import annotations

import ast
import builtins
import importlib
import pkgutil
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import rnn_core
from rnn_core.checkpoint_meta import MetadataError
from rnn_core.checkpoints import CheckpointError
from rnn_core.errors import MESSAGES, EngineError, EngineMessage
from tests.test_i18n import CATALOG, code_messages
from ui import i18n
from ui.engine_words import ENGINE_WORDS, engine_words

ENGINE_SOURCES = sorted(Path(rnn_core.__file__).parent.rglob("*.py"))
# A TypeError says the code (not a user) passed the wrong kind of object: it needs no words for a user.
PROGRAMMING_ERRORS = {"TypeError"}


def fields(template: str) -> set[str]:
    return {name for _text, name, _spec, _conversion in string.Formatter().parse(template) if name is not None}


def engine_message_classes() -> set[str]:
    """The names of EngineMessage and of every class built on it, across rnn_core."""
    for module in pkgutil.walk_packages(rnn_core.__path__, "rnn_core."):
        if module.name != "rnn_core.__main__":
            importlib.import_module(module.name)
    found, todo = set(), [EngineMessage]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo += cls.__subclasses__()
    return found


def engine_calls() -> list[tuple[str, ast.Call]]:
    """Every place in rnn_core that builds an engine message or error: (file:line, the call)."""
    classes = engine_message_classes()
    calls = []
    for path in ENGINE_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in classes:
                    calls.append((f"{path.relative_to(Path(rnn_core.__file__).parent.parent)}:{node.lineno}", node))
    return calls


def test_every_engine_code_has_words_with_the_same_fields():
    assert "checkpoint.missing" in MESSAGES
    missing = sorted(set(MESSAGES) - set(ENGINE_WORDS))
    assert not missing, f"add these codes to ui/engine_words.py: {missing}"
    stale = sorted(set(ENGINE_WORDS) - set(MESSAGES))
    assert not stale, f"ui/engine_words.py has words for codes the engine no longer has: {stale}"
    different = [code for code, template in MESSAGES.items() if fields(template) != fields(ENGINE_WORDS[code])]
    assert not different, different


def test_every_code_the_engine_uses_is_in_the_table_with_its_fields():
    calls = engine_calls()
    assert len(calls) > 20  # the scan sees the raise sites
    wrong = []
    for where, call in calls:
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Attribute) and first.attr == "code":
            continue  # another message's code and fields, raised as another class (see device.configure_threads)
        if not (isinstance(first, ast.Constant) and first.value in MESSAGES):
            wrong.append(f"{where}: {ast.unparse(call)} has no code from rnn_core.errors.MESSAGES")
        elif {keyword.arg for keyword in call.keywords} != fields(MESSAGES[first.value]):
            wrong.append(f"{where}: {ast.unparse(call)} does not give the fields of {MESSAGES[first.value]!r}")
    assert not wrong, "\n".join(wrong)


def test_the_engine_raises_no_message_without_a_code():
    """A built-in exception with a sentence in it would reach the page in English: only engine errors carry
    words for a user."""
    builtin_errors = {name for name, value in vars(builtins).items()
                      if isinstance(value, type) and issubclass(value, BaseException)}
    wrong = []
    for path in ENGINE_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name):
                name = node.exc.func.id
                if name in builtin_errors and name not in PROGRAMMING_ERRORS:
                    wrong.append(f"{path.name}:{node.lineno}: raise {name}")
    assert not wrong, wrong


def test_every_engine_word_is_in_the_catalog_and_translated():
    with CATALOG.open("rb") as file:
        catalog = read_po(file, locale="zh_CN")
    extracted = code_messages()
    untranslated = []
    for code, template in ENGINE_WORDS.items():
        entry = catalog.get(template)
        if template not in extracted or entry is None or entry.fuzzy or not entry.string:
            untranslated.append(f"{code}: {template}")
    assert not untranslated, "mark with N_(), run scripts/update_translations.sh and translate:\n" + \
        "\n".join(untranslated)


def test_english_reads_as_the_template_filled_in():
    error = CheckpointError("checkpoint.missing", name="models/x.pt")
    assert isinstance(error, EngineError) and error.code == "checkpoint.missing"
    assert str(error) == "Checkpoint models/x.pt does not exist."
    assert engine_words(error) == str(error)  # outside a page run: English


@pytest.fixture
def in_chinese(monkeypatch):
    monkeypatch.setattr(i18n, "current_language", lambda: "zh")


def test_nested_reasons_are_translated_too(in_chinese):
    error = CheckpointError("checkpoint.bad_metadata", name=EngineMessage("checkpoint.uploaded_file"),
                            reason=MetadataError("metadata.malformed_part", part="test_metrics"))
    assert str(error) == ("the uploaded file is not a readable checkpoint. Its metadata (test_metrics) is not in the "
                          "form this app writes.")
    words = engine_words(error)
    assert "test_metrics" in words and not any(word in words for word in ("uploaded", "readable", "metadata"))


def test_every_message_renders_in_english_and_in_chinese(in_chinese):
    for code, template in MESSAGES.items():
        message = EngineMessage(code, **{name: "7" for name in fields(template)})
        assert str(message) == template.format(**{name: "7" for name in fields(template)})
        assert engine_words(message) == i18n.translations("zh").gettext(ENGINE_WORDS[code]).format(
            **{name: "7" for name in fields(template)})
