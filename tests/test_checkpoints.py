"""Checkpoints round-trip, and every broken file raises CheckpointError with a readable message."""
import os
import pickle

import pytest
import torch

from rnn_core.checkpoint_meta import CheckpointMetadata, ClassifierMetrics
from rnn_core.checkpoints import CheckpointError, load_checkpoint, save_checkpoint, weights_digest
from rnn_core.digits.model import RowClassifier, RowClassifierConfig


@pytest.fixture
def saved(tmp_path):
    torch.manual_seed(0)
    model = RowClassifier(RowClassifierConfig(cell="gru", hidden_size=8, num_layers=1)).eval()
    path = save_checkpoint(tmp_path / "digits.pt", model,
                           CheckpointMetadata(labels=list("0123456789"), test_metrics=ClassifierMetrics(accuracy=0.5)))
    return model, path


def test_round_trip_keeps_weights_config_and_metadata(saved):
    model, path = saved
    loaded = load_checkpoint(path, expected_kind="row_classifier")
    assert loaded.kind == "row_classifier" and not loaded.model.training
    assert loaded.model.config == model.config
    assert weights_digest(loaded.model) == weights_digest(model)
    images = torch.rand(2, 28, 28)
    torch.testing.assert_close(loaded.model(images), model(images))
    assert loaded.metadata.labels == list("0123456789")
    assert loaded.metadata.test_metrics == ClassifierMetrics(accuracy=0.5)
    assert "torch" in loaded.metadata.versions and loaded.metadata.saved_at
    assert load_checkpoint(path.read_bytes()).kind == "row_classifier"  # from bytes, as an upload


def test_save_is_atomic_and_leaves_no_temp_files(saved, tmp_path):
    model, path = saved
    before = path.read_bytes()

    class Unsaveable(dict):
        def __reduce__(self):
            raise RuntimeError("disk full")

    with pytest.raises(Exception):
        save_checkpoint(path, model, CheckpointMetadata(training={"bad": Unsaveable()}))
    assert path.read_bytes() == before  # the old file is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digits.pt"]


def test_missing_file(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        load_checkpoint(tmp_path / "nope.pt")


def test_truncated_file(saved):
    _, path = saved
    path.write_bytes(path.read_bytes()[: os.path.getsize(path) // 2])
    with pytest.raises(CheckpointError, match="truncated or corrupt"):
        load_checkpoint(path)


def test_corrupt_file(tmp_path):
    path = tmp_path / "noise.pt"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(CheckpointError, match="not a readable checkpoint"):
        load_checkpoint(path)


def test_foreign_torch_file(tmp_path):
    path = tmp_path / "foreign.pt"
    torch.save({"weights": torch.zeros(3)}, path)
    with pytest.raises(CheckpointError, match="not an RNN Playground checkpoint"):
        load_checkpoint(path)


class Exploit:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_pickled_code_is_refused(tmp_path):
    path = tmp_path / "exploit.pt"
    with open(path, "wb") as f:
        pickle.dump({"format": "x", "payload": Exploit()}, f, protocol=2)  # the protocol torch.save writes
    with pytest.raises(CheckpointError):
        load_checkpoint(path)


def test_mismatched_weights(saved):
    _, path = saved
    payload = torch.load(path, weights_only=True)
    payload["config"]["hidden_size"] = 16  # the weights are for 8 units
    torch.save(payload, path)
    with pytest.raises(CheckpointError, match="does not fit"):
        load_checkpoint(path)


def test_wrong_kind(saved):
    _, path = saved
    with pytest.raises(CheckpointError, match="not a name_classifier"):
        load_checkpoint(path, expected_kind="name_classifier")


def test_half_precision_halves_the_file_and_loads_as_float32(tmp_path):
    torch.manual_seed(0)
    model = RowClassifier(RowClassifierConfig(cell="gru", hidden_size=32, num_layers=1)).eval()
    full = save_checkpoint(tmp_path / "full.pt", model, CheckpointMetadata())
    half = save_checkpoint(tmp_path / "half.pt", model, CheckpointMetadata(), half_precision=True)
    assert half.stat().st_size < 0.6 * full.stat().st_size
    loaded = load_checkpoint(half).model
    assert all(p.dtype == torch.float32 for p in loaded.parameters())
    # The loaded weights are exactly the float16-rounded originals.
    for name, tensor in model.state_dict().items():
        assert torch.equal(loaded.state_dict()[name], tensor.half().float())
