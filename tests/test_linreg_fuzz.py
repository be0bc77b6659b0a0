"""gradlab.linreg against PyTorch float64 on every dtype pair, numpy and torch inputs, transposed
(non-contiguous) tensors, 0-d, empty and mismatched shapes, and values at the edges (0, -0,
subnormals, huge, inf, nan).

Each call gives PyTorch's answer, in the dtype PyTorch's promotion gives, or a TypeError,
ValueError or FloatingPointError whose message names the argument: never an error from deep
inside torch, a silent NaN, or a silent change of dtype or shape."""

import itertools

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradlab.linreg import closed_form, gradients, linreg, sgd, squared_loss

DTYPES = [
    torch.float16,
    torch.bfloat16,
    torch.float32,
    torch.float64,
    torch.int32,
    torch.int64,
    torch.bool,
]
EDGES = [0.0, -0.0, 5e-324, 1e-40, 1.0, -2.5, 7e4, 1e38, 1e300, float("inf"), float("nan")]
ALLOWED = (TypeError, ValueError, FloatingPointError)


def as_float(dtype):
    """The dtype gradlab computes in for an input of ``dtype`` (integers: torch's default float)."""
    return dtype if dtype.is_floating_point else torch.get_default_dtype()


def refuse_clearly(error, names):
    message = str(error)
    assert any(name in message for name in names) or "overflow" in message, message
    assert not message.startswith(
        ("mat1 and mat2", "The size of tensor", "expected", "Expected", "result type")
    ), message


def call(fn, *args, names):
    """fn(*args), or None after checking that the refusal is one of ours and names an argument."""
    try:
        return fn(*args)
    except ALLOWED as error:
        refuse_clearly(error, names)
        return None


def make(values, shape, dtype, kind):
    t = torch.tensor(values, dtype=torch.float64).reshape(shape)
    if dtype == torch.bool:
        t = t != 0
    elif not dtype.is_floating_point:
        t = t.nan_to_num(0, 0, 0).clamp(-1e6, 1e6).to(dtype)
    else:
        t = t.to(dtype)
    if kind == "transposed" and t.dim() == 2:
        t = t.T.contiguous().T  # same values, non-contiguous strides
    if kind == "numpy" and dtype != torch.bfloat16:
        return t.numpy()
    return t


@pytest.mark.parametrize("x_dtype, w_dtype", list(itertools.product(DTYPES, DTYPES)))
def test_linreg_and_gradients_on_every_dtype_pair(x_dtype, w_dtype):
    """The finite space of dtype pairs, enumerated."""
    X = make([0.5, -1.0, 2.0, 0.0, 1.5, -0.5], (3, 2), x_dtype, "torch")
    w = make([1.0, -2.0], (2, 1), w_dtype, "torch")
    y = make([1.0, 0.0, -1.0], (3,), x_dtype, "torch")
    out = call(linreg, X, w, 0.5, names=("X", "w"))
    if x_dtype == torch.bool or w_dtype == torch.bool:
        assert out is None
        return
    expected_dtype = torch.promote_types(as_float(x_dtype), as_float(w_dtype))
    reference = X.double() @ w.double() + 0.5
    assert out.dtype == expected_dtype and out.shape == (3, 1)
    assert torch.allclose(out.double(), reference, rtol=1e-2)
    dw, db = gradients(X, y, w, 0.5)
    assert dw.dtype == expected_dtype and dw.shape == (2, 1) and db.shape == ()
    delta = reference - y.double().reshape(-1, 1)
    assert torch.allclose(dw.double(), X.double().T @ delta, rtol=2e-2, atol=1e-2)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(st.sampled_from(EDGES) | st.floats(-10, 10), min_size=12, max_size=12),
    x_dtype=st.sampled_from(DTYPES),
    y_dtype=st.sampled_from(DTYPES),
    kind=st.sampled_from(["torch", "numpy", "transposed"]),
    n=st.integers(0, 3),
    d=st.integers(1, 2),
    y_shape=st.sampled_from(["[n]", "[n, 1]", "[1, n]", "[]"]),
)
def test_every_function_answers_right_or_refuses_clearly(
    values, x_dtype, y_dtype, kind, n, d, y_shape
):
    X = make(values[: n * d], (n, d), x_dtype, kind)
    w = make(values[6 : 6 + d], (d, 1), x_dtype, "torch")
    shape = {"[n]": (n,), "[n, 1]": (n, 1), "[1, n]": (1, n), "[]": ()}[y_shape]
    y = make(values[8 : 8 + (n if shape else 1)], shape, y_dtype, kind)
    b = values[11]
    for fn, args, names in [
        (linreg, (X, w, b), ("X", "w", "b")),
        (squared_loss, (X[:, :1] if n and X.ndim == 2 else X, y), ("y_hat", "y")),
        (gradients, (X, y, w, b), ("X", "y", "w", "b")),
        (closed_form, (X, y), ("X", "y", "samples")),
    ]:
        out = call(fn, *args, names=names)
        for t in out if isinstance(out, tuple) else [out]:
            if isinstance(t, torch.Tensor):
                assert torch.isfinite(t).all(), f"{fn.__name__} returned NaN or inf"
                assert t.dtype in (torch.float16, torch.bfloat16, torch.float32, torch.float64)


def test_mixed_float32_and_float64_promotes_instead_of_failing_in_matmul():
    X = torch.randn(4, 2, dtype=torch.float32)
    y = torch.randn(4, 1, dtype=torch.float64)
    w = torch.zeros(2, 1, dtype=torch.float64, requires_grad=True)
    dw, db = gradients(X, y, w, 0.0)
    assert dw.dtype == torch.float64
    assert linreg(X, w, 0.0).dtype == torch.float64
    squared_loss(linreg(X, w, 0.0), y).sum().backward()
    assert torch.allclose(w.grad, dw)


def test_numpy_and_transposed_inputs_give_the_same_answer():
    X = torch.randn(5, 3, dtype=torch.float64)
    w = torch.randn(3, 1, dtype=torch.float64)
    expected = linreg(X, w, 1.0)
    assert torch.equal(linreg(X.numpy(), w, 1.0), expected)
    assert torch.equal(linreg(X.T.contiguous().T, w, 1.0), expected)
    assert torch.equal(linreg(np.asfortranarray(X.numpy()), w, 1.0), expected)


def test_huge_values_overflow_with_a_clear_error_not_a_nan():
    X = torch.tensor([[3e38, 3e38]])
    with pytest.raises(FloatingPointError, match="predictions overflow torch.float32"):
        linreg(X, torch.ones(2, 1), 0.0)
    with pytest.raises(FloatingPointError, match="losses overflow"):
        squared_loss(torch.tensor([3e38]), torch.tensor([-3e38]))


def test_sgd_refuses_non_finite_gradients_before_stepping():
    w = torch.ones(2, requires_grad=True)
    w.grad = torch.tensor([1.0, float("nan")])
    with pytest.raises(FloatingPointError, match="gradient of parameter 0 is not finite"):
        sgd([w], 0.1, 1)
    assert torch.equal(w.detach(), torch.ones(2))
