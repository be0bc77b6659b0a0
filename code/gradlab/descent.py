"""Plain gradient descent on a function of a few variables (chapter 3)."""

import numpy as np

from gradlab import _checks


def gradient_descent(grad, start, lr, steps):
    """Iterate ``w <- w - lr * grad(w)`` from ``start``.

    grad: maps a point, a float64 array of shape [d], to its gradient of shape [d].
    start: the first point, shape [d]. lr: the learning rate, > 0. steps: how many updates, >= 0.
    Returns a float64 array of shape [steps + 1, d]: row 0 is ``start``, row k the k-th iterate.
    Raises FloatingPointError, naming the step, as soon as an iterate is no longer finite.
    """
    w = _checks.descent_args(grad, start, lr, steps)  # the start as a float64 array
    path = [w]
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            w = w - lr * _checks.gradient_at(grad, w)
            if not np.isfinite(w).all():
                raise FloatingPointError(
                    f"gradient descent diverged: the iterate is no longer finite at step {k} "
                    f"with lr = {lr}; try a smaller learning rate"
                )
            path.append(w)
    return np.array(path)
