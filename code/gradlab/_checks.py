"""Input checks for gradlab's public functions, each idiom written once.

The teaching code calls one function of this module per function, so that what a chapter prints
reads like the maths. Every check names the argument it refuses. Wrong types raise TypeError,
wrong values (shapes, empty, NaN or infinite entries, out of range) raise ValueError; a result that
overflows (training diverged) raises FloatingPointError.

Dtypes: integers become float32 (torch's default float), bool and complex are refused, and the
tensors of one call are promoted to their common floating dtype with torch's rules (float32 with
float64 gives float64), so a mix never dies in a matmul and no argument silently loses precision.
"""

import math
import numbers

import numpy as np
import torch

# --- numbers --------------------------------------------------------------------------------------


def number(value, name):
    """``value`` as a float if it is a finite real number (not a bool), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def positive(value, name):
    """A finite real number > 0 (learning rates, step sizes)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return float(value)


def integer(value, name, low=1, high=None):
    """An int (numpy ints too, never bool) with ``low <= value`` (and ``value <= high``)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name} must be at least {low}, got {value}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return int(value)


def seed(value):
    """What every generator here accepts: an int in [0, 2**32)."""
    return integer(value, "seed", low=0, high=2**32 - 1)


def flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    return bool(value)


def function(value, name, takes):
    if not callable(value):
        raise TypeError(f"{name} must be a function of {takes}, got {type(value).__name__}")
    return value


def one_of(value, options, name):
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"unknown {name} {value!r}; expected one of {sorted(options)}")
    return value


# --- tensors --------------------------------------------------------------------------------------


def _shape(t):
    return list(t.shape)


def tensor(value, name, ndim=None, empty=False, shape=None):
    """``value`` (a tensor or a numpy array) as a floating-point tensor, checked finite.

    ndim: the number of dimensions it must have (an int or a tuple of allowed ints), described
    as ``shape`` in the message (e.g. "[n, d]"). empty: whether no entries are accepted.
    """
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got a numpy array of {value.dtype}")
        value = torch.from_numpy(np.ascontiguousarray(value))
    if not isinstance(value, torch.Tensor):
        raise TypeError(
            f"{name} must be a torch.Tensor or a numpy array, got {type(value).__name__}"
        )
    if value.dtype == torch.bool or value.is_complex():
        raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")
    if not value.is_floating_point():
        value = value.to(torch.get_default_dtype())
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and value.dim() not in allowed:
        want = shape or " or ".join(f"{k}-d" for k in allowed)
        raise ValueError(f"{name} must have shape {want}, got shape {_shape(value)}")
    if not empty and value.numel() == 0:
        raise ValueError(f"{name} must not be empty, got shape {_shape(value)}")
    if not torch.isfinite(value.detach()).all():
        raise ValueError(f"{name} must be finite, but it holds NaN or infinite values")
    return value


def promote(*tensors):
    """The tensors converted to their common floating dtype (torch's promotion rules)."""
    dtype = tensors[0].dtype
    for t in tensors[1:]:
        dtype = torch.promote_types(dtype, t.dtype)
    return tuple(t.to(dtype) for t in tensors)


def finite(what, *results):
    """The results (one, or a tuple) if they are finite, else FloatingPointError: ``what``
    overflowed, which in training means that the learning rate is too large."""
    for result in results:
        if not torch.isfinite(result.detach()).all():
            raise FloatingPointError(
                f"{what} overflow {result.dtype}: the inputs are too large "
                "(in training: the learning rate is too large)"
            )
    return results[0] if len(results) == 1 else results


def samples(X, y):
    """X: [n, d] and y: [n] or [n, 1], as floating tensors; y becomes [n, 1]."""
    X = tensor(X, "X", ndim=2, shape="[n, d]")
    y = tensor(y, "y", ndim=(1, 2), shape="[n, 1] or [n]")
    if y.dim() == 2 and y.shape[1] != 1:
        raise ValueError(f"y must have shape [n, 1] or [n], got shape {_shape(y)}")
    if len(y) != len(X):
        raise ValueError(
            f"X and y must have the same number of samples: X has shape "
            f"{_shape(X)}, y has shape {_shape(y)}"
        )
    return X, y.reshape(-1, 1)


# --- gradlab.data ---------------------------------------------------------------------------------


def sample_args(n, seed_):
    """A number of samples n >= 1 and a seed; returns the seed."""
    integer(n, "n")
    return seed(seed_)


def synthetic_args(w, b, n, noise, seed_):
    """w: d numbers (list, array or tensor, [d] or [d, 1]); b a number; n >= 1; noise >= 0."""
    if isinstance(w, (list, tuple)):
        try:
            w = torch.tensor(w, dtype=torch.float64)
        except (TypeError, ValueError, RuntimeError):
            raise TypeError(f"w must be d numbers, got {w!r}") from None
    w = tensor(w, "w", empty=True)
    if w.dim() == 2 and w.shape[1] == 1:
        w = w.flatten()
    if w.dim() != 1 or w.numel() == 0:
        raise ValueError(f"w must be d numbers, shape [d] or [d, 1], got shape {_shape(w)}")
    if number(noise, "noise") < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    sample_args(n, seed_)
    return finite("w", w.to(torch.float32)), number(b, "b"), float(noise)


def batches_args(X, y, batch_size, shuffle, seed_):
    """X and y with one row per sample, as many rows each; batch_size >= 1; shuffle a bool;
    seed None or a seed."""
    X, y = tensor(X, "X", ndim=(1, 2, 3, 4)), tensor(y, "y", ndim=(1, 2, 3, 4))
    integer(batch_size, "batch_size")
    flag(shuffle, "shuffle")
    if seed_ is not None:
        seed(seed_)
    if len(X) != len(y):
        raise ValueError(
            f"X and y must have the same number of samples: X has shape "
            f"{_shape(X)}, y has shape {_shape(y)}"
        )
    return X, y


# --- gradlab.linreg -------------------------------------------------------------------------------


def _bias(b, dtype):
    if isinstance(b, torch.Tensor):
        b = tensor(b, "b", empty=False)
        if b.numel() != 1:
            raise ValueError(f"b must be one number (shape [1] or []), got shape {_shape(b)}")
        return b
    return number(b, "b")


def linear_model(X, w, b):
    """Arguments of ``X @ w + b``: X [n, d], w [d, 1], b a number or one-element tensor, all
    promoted to one floating dtype."""
    X, w = tensor(X, "X", ndim=2, shape="[n, d]"), tensor(w, "w")
    if w.shape != (X.shape[1], 1):
        raise ValueError(
            f"w must be a tensor of shape [{X.shape[1]}, 1] for X of shape "
            f"{_shape(X)}, got {_shape(w)}"
        )
    b = _bias(b, X.dtype)
    if isinstance(b, torch.Tensor):
        X, w, b = promote(X, w, b)
    else:
        X, w = promote(X, w)
    return X, w, b


def loss_pair(y_hat, y):
    """y_hat and y holding as many values: (y_hat - y) would otherwise broadcast, e.g. [n, 1]
    against [n] into an [n, n] matrix."""
    y_hat, y = tensor(y_hat, "y_hat"), tensor(y, "y")
    if y.numel() != y_hat.numel():
        raise ValueError(
            f"y_hat and y must hold as many values: y_hat has shape {_shape(y_hat)}, "
            f"y has shape {_shape(y)} (y_hat - y would broadcast into a matrix)"
        )
    y_hat, y = promote(y_hat, y)
    return y_hat, y.reshape(y_hat.shape)


def gradients_args(X, y, w, b):
    """As for linear_model, plus y: [n] or [n, 1]; returns detached tensors of one dtype, with
    b a tensor of its own shape ([] for a number)."""
    X, w, b = linear_model(X, w, b)
    X, y = samples(X, y)
    b = b if isinstance(b, torch.Tensor) else torch.tensor(b, dtype=X.dtype)
    X, y, w, b = promote(X, y, w, b)
    return X.detach(), y.detach(), w.detach(), b.detach()


def closed_form_args(X, y):
    """X: [n, d], y: [n] or [n, 1] with n >= d + 1 samples."""
    X, y = samples(X, y)
    n, d = X.shape
    if n < d + 1:
        raise ValueError(
            f"need at least d + 1 = {d + 1} samples for {d} weights and a bias, "
            f"got X of shape {_shape(X)}"
        )
    return X, y


def sgd_args(params, lr, batch_size):
    """params: a list of tensors that have gradients; lr > 0; batch_size >= 1."""
    positive(lr, "lr")
    integer(batch_size, "batch_size")
    if isinstance(params, torch.Tensor) or not hasattr(params, "__iter__"):
        raise TypeError(
            f"params must be a list of tensors, like [w, b], got {type(params).__name__}"
        )
    params = list(params)
    for i, p in enumerate(params):
        if not isinstance(p, torch.Tensor):
            raise TypeError(f"parameter {i} must be a tensor, got {type(p).__name__}")
        if p.grad is None:
            raise ValueError(
                f"parameter {i} has no gradient: call backward() on a loss that "
                "depends on it (with requires_grad=True) before sgd"
            )
        if not torch.isfinite(p.grad).all():
            raise FloatingPointError(
                f"the gradient of parameter {i} is not finite: training "
                "diverged; try a smaller learning rate"
            )
    return params


# --- gradlab.descent ------------------------------------------------------------------------------


def descent_args(grad, start, lr, steps):
    """grad a function; start a 1-D point of finite numbers (float64 copy); lr > 0; steps >= 0."""
    function(grad, "grad", "the point")
    positive(lr, "lr")
    integer(steps, "steps", low=0)
    if isinstance(start, torch.Tensor):
        start = start.detach().cpu().numpy()
    if isinstance(start, (str, bytes)) or np.iscomplexobj(start) or np.asarray(start).dtype == bool:
        raise TypeError(f"start must be a 1-D point of real numbers, got {start!r}")
    try:
        w = np.array(start, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"start must be a 1-D point of numbers, got {start!r}") from None
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"start must be a 1-D point of shape [d], got shape {list(w.shape)}")
    if not np.isfinite(w).all():
        raise ValueError(f"start must be finite, got {w.tolist()}")
    return w


