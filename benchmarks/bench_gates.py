"""The gate view's cost: one drawing unrolled by hand (rnn_core.digits.gates.digit_gates) against the plain
per-row reading (model.read_rows), same process, CPU, one thread, median of many repeats
(the two timed call by call in turn).

    .venv/bin/python -m benchmarks.bench_gates [--repeats 300]

The bar: the gate view costs at most 3x the plain reading. Beside it, for scale and not part of the bar:
cells.unroll, the same model walked row by row (what digit_gates avoids), and the figures (ui.gate_view's
plotly figures of one layer, built but not drawn).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from benchmarks.timing import markdown_table, time_calls
from rnn_core.checkpoints import load_checkpoint
from rnn_core.device import configure_threads
from rnn_core.inside.cells import unroll
from rnn_core.digits.gates import digit_gates
from rnn_core.digits.model import MNIST_MEAN, MNIST_STD
from ui.gate_view import gate_figures

REPO = Path(__file__).resolve().parent.parent

BAR = 3.0


def a_drawing() -> torch.Tensor:
    """A crude 7 in [0, 1]: a bar along the top and a stroke down to the bottom left."""
    image = torch.zeros(28, 28)
    image[5:8, 6:22] = 1.0
    for row in range(8, 24):
        column = 21 - (row - 8) // 2
        image[row, column - 1:column + 2] = 1.0
    return image


def interleaved(first: Callable[[], object], second: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median milliseconds of each, timed call by call in turn, so a busy moment of the machine weighs on
    both sides alike."""
    times = np.empty((repeats, 2))
    for fn in (first, second):  # warm up
        time_calls(fn, repeats=1, warmup=10)
    for k in range(repeats):
        for side, fn in enumerate((first, second)):
            start = time.perf_counter()
            fn()
            times[k, side] = (time.perf_counter() - start) * 1000
    return float(np.median(times[:, 0])), float(np.median(times[:, 1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=300)
    args = parser.parse_args()
    configure_threads(1)
    image = a_drawing()
    rows = []
    for cell in ("lstm", "gru"):
        model = load_checkpoint(REPO / "checkpoints" / f"digits-{cell}.pt", expected_kind="row_classifier").model
        with torch.no_grad():
            plain, gates = interleaved(lambda: model.read_rows(image.unsqueeze(0)), lambda: digit_gates(model, image),
                                       args.repeats)
            normalised = ((image - MNIST_MEAN) / MNIST_STD).unsqueeze(0)
            by_steps = np.median(time_calls(lambda: unroll(model.rnn, normalised), args.repeats))
        found = digit_gates(model, image)
        figures = np.median(time_calls(lambda: gate_figures(found, layer=0), max(20, args.repeats // 10)))
        ratio = gates / plain
        rows.append([cell.upper(), f"{plain:.2f}", f"{gates:.2f}", f"{ratio:.2f}x",
                     "yes" if ratio <= BAR else "NO",
                     f"{by_steps:.2f} ({by_steps / plain:.1f}x)", f"{figures:.1f}"])
    print(f"One drawing, CPU, {torch.get_num_threads()} thread(s), median of {args.repeats} calls each, "
          "in turn (ms):\n")
    header = ["model", "read_rows", "digit_gates", "ratio", f"<= {BAR:g}x", "cells.unroll", "figures"]
    print(markdown_table(header, rows))


if __name__ == "__main__":
    main()
