"""Inside a cell: PyTorch's recurrent modules unrolled by hand, with every gate and every shape."""
