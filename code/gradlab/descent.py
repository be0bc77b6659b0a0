"""Plain gradient descent on a function of a few variables (chapter 3)."""

import numbers

import numpy as np
import torch

from gradlab._checks import check_lr


def gradient_descent(grad, start, lr, steps):
    """Iterate ``w <- w - lr * grad(w)`` from ``start``.

    grad: maps a point, a float64 array of shape [d], to its gradient of shape [d].
    start: the first point, shape [d]. lr: the learning rate, > 0. steps: how many updates, >= 0.
    Returns a float64 array of shape [steps + 1, d]: row 0 is ``start``, row k the k-th iterate.
    Raises FloatingPointError, naming the step, as soon as an iterate is no longer finite.
    """
    if not callable(grad):
        raise TypeError(f"grad must be a function of the point, got {type(grad).__name__}")
    check_lr(lr)
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    if steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps}")
    if isinstance(start, torch.Tensor):
        start = start.detach().cpu().numpy()
    if isinstance(start, (str, bytes)) or np.iscomplexobj(start) or np.asarray(start).dtype == bool:
        raise TypeError(f"start must be a 1-D point of real numbers, got {start!r}")
    try:
        w = np.array(start, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"start must be a 1-D point of numbers, got {start!r}") from None
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"start must be a 1-D point of shape [d], got shape {list(w.shape)}")
    if not np.isfinite(w).all():
        raise ValueError(f"start must be finite, got {w.tolist()}")

    path = np.empty((steps + 1, w.size))
    path[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            try:
                g = np.asarray(grad(w.copy()), dtype=np.float64)
            except (TypeError, ValueError):
                raise TypeError("grad must return the gradient as numbers (an array of shape "
                                f"{list(w.shape)})") from None
            if g.shape != w.shape:
                raise ValueError(
                    f"grad must return the point's shape {list(w.shape)}, got {list(g.shape)}"
                )
            w = w - lr * g
            if not np.isfinite(w).all():
                raise FloatingPointError(
                    f"gradient descent diverged: the iterate is no longer finite at step {k} "
                    f"with lr = {lr}; try a smaller learning rate"
                )
            path[k] = w
    return path
