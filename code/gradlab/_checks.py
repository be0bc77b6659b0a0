"""Input checks shared by gradlab's public functions: clear errors instead of deep torch ones."""

import torch


def as_tensor(value, name):
    """Return ``value`` as a floating-point tensor, or raise TypeError naming what came."""
    if isinstance(value, torch.Tensor):
        tensor = value
    else:
        try:
            import numpy as np

            if not isinstance(value, np.ndarray):
                raise TypeError
            tensor = torch.from_numpy(value)
        except TypeError:
            raise TypeError(
                f"{name} must be a torch.Tensor or a numpy array, got {type(value).__name__}"
            ) from None
    if tensor.dtype == torch.bool or tensor.is_complex():
        raise TypeError(f"{name} must hold real numbers, got dtype {tensor.dtype}")
    if not tensor.is_floating_point():
        tensor = tensor.to(torch.float32)
    if not torch.isfinite(tensor).all():
        raise ValueError(f"{name} must be finite, but it holds NaN or infinite values")
    return tensor


def positive_int(value, name):
    """Return ``value`` if it is a positive int, else raise (TypeError or ValueError)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return value


def check_lr(lr):
    """Raise unless ``lr`` is a finite real number > 0."""
    import math
    import numbers

    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(f"lr must be a real number, got {type(lr).__name__}")
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a finite number > 0, got {lr}")
    return lr
