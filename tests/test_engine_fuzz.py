"""gradlab.engine against PyTorch float64 at the edges: zeros, signed zeros, subnormals, huge
values, powers with negative and fractional exponents at and near 0, exp of large values, relu at 0,
division, and graphs far deeper than Python's recursion limit.

The contract: every operation either gives PyTorch's value and gradients, or raises a ValueError at
the operation where PyTorch's value or local derivative stops being a finite number. Nothing else:
no bare OverflowError or ZeroDivisionError, no RecursionError, no NaN."""

import math
import re
import sys
import time

import pytest
import torch
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gradlab.engine import Value

EDGES = [
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1e-300,
    1e-8,
    -1e-8,
    0.5,
    1.0,
    -1.0,
    2.0,
    -3.0,
    700.0,
    710.0,
    -745.0,
    1e150,
    -1e150,
    1e300,
    1.7976931348623157e308,
]
EXPONENTS = [0, 1, 2, 3, -1, -2, 0.5, -0.5, 1.5, -1.5, 1 / 3, 2.0, -3.0, 0.0]

# name: (function on two operands, works on Values and float64 tensors alike)
OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "rdiv": lambda a, b: 1.0 / a,
    "neg": lambda a, b: -a,
    "exp": lambda a, b: a.exp(),
    "tanh": lambda a, b: a.tanh(),
    "sigmoid": lambda a, b: a.sigmoid(),
    "relu": lambda a, b: a.relu(),
    **{f"pow{n:g}": (lambda n: lambda a, b: a**n)(n) for n in EXPONENTS},
}


def _tensor(x):
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


def _torch_op_is_defined(op, a, b):
    """Whether PyTorch's result of ``op`` and its derivatives there are all finite numbers."""
    ta, tb = _tensor(a), _tensor(b)
    out = OPS[op](ta, tb)
    if not torch.isfinite(out):
        return False
    grads = torch.autograd.grad(out, [ta, tb], allow_unused=True)
    return all(g is None or torch.isfinite(g) for g in grads)


def run(leaves, program):
    """Build the graph with Values and with tensors; compare, or check the refusal was due."""
    values = [Value(x) for x in leaves]
    tensors = [_tensor(x) for x in leaves]
    for op, i, j in program:
        a, b = values[i % len(values)], values[j % len(values)]
        ta, tb = tensors[i % len(tensors)], tensors[j % len(tensors)]
        try:
            out = OPS[op](a, b)
        except ValueError:
            assert not _torch_op_is_defined(op, a.data, b.data), (
                f"{op}({a.data!r}, {b.data!r}) refused although PyTorch defines it"
            )
            return "refused"
        t_out = OPS[op](ta, tb)
        # a difference of nearly equal inputs keeps only their round-off: allow it, scaled
        scale = max(1.0, abs(a.data), abs(b.data))
        if not math.isclose(out.data, t_out.item(), rel_tol=1e-12, abs_tol=1e-12 * scale):
            # The two graphs' inputs to this operation differ by round-off, and the operation
            # magnifies it (3 ** (1/3) cubed minus 3 is 4e-16 here and 0 in PyTorch; dividing
            # by it gives 7e15 against inf). The operation itself must still agree with
            # PyTorch on the engine's own inputs; the rest of the graph is ill-conditioned.
            local = OPS[op](_tensor(a.data), _tensor(b.data)).item()
            assert math.isclose(out.data, local, rel_tol=1e-12, abs_tol=1e-12 * scale), (
                op,
                a.data,
                b.data,
                out.data,
                local,
            )
            return "ill-conditioned"
        values.append(out)
        tensors.append(t_out)
    root, t_root = values[-1], tensors[-1]
    try:
        root.backward()
    except ValueError as error:  # only a gradient that overflowed float64
        assert "overflowed" in str(error)
        t_root.backward()
        assert not all(t.grad is None or torch.isfinite(t.grad) for t in tensors[: len(leaves)])
        return "overflow"
    t_root.backward()
    # contributions that cancel (8.9e-16 here, exactly 0 in PyTorch; or 4.5e307 - 4.5e307) leave
    # round-off of the size of the largest contribution (local derivative x gradient) that
    # flowed through the graph: compare against that scale
    flows = [abs(d * v.grad) for v in values for d in v._local]
    scale = max(1.0, *flows) * max(1.0, *(abs(v.data) for v in values))
    for v, t in zip(values[: len(leaves)], tensors[: len(leaves)]):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert math.isfinite(v.grad)
        assert math.isclose(v.grad, expected, rel_tol=1e-9, abs_tol=1e-12 * scale), (
            v.grad,
            expected,
        )
    return "equal"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    leaves=st.lists(
        st.sampled_from(EDGES) | st.floats(-5, 5, allow_subnormal=True), min_size=1, max_size=3
    ),
    program=st.lists(
        st.tuples(st.sampled_from(sorted(OPS)), st.integers(0, 20), st.integers(0, 20)),
        min_size=1,
        max_size=6,
    ),
)
@example(leaves=[0.0], program=[("pow0.5", 0, 0)])
@example(leaves=[-0.0], program=[("rdiv", 0, 0)])
@example(leaves=[0.0], program=[("relu", 0, 0)])
@example(leaves=[710.0], program=[("exp", 0, 0)])
@example(leaves=[1e-200], program=[("pow-1", 0, 0)])
def test_random_graphs_equal_pytorch_or_refuse_where_pytorch_is_not_finite(leaves, program):
    run(leaves, program)


