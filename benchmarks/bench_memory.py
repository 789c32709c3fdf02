"""Why gates remember: what the per-step gradient norms cost, how fast the three cells learn, and the page
in Chromium. Every ratio is against a baseline measured in the same run.

    nice .venv/bin/python -m benchmarks.bench_memory                    # everything
    nice .venv/bin/python -m benchmarks.bench_memory --only cost,learn

cost     one optimizer step of each cell on the page's batch: plain (PyTorch's fused kernel, loss.backward)
         against the same step that also measures |dL/dh_t| for every t; the two take turns, median of rounds.
learn    the page's defaults trained as the page trains them (2 steps a tick, norms measured every step), for
         60 s of this process's time: when the LSTM and the GRU pass 90%, where the RNN stands, and how much
         of the gradient at the question reaches the symbol's step.
browser  the page playing in headless Chromium for 60 s: chart updates and steps per second, and the
         accuracies on screen at the end; baseline: a fragment that only redraws one tiny chart.

Torch runs on one thread, as in the app.
"""
from __future__ import annotations

import argparse
import re
import time

import numpy as np
import torch

from harness.page_clocks import count_updates_js
from benchmarks.timing import markdown_table
from rnn_core.device import configure_threads
from rnn_core.layers import CELLS
from rnn_core.memory.trainer import MemoryComparison, MemoryTrainer
from rnn_core.memory.data import MemoryTaskConfig, recall_batch


NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


# ----------------------------------------------------------------------------- cost of the norms

def bench_cost(rounds: int, steps: int) -> None:
    config = MemoryTaskConfig()
    generator = torch.Generator().manual_seed(0)
    batches = [recall_batch(generator, config.batch_size, config.distance, config.noise) for _ in range(8)]
    rows = []
    for cell in CELLS:
        plain, measured = MemoryTrainer(cell, config), MemoryTrainer(cell, config)
        times = {"plain": [], "measured": []}
        for trainer in (plain, measured):  # warm up both
            for inputs, labels in batches[:3]:
                trainer.train_batch(inputs, labels, measure=trainer is measured)
        for _ in range(rounds):  # the two take turns, so a busy moment of the machine hits both
            for name, trainer in (("plain", plain), ("measured", measured)):
                started = time.perf_counter()
                for i in range(steps):
                    trainer.train_batch(*batches[i % len(batches)], measure=name == "measured")
                times[name].append((time.perf_counter() - started) / steps * 1000)
        plain_ms, measured_ms = np.median(times["plain"]), np.median(times["measured"])
        rows.append([NAMES[cell], f"{plain_ms:.2f}", f"{measured_ms:.2f}", f"{measured_ms / plain_ms:.2f}x", "<= 1.5x"])
    print(f"## one optimizer step, T = {config.distance}, batch {config.batch_size}, hidden {config.hidden_size} "
          f"(median of {rounds} rounds of {steps} steps)\n")
    print(markdown_table(["cell", "plain step ms (fused kernel, baseline)", "with |dL/dh_t| for every t, ms",
                          "ratio", "target"], rows))
    print()


# ----------------------------------------------------------------------------- learning in 60 s

