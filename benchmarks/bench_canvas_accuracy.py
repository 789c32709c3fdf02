"""Does preprocessing a drawing cost accuracy? The shipped digit models on the MNIST test set, read
plainly and as canvas drawings (each test image upscaled to a 280x280 RGBA canvas as the page receives
it, then preprocessed).

    python -m benchmarks.bench_canvas_accuracy [--data-dir ../shared/data] [--limit 10000]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import torch

from benchmarks.timing import markdown_table
from rnn_core.checkpoints import CheckpointError, load_checkpoint
from rnn_core.data import data_root
from rnn_core.device import configure_threads
from rnn_core.data.mnist import load_mnist, to_unit_range
from rnn_core.preprocess import canvas_from_image, preprocess_canvas
from rnn_core.metrics import predict_logits

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir")
    parser.add_argument("--limit", type=int, default=10_000)
    args = parser.parse_args()
    configure_threads()
    mnist = load_mnist(data_root(args.data_dir), download=False)
    images, labels = mnist.test_images[: args.limit], mnist.test_labels[: args.limit]
    drawings = torch.stack([preprocess_canvas(canvas_from_image(image)).image for image in images])

    rows = []
    for filename in ("digits-lstm.pt", "digits-gru.pt", "digits-rnn.pt"):
        try:
            model = load_checkpoint(CHECKPOINTS / filename).model
        except CheckpointError as error:
            rows.append([filename, "-", "-", f"not loaded: {error}"])
            continue
        plain = (predict_logits(model, (to_unit_range(images),)).argmax(1) == labels).float().mean().item()
        drawn = (predict_logits(model, (drawings,)).argmax(1) == labels).float().mean().item()
        rows.append([filename, f"{100 * plain:.2f}%", f"{100 * drawn:.2f}%", f"{100 * (drawn - plain):+.2f}"])
    print(f"## Accuracy on {len(labels):,} MNIST test images: plain vs drawn on the canvas\n")
    print(markdown_table(["model", "plain", "as canvas drawings", "difference (points)"], rows))


if __name__ == "__main__":
    main()
