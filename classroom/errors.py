"""The class store's words for a user: each is a code and the values it needs, its English in one table.

Built as rnn_core/errors.py is, on the same base (rnn_core/messages.py): an error carries a stable `code`, a
key of MESSAGES, and `fields`, the values its template needs; str() is the English, for logs. Pages translate
by code with ui/class_words.py, which holds the same codes, so a page in Chinese never shows the English here.
"""
from __future__ import annotations

from rnn_core.messages import Message

MESSAGES: dict[str, str] = {
    # who may do what
    "class.not_found": "There is no class with this code: check the code, or ask the teacher for it. A class "
                       "ends after a while, and its code with it.",
    "class.not_teacher": "This link does not hold the class's teacher key, so it cannot lead the class.",
    "class.not_member": "You are not in this class yet, or the class has ended: join it with its code.",
    # what a student sends
    "class.nickname_too_long": "A nickname has at most {limit} characters; this one has {count}.",
    "class.nickname_invisible": "A nickname cannot hold control or invisible characters.",
    "class.surname_empty": "Type a surname, e.g. Nakamura or O'Brien.",
    "class.surname_too_long": "A surname has at most {limit} characters; this one has {count}.",
    "class.surname_invisible": "A surname cannot hold control or invisible characters.",
    "class.choice_unknown": "That is not one of this question's answers.",
    "class.question_unknown": "This question is not one of the class's.",
    "class.question_revealed": "The answer has been revealed: this question takes no more answers.",
    "class.drawing_unreadable": "A drawing is sent as a small image: a PNG, or 28x28 grey pixels.",
    "class.reading_unreadable": "The model's reading holds a label of at most {limit} characters and a confidence "
                                "from 0 to 1.",
    # what a teacher sends
    "class.page_too_long": "A page's link has at most {limit} characters.",
    "class.question_id_unreadable": "A question's name has from 1 to {limit} characters.",
    "class.options_unreadable": "A question has from 2 to {limit} answers, each a short text, none twice.",
    "class.entry_unknown": "That entry is no longer in the class's gallery.",
    "class.activity_unknown": "Unknown activity {activity}: use one of {choices}.",
    # the store itself
    "class.store_unavailable": "The class's database cannot be reached just now; reconnecting. Nothing already "
                               "sent is lost.",
    # a student as the class sees them: the nickname they chose, else a number
    "class.nickname": "{nickname}",
    "class.anonymous": "Student {number}",
}


class ClassMessage(Message):
    """A message from MESSAGES: its code and the values its template needs. str() is the English."""

    templates = MESSAGES

    def __eq__(self, other: object) -> bool:  # so that two listings of the same gallery compare equal
        return isinstance(other, ClassMessage) and (self.code, self.fields) == (other.code, other.fields)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.fields.items()))))


class ClassError(ClassMessage, Exception):
    """Anything the class store refuses, as a code and fields: raise NotTeacher("class.not_teacher")."""

    def __init__(self, code: str, **fields: object) -> None:
        ClassMessage.__init__(self, code, **fields)
        Exception.__init__(self, code)  # args hold the code: the error pickles, its fields travel in __dict__


class ClassNotFound(ClassError, LookupError):
    """No class has this code, or it has expired."""


class NotTeacher(ClassError, PermissionError):
    """A teacher's action without the class's teacher key."""


class NotMember(ClassError, PermissionError):
    """A student's action with a token that is not a member's of this class."""


class InvalidInput(ClassError, ValueError):
    """Something sent that the store will not keep: too long, invisible characters, not one of the choices."""


class StoreUnavailable(ClassError, ConnectionError):
    """The database cannot be reached; the page says it is reconnecting and tries again."""

    def __init__(self, code: str = "class.store_unavailable") -> None:  # the code again when it is unpickled
        super().__init__(code)
