"""Wave regressor benchmarks: our WaveTrainer against the tutorials' own loops, run in this process.

    .venv/bin/python -m benchmarks.bench_waves                   # everything but the lesson
    .venv/bin/python -m benchmarks.bench_waves --only sincos,nextstep
    .venv/bin/python -m benchmarks.bench_waves --only browser,memory
    .venv/bin/python -m benchmarks.bench_waves --only lesson --lesson-minutes 30

sincos    sin -> cos, 100 windows of pi with 10 points: MSE over the last 10 windows, tutorial loop vs ours.
nextstep  next-step sine, 6000 steps: teacher-forced and free-running MSE, tutorial loop vs ours.
browser   chart updates per second in headless Chromium at 5 optimizer steps per update.
memory    the server's resident memory while the page trains 10,000 steps in the browser.
lesson    the page as a teacher leaves it: the defaults played unattended for --lesson-minutes; each minute
          the step, chart updates per second, the server's memory, and anything wrong on screen (an
          exception, a lost connection, the collapse alarm).

Torch runs on one thread: these models are tiny, and on a shared 2-core machine more threads only wait
for each other. Both sides of every comparison run under the same setting.
"""
from __future__ import annotations

import argparse
import os
import re
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from torch import nn

from rnn_core.device import configure_threads
from rnn_core.waves.trainer import WaveTrainer, WaveTrainerConfig
from harness.page_clocks import COUNT_UPDATES_JS
from harness.server import TROUBLE_JS, rss_mib

REPO = Path(__file__).resolve().parent.parent

TUTORIAL_SINCOS_REFERENCE = 0.0051
TUTORIAL_NEXT_STEP_REFERENCE = (0.00028, 0.0143)  # teacher-forced, free-running


def table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
    print()


# ----------------------------------------------------------------------------- sin -> cos

