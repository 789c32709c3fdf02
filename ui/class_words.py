"""The class store's words in the visitor's language, looked up by code.

classroom/ never imports streamlit and speaks English only: what it says to a user is a ClassMessage (an
error such as a wrong code, or a student's display name), a code from classroom.errors.MESSAGES and the
values its template needs. This table holds the same codes, each template marked for the catalog, as
ui/engine_words.py does for the engine. tests/test_class_store.py fails when a code has no entry here or no
translation.
"""
from __future__ import annotations

from classroom.errors import ClassMessage
from ui.i18n import N_
from ui.message_words import translated

CLASS_WORDS: dict[str, str] = {
    # who may do what
    "class.not_found": N_("There is no class with this code: check the code, or ask the teacher for it. A class "
                          "ends after a while, and its code with it."),
    "class.not_teacher": N_("This link does not hold the class's teacher key, so it cannot lead the class."),
    "class.not_member": N_("You are not in this class yet, or the class has ended: join it with its code."),
    # what a student sends
    "class.nickname_too_long": N_("A nickname has at most {limit} characters; this one has {count}."),
    "class.nickname_invisible": N_("A nickname cannot hold control or invisible characters."),
    "class.surname_empty": N_("Type a surname, e.g. Nakamura or O'Brien."),
    "class.surname_too_long": N_("A surname has at most {limit} characters; this one has {count}."),
    "class.surname_invisible": N_("A surname cannot hold control or invisible characters."),
    "class.choice_unknown": N_("That is not one of this question's answers."),
    "class.question_unknown": N_("This question is not one of the class's."),
    "class.question_revealed": N_("The answer has been revealed: this question takes no more answers."),
    "class.drawing_unreadable": N_("A drawing is sent as a small image: a PNG, or 28x28 grey pixels."),
    "class.reading_unreadable": N_("The model's reading holds a label of at most {limit} characters and a "
                                   "confidence from 0 to 1."),
    # what a teacher sends
    "class.page_too_long": N_("A page's link has at most {limit} characters."),
    "class.question_id_unreadable": N_("A question's name has from 1 to {limit} characters."),
    "class.options_unreadable": N_("A question has from 2 to {limit} answers, each a short text, none twice."),
    "class.entry_unknown": N_("That entry is no longer in the class's gallery."),
    "class.activity_unknown": N_("Unknown activity {activity}: use one of {choices}."),
    # the store itself
    "class.store_unavailable": N_("The class's database cannot be reached just now; reconnecting. Nothing already "
                                  "sent is lost."),
    # a student as the class sees them: the nickname they chose, else a number
    "class.nickname": N_("{nickname}"),
    "class.anonymous": N_("Student {number}"),
}


def class_words(message: ClassMessage) -> str:
    """The message in the visitor's language (ui/message_words.py): the store's English for a code with no
    words here, which a test keeps from happening."""
    return translated(message, CLASS_WORDS)
