"""Input checks shared by gradlab's public functions: clear errors instead of deep torch ones."""

import torch


def as_tensor(value, name, allow_empty=True):
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
    if not allow_empty and tensor.numel() == 0:
        raise ValueError(f"{name} must not be empty, got shape {list(tensor.shape)}")
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


def finite_number(value, name):
    """Return ``value`` as a float if it is a finite real number, else raise."""
    import math
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def check_seed(seed):
    """Raise unless ``seed`` is an int in [0, 2**32) (what every generator here accepts)."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= seed < 2 ** 32:
        raise ValueError(f"seed must be between 0 and 2**32 - 1, got {seed}")
    return seed
