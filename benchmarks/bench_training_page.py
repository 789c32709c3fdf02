"""Training page: is training inside the app as fast as the CLI's loop, and how often does the page update?

    .venv/bin/python -m benchmarks.bench_training_page [--seconds 10]

Targets (issue 6): throughput in the app >= 0.9x the CLI's for the same settings; the page updates at
least twice a second while it trains. The baseline is the CLI's loop (ClassifierTrainer.train_steps, as
`python -m rnn_core train` runs it) on the same model, data and batch size, measured in this process.
Settings: MNIST, LSTM 1x64, batch 64, Adam 3e-3 (the page's defaults), one CPU thread as the app uses.
The server and the baselines get one core; Chromium, which normally runs on the visitor's machine, the other.
"""
from __future__ import annotations

import argparse
import os
import re
import time
from pathlib import Path

import torch

from benchmarks.timing import markdown_table
from harness.server import CHROMIUM, CHROMIUM_ARGS, free_port, start_app
from rnn_core.data_root import data_root
from rnn_core.digits.data import load_mnist
from rnn_core.device import configure_threads
from rnn_core.training.live import LiveTraining
from rnn_core.training.plans import TrainingPlan, prepare_training

REPO = Path(__file__).resolve().parent.parent

PLAN = TrainingPlan("mnist", "lstm", hidden_size=64, num_layers=1, lr=3e-3, epochs=20, batch_size=64)


def cli_loop_rate(mnist, seconds: float) -> float:
    """Steps per second of the CLI's loop: train_steps in the calling thread, as `fit()` does."""
    trainer, _ = prepare_training(PLAN, mnist, torch.device("cpu"))
    trainer.train_steps(20)  # warm up
    start, steps = time.perf_counter(), trainer.step_count
    while time.perf_counter() - start < seconds:
        trainer.train_steps(20)
    return (trainer.step_count - steps) / (time.perf_counter() - start)


def live_rate(mnist, seconds: float) -> float:
    """Steps per second of the app's background run, polled twice a second as the page does."""
    trainer, _ = prepare_training(PLAN, mnist, torch.device("cpu"))
    run = LiveTraining(trainer)
    run.start()
    time.sleep(1.0)  # warm up
    first, start = run.snapshot().step, time.perf_counter()
    while time.perf_counter() - start < seconds:
        time.sleep(0.5)
        run.snapshot()
    rate = (run.snapshot().step - first) / (time.perf_counter() - start)
    run.stop()
    run.wait()
    return rate


def browser_rates(seconds: float, server_cpus: set[int] | None, browser_cpus: set[int] | None
                  ) -> tuple[float, float]:
    """(steps per second, page updates per second) seen in a real browser on the training page."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = start_app(port, cpus=server_cpus)
    if browser_cpus:
        os.sched_setaffinity(0, browser_cpus)  # Chromium, started from here, inherits it
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_role("link", name="Train it yourself").first.click()
            page.get_by_role("heading", name="Train it yourself").wait_for()
            # As many epochs as the page offers (20), so the run outlasts the measurement.
            epochs = page.locator("[data-testid='stSlider']").filter(has_text="Epochs").get_by_role("slider")
            epochs.focus()
            epochs.press("End")
            page.get_by_role("button", name="Train").click()
            page.get_by_role("button", name="Pause").wait_for(timeout=60_000)
            time.sleep(1.0)
            texts, start = [], time.perf_counter()
            while time.perf_counter() - start < seconds:
                texts.append(page.locator("[data-testid='stProgress']").first.inner_text())
                time.sleep(0.05)
            elapsed = time.perf_counter() - start
            steps = [int(re.search(r"step ([\d,]+) of", t).group(1).replace(",", "")) for t in texts]
            updates = sum(1 for a, b in zip(texts, texts[1:]) if a != b)
            browser.close()
            return (steps[-1] - steps[0]) / elapsed, updates / elapsed
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-pinning", action="store_true", help="let the server and Chromium share all cores")
    args = parser.parse_args()
    configure_threads()
    mnist = load_mnist(data_root(), download=False)
    all_cpus = os.sched_getaffinity(0)
    server_cpu = {min(all_cpus)}
    os.sched_setaffinity(0, server_cpu)  # the baselines get the one core the server will get
    cli = cli_loop_rate(mnist, args.seconds)
    live = live_rate(mnist, args.seconds)
    rows = [["CLI loop, calling thread (baseline)", f"{cli:.0f}", "1.00", ""],
            ["app's background run, polled at 2/s", f"{live:.0f}", f"{live / cli:.2f}", ">= 0.9"]]
    if not args.no_browser:
        # The browser normally runs on the visitor's machine. Here it shares this one, so it gets the other
        # core(s), and the server the one the baseline had; then both sides compare like with like.
        others = None if args.no_pinning else (all_cpus - server_cpu) or None
        steps, updates = browser_rates(args.seconds, server_cpu if others else None, others)
        rows.append(["training page in Chromium", f"{steps:.0f}", f"{steps / cli:.2f}", ">= 0.9"])
        rows.append(["page updates per second in Chromium", f"{updates:.1f}", "", ">= 2"])
    print(f"## Training inside the app vs the CLI loop (MNIST, LSTM 1x64, batch 64, "
          f"{torch.get_num_threads()} thread)\n")
    print(markdown_table(["measurement", "steps/s", "ratio vs CLI", "target"], rows))


if __name__ == "__main__":
    os.environ.setdefault("RNN_DATA_DIR", str(REPO.parent / "shared" / "data"))
    main()
