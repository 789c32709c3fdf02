"""Generation, step by step: temperature, first letters, and each step's distribution over the next letter."""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import torch

from rnn_core.generator.model import (END, PAD, START, UNKNOWN, GeneratorInputError, GeneratorVocab,
                                     NameGenerator)

MAX_GENERATED_LENGTH = 24  # the longest training surname has 20 characters; the end mark is forced here
MAX_PREFIX_LENGTH = 12
MAX_TEMPERATURE = 2.0  # at 2 the choice is already close to even among dozens of characters


@dataclass
class GenerationStep:
    """One step of a generated name: what the model thought could come next, and what came."""
    probabilities: torch.Tensor  # (V,) the next-token distribution at the generation's temperature
    token: int  # the token taken (END for the end mark)
    forced: str = ""  # why the token was not drawn: "prefix" (typed by the visitor), "length" (limit); "" drawn

    def ranked(self, k: int) -> list[int]:
        """The k likeliest next tokens, likeliest first, leaving out those with no chance at all: at
        temperature 0 only the one taken is left, never a tie of zeros in arbitrary order."""
        ids = self.probabilities.topk(min(k, int((self.probabilities > 0).sum()) or 1)).indices
        return [int(i) for i in ids]

    @property
    def probability(self) -> float:
        """The probability the model gave the token taken."""
        return float(self.probabilities[self.token])

    @property
    def end_probability(self) -> float:
        return float(self.probabilities[END])


@dataclass
class GeneratedName:
    name: str
    language: str
    temperature: float
    prefix: str  # the letters the visitor gave (capitalised as the name starts); "" for none
    steps: list[GenerationStep]  # one per letter, then one for the end mark

    @property
    def ended_by_model(self) -> bool:
        """False when the end mark was forced because the name reached MAX_GENERATED_LENGTH letters."""
        return self.steps[-1].forced != "length"

    @property
    def bits(self) -> float:
        """-log2 of the probability of the drawn steps (the prefix's steps are given, so not counted)."""
        return -sum(math.log2(max(s.probability, 1e-30)) for s in self.steps if s.forced != "prefix")


def check_temperature(temperature: float) -> float:
    """The temperature as a float, or GeneratorInputError saying what a usable one is."""
    try:
        value = float(temperature)
    except (TypeError, ValueError):
        raise GeneratorInputError("generator.temperature_number") from None
    if not math.isfinite(value) or not 0.0 <= value <= MAX_TEMPERATURE:
        raise GeneratorInputError("generator.temperature_range", limit=f"{MAX_TEMPERATURE:g}")
    return value


def clean_prefix(text: str, vocab: GeneratorVocab) -> str:
    """Typed first letters -> the prefix the generator continues, or GeneratorInputError saying why not.

    Every training name starts with a capital, so a lower-case first letter is capitalised.
    """
    prefix = unicodedata.normalize("NFC", text or "").strip()
    if len(prefix) > MAX_PREFIX_LENGTH:
        raise GeneratorInputError("generator.prefix_too_long", limit=MAX_PREFIX_LENGTH)
    if prefix[:1].islower() and prefix[0].upper() in vocab.chars:
        prefix = prefix[0].upper() + prefix[1:]
    if vocab.unknown_chars(prefix):
        raise GeneratorInputError("generator.prefix_unknown")
    return prefix


def next_distribution(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Logits (V,) -> probabilities (V,) at this temperature; temperature 0 puts everything on the likeliest."""
    logits = logits.float().clone()
    logits[[PAD, START, UNKNOWN]] = -math.inf  # never written inside a name
    if temperature == 0:
        probabilities = torch.zeros_like(logits)
        probabilities[logits.argmax()] = 1.0
        return probabilities
    return torch.softmax(logits / temperature, dim=0)


def draw_token(probabilities: torch.Tensor, generator: torch.Generator | None) -> int:
    if float(probabilities.max()) == 1.0:  # greedy (or certain): no draw, so no randomness is used
        return int(probabilities.argmax())
    return int(torch.multinomial(probabilities, 1, generator=generator))


@torch.no_grad()
def generate_name(model: NameGenerator, vocab: GeneratorVocab, languages: list[str], language: str,
                  temperature: float = 0.5, prefix: str = "", generator: torch.Generator | None = None,
                  max_length: int = MAX_GENERATED_LENGTH) -> GeneratedName:
    """Invent one name, letter by letter, keeping each step's distribution.

    The prefix's letters are read as given; then letters are drawn at `temperature` (0: always the likeliest)
    until the end mark, which is forced once the name has `max_length` letters. `generator` makes the draw
    repeatable without touching the process-wide random state.
    """
    temperature = check_temperature(temperature)
    if language not in languages:
        raise GeneratorInputError("generator.language")
    prefix = clean_prefix(prefix, vocab)
    device = next(model.parameters()).device
    language_id = torch.tensor([languages.index(language)], device=device)
    given = vocab.encode(prefix)
    token, state, steps, letters, read = START, None, [], [], []
    while True:
        recent = read[max(0, len(read) - model.context):] if model.context else []  # for the n-gram look-up
        before = torch.tensor([recent], device=device) if recent else None
        logits, state = model.step(torch.tensor([[token]], device=device), language_id, state, before)
        read.append(token)
        probabilities = next_distribution(logits[0, -1].cpu(), temperature)
        if len(letters) < len(given):
            token, forced = given[len(letters)], "prefix"
        elif len(letters) >= max_length:
            token, forced = END, "length"
        else:
            token, forced = draw_token(probabilities, generator), ""
        steps.append(GenerationStep(probabilities, token, forced))
        if token == END:
            break
        letters.append(vocab.char(token))
    return GeneratedName("".join(letters), language, temperature, prefix, steps)
