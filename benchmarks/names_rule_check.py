"""Which objective should choose the names model's decision rule? A nested check inside the training split.

    python -m benchmarks.names_rule_check [--data-dir ../shared/data] [--seeds 0,1] [--jobs 2] [--epochs 20]

Each outer fold j = 1..4 of the names-v1 training split (the names with crc32(name) % 5 == j; the test
split is 0) is held out in turn. The names recipe fits its members and vote on the rest
(fit_name_members), each objective chooses a decision rule from that fit's out-of-fold answers
(choose_decision_rule), and the held-out outer fold measures the rule. The names-v1 test split is never
read. One fit per outer fold and seed, each about 8 members' training; --jobs fits run side by side, one
CPU thread each. Prints one table of means over the fits; asserts nothing.
"""
from __future__ import annotations

import argparse
import dataclasses
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import torch

from benchmarks.timing import markdown_table
from rnn_core.checkpoints import half_precision_state
from rnn_core.data_root import data_root
from rnn_core.names.data import CharVocab, load_names, name_fifth, split_names_v1
from rnn_core.device import configure_threads
from rnn_core.names.recipe import (NamesRecipe, apply_decision_rule, choose_decision_rule, fit_name_members,
                                   names_classification_data)
from rnn_core.metrics import metrics_from_logits, predict_logits

OUTER_FOLDS = (1, 2, 3, 4)
# (label, whether the rule may use the vote, balance_weight): the rule maximises out-of-fold
# accuracy + balance_weight * balanced accuracy.
OBJECTIVES = [
    ("no vote, accuracy + balanced accuracy", False, 1.0),
    ("no vote, accuracy", False, 0.0),
    ("vote, accuracy + balanced accuracy", True, 1.0),
    ("vote, accuracy + 0.5 x balanced accuracy", True, 0.5),
    ("vote, accuracy + 0.2 x balanced accuracy", True, 0.2),
    ("vote, accuracy", True, 0.0),
]


def fit_and_measure(root: Path, outer_fold: int, seed: int, epochs: float) -> list[tuple[float, float]]:
    """(accuracy, balanced accuracy) on the held-out outer fold, for each objective in OBJECTIVES."""
    configure_threads(1)
    names = load_names(root, download=False)
    training, _ = split_names_v1(names.pairs)
    held_out = [p for p in training if name_fifth(p[0]) == outer_fold]
    fitted_on = [p for p in training if name_fifth(p[0]) != outer_fold]
    vocab = CharVocab.from_names([name for name, _ in fitted_on])
    recipe = NamesRecipe(seed=seed, epochs=epochs)
    fitted = fit_name_members(fitted_on, names.languages, vocab, recipe, torch.device("cpu"))
    outer = names_classification_data([], held_out, names.languages, vocab)
    results = []
    for _, uses_vote, balance_weight in OBJECTIVES:
        allowed = recipe if uses_vote else dataclasses.replace(recipe, naive_bayes_weights=[0.0])
        rule = choose_decision_rule(fitted, allowed, balance_weight)
        apply_decision_rule(fitted.model, rule, fitted.log_prior)
        fitted.model.load_state_dict(half_precision_state(fitted.model))  # as a saved file holds it
        m = metrics_from_logits(predict_logits(fitted.model, outer.test_inputs), outer.test_labels,
                                len(names.languages))
        results.append((m.accuracy, m.balanced_accuracy))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir")
    parser.add_argument("--seeds", default="0,1", help="comma-separated recipe seeds, one fit per outer fold each")
    parser.add_argument("--jobs", type=int, default=2, help="fits run side by side")
    parser.add_argument("--epochs", type=float, default=NamesRecipe().epochs, help="each member's epochs")
    args = parser.parse_args()
    root = data_root(args.data_dir)
    seeds = [int(s) for s in args.seeds.split(",")]
    fits = [(root, j, seed, args.epochs) for seed in seeds for j in OUTER_FOLDS]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        measured = list(pool.map(fit_and_measure, *zip(*fits)))

    rows = []
    for k, (label, _, _) in enumerate(OBJECTIVES):
        accuracy = torch.tensor([fit[k][0] for fit in measured])
        balanced = torch.tensor([fit[k][1] for fit in measured])
        rows.append([label, f"{100 * accuracy.mean():.2f} / {100 * balanced.mean():.2f}",
                     f"{100 * accuracy.min():.1f} to {100 * accuracy.max():.1f}",
                     f"{100 * balanced.min():.1f} to {100 * balanced.max():.1f}"])
    print(f"{len(fits)} fits: outer folds {', '.join(map(str, OUTER_FOLDS))} x seeds {args.seeds}, "
          f"{args.epochs:g} epochs\n")
    print(markdown_table(["decision rule, chosen on out-of-fold answers", "mean accuracy / balanced accuracy",
                          "accuracy range", "balanced accuracy range"], rows))


if __name__ == "__main__":
    main()
