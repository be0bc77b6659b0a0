"""Gradient checking: compare a gradient with central finite differences (chapters 5, 6)."""

import warnings

import torch


def numerical_gradient(f, x, eps=1e-6):
    """Central differences ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for every entry of x.

    f: maps a tensor shaped like x to a scalar (a number or a one-element tensor).
    x: the point, any shape; float64 advised (float32 rounding swamps the differences).
    Returns a tensor shaped like x. x is restored after each probe.
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}")
    if not x.is_floating_point():
        raise TypeError(f"x must be a floating-point tensor, got dtype {x.dtype}")
    if not callable(f):
        raise TypeError(f"f must be a function of x, got {type(f).__name__}")
    if not (isinstance(eps, (int, float)) and not isinstance(eps, bool) and 0 < eps < 1):
        raise ValueError(f"eps must be a small number in (0, 1), got {eps!r}")
    if x.numel() == 0:
        raise ValueError(f"x must not be empty, got shape {list(x.shape)}")
    if not torch.isfinite(x).all():
        raise ValueError("x must be finite, but it holds NaN or infinite values")
    if x.dtype != torch.float64:
        warnings.warn(f"numerical_gradient on {x.dtype}: rounding errors of about 1e-7 are "
                      "divided by 2 * eps; use float64 for a meaningful check", stacklevel=2)
    x = x.detach().clone()
    flat = x.view(-1)
    grad = torch.zeros_like(flat)
    for i in range(flat.numel()):
        saved = flat[i].item()
        flat[i] = saved + eps
        up = _scalar(f(x))
        flat[i] = saved - eps
        down = _scalar(f(x))
        flat[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad.view(x.shape)


def _scalar(value):
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise ValueError(f"f must return a scalar, got a tensor of shape {list(value.shape)}")
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"f must return a number, got {type(value).__name__}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"f returned {value} near x: a gradient check needs finite values")
    return float(value)


def relative_error(a, b):
    """``||a - b|| / max(||a|| + ||b||, tiny)``: 0 for equal gradients, 1 for opposite ones."""
    for name, v in (("a", a), ("b", b)):
        if isinstance(v, (str, bytes)) or v is None or (
                isinstance(v, torch.Tensor) and (v.dtype == torch.bool or v.is_complex())):
            raise TypeError(f"{name} must be a tensor or a list of real numbers, got "
                            f"{getattr(v, 'dtype', type(v).__name__)}")
    try:
        a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    except (TypeError, ValueError, RuntimeError):
        raise TypeError(f"a and b must be tensors or lists of numbers, got {type(a).__name__} "
                        f"and {type(b).__name__}") from None
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {list(a.shape)} and {list(b.shape)}")
    if a.numel() == 0:
        raise ValueError("a and b must not be empty")
    if not (torch.isfinite(a).all() and torch.isfinite(b).all()):
        raise ValueError("a and b must be finite, but they hold NaN or infinite values")
    scale = max((a.norm() + b.norm()).item(), torch.finfo(torch.float64).tiny)
    return (a - b).norm().item() / scale
