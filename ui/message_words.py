"""A message in the visitor's language, looked up by its code in a table of translatable templates.

rnn_core and classroom speak English only: what they say to a user is a Message (rnn_core/messages.py), a
code and the values its template needs. ui/engine_words.py and ui/class_words.py each hold a table with the
same codes as their package's MESSAGES, every template marked for the catalog with N_(); both translate
with translated() below.
"""
from __future__ import annotations

from rnn_core.messages import Message
from ui.i18n import _


def translated(message: Message, table: dict[str, str]) -> str:
    """The message in the visitor's language, each message among its values translated in turn. A code with
    no words in the table (a test keeps that from happening) shows the message's English."""
    template = table.get(message.code)
    if template is None:
        return str(message)
    return _(template).format(**{name: translated(value, table) if isinstance(value, Message) else value
                                 for name, value in message.fields.items()})
