"""Engine speed: training throughput of the rnn_core loop against bare loops, and inference latency.

    python -m benchmarks.bench_core [--data-dir ../shared/data] [--steps 100] [--rounds 3]

Training: the same model (LSTM 2x128, batch 128) trained by
  - the tutorial's style: torchvision MNIST through a DataLoader with ToTensor + Normalize, Adam;
  - a bare loop over the same in-memory tensors (the fastest plain loop we can write);
  - rnn_core's ClassifierTrainer (gradient clipping, one-cycle schedule), with and without augmentation.
The ratio is against the bare loop, measured in the same process.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from benchmarks.timing import markdown_table, time_calls
from rnn_core.checkpoints import load_checkpoint
from rnn_core.data_root import data_root
from rnn_core.digits.drawn import drawn_digit_set, render_drawing
from rnn_core.digits.data import load_mnist
from rnn_core.names.data import CharVocab
from rnn_core.device import configure_threads, describe_device, pick_device
from rnn_core.names.inference import classify_names, read_name
from rnn_core.digits.inference import read_digit
from rnn_core.digits.model import RowClassifier, RowClassifierConfig
from rnn_core.digits.preprocess import preprocess_strokes
from rnn_core.digits.recipe import mnist_classification_data
from rnn_core.training.loop import ClassifierTrainer, TrainConfig

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"
BATCH = 128


def new_model(device: torch.device) -> RowClassifier:
    torch.manual_seed(0)
    return RowClassifier(RowClassifierConfig(cell="lstm", hidden_size=128, num_layers=2)).to(device)


def tutorial_style_loop(root: Path, steps: int, device: torch.device) -> float:
    """pytorch/examples mnist_rnn style: DataLoader + transforms per image. Returns examples/s."""
    from torchvision import datasets, transforms

    dataset = datasets.MNIST(str(root), train=True, download=False, transform=transforms.Compose(
        [transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))]))
    loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH, shuffle=True)
    model = new_model(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = iter(loader)
    start = time.perf_counter()
    for _ in range(steps):
        images, labels = next(batches)
        # The model normalises inside; undo the loader's normalisation so both see the same input.
        images = (images.squeeze(1) * 0.3081 + 0.1307).to(device)
        loss = F.cross_entropy(model(images), labels.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return steps * BATCH / (time.perf_counter() - start)


def bare_tensor_loop(images: torch.Tensor, labels: torch.Tensor, steps: int, device: torch.device) -> float:
    model = new_model(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    images, labels = images.to(device), labels.to(device)
    order = torch.randperm(len(labels), device=device)
    start = time.perf_counter()
    for step in range(steps):
        index = order[step * BATCH: (step + 1) * BATCH]
        loss = F.cross_entropy(model(images[index]), labels[index])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return steps * BATCH / (time.perf_counter() - start)


def rnn_core_loop(mnist, steps: int, device: torch.device, augment: bool) -> float:
    config = TrainConfig(epochs=1, batch_size=BATCH, lr=3e-3)
    trainer = ClassifierTrainer(new_model(device), mnist_classification_data(mnist, augment), config, device)
    start = time.perf_counter()
    trainer.train_steps(steps)
    return steps * BATCH / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    configure_threads()  # as the app and the CLI do ($RNN_TORCH_THREADS, default 1)
    device = pick_device()
    root = data_root(args.data_dir)
    mnist = load_mnist(root, download=False)
    images = mnist.train_images.float() / 255

    print(f"## Training throughput (LSTM 2x128, batch {BATCH}, {args.steps} steps, {describe_device(device)}; "
          f"median of {args.rounds} rounds, the loops taking turns)\n")
    bare_tensor_loop(images, mnist.train_labels, 10, device)  # warm up kernels and allocator
    loops = {
        "bare loop over in-memory tensors (baseline)": lambda: bare_tensor_loop(images, mnist.train_labels,
                                                                                 args.steps, device),
        "tutorial style: DataLoader + transforms": lambda: tutorial_style_loop(root, args.steps, device),
        "rnn_core ClassifierTrainer, no augmentation": lambda: rnn_core_loop(mnist, args.steps, device, False),
        "rnn_core ClassifierTrainer, augmented (strokes, thickness, affine)":
            lambda: rnn_core_loop(mnist, args.steps, device, True),
    }
    # Taking turns, round after round, spreads whatever else the machine is doing over all the loops.
    rates = {label: [] for label in loops}
    for _ in range(args.rounds):
        for label, loop in loops.items():
            rates[label].append(loop())
    median = {label: float(np.median(r)) for label, r in rates.items()}
    bare = next(iter(median.values()))
    rows = [[label, f"{rate:,.0f}", f"{rate / bare:.2f}"] for label, rate in median.items()]
    print(markdown_table(["loop", "examples/s", "ratio vs bare"], rows))

    print(f"\n## Inference latency, one at a time ({describe_device(device)})\n")
    digits = load_checkpoint(CHECKPOINTS / "digits-lstm.pt").model.to(device)
    drawing = drawn_digit_set()[9]  # a small "3" in a corner, as the page receives it: canvas and strokes
    canvas = render_drawing(drawing)
    image = preprocess_strokes(drawing.strokes, canvas).image
    forward = time_calls(lambda: digits(image[None].to(device)), 200)
    preprocess = time_calls(lambda: preprocess_strokes(drawing.strokes, canvas), 200)
    story = time_calls(lambda: read_digit(digits, preprocess_strokes(drawing.strokes, canvas).image), 200)
    names = load_checkpoint(CHECKPOINTS / "names.pt")
    names_model = names.model.to(device)
    vocab, languages = CharVocab(names.metadata.vocab), names.metadata.labels
    name = time_calls(lambda: read_name(names_model, vocab, languages, "Nakamura"), 200)
    name_only = time_calls(lambda: classify_names(names_model, vocab, languages, ["Nakamura"]), 200)
    rows = [[label, f"{np.percentile(t, 50):.2f}", f"{np.percentile(t, 95):.2f}", target]
            for label, t, target in [
                ("digit: bare model forward (baseline)", forward, ""),
                ("digit: preprocess a drawing (280x280 canvas, strokes redrawn)", preprocess, ""),
                ("digit: preprocess + per-row prediction", story, "<= 5 ms"),
                (f"name: 'Nakamura', the answer ({len(names_model.members)}-member ensemble)", name_only,
                 "<= 2 ms"),
                ("name: 'Nakamura' with its per-letter story", name, ""),
            ]]
    print(markdown_table(["step", "p50 ms", "p95 ms", "target"], rows))
    print(f"\nratio (preprocess + story) / bare forward, p50: "
          f"{np.percentile(story, 50) / np.percentile(forward, 50):.2f}")


if __name__ == "__main__":
    with torch.inference_mode(False):
        main()
