"""Writing a translation: greedy (the likeliest character at every step) or beam search (the likeliest few
partial translations kept side by side), with the attention weights of every character written."""
from __future__ import annotations

from dataclasses import dataclass

import torch

from rnn_core.translator.data import read_number
from rnn_core.translator.model import END, PAD, START, NumberTranslator, SourceVocab, TargetVocab

MAX_STEPS = 24  # the longest numeral has 17 characters, and the end mark follows


@dataclass
class Translation:
    """One input written out. Step i wrote text[i], or the end mark after the last character."""
    words: list[str]  # what the model read
    text: str  # the Chinese numeral written
    probabilities: list[float]  # per step: the probability of what was written
    attention: torch.Tensor | None  # (steps, words): each step's weights over the words; None without attention
    log_probability: float  # of the whole translation, end mark included

    @property
    def steps(self) -> int:
        return len(self.probabilities)


def source_tensors(sentences: list[list[str]], vocab: SourceVocab) -> tuple[torch.Tensor, torch.Tensor]:
    """Word lists -> ids (B, S) padded with PAD, and their lengths (B,)."""
    lengths = torch.tensor([len(words) for words in sentences], dtype=torch.long)
    ids = torch.full((len(sentences), max([1, *(len(words) for words in sentences)])), PAD, dtype=torch.long)
    for row, words in enumerate(sentences):
        ids[row, : len(words)] = torch.tensor(vocab.encode(words), dtype=torch.long)
    return ids, lengths


@torch.no_grad()
def greedy(model: NumberTranslator, sentences: list[list[str]], source_vocab: SourceVocab,
           target_vocab: TargetVocab) -> list[Translation]:
    """Each word list translated by taking the likeliest character at every step, all in one batch."""
    device = model.word_embedding.weight.device
    ids, lengths = source_tensors(sentences, source_vocab)
    encoded = model.encode(ids.to(device), lengths)
    state = model.start_state(encoded)
    previous = torch.full((len(sentences),), START, dtype=torch.long, device=device)
    written, chances, weights = [], [], []
    done = torch.zeros(len(sentences), dtype=torch.bool)
    for _ in range(MAX_STEPS):
        logits, state, step_weights = model.step(previous, state, encoded)
        probabilities = torch.softmax(logits, dim=-1)
        chance, previous = probabilities.max(dim=-1)
        written.append(previous)
        chances.append(chance)
        if step_weights is not None:
            weights.append(step_weights)
        done |= previous == END
        if bool(done.all()):
            break
    written_ids, written_chances = torch.stack(written, 1).cpu(), torch.stack(chances, 1).cpu()  # (B, T)
    attention = torch.stack(weights, 1).cpu() if weights else None  # (B, T, S)
    translations = []
    for row, words in enumerate(sentences):
        tokens = written_ids[row].tolist()
        steps = tokens.index(END) + 1 if END in tokens else len(tokens)
        row_chances = written_chances[row, :steps]
        translations.append(Translation(
            words, target_vocab.decode(tokens[:steps]), row_chances.tolist(),
            None if attention is None else attention[row, :steps, : len(words)].clone(),
            float(row_chances.log().sum())))
    return translations


@torch.no_grad()
def beam_search(model: NumberTranslator, words: list[str], source_vocab: SourceVocab, target_vocab: TargetVocab,
                width: int) -> list[Translation]:
    """The `width` likeliest translations beam search finds for one word list, likeliest first."""
    device = model.word_embedding.weight.device
    ids, lengths = source_tensors([words], source_vocab)
    encoded = model.encode(ids.to(device), lengths)
    state = model.start_state(encoded)
    # The live beams, side by side in a batch: their tokens, chances and attention rows so far.
    tokens: list[list[int]] = [[]]
    chances: list[list[float]] = [[]]
    rows: list[list[torch.Tensor]] = [[]]
    scores = torch.zeros(1)
    finished: list[Translation] = []
    for _ in range(MAX_STEPS):
        previous = torch.tensor([beam[-1] if beam else START for beam in tokens], device=device)
        logits, state, weights = model.step(previous, state, encoded.select(torch.zeros(len(tokens), dtype=torch.long,
                                                                                        device=device)))
        log_probabilities = torch.log_softmax(logits, dim=-1).cpu()
        weights = None if weights is None else weights.cpu()
        totals = (scores[:, None] + log_probabilities).flatten()
        keep_tokens, keep_chances, keep_rows, keep_scores, keep_from = [], [], [], [], []
        for index in totals.argsort(descending=True).tolist():
            beam, token = divmod(index, log_probabilities.shape[1])
            if token == PAD or token == START:
                continue
            chance = float(log_probabilities[beam, token].exp())
            row = [] if weights is None else [weights[beam]]
            if token == END:
                finished.append(Translation(words, target_vocab.decode(tokens[beam]), chances[beam] + [chance],
                                            None if weights is None else torch.stack(rows[beam] + row),
                                            float(totals[index])))
            else:
                keep_tokens.append(tokens[beam] + [token])
                keep_chances.append(chances[beam] + [chance])
                keep_rows.append(rows[beam] + row)
                keep_scores.append(float(totals[index]))
                keep_from.append(beam)
            if len(keep_tokens) == width or len(finished) >= width:
                break
        finished.sort(key=lambda t: -t.log_probability)
        # Scores only fall as a beam grows, so once `width` have ended no live beam can overtake them.
        if not keep_tokens or (len(finished) >= width and keep_scores[0] < finished[width - 1].log_probability):
            break
        tokens, chances, rows, scores = keep_tokens, keep_chances, keep_rows, torch.tensor(keep_scores)
        state = state[torch.tensor(keep_from, device=device)]
    else:  # out of steps: beams that never ended count as they are, as greedy's would
        finished += [Translation(words, target_vocab.decode(beam), beam_chances,
                                 torch.stack(beam_rows) if beam_rows else None, float(score))
                     for beam, beam_chances, beam_rows, score in zip(tokens, chances, rows, scores.tolist())]
    return sorted(finished, key=lambda t: -t.log_probability)[:width]


def translate_text(model: NumberTranslator, text: str, source_vocab: SourceVocab, target_vocab: TargetVocab
                   ) -> Translation:
    """A typed English number written in Chinese, greedily; NumberWordsError when it is not a number."""
    words, _number = read_number(text)
    return greedy(model, [words], source_vocab, target_vocab)[0]
