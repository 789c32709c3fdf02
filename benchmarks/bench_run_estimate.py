"""Training page: how close is the page's time estimate to how long the run then takes, on this machine?

    .venv/bin/python -m benchmarks.bench_run_estimate [--epochs 1] [--repeats 3]

For each plan (the page's defaults and a few variants), in a fresh process as on a freshly started server:
the estimate (rnn_core.training.live.estimate_seconds, as the page computes it), then that plan's
background run (LiveTraining) timed from start to finish. Real MNIST from the data root.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

from benchmarks.timing import markdown_table
from harness.server import REPO

ESTIMATE_THEN_RUN = """
import json, sys, time
import rnn_core
import torch
from rnn_core.data_root import data_root
from rnn_core.device import configure_threads
from rnn_core.digits.data import load_mnist
from rnn_core.training.live import LiveTraining, estimate_seconds
from rnn_core.training.plans import TrainingPlan, prepare_training

configure_threads(1)
cell, hidden, batch, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
data = load_mnist(data_root(), download=False)
plan = TrainingPlan("mnist", cell, hidden, 1, 1e-3, epochs, batch)
estimate = estimate_seconds(prepare_training(plan, data, torch.device("cpu"))[0])
run = LiveTraining(prepare_training(plan, data, torch.device("cpu"))[0])
started = time.perf_counter()
run.start()
while run.snapshot().status == "running":
    time.sleep(0.05)
print(json.dumps({"estimate": estimate, "run": time.perf_counter() - started}))
"""
PLANS = [("lstm", 64, 64), ("gru", 128, 128), ("rnn", 32, 256)]  # (cell, hidden, batch); the first: the page's


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for cell, hidden, batch in PLANS:
        for repeat in range(args.repeats):
            out = subprocess.run([sys.executable, "-c", ESTIMATE_THEN_RUN, cell, str(hidden), str(batch),
                                  str(args.epochs)], cwd=REPO, capture_output=True, text=True, check=True)
            timing = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append([f"{cell.upper()} {hidden}, batch {batch}", repeat + 1, f"{timing['estimate']:.1f}",
                         f"{timing['run']:.1f}", f"{timing['estimate'] / timing['run']:.2f}"])
    print(markdown_table(["plan", "try", "estimate s", "run s", "estimate / run"], rows))


if __name__ == "__main__":
    main()
