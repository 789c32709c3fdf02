"""Number translator: held-out exact match of both shipped models, and the time of one translation.

    .venv/bin/python -m benchmarks.bench_translator [--samples 200]

Targets (issue 30): with attention, exact match >= 99.5% on the held-out numbers typed in every style, and
>= 99% in every digit-count band and every style; without attention, reported by input length. One
translation with its attention map on the CPU, p50 <= 20 ms, beside a baseline measured in this process:
the name generator's one name with its story, which is what a step of the generator page waits for. Runs on
the checkpoints alone (the pairs are made by num2words and cn2an).
"""
from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

import numpy as np
import torch

from benchmarks.bench_generator import in_script_thread
from benchmarks.timing import markdown_table, time_calls
from rnn_core.checkpoints import load_checkpoint
from rnn_core.device import configure_threads
from rnn_core.generator.model import GeneratorVocab
from rnn_core.generator.sampling import generate_name
from rnn_core.translator.data import english, held_out_numbers, read_number
from rnn_core.translator.decoding import beam_search, greedy
from rnn_core.translator.model import SourceVocab, TargetVocab
from rnn_core.translator.recipe import measure_translator

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200, help="timed translations of each kind")
    args = parser.parse_args()
    configure_threads()  # as the app does ($RNN_TORCH_THREADS, default 1)
    models = {name: load_checkpoint(REPO / "checkpoints" / f"{name}.pt", expected_kind="translator").model
              for name in ("translator", "translator-plain")}
    print(f"load average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs · torch threads: "
          f"{torch.get_num_threads()}\n")

    figures = {name: measure_translator(model) for name, model in models.items()}
    bands = list(figures["translator"].by_digits)
    print(markdown_table(["held-out exact match", "overall", *[f"{d} digits" for d in bands]], [
        [name, f"{100 * f.exact_match:.2f}%", *[f"{100 * f.by_digits[d]:.2f}%" for d in bands]]
        for name, f in figures.items()]))
    styles = list(figures["translator"].by_style)
    print("\n" + markdown_table(["by style", *styles], [
        [name, *[f"{100 * f.by_style[s]:.2f}%" for s in styles]] for name, f in figures.items()]))
    lengths = list(figures["translator"].by_words)
    print("\n" + markdown_table(["by English words read", *lengths], [
        [name, *[f"{100 * f.by_words[n]:.1f}%" for n in lengths]] for name, f in figures.items()]
        + [["examples", *[f"{figures['translator'].words_examples[n]:,}" for n in lengths]]]))

    source, target = SourceVocab(), TargetVocab()
    draw = np.random.default_rng(0)
    inputs = [read_number(english(int(n)))[0] for n in draw.choice(held_out_numbers(), args.samples)]
    turn = iter(range(10 ** 9))

    def next_words() -> list[str]:
        return inputs[next(turn) % len(inputs)]

    generator = load_checkpoint(REPO / "checkpoints" / "names-generator.pt", expected_kind="name_generator")
    vocab, languages = GeneratorVocab(generator.metadata.vocab), generator.metadata.labels
    draws = torch.Generator().manual_seed(0)
    timings = {
        "name generator: one name and its story (baseline, the generator page's step)": lambda: generate_name(
            generator.model, vocab, languages, "Italian", 0.5, generator=draws),
        "with attention, greedy, with its attention map": lambda: greedy(
            models["translator"], [next_words()], source, target),
        "with attention, beam search of width 5": lambda: beam_search(
            models["translator"], next_words(), source, target, 5),
        "without attention, greedy": lambda: greedy(models["translator-plain"], [next_words()], source, target),
    }
    rows, baseline = [], None
    for label, work in timings.items():
        times = in_script_thread(lambda: time_calls(work, args.samples))
        p50 = statistics.median(times)
        baseline = baseline or p50
        goal = "<= 20 ms " + ("met" if p50 <= 20 else "MISSED") if "greedy, with its" in label else ""
        rows.append([label, f"{p50:.2f} ms", f"{np.percentile(times, 90):.2f} ms", f"{p50 / baseline:.2f}x", goal])
    print("\n" + markdown_table(["one translation on the CPU", "p50", "p90", "p50 / baseline", "target"], rows))


if __name__ == "__main__":
    main()
