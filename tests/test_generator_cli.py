"""`python -m rnn_core train generator` and `evaluate` end to end, on a tiny names folder the test writes."""
from __future__ import annotations

from rnn_core.__main__ import main
from rnn_core.checkpoints import load_checkpoint
from rnn_core.names.data import is_test_name

from harness.tiny_data import TINY_NAMES, write_tiny_names


def test_train_and_evaluate_generator(tmp_path, capsys):
    root = write_tiny_names(tmp_path / "data")
    out = tmp_path / "generator.pt"
    assert main(["train", "generator", "--data-dir", str(root), "--device", "cpu", "--hidden", "16", "--layers", "1",
                 "--ngram-buckets", "512", "--epochs", "2", "--batch-size", "8", "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "saved" in printed.out and "bits per character" in printed.out
    assert "step" in printed.err  # the progress bar
    checkpoint = load_checkpoint(out, expected_kind="name_generator")
    metadata = checkpoint.metadata
    assert metadata.labels == sorted(TINY_NAMES) and metadata.split == "names-v1"
    # Trained on the training names only: the record of them holds no test name.
    trained_on = [name for names in metadata.training_names.values() for name in names.split("\n")]
    all_names = [name for names in TINY_NAMES.values() for name in names]
    assert sorted(trained_on) == sorted(name for name in all_names if not is_test_name(name))
    recorded = metadata.test_metrics
    assert recorded.names == sum(is_test_name(name) for name in all_names) > 0
    assert recorded.ngram_order == 5 and recorded.bits_per_character > 0

    assert main(["evaluate", str(out), "--data-dir", str(root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    # Measured again in this run: the model's figure as recorded, the baseline fitted afresh, the same too.
    assert f"bits per character {recorded.bits_per_character:.4f}" in lines[0]
    assert f"baseline {recorded.ngram_bits_per_character:.4f}" in lines[0]
    assert any(line.startswith("Italian") for line in lines)


def test_evaluate_without_the_data_is_one_readable_line(tmp_path, capsys):
    root = write_tiny_names(tmp_path / "data")
    out = tmp_path / "generator.pt"
    assert main(["train", "generator", "--data-dir", str(root), "--device", "cpu", "--hidden", "8", "--layers", "1",
                 "--epochs", "1", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(out), "--data-dir", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.startswith("error: No names files")
