"""Data sets the chapters train on. Every generator is seeded, so every run gives the same data."""

import numpy as np
import torch

from gradlab._checks import positive_int


def house_prices(n=100, seed=20):
    """House areas and prices with a linear trend (chapter 1).

    Area ``x = randn + 5`` and price ``y = 2.8 * x - noise`` with standard normal noise, drawn
    with numpy's legacy generator seeded by ``seed`` (the source notes' recipe).

    Returns ``(x, y)``: float32 tensors of shape [n, 1].
    """
    positive_int(n, "n")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    rng = np.random.RandomState(seed)
    x = rng.randn(n, 1) + 5
    noise = rng.randn(n, 1)
    y = 2.8 * x - noise
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
