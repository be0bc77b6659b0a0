"""Linear regression solved exactly: the reference every trained model is compared with."""

import torch

from gradlab._checks import as_tensor


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
