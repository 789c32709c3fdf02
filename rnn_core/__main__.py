"""Command line: train and evaluate the models the app ships with.

    python -m rnn_core train mnist --cell lstm --epochs 15 --out checkpoints/digits-lstm.pt
    python -m rnn_core train names --out checkpoints/names.pt
    python -m rnn_core train generator --out checkpoints/names-generator.pt
    python -m rnn_core train translator [--no-attention]
    python -m rnn_core evaluate checkpoints/digits-lstm.pt
    echo "forty-two thousand, three hundred" | python -m rnn_core translate checkpoints/translator.pt
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from tqdm import tqdm

from rnn_core.checkpoints import Checkpoint, CheckpointError, load_checkpoint, save_checkpoint
from rnn_core.data_root import DataMissingError, data_root
from rnn_core.device import DeviceError, configure_threads, describe_device, pick_device
from rnn_core.digits.recipe import train_digit_model
from rnn_core.evaluation import evaluate_checkpoint, evaluate_on_drawn_digits
from rnn_core.generator.recipe import GeneratorRecipe, evaluate_generator, train_generator
from rnn_core.layers import CELLS
from rnn_core.digits.model import RowClassifierConfig
from rnn_core.names.recipe import NamesRecipe, train_name_model
from rnn_core.metrics import metrics_metadata
from rnn_core.training.loop import StepReport, TrainConfig
from rnn_core.translator.data import NumberWordsError, read_number
from rnn_core.translator.decoding import greedy
from rnn_core.translator.model import SourceVocab, TargetVocab
from rnn_core.translator.recipe import TranslatorRecipe, measure_translator, train_translator


def show_progress(bar: tqdm, report: StepReport) -> None:
    """The bar moved to the report's step, with its epoch and loss."""
    bar.update(report.step - bar.n)
    bar.set_postfix(epoch=f"{report.epoch:.2f}", loss=f"{report.loss:.4f}")


def progress_over(bar: tqdm, epochs: float) -> Callable[[StepReport], None]:
    """on_steps for a run of `epochs` whose length in steps only its first report tells: the bar's total is
    set then, and the bar moved at every report."""
    def on_steps(report: StepReport) -> None:
        if bar.total is None:
            bar.total = round(report.step / report.epoch * epochs)
            bar.refresh()
        show_progress(bar, report)
    return on_steps


