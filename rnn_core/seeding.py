"""Seeded initialisation that leaves the process-wide random state alone.

The app serves every visitor from threads of one process; torch.manual_seed would reseed the generator
they all share, mid-way through someone else's draw. Here a model's parameters are drawn again, as
PyTorch's own reset_parameters draws them, from a torch.Generator that belongs to the caller.
"""
from __future__ import annotations

import math

import torch
from torch import nn


def init_parameters(model: nn.Module, generator: torch.Generator) -> nn.Module:
    """Redraw every parameter of the model's recurrent and linear layers from `generator`, in place.

    The order and the bounds are PyTorch's defaults, so a generator seeded with s gives the same weights
    as torch.manual_seed(s) followed by building the model. Returns the model.
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
            elif any(True for _ in module.parameters(recurse=False)):
                # Drawing it some other way would silently break "same seed, same model".
                raise TypeError(f"init_parameters does not know how to draw a {type(module).__name__}.")
    return model
