"""A message for a user as a code and the values it needs; the one base of the engine's and the class store's.

A message carries a stable `code` and `fields`, the values its template needs. Its English sits in a table,
code -> template, that each kind of message names as its class attribute `templates`:

    class EngineMessage(Message):
        templates = MESSAGES   # rnn_core/errors.py's table

str() fills the English template in, for the command line and the logs; a page translates by code instead
(ui/message_words.py). rnn_core and classroom both build on this module, which imports nothing of either.
"""
from __future__ import annotations

from typing import ClassVar


class Message:
    """A message from the class's `templates`: its code and the values its template needs. str() is the
    English."""

    templates: ClassVar[dict[str, str]] = {}  # code -> English template; each kind of message names its own

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields

    def __str__(self) -> str:
        return self.templates[self.code].format(**self.fields)

    def __repr__(self) -> str:
        arguments = [repr(self.code), *(f"{name}={value!r}" for name, value in self.fields.items())]
        return f"{type(self).__name__}({', '.join(arguments)})"
