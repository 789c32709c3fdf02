"""Random draws that belong to their caller, never to the process.

The app serves every visitor from threads of one process; torch.manual_seed would reseed the generator
they all share, mid-way through someone else's draw. So a model's parameters are drawn again, as PyTorch's
own reset_parameters draws them, from a torch.Generator that belongs to the caller, and a training step's
dropout masks come from the trainer's own generator too (dropout_draws).

Two things still draw from PyTorch's process-wide generator, because PyTorch gives them no other: building
a module (its default init, drawn over at once) and dropout. Both hold one lock while they do
(process_generator), so a forward pass that seeded the process-wide generator from its own draws alone.
"""
from __future__ import annotations

import math
import threading
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

import torch
from torch import nn

Model = TypeVar("Model", bound=nn.Module)


def init_parameters(model: Model, generator: torch.Generator) -> Model:
    """Redraw every parameter of the model's recurrent, linear and embedding layers from `generator`, in place.

    The order and the distributions are PyTorch's defaults, so a generator seeded with s gives the same
    weights as torch.manual_seed(s) followed by building the model (when its layers are registered in the
    order they are built). Returns the model.
    """
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.RNNBase, nn.RNNCellBase)):
                bound = 1 / math.sqrt(module.hidden_size)
                for parameter in module.parameters(recurse=False):
                    parameter.uniform_(-bound, bound, generator=generator)
            elif isinstance(module, nn.Linear):
                nn.init.kaiming_uniform_(module.weight, a=math.sqrt(5), generator=generator)
                if module.bias is not None:
                    bound = 1 / math.sqrt(module.in_features)
                    nn.init.uniform_(module.bias, -bound, bound, generator=generator)
            elif isinstance(module, nn.Embedding):
                nn.init.normal_(module.weight, generator=generator)
                if module.padding_idx is not None:
                    module.weight[module.padding_idx].fill_(0)
            elif any(True for _ in module.parameters(recurse=False)):
                # Drawing it some other way would silently break "same seed, same model".
                raise TypeError(f"init_parameters does not know how to draw a {type(module).__name__}.")
    return model


def seeded(build: Callable[[], Model], seed: int) -> Model:
    """The model `build()` makes, its parameters drawn from a fresh generator seeded with `seed`."""
    with process_generator():  # building draws the default init, soon drawn over, from the shared generator
        model = build()
    return init_parameters(model, torch.Generator().manual_seed(seed))


def draws_dropout(model: nn.Module) -> bool:
    """Whether the model draws random masks in training: a dropout layer, or a recurrent layer's own dropout."""
    return any(isinstance(m, nn.Dropout) or (isinstance(m, nn.RNNBase) and m.dropout > 0 and m.num_layers > 1)
               for m in model.modules())


_PROCESS_GENERATOR = threading.Lock()


def process_generator() -> threading.Lock:
    """Hold this while drawing from PyTorch's process-wide generator (building a module draws there)."""
    return _PROCESS_GENERATOR


@contextmanager
def dropout_draws(generator: torch.Generator) -> Iterator[None]:
    """Run a training forward pass inside this: its dropout masks are drawn from `generator`'s stream.

    Such passes take turns across the process; a model without dropout (draws_dropout) need not wait.
    """
    with process_generator():
        torch.manual_seed(int(torch.randint(2 ** 62, (1,), generator=generator)))
        yield
