"""Linear regression: the exact answer, and the pieces of the from-scratch version.

Each function checks its arguments with one call into ``gradlab._checks`` (shapes, dtypes,
NaN and infinite values) and otherwise reads like its formula. Tensors of mixed floating dtypes
are promoted to the wider one, as in PyTorch's arithmetic.
"""

import torch

from gradlab import _checks


def closed_form(X, y):
    """Least-squares fit of ``y ≈ X @ w + b`` (chapter 1).

    X: [n, d] features; y: [n, 1] or [n] targets; needs n >= d + 1 samples.
    Returns ``(w, b)``: ``w`` of shape [d, 1] in X's dtype, ``b`` a Python float.
    Solved in float64 with an SVD-based solver, so nearly collinear features still give the
    minimum-norm answer instead of garbage.
    """
    X, y = _checks.closed_form_args(X, y)
    A = torch.cat([X.double(), torch.ones(len(X), 1, dtype=torch.float64)], dim=1)
    solution = torch.linalg.lstsq(A, y.double(), driver="gelsd").solution
    w, b = solution[:-1].to(X.dtype), solution[-1, 0]
    return _checks.finite("the weights", w), float(_checks.finite("the bias", b))


def linreg(X, w, b):
    """The linear model ``X @ w + b`` (chapter 4). X: [n, d], w: [d, 1], b: [1] -> [n, 1]."""
    X, w, b = _checks.linear_model(X, w, b)
    return _checks.finite("the predictions", X @ w + b)


def squared_loss(y_hat, y):
    """Elementwise ``(y_hat - y)**2 / 2``, shaped like ``y_hat`` (chapter 4).

    y may be [n] or [n, 1] for y_hat of shape [n, 1]: it is reshaped like y_hat, because
    ``[n, 1] - [n]`` would broadcast into an [n, n] matrix. Shapes of other sizes are refused.
    """
    y_hat, y = _checks.loss_pair(y_hat, y)
    return _checks.finite("the losses", (y_hat - y) ** 2 / 2)


def sgd(params, lr, batch_size):
    """Minibatch SGD step: ``p -= lr * p.grad / batch_size`` for each p, then zero the
    gradients (chapter 4). Runs under ``torch.no_grad()``, in place.

    Raises FloatingPointError if a parameter stops being finite (the learning rate is too large).
    """
    params = _checks.sgd_args(params, lr, batch_size)
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad / batch_size
            p.grad.zero_()
    if not all(torch.isfinite(p).all() for p in params):
        raise FloatingPointError(
            f"a parameter is no longer finite after this step with lr = {lr}: "
            "training diverged; try a smaller learning rate"
        )


def gradients(X, y, w, b):
    """Hand-derived gradients of ``L = sum(0.5 * (X @ w + b - y)**2)`` (chapters 4, 5).

    X: [n, d]; y: [n, 1] or [n]; w: [d, 1]; b: a number or a one-element tensor.
    Returns ``(dw, db)``: ``dw = X.T @ (y_hat - y)`` shaped like w, ``db = sum(y_hat - y)``
    shaped like b (a 0-d tensor for a plain number).
    """
    X, y, w, b = _checks.gradients_args(X, y, w, b)  # plain tensors of one dtype
    delta = X @ w + b - y  # y_hat - y, [n, 1]
    return _checks.finite("the gradients", X.T @ delta, delta.sum().reshape(b.shape))