def train_mnist(args: argparse.Namespace) -> None:
    from rnn_core.digits.data import load_mnist

    device = pick_device(args.device)
    mnist = load_mnist(data_root(args.data_dir))
    model_config = RowClassifierConfig(cell=args.cell, hidden_size=args.hidden, num_layers=args.layers,
                                       dropout=args.dropout)
    train = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                        weight_decay=args.weight_decay, seed=args.seed)
    print(f"Training {args.cell.upper()} {args.layers}x{args.hidden} on MNIST, {describe_device(device)}")
    bar = tqdm(total=round(args.epochs * -(-len(mnist.train_labels) // args.batch_size)), unit="step")

    def on_steps(report):
        show_progress(bar, report)

    def on_epoch(epoch, metrics):
        bar.write(f"epoch {epoch}: test {metrics.summary()}")

    model, metadata = train_digit_model(mnist, model_config, train, device, augment=not args.no_augment,
                                        on_steps=on_steps, on_epoch=on_epoch)
    bar.close()
    drawn = evaluate_on_drawn_digits(model)  # measured only: the models never train on these drawings
    metadata.drawn_metrics = metrics_metadata(drawn, metadata.labels)
    save_checkpoint(args.out, model, metadata)
    print(f"saved {args.out}: test accuracy {100 * metadata.test_metrics.accuracy:.2f}%, "
          f"drawn digits {100 * drawn.accuracy:.2f}% of {drawn.examples:,}")


def train_names(args: argparse.Namespace) -> None:
    from rnn_core.names.data import load_names

    device = pick_device(args.device)
    names = load_names(data_root(args.data_dir))
    recipe = NamesRecipe(members=args.members, folds=args.folds, epochs=args.epochs, cell=args.cell,
                         hidden_size=args.hidden, num_layers=args.layers, ngram_buckets=args.ngram_buckets,
                         ngram_dim=args.ngram_dim, batch_size=args.batch_size, lr=args.lr,
                         label_smoothing=args.label_smoothing, seed=args.seed)
    print(f"Training {args.members} bidirectional {args.cell.upper()} member(s) on names-v1, the first "
          f"{min(args.folds, args.members)} cross-fitted, {describe_device(device)}")
    bar = tqdm(unit="step")
    current_phase = None

    def on_steps(phase, report):
        nonlocal current_phase
        if phase != current_phase:  # a new member: restart the bar at its first step
            current_phase = phase
            bar.reset()
            bar.set_description(phase)
        show_progress(bar, report)

    model, metadata = train_name_model(names, recipe, device, on_steps=on_steps)
    bar.close()
    save_checkpoint(args.out, model, metadata, half_precision=recipe.half_precision)
    m = metadata.test_metrics
    print(f"saved {args.out}: names-v1 test accuracy {100 * m.accuracy:.2f}%, "
          f"balanced accuracy {100 * m.balanced_accuracy:.2f}%")


def train_name_generator(args: argparse.Namespace) -> None:
    from rnn_core.names.data import load_names

    device = pick_device(args.device)
    names = load_names(data_root(args.data_dir))
    recipe = GeneratorRecipe(cell=args.cell, hidden_size=args.hidden, num_layers=args.layers, dropout=args.dropout,
                             letter_dropout=args.letter_dropout, ngram_buckets=args.ngram_buckets,
                             language_balance=args.language_balance, epochs=args.epochs, batch_size=args.batch_size,
                             lr=args.lr, seed=args.seed)
    print(f"Training a {args.cell.upper()} {args.layers}x{args.hidden} surname generator on the names-v1 training "
          f"names, {describe_device(device)}")
    bar = tqdm(unit="step")
    model, metadata = train_generator(names, recipe, device, on_steps=progress_over(bar, recipe.epochs))
    bar.close()
    save_checkpoint(args.out, model, metadata, half_precision=recipe.half_precision)
    m = metadata.test_metrics
    print(f"saved {args.out}: names-v1 test {m.bits_per_character:.4f} bits per character; "
          f"{m.ngram_order}-gram baseline {m.ngram_bits_per_character:.4f}")


def train_number_translator(args: argparse.Namespace) -> None:
    device = pick_device(args.device)
    recipe = TranslatorRecipe(attention=not args.no_attention, pairs=args.pairs, epochs=args.epochs,
                              batch_size=args.batch_size, lr=args.lr, seed=args.seed)
    out = args.out or ("checkpoints/translator.pt" if recipe.attention else "checkpoints/translator-plain.pt")
    print(f"Training a GRU encoder-decoder {'with' if recipe.attention else 'without'} attention on "
          f"{recipe.pairs:,} English -> Chinese number pairs, {describe_device(device)}")
    bar = tqdm(unit="step")
    model, metadata = train_translator(recipe, device, on_steps=progress_over(bar, recipe.epochs))
    bar.close()
    save_checkpoint(out, model, metadata)
    print(f"saved {out}: held-out {metadata.test_metrics.summary()}")


def print_translator_evaluation(args: argparse.Namespace, checkpoint: Checkpoint) -> None:
    measured, recorded = measure_translator(checkpoint.model), checkpoint.metadata.test_metrics
    print(f"{args.checkpoint}: {measured.summary()}")
    print(f"{'digits':<8} {'exact match':>12}")
    for digits, share in measured.by_digits.items():
        print(f"{digits:<8} {100 * share:>11.2f}%")
    for style, share in measured.by_style.items():
        print(f"style {style}: {100 * share:.2f}%")
    if recorded is not None:
        print(f"recorded: exact match {100 * recorded.exact_match:.2f}%")


def translate(args: argparse.Namespace) -> None:
    """English lines on stdin -> one Chinese line each on stdout; a line it cannot read -> an empty line."""
    checkpoint = load_checkpoint(args.checkpoint, expected_kind="translator")
    source_vocab, target_vocab = SourceVocab(checkpoint.metadata.vocab), TargetVocab(checkpoint.metadata.labels)
    for line_number, line in enumerate(sys.stdin, 1):
        try:
            words, _number = read_number(line)
        except NumberWordsError as error:
            print(f"line {line_number}: {error}", file=sys.stderr)
            print(flush=True)
            continue
        print(greedy(checkpoint.model, [words], source_vocab, target_vocab)[0].text, flush=True)


def evaluate_name_generator(args: argparse.Namespace, checkpoint: Checkpoint) -> None:
    measured = evaluate_generator(checkpoint.model, checkpoint.metadata, data_root(args.data_dir))
    recorded = checkpoint.metadata.test_metrics
    print(f"{args.checkpoint}: {measured.summary()}")
    print(f"{'language':<12} {'model':>7} {'n-gram':>7}   (bits per character)")
    for language, (model_bits, ngram_bits) in measured.per_language.items():
        print(f"{language:<12} {model_bits:>7.3f} {ngram_bits:>7.3f}")
    if recorded is not None:
        print(f"recorded: bits per character {recorded.bits_per_character:.4f}  "
              f"baseline {recorded.ngram_bits_per_character:.4f}")


def evaluate(args: argparse.Namespace) -> None:
    checkpoint = load_checkpoint(args.checkpoint)
    if checkpoint.kind == "name_generator":
        evaluate_name_generator(args, checkpoint)
        return
    if checkpoint.kind == "translator":
        print_translator_evaluation(args, checkpoint)
        return
    metrics = evaluate_checkpoint(checkpoint, data_root(args.data_dir))
    recorded = checkpoint.metadata.test_metrics
    print(f"{args.checkpoint}: {metrics.summary()}")
    if recorded is not None and None not in (recorded.accuracy, recorded.balanced_accuracy):
        print(f"recorded: accuracy {100 * recorded.accuracy:.2f}%  "
              f"balanced accuracy {100 * recorded.balanced_accuracy:.2f}%")
    if checkpoint.kind == "row_classifier":
        drawn, recorded_drawn = evaluate_on_drawn_digits(checkpoint.model), checkpoint.metadata.drawn_metrics
        print(f"drawn digits: {drawn.summary()}")
        if recorded_drawn is not None and recorded_drawn.accuracy is not None:
            print(f"recorded: accuracy {100 * recorded_drawn.accuracy:.2f}%")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rnn_core", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data-dir", help="data root (default: $RNN_DATA_DIR or a per-user cache)")
        p.add_argument("--device", help="cpu, cuda, mps or auto (default: $RNN_DEVICE or auto)")
        p.add_argument("--threads", type=int, help="CPU threads per operation (default: $RNN_TORCH_THREADS or 1)")

    train = commands.add_parser("train", help="train a model and save a checkpoint")
    tasks = train.add_subparsers(dest="task", required=True)
    mnist = tasks.add_parser("mnist", help="row-by-row digit classifier")
    common(mnist)
    mnist.add_argument("--cell", choices=CELLS, default="lstm")
    mnist.add_argument("--hidden", type=int, default=128)
    mnist.add_argument("--layers", type=int, default=2)
    mnist.add_argument("--dropout", type=float, default=0.1)
    mnist.add_argument("--epochs", type=float, default=20)
    mnist.add_argument("--batch-size", type=int, default=128)
    mnist.add_argument("--lr", type=float, default=3e-3)
    mnist.add_argument("--weight-decay", type=float, default=0.0)
    mnist.add_argument("--no-augment", action="store_true",
                       help="train without augmentation (added strokes, thickness, rotation, scale, shift)")
    mnist.add_argument("--seed", type=int, default=0)
    mnist.add_argument("--out", default="checkpoints/digits-lstm.pt")
    mnist.set_defaults(run=train_mnist)

    defaults = NamesRecipe()
    names = tasks.add_parser("names", help="character-level name -> language classifier")
    common(names)
    names.add_argument("--members", type=int, default=defaults.members, help="members averaged")
    names.add_argument("--folds", type=int, default=defaults.folds,
                       help="cross-fitted members, whose out-of-fold answers tune the decision rule")
    names.add_argument("--cell", choices=CELLS, default=defaults.cell)
    names.add_argument("--hidden", type=int, default=defaults.hidden_size)
    names.add_argument("--layers", type=int, default=defaults.num_layers)
    names.add_argument("--ngram-buckets", type=int, default=defaults.ngram_buckets,
                       help="hashed character n-gram features per member (0: recurrent layer only)")
    names.add_argument("--ngram-dim", type=int, default=defaults.ngram_dim)
    names.add_argument("--epochs", type=float, default=defaults.epochs)
    names.add_argument("--label-smoothing", type=float, default=defaults.label_smoothing)
    names.add_argument("--batch-size", type=int, default=defaults.batch_size)
    names.add_argument("--lr", type=float, default=defaults.lr)
    names.add_argument("--seed", type=int, default=defaults.seed)
    names.add_argument("--out", default="checkpoints/names.pt")
    names.set_defaults(run=train_names)

    recipe = GeneratorRecipe()
    generator = tasks.add_parser("generator", help="character-level surname generator, conditioned on the language")
    common(generator)
    generator.add_argument("--cell", choices=CELLS, default=recipe.cell)
    generator.add_argument("--hidden", type=int, default=recipe.hidden_size)
    generator.add_argument("--layers", type=int, default=recipe.num_layers)
    generator.add_argument("--dropout", type=float, default=recipe.dropout)
    generator.add_argument("--letter-dropout", type=float, default=recipe.letter_dropout,
                           help="share of the letters read replaced by the unknown mark in training")
    generator.add_argument("--ngram-buckets", type=int, default=recipe.ngram_buckets,
                           help="rows of the hashed table of the last 1 to 5 characters read, beside the "
                                "recurrent output (0: none)")
    generator.add_argument("--language-balance", type=float, default=recipe.language_balance,
                           help="repeat small languages' names (largest count / count) ** this times per epoch")
    generator.add_argument("--epochs", type=float, default=recipe.epochs)
    generator.add_argument("--batch-size", type=int, default=recipe.batch_size)
    generator.add_argument("--lr", type=float, default=recipe.lr)
    generator.add_argument("--seed", type=int, default=recipe.seed)
    generator.add_argument("--out", default="checkpoints/names-generator.pt")
    generator.set_defaults(run=train_name_generator)

    plan = TranslatorRecipe()
    translator = tasks.add_parser("translator", help="encoder-decoder: English number words -> Chinese numerals")
    common(translator)
    translator.add_argument("--no-attention", action="store_true",
                            help="the plain encoder-decoder: the decoder gets the encoder's last states only")
    translator.add_argument("--pairs", type=int, default=plan.pairs, help="training pairs made before training")
    translator.add_argument("--epochs", type=float, default=plan.epochs)
    translator.add_argument("--batch-size", type=int, default=plan.batch_size)
    translator.add_argument("--lr", type=float, default=plan.lr)
    translator.add_argument("--seed", type=int, default=plan.seed)
    translator.add_argument("--out", help="default: checkpoints/translator.pt, or translator-plain.pt without "
                                          "attention")
    translator.set_defaults(run=train_number_translator)

    evaluate_parser = commands.add_parser("evaluate", help="test a checkpoint on its data set")
    common(evaluate_parser)
    evaluate_parser.add_argument("checkpoint")
    evaluate_parser.set_defaults(run=evaluate)

    translate_parser = commands.add_parser("translate", help="English number words on stdin -> Chinese numerals "
                                                             "on stdout, line for line")
    common(translate_parser)
    translate_parser.add_argument("checkpoint")
    translate_parser.set_defaults(run=translate)

    args = parser.parse_args(argv)
    try:
        configure_threads(args.threads)
        args.run(args)
    except (CheckpointError, DataMissingError, DeviceError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