def gradient_at(grad, w):
    """grad(w) as a float64 array of w's shape, or a TypeError / ValueError saying what came."""
    try:
        g = np.asarray(grad(w.copy()), dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"grad must return the gradient as numbers (an array of shape {list(w.shape)})"
        ) from None
    if g.shape != w.shape:
        raise ValueError(f"grad must return the point's shape {list(w.shape)}, got {list(g.shape)}")
    return g


# --- gradlab.backprop -----------------------------------------------------------------------------


def mlp_args(sizes, activation, activations, dtype):
    one_of(activation, activations, "activation")
    if not isinstance(sizes, (list, tuple)):
        raise TypeError(f"sizes must be a list of layer sizes, got {sizes!r}")
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output size, got {sizes!r}")
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, numbers.Integral):
            raise TypeError(f"sizes must be positive integers, got {sizes!r}")
        if s < 1:
            raise ValueError(f"sizes must be positive integers, got {sizes!r}")
    if not (isinstance(dtype, torch.dtype) and dtype.is_floating_point):
        raise TypeError(f"dtype must be a floating-point torch dtype, got {dtype!r}")
    return [int(s) for s in sizes]


def mlp_inputs(X, n_in, dtype):
    """X of shape [m, n_in], m >= 1, as the network's dtype."""
    X = tensor(X, "X")
    if X.dim() != 2 or X.shape[1] != n_in:
        raise ValueError(f"X must have shape [m, {n_in}], got {_shape(X)}")
    return X.to(dtype)


