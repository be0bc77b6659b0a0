"""Print claims, not noise (used from chapter 2 on).

Two computations that agree in exact arithmetic differ in floating point by round-off, and the
round-off itself depends on the CPU, the number of threads and the library's kernels: a page that
printed ``1.8e-15`` on one machine prints ``8.9e-16`` on another. What holds on every machine is a
bound. ``below(error, 1e-12)`` checks that ``error < 1e-12`` and returns the text ``"< 1e-12"``;
if the claim is false it raises, so a notebook never prints a claim its numbers do not support.
"""

import math
import numbers


def _real(value, name):
    """``value`` as a float: a real number, or a tensor or array holding exactly one."""
    if hasattr(value, "shape") and hasattr(value, "item"):  # a tensor, an array, a numpy scalar
        if math.prod(value.shape) != 1:
            raise ValueError(f"{name} must hold exactly one number, got shape {list(value.shape)}")
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    return float(value)


def _bound(bound):
    bound = _real(bound, "bound")
    if not math.isfinite(bound) or bound <= 0:
        raise ValueError(f"bound must be a finite number > 0, got {bound}")
    return bound


def _text(bound):
    """The bound as a reader writes it: 1e-6 (not Python's 1e-06), 1e-3 (not 0.001), 0.5."""
    mantissa, exponent = f"{bound:e}".split("e")
    if float(mantissa) == 1 and abs(int(exponent)) >= 2:
        return f"1e{int(exponent)}"
    return f"{bound:g}"


def below(value, bound):
    """The text ``"< bound"`` after checking that ``value < bound``; raises if it is not."""
    value, bound = _real(value, "value"), _bound(bound)
    if not value < bound:
        raise AssertionError(f"claimed value < {bound:g}, but value = {value:.3g}")
    return f"< {_text(bound)}"


def above(value, bound):
    """The text ``"> bound"`` after checking that ``value > bound``; raises if it is not."""
    value, bound = _real(value, "value"), _bound(bound)
    if not value > bound:
        raise AssertionError(f"claimed value > {bound:g}, but value = {value:.3g}")
    return f"> {_text(bound)}"


def verdict(error, tol=1e-7):
    """A check's outcome as text: ``"< 1e-7, passes"``, or the error itself (two digits) and
    ``"fails"``: a failing error is a result worth reading, a passing one is round-off."""
    error, tol = _real(error, "error"), _bound(tol)
    if error < tol:
        return f"< {_text(tol)}, passes"
    return f"{error:.2g}, fails"