def tutorial_sin_to_cos(windows: int = 100) -> list[float]:
    """The classic loop: nn.RNN(1, 32) + Linear(32, 1), Adam 0.02, windows of pi, h_state carried."""
    torch.manual_seed(1)

    class TutorialRNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.RNN(input_size=1, hidden_size=32, num_layers=1, batch_first=True)
            self.out = nn.Linear(32, 1)

        def forward(self, x, h_state):
            r_out, h_state = self.rnn(x, h_state)
            outs = [self.out(r_out[:, time_step, :]) for time_step in range(r_out.size(1))]
            return torch.stack(outs, dim=1), h_state

    rnn = TutorialRNN()
    optimizer = torch.optim.Adam(rnn.parameters(), lr=0.02)
    loss_func = nn.MSELoss()
    h_state, losses = None, []
    for step in range(windows):
        start, end = step * np.pi, (step + 1) * np.pi
        steps = np.linspace(start, end, 10, dtype=np.float32, endpoint=False)
        x = torch.from_numpy(np.sin(steps)[np.newaxis, :, np.newaxis])
        y = torch.from_numpy(np.cos(steps)[np.newaxis, :, np.newaxis])
        prediction, h_state = rnn(x, h_state)
        h_state = h_state.data
        loss = loss_func(prediction, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def bench_sin_to_cos() -> None:
    print("## sin -> cos: MSE over the last 10 of 100 windows (training loss of each window before its step)\n")
    started = time.perf_counter()
    tutorial = float(np.mean(tutorial_sin_to_cos()[-10:]))
    tutorial_s = time.perf_counter() - started
    rows = [["tutorial loop (RNN 32, lr 0.02, carried)", f"{tutorial:.4f}", "1.00", f"{tutorial_s:.2f}"]]
    tutorial_setup = WaveTrainerConfig.tutorial_setup()
    variants = {"WaveTrainer, the tutorial's setup (same loop)": tutorial_setup,
                "WaveTrainer, state reset every window": replace(tutorial_setup, carry_state=False),
                "WaveTrainer, LSTM 32": replace(tutorial_setup, cell="lstm"),
                "WaveTrainer, GRU 32": replace(tutorial_setup, cell="gru"),
                "WaveTrainer, page defaults (lr 0.005, clip 1)": WaveTrainerConfig()}
    for label, config in variants.items():
        trainer = WaveTrainer(config)
        started = time.perf_counter()
        trainer.step(100)
        elapsed = time.perf_counter() - started
        mse = float(np.mean(list(trainer.losses)[-10:]))
        rows.append([label, f"{mse:.4f}", f"{mse / tutorial:.2f}", f"{elapsed:.2f}"])
    table(["model", "MSE last 10", "vs tutorial", "train s"], rows)
    print(f"(reference for the tutorial on this machine: {TUTORIAL_SINCOS_REFERENCE})\n")


# ----------------------------------------------------------------------------- next-step sine

TUTORIAL_POINTS = 50  # 50 points over [start, start + 10]: x is the first 49, y the last 49
EVAL_PHASES = 2 * np.pi * np.arange(16) / 16 + 0.3
WARMUP, HORIZON = 50, 49


class TutorialNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(input_size=1, hidden_size=16, num_layers=1, batch_first=True)
        for p in self.rnn.parameters():
            nn.init.normal_(p, mean=0.0, std=0.001)
        self.linear = nn.Linear(16, 1)

    def forward(self, x, hidden_prev):
        out, hidden_prev = self.rnn(x, hidden_prev)
        return self.linear(out.reshape(-1, 16)).unsqueeze(0), hidden_prev


def tutorial_next_step(iterations: int) -> dict[str, float]:
    """The classic loop: RNN 1->16, Adam 0.01, 50 points over [k, k+10] with k in {0, 1, 2}, state carried."""
    torch.manual_seed(1)
    np.random.seed(1)
    model = TutorialNet()
    optimizer = torch.optim.Adam(model.parameters(), 0.01)
    hidden_prev = torch.zeros(1, 1, 16)
    losses = []
    started = time.perf_counter()
    for _ in range(iterations):
        start = np.random.randint(3, size=1)[0]
        data = np.sin(np.linspace(start, start + 10, TUTORIAL_POINTS)).reshape(TUTORIAL_POINTS, 1)
        x = torch.tensor(data[:-1]).float().view(1, TUTORIAL_POINTS - 1, 1)
        y = torch.tensor(data[1:]).float().view(1, TUTORIAL_POINTS - 1, 1)
        output, hidden_prev = model(x, hidden_prev)
        hidden_prev = hidden_prev.detach()
        loss = nn.functional.mse_loss(output, y)
        model.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    elapsed = time.perf_counter() - started

    @torch.no_grad()
    def tutorial_free_run(start: int) -> float:
        """The tutorial's own test: its carried state, the window's first sample, then 49 of its own outputs."""
        data = np.sin(np.linspace(start, start + 10, TUTORIAL_POINTS)).astype(np.float32)
        value, state, generated = torch.tensor(data[:1]).view(1, 1, 1), hidden_prev, []
        for _ in range(TUTORIAL_POINTS - 1):
            value, state = model(value.view(1, 1, 1), state)
            generated.append(value.item())
        return float(np.mean((np.array(generated) - data[1:]) ** 2))

    step_fn = lambda x, state: model(x, state)  # noqa: E731
    return {"train_tf": float(np.mean(losses[-100:])), "tutorial_protocol": tutorial_free_run(start),
            "tutorial_protocol_avg": float(np.mean([tutorial_free_run(s) for s in range(3)])),
            **common_protocol(step_fn, dt=10 / (TUTORIAL_POINTS - 1)), "seconds": elapsed}


@torch.no_grad()
def common_protocol(step_fn, dt: float) -> dict[str, float]:
    """The same test for every model, at the sample spacing it was trained on: from a zero state, read
    WARMUP true samples, then (a) predict each next sample from the truth (teacher-forced) and (b) generate
    HORIZON samples from its own outputs (free-running). Averaged over 16 phases."""
    teacher, free = [], []
    for phase in EVAL_PHASES:
        t = phase + dt * np.arange(WARMUP + HORIZON + 1)
        wave = torch.tensor(np.sin(t), dtype=torch.float32).view(1, -1, 1)
        prediction, _ = step_fn(wave[:, :-1], None)
        teacher.append(torch.mean((prediction[:, WARMUP - 1:] - wave[:, WARMUP:]) ** 2).item())
        _, state = step_fn(wave[:, :WARMUP - 1], None)
        value, generated = wave[:, WARMUP - 1:WARMUP], []
        for _ in range(HORIZON):
            value, state = step_fn(value.view(1, 1, 1), state)
            generated.append(value.item())
        free.append(float(np.mean((np.array(generated) - wave[0, WARMUP:WARMUP + HORIZON, 0].numpy()) ** 2)))
    return {"common_tf": float(np.mean(teacher)), "common_free": float(np.mean(free))}


def ours_next_step(config: WaveTrainerConfig, iterations: int) -> dict[str, float]:
    trainer = WaveTrainer(config)
    started = time.perf_counter()
    trainer.step(iterations)
    elapsed = time.perf_counter() - started
    _, generated, truth = trainer.continue_free_running(HORIZON)

    def step_fn(x, state):
        prediction, _, state = trainer.model(x, state)
        return prediction, state

    trainer.model.eval()
    return {"train_tf": float(np.mean(list(trainer.losses)[-100:])),
            "tutorial_protocol": float(np.mean((generated - truth) ** 2)),
            **common_protocol(step_fn, dt=trainer.stream.dt), "seconds": elapsed}


def bench_next_step(iterations: int, variants: bool) -> None:
    print(f"## next-step sine, {iterations} steps\n")
    default = WaveTrainerConfig.for_task("next_step")
    configs = {"WaveTrainer defaults": default}
    if variants:
        configs.update({
            "  same, RNN instead of LSTM": replace(default, cell="rnn"),
            "  same, GRU instead of LSTM": replace(default, cell="gru"),
            "  same, 30% of each window read from its own predictions": replace(default, feedback=0.3),
            "  tutorial's model (RNN 16, no clipping) on our carried stream": replace(
                default, cell="rnn", hidden_size=16, grad_clip=None)})
    tutorial = tutorial_next_step(iterations)
    results = {"tutorial loop (RNN 16, lr 0.01)": tutorial}
    results.update({label: ours_next_step(config, iterations) for label, config in configs.items()})
    rows = [[label, f"{r['train_tf']:.2e}", f"{r['common_tf']:.2e}", f"{r['common_free']:.2e}",
             f"{r['common_free'] / tutorial['common_free']:.1e}", f"{r['tutorial_protocol']:.2e}",
             f"{r['seconds']:.0f}"]
            for label, r in results.items()]
    table(["model", "train MSE (last 100)", "teacher-forced", "free-running", "free vs tutorial",
           "tutorial's test", "train s"], rows)
    print(f"teacher-forced / free-running: from a zero state, {WARMUP} true samples, then {HORIZON} samples "
          f"predicted from the truth / generated from the model's own outputs; mean over {len(EVAL_PHASES)} "
          "phases.\ntutorial's test: the tutorial's own free run (its carried training state, the last window's first "
          "sample, 49 generated);\nfor ours, 49 samples generated on from the state carried at the end of "
          f"training. The tutorial's average over its 3 starts: {tutorial['tutorial_protocol_avg']:.4f}.\n"
          f"(references for the tutorial on this machine: teacher-forced {TUTORIAL_NEXT_STEP_REFERENCE[0]}, "
          f"free-running {TUTORIAL_NEXT_STEP_REFERENCE[1]})\n")


# ----------------------------------------------------------------------------- browser and memory

def step_of(status_text: str) -> int:
    match = re.search(r"Step ([\d,]+)", status_text or "")
    return int(match.group(1).replace(",", "")) if match else 0


def open_page(browser, url: str):
    from harness.server import wait_for_app

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    # A fresh server shows a deep link without app.py's navigation until app.py has run once: start at home.
    page.goto(url.split("/waves")[0])
    page.locator("[data-testid='stSidebar']").get_by_text("Running on").wait_for()
    page.goto(url)
    wait_for_app(page)
    page.locator("[data-testid='stSidebar']").get_by_text("Running on").wait_for()
    page.locator(".st-key-waves_play button").wait_for()
    return page


def count_updates(page, seconds: float) -> dict:
    page.locator(".st-key-waves_play button").click()
    page.locator(".st-key-waves_window_chart svg").first.wait_for()
    result = page.evaluate(COUNT_UPDATES_JS, seconds * 1000)
    page.locator(".st-key-waves_pause button").click()
    page.close()
    return result


def baseline_updates(browser, seconds: float) -> dict:
    """The same count on the cheapest possible live page, served the same way: the platform's ceiling."""
    from harness.server import free_port, start_app

    server = start_app(port := free_port(), script=REPO / "benchmarks" / "fragment_baseline_app.py")
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"http://127.0.0.1:{port}/")
        page.locator(".st-key-waves_play button").wait_for()
        return count_updates(page, seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)