def mlp_targets(y, activations):
    """y shaped like the last forward's output activations[-1] ([m] is fine for one output),
    in its dtype."""
    if activations is None:
        raise ValueError("backward needs the values of a forward pass: call forward(X) first")
    y_hat = activations[-1]
    y = tensor(y, "y", ndim=(1, 2))
    if y.dim() == 1 and y_hat.shape[1] == 1:
        y = y.unsqueeze(1)
    if y.shape != y_hat.shape:
        raise ValueError(f"y must have shape {_shape(y_hat)} like the output, got {_shape(y)}")
    return y.to(y_hat.dtype)


# --- gradlab.gradcheck ----------------------------------------------------------------------------


def gradcheck_args(f, x, eps):
    """f a function; x a non-empty finite floating tensor; 0 < eps < 1."""
    function(f, "f", "x")
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}")
    if not x.is_floating_point():
        raise TypeError(f"x must be a floating-point tensor, got dtype {x.dtype}")
    if not 0 < number(eps, "eps") < 1:
        raise ValueError(f"eps must be a small number in (0, 1), got {eps!r}")
    return tensor(x, "x")


def scalar_result(value):
    """What f returned, as a finite float."""
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise ValueError(f"f must return a scalar, got a tensor of shape {_shape(value)}")
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"f must return a number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"f returned {value} near x: a gradient check needs finite values")
    return float(value)


