"""Model shapes, the per-row story, carried state, and packing of unsorted variable-length batches."""
import pytest
import torch

from rnn_core.layers import CELLS, detach_state
from rnn_core.names.model import NameClassifier, NameClassifierConfig
from rnn_core.digits.model import RowClassifier, RowClassifierConfig
from rnn_core.waves.model import WaveConfig, WaveRegressor


@pytest.mark.parametrize("cell", CELLS)
def test_row_classifier_story_ends_in_the_answer(cell):
    torch.manual_seed(0)
    model = RowClassifier(RowClassifierConfig(cell=cell, hidden_size=16, num_layers=2)).eval()
    images = torch.rand(3, 28, 28)
    logits = model(images)
    row_logits, hidden = model.read_rows(images)
    assert logits.shape == (3, 10)
    assert row_logits.shape == (3, 28, 10) and hidden.shape == (3, 28, 16)
    torch.testing.assert_close(row_logits[:, -1], logits)
    # Row t's belief depends only on rows up to t: changing the last row leaves earlier beliefs alone.
    changed = images.clone()
    changed[:, -1] = 1 - changed[:, -1]
    torch.testing.assert_close(model.read_rows(changed)[0][:, :-1], row_logits[:, :-1])
    assert not torch.allclose(model.read_rows(changed)[0][:, -1], row_logits[:, -1])


def test_unknown_cell_is_refused():
    with pytest.raises(ValueError, match="Unknown cell"):
        RowClassifier(RowClassifierConfig(cell="transformer"))


@pytest.mark.parametrize("cell", CELLS)
def test_wave_regressor_carried_state_continues_the_sequence(cell):
    torch.manual_seed(0)
    model = WaveRegressor(WaveConfig(cell=cell, hidden_size=8))
    x = torch.randn(1, 20, 1)
    whole, hidden, _ = model(x)
    first, _, state = model(x[:, :10])
    second, _, _ = model(x[:, 10:], detach_state(state))
    assert whole.shape == (1, 20, 1) and hidden.shape == (1, 20, 8)
    # Carrying the state across two windows equals reading both in one go ...
    torch.testing.assert_close(torch.cat([first, second], 1), whole)
    # ... and starting the second window from zeros does not.
    reset, _, _ = model(x[:, 10:])
    assert not torch.allclose(reset, second)
    if cell == "lstm":
        assert isinstance(state, tuple) and len(state) == 2


def test_detach_state_handles_pairs_and_none():
    h = torch.zeros(1, 1, 4, requires_grad=True) * 2
    assert detach_state(None) is None
    assert not detach_state(h).requires_grad
    pair = detach_state((h, h))
    assert isinstance(pair, tuple) and not any(s.requires_grad for s in pair)


def test_name_classifier_packing_ignores_padding_and_order():
    torch.manual_seed(0)
    config = NameClassifierConfig(vocab_size=12, num_classes=4, embedding_dim=8, hidden_size=8, num_members=2)
    model = NameClassifier(config).eval()
    names = [[2, 3, 4, 5, 6], [7, 8], [9, 10, 11]]  # unsorted lengths
    ids = torch.zeros(3, 5, dtype=torch.long)
    for i, n in enumerate(names):
        ids[i, : len(n)] = torch.tensor(n)
    lengths = torch.tensor([len(n) for n in names])
    batch = model(ids, lengths)
    assert batch.shape == (3, 4)
    for i, n in enumerate(names):
        alone = model(torch.tensor([n]), torch.tensor([len(n)]))
        torch.testing.assert_close(batch[i: i + 1], alone)
    # The output is averaged log-probabilities plus the bias: its softmax is a distribution.
    torch.testing.assert_close(batch.softmax(-1).sum(-1), torch.ones(3))

