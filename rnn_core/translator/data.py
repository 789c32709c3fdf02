"""English number words -> Chinese numerals: the pairs, the words a person may type, and the held-out set.

Both sides come from libraries, never from rules written here: num2words spells a number in English
(British, with "and"), cn2an writes it in Chinese numerals. A typed number is read as words: case, commas
and hyphens are how people type, not what the number is, so they are dropped before the model reads it;
"and" is kept, since British and American English differ by it and the model sees both.
"""
from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version

import cn2an
from num2words import num2words

from rnn_core.errors import EngineError

LARGEST = 999_999_999  # nine hundred and ninety-nine million ...: below 十亿
MAX_INPUT_CHARACTERS = 200  # the longest number spelt out takes about half of this
UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
WORDS = [*UNITS, *TENS, *SCALES, "and"]  # every word the translator reads, in id order
TOO_LARGE = {"billion", "billions", "trillion", "milliard"}  # scales past the range: said so, not "unknown"
CHARACTERS = "零一二三四五六七八九十百千万亿"  # every character it writes, in id order
SEPARATORS = re.compile(r"[\s,\-‐‑‒–—]+")  # spaces, commas and any dash between words


class NumberWordsError(EngineError, ValueError):
    """Text that is not an English number from zero to 999,999,999; the message says what is accepted."""


@dataclass(frozen=True)
class Style:
    """How a person might type a number in words."""
    name: str
    british: bool = True  # "one hundred and five"; American English leaves out the "and"
    commas: bool = True  # "forty-two thousand, three hundred"
    hyphens: bool = True  # "forty-two", or "forty two"
    case: str = "lower"  # "lower", "upper" or "title"


# The styles the held-out set is measured in, one change from num2words' own at a time, and one with all.
STYLES = [
    Style("british"),
    Style("american", british=False),
    Style("no commas", commas=False),
    Style("spaces for hyphens", hyphens=False),
    Style("capitals", case="upper"),
    Style("american, title case, no punctuation", british=False, commas=False, hyphens=False, case="title"),
]


def english(number: int, style: Style = STYLES[0]) -> str:
    """The number in English words, typed in `style`."""
    text = num2words(number)  # British: "three hundred and five thousand and seven"
    if not style.british:
        text = text.replace(" and ", " ")
    if not style.commas:
        text = text.replace(",", "")
    if not style.hyphens:
        text = text.replace("-", " ")
    return {"upper": text.upper(), "title": text.title()}.get(style.case, text)


def chinese(number: int) -> str:
    """The number in Chinese numerals, as cn2an writes it: 305007 -> 三十万五千零七."""
    return cn2an.an2cn(number)


def words_of(text: str) -> list[str]:
    """The words of a typed number, lower case, without commas or hyphens: what the model reads."""
    return [word for word in SEPARATORS.split(text.strip().lower()) if word]


def spelt_value(words: list[str]) -> int:
    """The number a list of known number words adds up to, read left to right (not yet checked for form)."""
    total, group = 0, 0
    for word in words:
        if word in SCALES and word != "hundred":
            total, group = total + group * SCALES[word], 0
        elif word == "hundred":
            group *= 100
        elif word != "and":
            group += UNITS.index(word) if word in UNITS else 20 + 10 * TENS.index(word)
    return total + group


def is_spelt_as(words: list[str], number: int) -> bool:
    """Whether `words` are the number's British words with none, some or all of the "and"s left out."""
    position = 0
    for word in words_of(num2words(number)):
        if position < len(words) and words[position] == word:
            position += 1
        elif word != "and":
            return False
    return position == len(words)


def read_number(text: str) -> tuple[list[str], int]:
    """(the words the model reads, the number they spell), or NumberWordsError saying what is accepted."""
    if not text.strip():
        raise NumberWordsError("translator.empty")
    if len(text) > MAX_INPUT_CHARACTERS:
        raise NumberWordsError("translator.too_long", count=len(text), limit=MAX_INPUT_CHARACTERS)
    words = words_of(text)
    if any(any(c.isdigit() for c in word) for word in words):
        raise NumberWordsError("translator.digits")
    if any(word in TOO_LARGE for word in words):
        raise NumberWordsError("translator.too_large")
    if any(word not in WORDS for word in words):
        raise NumberWordsError("translator.unknown_word")
    number = spelt_value(words)
    if number > LARGEST:
        raise NumberWordsError("translator.too_large")
    if not is_spelt_as(words, number):
        raise NumberWordsError("translator.not_a_number")
    return words, number


def unknown_words(text: str) -> list[str]:
    """The words of `text` that the translator does not read, in order, each once."""
    return list(dict.fromkeys(word for word in words_of(text) if word not in WORDS))


def digit_count(number: int) -> int:
    return len(str(number))


HELD_OUT_SEED = 2024
HELD_OUT_SHARE = 10  # one number in this many of each digit count, at most HELD_OUT_PER_BAND
HELD_OUT_PER_BAND = 1000


@lru_cache(maxsize=1)
def held_out_numbers() -> tuple[int, ...]:
    """The fixed numbers training never sees, drawn per digit count (1 to 9) from a fixed seed, in order."""
    draw = random.Random(HELD_OUT_SEED)
    chosen: list[int] = []
    for digits in range(1, 10):
        low, high = (0 if digits == 1 else 10 ** (digits - 1)), 10 ** digits
        count = min(HELD_OUT_PER_BAND, max(1, (high - low) // HELD_OUT_SHARE))
        chosen += sorted(draw.sample(range(low, high), count))
    return tuple(chosen)


def training_numbers(count: int, seed: int) -> list[int]:
    """`count` numbers for training, every digit count equally often, none of them held out."""
    draw, held_out = random.Random(seed), set(held_out_numbers())
    numbers: list[int] = []
    while len(numbers) < count:
        digits = draw.randint(1, 9)
        number = draw.randrange(0 if digits == 1 else 10 ** (digits - 1), 10 ** digits)
        if number not in held_out:
            numbers.append(number)
    return numbers


def training_pairs(count: int, seed: int) -> list[tuple[list[str], str]]:
    """(English words as the model reads them, Chinese numeral) for `count` training numbers: half British,
    half American, and some with only a few of the "and"s left out, as people type."""
    draw = random.Random(seed + 1)
    pairs = []
    for number in training_numbers(count, seed):
        keep_and = draw.choice([1.0, 0.0, 0.5])
        words = [word for word in words_of(english(number)) if word != "and" or draw.random() < keep_and]
        pairs.append((words, chinese(number)))
    return pairs


def pairs_digest(count: int, seed: int) -> str:
    """sha256 of everything the pairs are made from: both libraries' versions, the count and seed of the
    training numbers, and the held-out numbers. Two runs with the same digest saw the same pairs."""
    made_from = f"num2words {version('num2words')} cn2an {version('cn2an')} {count} {seed} {held_out_numbers()}"
    return hashlib.sha256(made_from.encode()).hexdigest()
