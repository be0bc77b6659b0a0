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


def trapezoids(n=50, seed=20):
    """Trapezoids whose upper base equals their height, with their areas (chapter 2).

    Upper base x1 in {0.5, ..., 0.9}, lower base x2 in {1.0, ..., 1.5}, area y = (x1 + x2) x1 / 2,
    drawn with numpy's legacy generator seeded by ``seed`` (the source notes' recipe).

    Returns ``(X, y)``: float32 tensors of shape [n, 2] (columns x1, x2) and [n, 1].
    """
    positive_int(n, "n")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    rng = np.random.RandomState(seed)
    x1 = rng.randint(5, 10, [n, 1]) / 10
    x2 = rng.randint(10, 16, [n, 1]) / 10
    y = 0.5 * (x1 + x2) * x1
    X = np.hstack([x1, x2])
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
