"""Does the wave page survive a 30-minute lesson? 8 seeds x 100,000 steps of sin -> cos, in this process.

    nice .venv/bin/python -m benchmarks.bench_wave_health                 # defaults and the tutorial's setup
    nice .venv/bin/python -m benchmarks.bench_wave_health --steps 20000 --seeds 1,2 --jobs 1

Each setup trains WaveTrainer exactly as the page does (held-out evaluations included). A run counts as
healthy when the mean loss over its last 1,000 windows is below 1e-2. The page's collapse detector
(WaveTrainer.health) is read every 1,000 steps: the table gives the first step it fired at. Runs go to at
most 2 worker processes (this machine has 2 cores, shared).
"""
from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import numpy as np

from benchmarks.timing import markdown_table
from rnn_core.device import configure_threads
from rnn_core.waves.trainer import DEFAULT_GRAD_CLIP, WaveTrainer, WaveTrainerConfig


HEALTHY_LOSS = 1e-2
CHECK_EVERY = 1000
SETUPS = {
    "page defaults (RNN 32, lr 0.005, clip 1.0)": WaveTrainerConfig(),
    "tutorial's setup (RNN 32, lr 0.02, no clipping)": WaveTrainerConfig.tutorial_setup(),
    "lr 0.02, clip 1.0 (clipping alone)": replace(WaveTrainerConfig.tutorial_setup(), grad_clip=DEFAULT_GRAD_CLIP),
    "lr 0.005, no clipping (the lower rate alone)": replace(WaveTrainerConfig(), grad_clip=None),
}


def run(label: str, seed: int, steps: int) -> dict:
    configure_threads(1)
    trainer = WaveTrainer(replace(SETUPS[label], seed=seed))
    first_alarm, worst, started = None, 0.0, time.perf_counter()
    peak_norm, clipped = 0.0, 0
    while trainer.step_count < steps and trainer.diverged_at is None:
        trainer.step(CHECK_EVERY)
        block = np.array(trainer.losses)[-CHECK_EVERY:]
        worst = max(worst, float(block.mean()))
        norms = np.array(trainer.grad_norms)[-CHECK_EVERY:]
        peak_norm = max(peak_norm, float(norms.max()))
        clipped += int(np.sum(np.array(trainer.clipped)[-CHECK_EVERY:]))
        if first_alarm is None and trainer.health().collapsed:
            first_alarm = trainer.step_count
    return {"label": label, "seed": seed, "last": float(np.mean(np.array(trainer.losses)[-1000:])),
            "worst": worst, "alarm": first_alarm, "final": trainer.health().kind, "peak": peak_norm,
            "clipped": clipped / max(1, trainer.step_count), "steps": trainer.step_count,
            "rate": trainer.step_count / (time.perf_counter() - started)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--seeds", default="1,2,3,4,5,6,7,8")
    parser.add_argument("--setups", default="0,1,2,3", help="indices into SETUPS")
    parser.add_argument("--jobs", type=int, default=2, choices=(1, 2))
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    labels = [list(SETUPS)[int(i)] for i in args.setups.split(",")]
    jobs = [(label, seed, args.steps) for label in labels for seed in seeds]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(run, *zip(*jobs)))
    print(f"## sin -> cos, {args.steps:,} steps per run, seeds {args.seeds} "
          f"({time.perf_counter() - started:.0f} s with {args.jobs} processes)\n")
    rows = []
    for label in labels:
        mine = [r for r in results if r["label"] == label]
        healthy = sum(r["last"] < HEALTHY_LOSS for r in mine)
        rows.append([label, f"{healthy} of {len(mine)}",
                     " / ".join(f"{r['last']:.0e}" for r in mine),
                     " / ".join(f"{r['alarm']:,}" if r["alarm"] else "-" for r in mine),
                     f"{max(r['peak'] for r in mine):.1f}",
                     f"{100 * np.mean([r['clipped'] for r in mine]):.1f}%",
                     f"{np.mean([r['rate'] for r in mine]):.0f}"])
    print(markdown_table(["setup", "healthy (last 1,000 windows < 1e-2)", "loss over the last 1,000 windows, "
                          "per seed", "collapse detected at step, per seed", "largest gradient norm",
                          "steps clipped", "steps/s per process"], rows))
    print()
    rows = [[r["label"], r["seed"], f"{r['last']:.1e}", f"{r['worst']:.1e}", r["final"] or "healthy"]
            for r in results]
    print(markdown_table(["setup", "seed", "last 1,000", "worst 1,000-window block", "health at the end"], rows))


if __name__ == "__main__":
    main()
