"""Name generator: held-out bits per character against an n-gram, new and recognisable names, and speed.

    .venv/bin/python -m benchmarks.bench_generator [--names 100] [--samples 200]

Targets (issue 18): on the names-v1 test names, fewer bits per character than a 5-gram Kneser-Ney model fitted
on the same training names in this same run (the ratio is model / n-gram); 100 names per language at
temperature 0.5, the share that are new and the share the shipped classifier assigns back to the requested
language (>= 70% on average); one name with its step-by-step story on the CPU, p50 <= 20 ms, beside a
baseline measured in this process: one forward call of the same model over a whole name. The draws use a
torch.Generator seeded with 0, so the table repeats from run to run. Needs $RNN_DATA_DIR (default
../shared/data) for the bits per character; the rest runs on the checkpoints alone.
"""
from __future__ import annotations

import argparse
import os
import statistics
import threading
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from benchmarks.timing import markdown_table, time_calls
from rnn_core.checkpoints import load_checkpoint
from rnn_core.data_root import DataMissingError, data_root
from rnn_core.names.data import CharVocab
from rnn_core.device import configure_threads
from rnn_core.generator.model import GeneratorVocab, teacher_forcing_tensors
from rnn_core.generator.sampling import generate_name
from rnn_core.generator.recipe import evaluate_generator
from rnn_core.names.inference import classify_names

REPO = Path(__file__).resolve().parent.parent

TEMPERATURE = 0.5


def in_script_thread(work: Callable[[], np.ndarray]) -> np.ndarray:
    """Run `work` in a fresh thread, as Streamlit runs a page script (torch's main thread can be slower)."""
    result: list[np.ndarray] = []
    worker = threading.Thread(target=lambda: result.append(work()))
    worker.start()
    worker.join()
    return result[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=100, help="names generated per language")
    parser.add_argument("--samples", type=int, default=200, help="timed generations")
    args = parser.parse_args()
    configure_threads()  # as the app does ($RNN_TORCH_THREADS, default 1)

    generator = load_checkpoint(REPO / "checkpoints" / "names-generator.pt", expected_kind="name_generator")
    classifier = load_checkpoint(REPO / "checkpoints" / "names.pt", expected_kind="name_classifier")
    model, metadata = generator.model.eval(), generator.metadata
    vocab, languages = GeneratorVocab(metadata.vocab), metadata.labels
    known = {(name, language) for language, names in metadata.training_names.items()
             for name in names.split("\n")}
    known_names = {name for name, _ in known}

    print(f"load average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs · torch threads: "
          f"{torch.get_num_threads()} · model: {model.config.cell.upper()} {model.config.num_layers}x"
          f"{model.config.hidden_size}\n")

    try:
        measured = evaluate_generator(model, metadata, data_root())
        print(markdown_table(["names-v1 test", "bits per character", "ratio to the n-gram"], [
            [f"generator ({measured.names:,} names, {measured.symbols:,} characters with end marks)",
             f"{measured.bits_per_character:.4f}",
             f"{measured.bits_per_character / measured.ngram_bits_per_character:.3f}"],
            [f"{measured.ngram_order}-gram Kneser-Ney, fitted now on the training names (baseline)",
             f"{measured.ngram_bits_per_character:.4f}", "1.000"]]))
    except DataMissingError as error:
        print(f"bits per character skipped: {error}")

    draws = torch.Generator().manual_seed(0)
    rows, new_shares, agree_shares = [], [], []
    classifier_vocab = CharVocab(classifier.metadata.vocab)
    for language in languages:
        names = [generate_name(model, vocab, languages, language, TEMPERATURE, generator=draws).name
                 for _ in range(args.names)]
        answers = classify_names(classifier.model, classifier_vocab, classifier.metadata.labels, names)
        new = sum(name not in known_names for name in names) / len(names)
        agree = sum(bool(row.top) and row.top[0][0] == language for row in answers) / len(names)
        new_shares.append(new)
        agree_shares.append(agree)
        rows.append([language, f"{new:.0%}", f"{agree:.0%}", f"{len(set(names))}", ", ".join(names[:4])])
    rows.append(["**mean over languages**", f"{np.mean(new_shares):.0%}", f"{np.mean(agree_shares):.0%}", "", ""])
    print(f"\n{args.names} names per language at temperature {TEMPERATURE}: new = not among any language's training "
          "names; agrees = the shipped classifier's top answer is the language asked for (target: >= 70% on "
          "average)\n")
    print(markdown_table(["language", "new", "classifier agrees", "distinct", "first four"], rows))

    inputs, _ = teacher_forcing_tensors(["Kowalski"], vocab)
    polish = torch.tensor([languages.index("Polish")])

    def forward() -> None:
        with torch.no_grad():
            model(inputs, polish)

    def story() -> None:
        generate_name(model, vocab, languages, "Polish", TEMPERATURE, generator=draws)

    baseline = in_script_thread(lambda: time_calls(forward, args.samples))
    stories = in_script_thread(lambda: time_calls(story, args.samples))
    p50 = statistics.median(stories)
    print("\n" + markdown_table(["one name on the CPU", "p50", "p90", "p50 / baseline", "target"], [
        ["one forward call over a whole name (baseline)", f"{statistics.median(baseline):.2f} ms",
         f"{np.percentile(baseline, 90):.2f} ms", "1.0x", ""],
        ["generate_name: a name and its step-by-step story", f"{p50:.2f} ms", f"{np.percentile(stories, 90):.2f} ms",
         f"{p50 / statistics.median(baseline):.1f}x", f"<= 20 ms {'met' if p50 <= 20 else 'MISSED'}"]]))


if __name__ == "__main__":
    main()