def bench_browser(sections: set[str], seconds: float, memory_steps: int, lesson_minutes: int) -> None:
    from harness.server import CHROMIUM, CHROMIUM_ARGS, free_port, start_app
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = start_app(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            if "browser" in sections:
                print(f"## chart updates per second in headless Chromium ({seconds:.0f} s per row)\n")
                baseline = baseline_updates(browser, seconds)
                baseline_rate = baseline["charts"] / baseline["seconds"]
                rows = [["baseline: a fragment that only redraws one tiny chart", f"{baseline_rate:.1f}",
                         f"{baseline['counters'] / baseline['seconds']:.1f}", "1.00"]]
                for label, query in [("sin -> cos defaults (loss, gradient norm and window per update)", "speed=5"),
                                     ("sin -> cos, carry vs reset on (3 models)", "speed=5&compare=1"),
                                     ("next-step sine defaults", "task=next_step&speed=5")]:
                    result = count_updates(open_page(browser, f"http://127.0.0.1:{port}/waves?{query}"), seconds)
                    rate = result["charts"] / result["seconds"]
                    rows.append([label, f"{rate:.1f}", f"{result['counters'] / result['seconds']:.1f}",
                                 f"{rate / baseline_rate:.2f}"])
                table(["page, 5 optimizer steps per update", "chart updates/s", "step counter updates/s",
                       "vs baseline"], rows)
                print(f"target: >= 10 chart updates per second. Machine load while measuring: "
                      f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n")
            if "memory" in sections:
                print(f"## server memory over {memory_steps:,} steps (sin -> cos, 50 steps per update, "
                      "carry vs reset on)\n")
                page = open_page(browser, f"http://127.0.0.1:{port}/waves?speed=50&compare=1")
                page.locator(".st-key-waves_play button").click()
                samples, started = [], time.perf_counter()
                while True:
                    step = step_of(page.locator(".st-key-waves_status").first.inner_text())
                    samples.append((step, rss_mib(server.pid)))
                    if step >= memory_steps or time.perf_counter() - started > 900:
                        break
                    time.sleep(1.0)
                page.locator(".st-key-waves_pause button").click()
                page.close()
                warm = next(((s, r) for s, r in samples if s >= 1000), samples[0])
                rows = [[f"{s:,}", f"{r:.1f}"] for s, r in samples[:: max(1, len(samples) // 10)]]
                rows.append([f"{samples[-1][0]:,}", f"{samples[-1][1]:.1f}"])
                table(["step", "server RSS MiB"], rows)
                print(f"RSS growth from step {warm[0]:,} to {samples[-1][0]:,}: {samples[-1][1] - warm[1]:+.1f} MiB "
                      f"({time.perf_counter() - started:.0f} s)\n")
            if "lesson" in sections:
                play_a_lesson(browser, port, server.pid, lesson_minutes)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def play_a_lesson(browser, port: int, server_pid: int, minutes: int) -> None:

    print(f"## a lesson: the page's defaults played unattended for {minutes} minutes\n")
    page = open_page(browser, f"http://127.0.0.1:{port}/waves")
    page.locator(".st-key-waves_play button").click()
    page.locator(".st-key-waves_window_chart svg").first.wait_for()
    rows = []
    for minute in range(1, minutes + 1):
        counted = page.evaluate(COUNT_UPDATES_JS, 60_000)
        step = step_of(page.locator(".st-key-waves_status").first.inner_text())
        trouble = (page.evaluate(TROUBLE_JS)
                   + page.locator(".st-key-waves_health [data-testid='stAlert']").all_inner_texts())
        rows.append([minute, f"{step:,}", f"{counted['charts'] / counted['seconds']:.1f}",
                     f"{rss_mib(server_pid):.0f}", "; ".join(text[:80] for text in trouble) or "-"])
    page.locator(".st-key-waves_pause button").click()
    page.close()
    table(["minute", "step", "chart updates/s", "server RSS MiB", "on screen: exception, lost connection, alarm"],
          rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="sincos,nextstep,browser,memory")
    parser.add_argument("--iterations", type=int, default=6000, help="next-step training steps")
    parser.add_argument("--seconds", type=float, default=10.0, help="browser: counting time per setup")
    parser.add_argument("--memory-steps", type=int, default=20_000)
    parser.add_argument("--lesson-minutes", type=int, default=30)
    parser.add_argument("--variants", action="store_true", help="next-step: also run the ablations")
    args = parser.parse_args()
    configure_threads()  # as the app does ($RNN_TORCH_THREADS, default 1)
    sections = set(args.only.split(","))
    if "sincos" in sections:
        bench_sin_to_cos()
    if "nextstep" in sections:
        bench_next_step(args.iterations, args.variants)
    if sections & {"browser", "memory", "lesson"}:
        bench_browser(sections, args.seconds, args.memory_steps, args.lesson_minutes)


if __name__ == "__main__":
    main()
