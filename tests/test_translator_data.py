"""The translator's data: both libraries' outputs read back, every input style, what is refused and why, and a
held-out set that training never sees."""
from __future__ import annotations

import random

import cn2an
import pytest

from rnn_core.translator.data import (
    CHARACTERS, LARGEST, MAX_INPUT_CHARACTERS, STYLES, WORDS, NumberWordsError, Style, chinese, digit_count,
    english, held_out_numbers, read_number, training_numbers, training_pairs, unknown_words, words_of,
)

SAMPLE = [0, 7, 10, 15, 42, 100, 105, 110, 1_000, 1_005, 10_010, 42_300, 100_000, 305_007, 1_000_001,
          20_000_000, 100_010_000, 200_000_005, LARGEST] + random.Random(1).sample(range(LARGEST + 1), 300)


@pytest.mark.parametrize("style", STYLES, ids=lambda style: style.name)
def test_every_style_reads_back_to_its_number(style):
    for number in SAMPLE:
        words, value = read_number(english(number, style))
        assert value == number
        assert all(word in WORDS for word in words)


def test_the_styles_differ_as_people_type():
    assert english(305_007) == "three hundred and five thousand and seven"
    assert english(305_007, Style("us", british=False)) == "three hundred five thousand seven"
    assert english(42_300) == "forty-two thousand, three hundred"
    assert english(42_300, Style("plain", commas=False, hyphens=False)) == "forty two thousand three hundred"
    assert english(42, Style("caps", case="upper")) == "FORTY-TWO"
    assert english(42, Style("title", case="title")) == "Forty-Two"
    # what the model reads is the same whatever the case, commas and hyphens
    assert {tuple(words_of(english(42_300, style))) for style in STYLES if style.british} == {
        ("forty", "two", "thousand", "three", "hundred")}


def test_the_chinese_numeral_reads_back_to_its_number():
    for number in SAMPLE:
        numeral = chinese(number)
        assert set(numeral) <= set(CHARACTERS)
        assert cn2an.cn2an(numeral, "strict") == number
    assert chinese(305_007) == "三十万五千零七" and chinese(42_300) == "四万二千三百"


@pytest.mark.parametrize("text, code", [
    ("", "translator.empty"),
    ("   ", "translator.empty"),
    ("one " * 100, "translator.too_long"),
    ("x" * (MAX_INPUT_CHARACTERS + 1), "translator.too_long"),
    ("nine " * 100, "translator.too_long"),  # a 500-character paste
    ("forty 2", "translator.digits"),
    ("one billion", "translator.too_large"),
    ("one thousand million", "translator.not_a_number"),
    ("forty-two apples", "translator.unknown_word"),
    ("<b>five</b>", "translator.unknown_word"),
    ("hundred five", "translator.not_a_number"),
    ("five five", "translator.not_a_number"),
    ("one hundred and and five", "translator.not_a_number"),
    ("zero zero", "translator.not_a_number"),
])
def test_what_is_not_a_number_is_refused_with_what_is_accepted(text, code):
    with pytest.raises(NumberWordsError) as refused:
        read_number(text)
    assert refused.value.code == code


def test_some_ands_may_be_left_out():
    assert read_number("three hundred and five thousand seven") == (
        ["three", "hundred", "and", "five", "thousand", "seven"], 305_007)
    assert read_number("One Hundred Five")[1] == 105


def test_unknown_words_are_listed_once_in_order():
    assert unknown_words("forty apples and pears, apples") == ["apples", "pears"]


def test_the_held_out_set_is_fixed_spread_over_every_digit_count_and_never_trained_on():
    held_out = held_out_numbers()
    assert held_out == held_out_numbers() and len(set(held_out)) == len(held_out)
    counts = {digits: sum(digit_count(n) == digits for n in held_out) for digits in range(1, 10)}
    assert counts == {1: 1, 2: 9, 3: 90, 4: 900, 5: 1000, 6: 1000, 7: 1000, 8: 1000, 9: 1000}
    assert held_out[:3] == (7, 33, 35)  # a changed draw would silently change every figure measured on it
    assert not set(training_numbers(50_000, seed=0)) & set(held_out)


def test_training_pairs_mix_british_and_american_and_only_use_known_words():
    pairs = training_pairs(2_000, seed=0)
    assert all(set(words) <= set(WORDS) and set(numeral) <= set(CHARACTERS) for words, numeral in pairs)
    with_and = sum("and" in words for words, _ in pairs)
    could_have_and = sum("and" in words_of(english(cn2an.cn2an(numeral, "strict"))) for _, numeral in pairs)
    assert 0.3 * could_have_and < with_and < 0.9 * could_have_and
    assert training_pairs(50, seed=3) == training_pairs(50, seed=3)
