"""Do the digit models read drawings? The shipped digit models on

1. the MNIST test set, read plainly and as canvas drawings (each test image upscaled to a 280x280 RGBA
   canvas as the page receives it, then preprocessed);
2. the drawn-digit benchmark (rnn_core/digits/drawn.py: 1,200 stroke drawings in 30 styles, a quarter
   of the square to all of it, anywhere on it, with the page's pen), read as the page reads them (the pen's
   paths redrawn at MNIST's stroke width) and, for comparison, from the canvas image alone; by size and
   by style.

    python -m benchmarks.bench_canvas_accuracy [--data-dir ../shared/data] [--limit 10000]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import torch

from benchmarks.timing import markdown_table
from rnn_core.digits.drawn import SIZE_BANDS, STYLES, drawn_digit_set, render_drawing
from rnn_core.evaluation import drawn_digit_images
from rnn_core.checkpoints import CheckpointError, load_checkpoint
from rnn_core.data_root import data_root
from rnn_core.device import configure_threads
from rnn_core.digits.data import load_mnist, to_unit_range
from rnn_core.digits.preprocess import canvas_from_image, preprocess_canvas
from rnn_core.metrics import predict_logits

MODELS = ("digits-lstm.pt", "digits-gru.pt", "digits-rnn.pt")

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

    models = {}
    rows = []
    for filename in MODELS:
        try:
            models[filename] = model = load_checkpoint(CHECKPOINTS / filename).model
        except CheckpointError as error:
            rows.append([filename, "-", "-", f"not loaded: {error}"])
            continue
        plain = (predict_logits(model, (to_unit_range(images),)).argmax(1) == labels).float().mean().item()
        drawn = (predict_logits(model, (drawings,)).argmax(1) == labels).float().mean().item()
        rows.append([filename, f"{100 * plain:.2f}%", f"{100 * drawn:.2f}%", f"{100 * (drawn - plain):+.2f}"])
    print(f"## Accuracy on {len(labels):,} MNIST test images: plain vs drawn on the canvas\n")
    print(markdown_table(["model", "plain", "as canvas drawings", "difference (points)"], rows))
    drawn_digit_report(models)


def drawn_digit_report(models: dict[str, torch.nn.Module]) -> None:
    """Accuracy on the drawn-digit benchmark, overall, by size band and by style."""
    drawings = drawn_digit_set()
    labels = torch.tensor([d.label for d in drawings])
    as_page_reads = drawn_digit_images(drawings)
    image_only = torch.stack([preprocess_canvas(render_drawing(d)).image for d in drawings])
    right = {name: predict_logits(model, (as_page_reads,)).argmax(1) == labels for name, model in models.items()}
    right_image_only = {name: predict_logits(model, (image_only,)).argmax(1) == labels
                        for name, model in models.items()}

    def share(hits: torch.Tensor, chosen: list[bool]) -> str:
        return f"{100 * hits[torch.tensor(chosen)].float().mean().item():.2f}%"

    everything = [True] * len(drawings)
    print(f"\n## Accuracy on the {len(drawings):,} drawings of the drawn-digit benchmark\n")
    rows = [[name, share(right[name], everything), share(right_image_only[name], everything)]
            + [share(right[name], [d.size == band for d in drawings]) for band, _, _ in SIZE_BANDS]
            for name in models]
    bands = [f"{band} ({low:.0%}-{high:.0%} of the square)" for band, low, high in SIZE_BANDS]
    print(markdown_table(["model", "as the page reads it", "canvas image alone"] + bands, rows))
    print("\nBy style, as the page reads it:\n")
    rows = [[f"{label} {style}", str(sum(d.label == label and d.style == style for d in drawings))]
            + [share(right[name], [d.label == label and d.style == style for d in drawings]) for name in models]
            for label in STYLES for style in STYLES[label]]
    print(markdown_table(["style", "drawings"] + list(models), rows))


if __name__ == "__main__":
    main()