def bench_learn(seconds: float, seeds: list[int], speed: int = 2) -> None:
    rows = []
    for seed in seeds:
        comparison = MemoryComparison(MemoryTaskConfig(seed=seed))
        passed: dict[str, float] = {}
        started = time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds:
            comparison.step(speed)
            for cell, trainer in comparison.trainers.items():
                if cell not in passed and trainer.recent_accuracy() >= 0.9 and len(trainer.recent_accuracies) == 100:
                    passed[cell] = elapsed
        # the middle of the run's rows (each a geometric mean over its stretch of steps), and the first row
        reach = {cell: float(np.median(trainer.reach_ratios())) for cell, trainer in comparison.trainers.items()}
        start = {cell: float(trainer.reach_ratios()[0]) for cell, trainer in comparison.trainers.items()}
        rows.append([seed, f"{comparison.step_count:,}", f"{comparison.step_count / seconds:.0f}"]
                    + [f"{passed[c]:.0f} s" if c in passed else "not in 60 s" for c in ("lstm", "gru")]
                    + [f"{comparison.trainers[c].recent_accuracy():.0%}" for c in CELLS]
                    + [f"{reach[c]:.0e} ({start[c]:.0e})" for c in CELLS])
    print(f"## the page's defaults (T = {MemoryTaskConfig().distance}), trained as the page does for "
          f"{seconds:.0f} s of this process, without a browser\n")
    print(markdown_table(["seed", "steps", "steps/s", "LSTM passes 90% at", "GRU passes 90% at",
                          "RNN accuracy at the end", "LSTM", "GRU",
                          "RNN: gradient at the symbol / at the question", "LSTM", "GRU"], rows))
    print("(accuracy: mean over the last 100 batches, each a new batch of 64; chance is 25%. Gradient ratio: "
          "|dL/dh_1| / |dL/dh_T|, the median over the run's heatmap rows, each a geometric mean over its "
          "stretch of steps; in brackets the first row, the first 10 steps)\n")


# ----------------------------------------------------------------------------- the page in Chromium

COUNT_JS = count_updates_js(".st-key-memory_accuracy_chart", ".st-key-memory_status")


def bench_browser(seconds: float, baseline_seconds: float) -> None:
    from benchmarks.bench_waves import baseline_updates
    from harness.server import CHROMIUM, CHROMIUM_ARGS, free_port, start_app, wait_for_app
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = start_app(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            baseline = baseline_updates(browser, baseline_seconds)
            baseline_rate = baseline["charts"] / baseline["seconds"]
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(f"http://127.0.0.1:{port}/")
            wait_for_app(page)
            page.goto(f"http://127.0.0.1:{port}/memory")
            wait_for_app(page)
            page.locator(".st-key-memory_play button").click()
            page.locator(".st-key-memory_accuracy_chart svg").first.wait_for()
            result = page.evaluate(COUNT_JS, seconds * 1000)
            page.locator(".st-key-memory_pause button").click()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    rate = result["charts"] / result["seconds"]
    accuracies = dict(re.findall(r"(RNN|LSTM|GRU) (\d+%)", result["last"] or ""))
    passed = {}  # cell -> the first second its accuracy on screen read 90% or more
    for seconds_in, text in result["texts"]:
        for cell, shown in re.findall(r"(LSTM|GRU) (\d+)%", text):
            if int(shown) >= 90:
                passed.setdefault(cell, seconds_in)
    print(f"## the page playing in headless Chromium for {seconds:.0f} s (3 cells, 2 steps each per update)\n")
    print(markdown_table(["measure", "value", "vs baseline", "target"], [
        ["baseline: a fragment that only redraws one tiny chart, updates/s", f"{baseline_rate:.1f}", "1.00", ""],
        ["accuracy chart updates/s", f"{rate:.1f}", f"{rate / baseline_rate:.2f}", ">= 5"],
        ["step counter updates/s", f"{result['counters'] / result['seconds']:.1f}", "", ""],
        ["optimizer steps/s (each of the 3 cells)", f"{result['steps'] / result['seconds']:.0f}", "", ""],
        ["on screen at the end: " + result["last"].split("·", 1)[0].strip(), " · ".join(
            f"{cell} {accuracies.get(cell, '?')}" for cell in ("RNN", "LSTM", "GRU")), "", "LSTM, GRU >= 90%"],
        ["on screen, first at 90% or more (s after the count began)", " · ".join(
            f"{cell} {passed[cell]:.0f} s" if cell in passed else f"{cell} not yet" for cell in ("LSTM", "GRU")),
         "", "within 60 s"]]))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="cost,learn,browser")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    configure_threads()
    sections = set(args.only.split(","))
    if "cost" in sections:
        bench_cost(args.rounds, steps=20)
    if "learn" in sections:
        bench_learn(args.seconds, [int(s) for s in args.seeds.split(",")])
    if "browser" in sections:
        bench_browser(args.seconds, baseline_seconds=10.0)


if __name__ == "__main__":
    main()
