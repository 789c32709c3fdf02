"""The ready questions a teacher puts to the class before running a page's demo: predict, then reveal.

Each question and answer is marked for the catalog; the store keeps only the question's id and the answers'
ids, so every student reads them in their own language.
"""
from __future__ import annotations

from dataclasses import dataclass

from ui.i18n import N_


@dataclass(frozen=True)
class Option:
    id: str  # what the store keeps as the student's choice
    text: str  # English, marked for the catalog: show it through _()


@dataclass(frozen=True)
class ClassQuestion:
    id: str  # what the store keeps as the question's id
    page: str  # the page it prepares, as its script's stem (ui/pages.py)
    question: str  # English, marked for the catalog
    options: tuple[Option, ...]
    answer: str  # the id of the right option

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)


QUESTIONS: tuple[ClassQuestion, ...] = (
    ClassQuestion("waves_tutorial", "waves", N_("The tutorial's setup: will it survive 10,000 steps?"),
                  (Option("learns", N_("Yes: the loss keeps falling")),
                   Option("collapses", N_("No: after a few thousand steps it collapses")),
                   Option("never", N_("It never learns at all"))), "collapses"),
    ClassQuestion("memory_fifty", "memory", N_("Which cell still carries the gradient 50 steps back?"),
                  (Option("rnn", N_("The plain RNN")), Option("gated", N_("The LSTM and the GRU")),
                   Option("all", N_("All three")), Option("none", N_("None of them"))), "gated"),
    ClassQuestion("generate_hot", "generate", N_("What will the generator's name look like at temperature 2?"),
                  (Option("typical", N_("A typical name of the language")),
                   Option("same", N_("The same name every time")),
                   Option("jumble", N_("A jumble of unlikely letters"))), "jumble"),
    ClassQuestion("digits_rows", "digits", N_("After reading only the first few rows of a drawing, how sure is "
                                              "the network?"),
                  (Option("sure", N_("Already sure")), Option("grows", N_("Unsure: it firms up row by row")),
                   Option("silent", N_("It has no guess until the last row"))), "grows"),
    ClassQuestion("names_unseen", "names", N_("A surname the network never saw: can it still say its language?"),
                  (Option("no", N_("No: it only knows the names it trained on")),
                   Option("spelling", N_("Yes: the spelling gives the language away")),
                   Option("random", N_("It guesses at random"))), "spelling"),
    ClassQuestion("inside_weights", "inside", N_("A cell reads ten steps. How many sets of weights does it use?"),
                  (Option("one", N_("One set, the same at every step")), Option("ten", N_("Ten, one per step")),
                   Option("grows", N_("More with every step"))), "one"),
    ClassQuestion("inside_lstm", "inside", N_("An LSTM and a plain RNN of the same size: how many weights does "
                                              "the LSTM have?"),
                  (Option("same", N_("As many")), Option("double", N_("About twice as many")),
                   Option("four", N_("About four times as many"))), "four"),
    ClassQuestion("translate_end", "translate", N_("Does the translator start writing before it has read the "
                                                   "last word?"),
                  (Option("early", N_("Yes: it writes as it reads")),
                   Option("end", N_("No: it reads to the end, then writes"))), "end"),
)
BY_ID = {question.id: question for question in QUESTIONS}
