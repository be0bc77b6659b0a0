"""Data sets the chapters train on. Every generator is seeded, so every run gives the same data."""

import numpy as np
import torch

from gradlab import _checks


def house_prices(n=100, seed=20):
    """House areas and prices with a linear trend (chapter 1).

    Area ``x = randn + 5`` and price ``y = 2.8 * x - noise`` with standard normal noise, drawn
    with numpy's legacy generator seeded by ``seed`` (the source notes' recipe).

    Returns ``(x, y)``: float32 tensors of shape [n, 1].
    """
    rng = np.random.RandomState(_checks.sample_args(n, seed))
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
    rng = np.random.RandomState(_checks.sample_args(n, seed))
    x1 = rng.randint(5, 10, [n, 1]) / 10
    x2 = rng.randint(10, 16, [n, 1]) / 10
    y = 0.5 * (x1 + x2) * x1
    X = np.hstack([x1, x2])
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)


def synthetic_regression(w, b, n, noise=0.01, seed=0):
    """Samples of ``y = X w + b + noise`` with standard normal features (chapter 4).

    w: the true weights, d numbers (list, array or tensor); b: the true bias, a number.
    noise: standard deviation of the Gaussian noise added to y, >= 0.
    Returns ``(X, y)``: float32 tensors of shape [n, d] and [n, 1].
    """
    w, b, noise = _checks.synthetic_args(w, b, n, noise, seed)  # w becomes float32, [d]
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, w.numel(), generator=g)
    y = X @ w + b + noise * torch.randn(n, generator=g)
    return X, _checks.finite("the labels", y.reshape(-1, 1))


def batches(X, y, batch_size, shuffle=True, seed=None):
    """Yield ``(X_batch, y_batch)`` minibatches covering the data once (chapter 4).

    X: [n, d]; y: [n, 1] or [n]. Every batch has ``batch_size`` rows except possibly the last,
    which holds the rest. With ``shuffle`` the order is a random permutation, reproducible when
    ``seed`` is given.
    """
    X, y = _checks.batches_args(X, y, batch_size, shuffle, seed)
    n = len(X)
    if shuffle:
        g = torch.Generator().manual_seed(seed) if seed is not None else None
        order = torch.randperm(n, generator=g)
    else:
        order = torch.arange(n)
    return (
        (X[order[i : i + batch_size]], y[order[i : i + batch_size]])
        for i in range(0, n, batch_size)
    )