def same_shape_pair(a, b):
    """a and b (tensors, arrays or lists of numbers) as float64 tensors of one shape."""
    pair = []
    for name, v in (("a", a), ("b", b)):
        if isinstance(v, (list, tuple)) or isinstance(v, numbers.Real) and not isinstance(v, bool):
            try:
                v = torch.tensor(v, dtype=torch.float64)
            except (TypeError, ValueError, RuntimeError):
                raise TypeError(
                    f"{name} must be a tensor or a list of numbers, got {v!r}"
                ) from None
        pair.append(tensor(v, name).double())
    if pair[0].shape != pair[1].shape:
        raise ValueError(
            f"a and b must have the same shape, got {_shape(pair[0])} and {_shape(pair[1])}"
        )
    return pair


# --- gradlab.engine -------------------------------------------------------------------------------

EXP_LIMIT = math.log(1.7976931348623157e308)  # exp(x) overflows float64 above this


def value_data(data, op):
    """A Value's number: a finite float. ``op`` names the operation that made it, if any."""
    if type(data) is float and data - data == 0.0:  # the fast path: a finite float
        return data
    if isinstance(data, bool) or not isinstance(data, numbers.Real):
        raise TypeError(f"Value holds a real number, got {type(data).__name__}")
    data = float(data)
    if not math.isfinite(data):
        raise ValueError(
            f"Value must be finite, got {data}" + (f" (result of {op!r})" if op else "")
        )
    return data


def operand(other):
    """The number on the other side of an operation with a Value."""
    if isinstance(other, bool) or not isinstance(other, numbers.Real):
        raise TypeError(f"operand must be a number or a Value, got {type(other).__name__}")
    return other


def _real_power(x, n, factor, what):
    """factor * x ** n as a finite float, or a ValueError saying why not."""
    try:
        result = factor * x**n
    except ZeroDivisionError:
        raise ValueError(f"{what} is undefined (division by zero)") from None
    except OverflowError:
        raise ValueError(f"{what} overflows") from None
    if isinstance(result, complex):
        raise ValueError(f"{what} is not a real number")
    if not math.isfinite(result):
        raise ValueError(f"{what} overflows")
    return result


def power(x, n):
    """Refuse ``x ** n`` where it, or its derivative ``n * x ** (n - 1)``, is not a finite real
    number (PyTorch would give inf or nan there); for n = 0 the derivative is 0, as in PyTorch."""
    if isinstance(n, bool) or not isinstance(n, numbers.Real):
        raise TypeError(f"only powers by a number are supported, got {type(n).__name__}")
    if not math.isfinite(n):
        raise ValueError(f"the exponent must be finite, got {n}")
    _real_power(x, n, 1, f"{x} ** {n}")
    if n != 0:
        _real_power(x, n - 1, n, f"the derivative of x ** {n} at x = {x}")


def division(a, b):
    """Refuse ``a / b`` where it or its derivatives ``1 / b`` and ``-a / b**2`` are not finite."""
    if b == 0:
        raise ValueError(f"{a} / {b} is undefined (division by zero)")
    if not (math.isfinite(a / b) and math.isfinite(1 / b) and math.isfinite(a / b / b)):
        raise ValueError(f"{a} / {b} or its derivative overflows")


def exponential(x):
    if x > EXP_LIMIT:
        raise ValueError(f"exp({x}) overflows")


def gradients_finite(nodes):
    for v in nodes:
        if not math.isfinite(v.grad):
            raise ValueError(
                "a gradient overflowed float64 in backward(): the graph multiplies "
                "too many large local derivatives"
            )