@pytest.mark.parametrize("op", sorted(OPS))
@pytest.mark.parametrize("x", EDGES)
def test_every_operation_at_every_edge_point(op, x):
    """The finite space of (operation, edge point) pairs, enumerated rather than sampled."""
    for leaves in ([x], [x, 1.0], [x, 0.0], [x, -0.0]):
        run(leaves, [(op, 0, 1)])


@pytest.mark.parametrize(
    "n, slope", [(0, 0.0), (0.0, 0.0), (1, 1.0), (2, 0.0), (1.5, 0.0), (3, 0.0)]
)
def test_powers_at_zero_have_pytorchs_derivative(n, slope):
    x = Value(0.0)
    (x**n).backward()
    t = _tensor(0.0)
    (t**n).backward()
    assert x.grad == slope == t.grad.item()


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: Value(0.0) ** 0.5, "the derivative of x ** 0.5 at x = 0.0 is undefined"),
        (lambda: Value(0.0) ** -1, "0.0 ** -1 is undefined (division by zero)"),
        (lambda: 1 / Value(-0.0), "is undefined (division by zero)"),
        (lambda: Value(-8.0) ** (1 / 3), "is not a real number"),
        (lambda: Value(1e-200) ** -1, "the derivative of x ** -1 at x = 1e-200 overflows"),
        (lambda: Value(2.0) ** float("nan"), "the exponent must be finite"),
        (lambda: Value(710.0).exp(), "exp(710.0) overflows"),
    ],
)
def test_undefined_points_are_refused_at_the_operation_with_a_clear_message(make, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        make()


def test_relu_at_zero_has_derivative_zero_like_pytorch():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


def test_a_chain_of_100000_operations_backpropagates():
    assert sys.getrecursionlimit() < 100_000
    x = Value(1.0)
    y = x
    for _ in range(50_000):
        y = y * 1.0 + 0.0  # 100,000 operations, each node on the last
    start = time.perf_counter()
    y.backward()
    assert x.grad == 1.0
    assert time.perf_counter() - start < 10


def test_a_sum_over_a_thousand_samples_backpropagates():
    xs = [Value(float(i)) for i in range(2000)]
    total = sum((x * x for x in xs), Value(0.0))
    total.backward()
    assert xs[1999].grad == 2 * 1999.0
