"""Name classifier page: how long one typed name takes to reach the screen, and 1,000 pasted names the server.

    .venv/bin/python -m benchmarks.bench_names_page [--samples 20] [--no-browser]

Targets (issue 5): one name typed -> answer on screen in a real browser, p50 <= 0.5 s; 1,000 pasted names
<= 1 s server-side. Each timing is compared with a baseline measured in this same process: the bare model
forward for the same input, so a slow machine shows up in both and the ratio stays meaningful.
The names come from the names-v1 test split when $RNN_DATA_DIR (default ../shared/data) has the data.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import threading
import time
from pathlib import Path
from typing import Callable

import torch

from harness.server import CHROMIUM, CHROMIUM_ARGS, free_port, start_app
from rnn_core.device import configure_threads
from rnn_core.checkpoints import load_checkpoint
from rnn_core.data_root import DataMissingError
from rnn_core.names.data import CharVocab, encode_batch, load_names, split_names_v1
from rnn_core.device import pick_device
from rnn_core.names.inference import MAX_BATCH_NAMES, classify_names, read_name
from harness.page_clocks import MARK_KEY_UP_JS, NAME_ELAPSED_JS, WAIT_POLL_MS, WATCH_NAME_JS

REPO = Path(__file__).resolve().parent.parent

TYPED = ["Kowalski", "Nakamura", "O'Brien", "Schmidt", "Rossi", "Nguyen", "Dvořák", "Papadopoulos",
         "Fitzgerald", "Yamamoto", "Moreau", "Kuznetsov", "Van der Berg", "Silva", "Kim", "MacDonald",
         "Horvath", "Haddad", "Lefebvre", "Abramov"]


def timings(run: Callable[[], object], repeats: int) -> list[float]:
    run()  # warm-up: first calls allocate
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        out.append(time.perf_counter() - start)
    return out


def in_script_thread(work: Callable[[], list[float]]) -> list[float]:
    """Run `work` in a fresh thread, as Streamlit runs a page script. It matters: on a busy machine torch's
    main-thread pool can be several times slower than a worker thread, and the app never uses the former."""
    result: list[list[float]] = []
    worker = threading.Thread(target=lambda: result.append(work()))
    worker.start()
    worker.join()
    return result[0]


def quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1] if len(values) > 1 \
        else values[0]


def thousand_names() -> list[str]:
    root = Path(os.environ.get("RNN_DATA_DIR") or REPO.parent / "shared" / "data")
    try:
        _, test = split_names_v1(load_names(root, download=False).pairs)
        names = sorted({name for name, _ in test})
    except DataMissingError:  # made-up but varied names, all different, so none is read twice
        syllables = ["ka", "ro", "mi", "ten", "ov", "ski", "li", "na", "mu", "ber", "de", "go", "shi", "ya"]
        rng, made = random.Random(0), set()
        while len(made) < MAX_BATCH_NAMES:
            made.add("".join(rng.choices(syllables, k=rng.randint(2, 4))).capitalize())
        names = sorted(made)
    return random.Random(0).sample(names, MAX_BATCH_NAMES)


def server_side(samples: int) -> tuple[list[tuple], dict]:
    from streamlit.testing.v1 import AppTest

    checkpoint = load_checkpoint(REPO / "checkpoints" / "names.pt", expected_kind="name_classifier")
    device = pick_device()
    model = checkpoint.model.to(device).eval().requires_grad_(False)
    vocab, languages = CharVocab(checkpoint.metadata.vocab), checkpoint.metadata.labels
    names = thousand_names()

    def forward(batch: list[str]) -> None:
        with torch.no_grad():
            ids, lengths = encode_batch(batch, vocab)
            model(ids.to(device), lengths).softmax(-1).cpu()

    one_forward = in_script_thread(lambda: timings(lambda: forward(["Kowalski"]), 50))
    one_read = in_script_thread(lambda: timings(lambda: read_name(model, vocab, languages, "Kowalski"), 50))
    many_forward = in_script_thread(lambda: timings(lambda: forward(names), samples))
    many_classify = in_script_thread(
        lambda: timings(lambda: classify_names(model, vocab, languages, names), samples))

    # The page itself: a whole-page rerun with 1,000 names pasted. The live app reruns only the batch
    # fragment, so this is an upper bound on the server-side time.
    page = AppTest.from_file(str(REPO / "app_pages" / "names.py"), default_timeout=120)
    page.run()
    pasted = "\n".join(names)

    def paste() -> None:
        page.text_area(key="names_batch_text").input("").run()
        start = time.perf_counter()
        page.text_area(key="names_batch_text").input(pasted).run()
        page_runs.append(time.perf_counter() - start)
        assert not page.exception and len(page.dataframe[0].value) == MAX_BATCH_NAMES

    page_runs: list[float] = []
    for _ in range(min(samples, 7) + 1):
        paste()
    page_runs = page_runs[1:]  # the first run warms the caches
    rows = [
        ("model forward, 1 name (baseline A)", one_forward, one_forward, None),
        ("read_name: 1 name and its prefixes", one_read, one_forward, None),
        ("model forward, 1,000 names (baseline B)", many_forward, many_forward, None),
        ("classify_names, 1,000 names", many_classify, many_forward, None),
        ("page rerun with 1,000 pasted names (AppTest)", page_runs, many_forward, 1.0),
    ]
    context = {"device": str(device), "checkpoint members": checkpoint.model.config.num_members,
               "torch threads": torch.get_num_threads()}
    return rows, context


def browser(samples: int, baseline: list[float]) -> list[tuple]:
    from playwright.sync_api import sync_playwright

    process = start_app(port := free_port())
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = chromium.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/")
            page.locator("[data-testid='stSidebar']").get_by_text("Name classifier").click()
            page.locator(".st-key-names_answer").wait_for(timeout=60_000)
            page.evaluate(MARK_KEY_UP_JS)
            box = page.locator(".st-key-names_text input")

            def typed(name: str, press_enter: bool) -> float:
                box.click()
                box.press("Control+a")
                box.press("Backspace")
                page.evaluate(WATCH_NAME_JS, name)
                box.type(name, delay=40)  # faster than the live pause: one commit, after the last key
                if press_enter:
                    box.press("Enter")
                shown = page.wait_for_function(NAME_ELAPSED_JS, polling=WAIT_POLL_MS, timeout=30_000)
                return shown.json_value() / 1000

            names = (TYPED * (samples // len(TYPED) + 1))[: samples + 1]
            typed(names[0], False)  # warm-up
            live = [typed(name, False) for name in names[1:]]
            entered = [typed(name, True) for name in names[1:]]
            chromium.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    return [("browser: last key -> answer + charts (live pause)", live, baseline, 0.5),
            ("browser: Enter -> answer + charts", entered, baseline, None)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    args = parser.parse_args()
    configure_threads()  # as the app does ($RNN_TORCH_THREADS, default 1)

    rows, context = server_side(args.samples)
    if not args.no_browser:
        rows[2:2] = browser(args.samples, rows[0][1])
    context["load average (1 min)"] = f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    print(" · ".join(f"{key}: {value}" for key, value in context.items()))
    print(f"| {'measurement':<50} | {'p50':>9} | {'p90':>9} | {'p50 / baseline':>14} | target |")
    print(f"|{'-' * 52}|{'-' * 11}|{'-' * 11}|{'-' * 16}|--------|")
    for label, values, baseline, target in rows:
        p50, p90, base = quantile(values, 0.5), quantile(values, 0.9), statistics.median(baseline)
        verdict = "" if target is None else f"<= {target:g} s {'met' if p50 <= target else 'MISSED'}"
        print(f"| {label:<50} | {p50 * 1000:7.1f}ms | {p90 * 1000:7.1f}ms | {p50 / base:13.1f}x | {verdict}")


if __name__ == "__main__":
    main()
