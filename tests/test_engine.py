"""The tiny autograd engine against PyTorch, including property-based tests."""

import math
import re

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gradlab.engine import Value

# Each operation is written so that it is defined and bounded for any finite inputs, and works the
# same on Values and on float64 tensors.
OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (1 + b * b),
    "pow": lambda a, b: (a * a + 1) ** 1.5,
    "exp": lambda a, b: a.tanh().exp(),
    "tanh": lambda a, b: a.tanh(),
    "sigmoid": lambda a, b: a.sigmoid(),
    "relu": lambda a, b: a.relu() + b,
    "radd": lambda a, b: 2.5 + a,
    "rsub": lambda a, b: 1.0 - b,
    "rmul": lambda a, b: -0.5 * a,
    "rdiv": lambda a, b: 3.0 / (2 + a * a),
    "neg": lambda a, b: -a,
}


def evaluate(leaves, program, make):
    nodes = [make(x) for x in leaves]
    for op, i, j in program:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        out = OPS[op](a, b)
        nodes.append(out.tanh() if op == "mul" else out)  # keep values bounded
    return nodes


@settings(max_examples=150, deadline=None)
@given(
    leaves=st.lists(
        st.floats(-3, 3, allow_nan=False).filter(lambda x: abs(x) > 1e-3), min_size=1, max_size=4
    ),
    program=st.lists(
        st.tuples(st.sampled_from(sorted(OPS)), st.integers(0, 50), st.integers(0, 50)),
        min_size=1,
        max_size=12,
    ),
)
def test_values_and_gradients_equal_pytorch(leaves, program):
    values = evaluate(leaves, program, Value)
    tensors = evaluate(
        leaves, program, lambda x: torch.tensor(x, dtype=torch.float64, requires_grad=True)
    )
    root_v, root_t = values[-1], tensors[-1]
    assert math.isclose(root_v.data, root_t.item(), rel_tol=1e-9, abs_tol=1e-12)
    root_v.backward()
    root_t.backward()
    for v, t in zip(values[: len(leaves)], tensors[: len(leaves)]):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert math.isclose(v.grad, expected, rel_tol=1e-9, abs_tol=1e-12)


def test_a_node_used_twice_gets_both_contributions():
    x = Value(3.0)
    y = x * 3
    v = y + y * 2  # v = 9x
    v.backward()
    assert x.grad == 9.0 and y.grad == 3.0


def test_leaves_accumulate_across_backward_calls_like_pytorch():
    x, y = Value(2.0), Value(5.0)
    z = (x * y + x).tanh()
    z.backward()
    first = x.grad
    z.backward()
    assert math.isclose(x.grad, 2 * first)
    x.grad = 0.0
    z.backward()
    assert math.isclose(x.grad, first)


def test_repr_and_numbers_on_either_side():
    v = Value(2.0)
    assert repr(v) == "Value(data=2, grad=0)"
    assert (1 + v).data == 3 and (v - 1).data == 1 and (1 - v).data == -1
    assert (3 * v).data == 6 and (v / 4).data == 0.5 and (4 / v).data == 2
    assert (v**3).data == 8 and (-v).data == -2


@pytest.mark.parametrize(
    "make",
    [
        lambda: Value(1.0) + "2",
        lambda: Value(1.0) * [1],
        lambda: None * Value(1.0),
        lambda: Value(1.0) + True,
    ],
)
def test_operands_that_are_not_numbers_or_values_raise_type_error(make):
    with pytest.raises(TypeError, match="operand must be a number or a Value"):
        make()


def test_powers_by_non_numbers_and_non_number_data_are_refused():
    with pytest.raises(TypeError, match="only powers by a number"):
        Value(2.0) ** Value(2.0)
    with pytest.raises(TypeError, match="Value holds a real number, got str"):
        Value("3")


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: Value(float("nan")), "Value must be finite, got nan"),
        (lambda: Value(float("inf")), "got inf"),
        (lambda: Value(800.0).exp(), "exp(800.0) overflows"),
        (lambda: Value(1e200) * 1e200, "Value must be finite, got inf (result of '*')"),
        (lambda: 1 / Value(0.0), "is undefined (division by zero)"),
        (lambda: Value(-2.0) ** 0.5, "is not a real number"),
    ],
)
def test_non_finite_data_raises_value_error(make, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        make()
