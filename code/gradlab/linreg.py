"""Linear regression: the exact answer, and the pieces of the from-scratch version."""

import torch

from gradlab._checks import as_tensor, check_lr, finite_number, positive_int


def closed_form(X, y):
    """Least-squares fit of ``y ≈ X @ w + b`` (chapter 1).

    X: [n, d] features; y: [n, 1] or [n] targets; needs n >= d + 1 samples.
    Returns ``(w, b)``: ``w`` of shape [d, 1] in X's dtype, ``b`` a Python float.
    Solved in float64 with an SVD-based solver, so nearly collinear features still give the
    minimum-norm answer instead of garbage.
    """
    X = as_tensor(X, "X")
    y = as_tensor(y, "y")
    if X.dim() != 2:
        raise ValueError(f"X must have shape [n, d], got shape {list(X.shape)}")
    if y.dim() == 1:
        y = y.unsqueeze(1)
    if y.dim() != 2 or y.shape[1] != 1:
        raise ValueError(f"y must have shape [n, 1] or [n], got shape {list(y.shape)}")
    n, d = X.shape
    if y.shape[0] != n:
        raise ValueError(
            f"X and y must have the same number of samples: X has shape {list(X.shape)}, "
            f"y has shape {list(y.shape)}"
        )
    if n < d + 1:
        raise ValueError(
            f"need at least d + 1 = {d + 1} samples for {d} weights and a bias, "
            f"got X of shape {list(X.shape)}"
        )
    A = torch.cat([X.double(), torch.ones(n, 1, dtype=torch.float64)], dim=1)
    solution = torch.linalg.lstsq(A, y.double(), driver="gelsd").solution
    return solution[:d].to(X.dtype), float(solution[d, 0])


def linreg(X, w, b):
    """The linear model ``X @ w + b`` (chapter 4). X: [n, d], w: [d, 1], b: [1] -> [n, 1]."""
    X = as_tensor(X, "X", allow_empty=False)
    if X.dim() != 2:
        raise ValueError(f"X must have shape [n, d], got shape {list(X.shape)}")
    if not isinstance(w, torch.Tensor) or w.dim() != 2 or w.shape != (X.shape[1], 1):
        got = list(w.shape) if isinstance(w, torch.Tensor) else type(w).__name__
        raise ValueError(f"w must be a tensor of shape [{X.shape[1]}, 1] for X of shape "
                         f"{list(X.shape)}, got {got}")
    if not w.is_floating_point():
        raise TypeError(f"w must be a floating-point tensor, got dtype {w.dtype}")
    if not torch.isfinite(w.detach()).all():
        raise ValueError("w must be finite, but it holds NaN or infinite values")
    if isinstance(b, torch.Tensor):
        if b.numel() != 1:
            raise ValueError(f"b must be one number (shape [1] or []), got shape {list(b.shape)}")
        if not torch.isfinite(b.detach()).all():
            raise ValueError("b must be finite, got " + str(b.item()))
    else:
        finite_number(b, "b")
    y_hat = X @ w.to(X.dtype) + b
    if not torch.isfinite(y_hat.detach()).all():
        raise FloatingPointError(f"the predictions overflow {y_hat.dtype}: X, w or b are too "
                                 "large (in training: the learning rate is too large)")
    return y_hat


def squared_loss(y_hat, y):
    """Elementwise ``(y_hat - y)**2 / 2``, shaped like ``y_hat`` (chapter 4).

    y may be [n] or [n, 1] for y_hat of shape [n, 1]; shapes that would broadcast into an
    [n, n] matrix are refused.
    """
    if not isinstance(y_hat, torch.Tensor) or not isinstance(y, torch.Tensor):
        raise TypeError(f"y_hat and y must be tensors, got {type(y_hat).__name__} and "
                        f"{type(y).__name__}")
    for name, t in (("y_hat", y_hat), ("y", y)):
        if not t.is_floating_point():
            raise TypeError(f"{name} must be a floating-point tensor, got dtype {t.dtype}")
        if t.numel() == 0:
            raise ValueError(f"{name} must not be empty, got shape {list(t.shape)}")
        if not torch.isfinite(t.detach()).all():
            raise ValueError(f"{name} must be finite, but it holds NaN or infinite values")
    if y.numel() != y_hat.numel():
        # (y_hat - y) would broadcast, e.g. [n, 1] against [1, m] into an [n, m] matrix
        raise ValueError(f"y_hat and y must hold as many values: y_hat has shape "
                         f"{list(y_hat.shape)}, y has shape {list(y.shape)}")
    loss = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
    if not torch.isfinite(loss.detach()).all():
        raise FloatingPointError(f"the loss overflows {loss.dtype}: y_hat and y are too far apart "
                                 "(in training: the learning rate is too large)")
    return loss


def sgd(params, lr, batch_size):
    """Minibatch SGD step: ``p -= lr * p.grad / batch_size`` for each p, then zero the
    gradients (chapter 4). Runs under ``torch.no_grad()``, in place.

    Raises FloatingPointError if a parameter stops being finite (the learning rate is too large).
    """
    check_lr(lr)
    positive_int(batch_size, "batch_size")
    if isinstance(params, torch.Tensor) or not hasattr(params, "__iter__"):
        raise TypeError(f"params must be a list of tensors, like [w, b], got {type(params).__name__}")
    params = list(params)
    for i, p in enumerate(params):
        if not isinstance(p, torch.Tensor) or p.grad is None:
            raise ValueError(f"parameter {i} has no gradient: call backward() on a loss that "
                             "depends on it (with requires_grad=True) before sgd")
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad / batch_size
            p.grad.zero_()
    for i, p in enumerate(params):
        if not torch.isfinite(p).all():
            raise FloatingPointError(f"parameter {i} is no longer finite after this step with "
                                     f"lr = {lr}: training diverged; try a smaller learning rate")


def gradients(X, y, w, b):
    """Hand-derived gradients of ``L = sum(0.5 * (X @ w + b - y)**2)`` (chapters 4, 5).

    X: [n, d]; y: [n, 1] or [n]; w: [d, 1]; b: a number or a one-element tensor.
    Returns ``(dw, db)``: ``dw = X.T @ (y_hat - y)`` shaped like w, ``db = sum(y_hat - y)``
    shaped like b (a 0-d tensor for a plain number).
    """
    X, y = as_tensor(X, "X", allow_empty=False), as_tensor(y, "y", allow_empty=False)
    y_hat = linreg(X, w, b)
    if y.dim() == 1:
        y = y.unsqueeze(1)
    if y.shape != y_hat.shape:
        raise ValueError(f"y must have shape [{len(X)}, 1] or [{len(X)}] for X of shape "
                         f"{list(X.shape)}, got shape {list(y.shape)}")
    delta = (y_hat - y).detach()
    dw, db = X.T @ delta, delta.sum()
    if not (torch.isfinite(db) and torch.isfinite(dw).all()):
        raise FloatingPointError("the gradients overflow: X, y, w or b are too large "
                                 "(in training: the learning rate is too large)")
    if isinstance(b, torch.Tensor):
        db = db.reshape(b.shape)
    return dw, db
