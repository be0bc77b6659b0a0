"""Bad input everywhere: every public function of gradlab answers wrong shapes, dtypes, empty
tensors, NaN and infinite values, bad learning rates and batch sizes, and wrong types with a
ValueError or TypeError (FloatingPointError for divergence), never a NaN result or an error from
deep inside torch or numpy."""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gradlab import checks, plots  # noqa: E402
from gradlab.backprop import MLP, autograd_gradients  # noqa: E402
from gradlab.data import batches, house_prices, synthetic_regression, trapezoids  # noqa: E402
from gradlab.descent import gradient_descent  # noqa: E402
from gradlab.engine import Value  # noqa: E402
from gradlab.gradcheck import numerical_gradient, relative_error  # noqa: E402
from gradlab.graph import draw, trace  # noqa: E402
from gradlab.linreg import closed_form, gradients, linreg, sgd, squared_loss  # noqa: E402
from gradlab.widgets import Explorer  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def leaf(*shape):
    t = torch.ones(*shape, requires_grad=True)
    t.sum().backward()
    return t


def small_plot(**values):
    fig, ax = plt.subplots(figsize=(1, 1), dpi=20)
    ax.plot([0, 1], [0, sum(values.values())])
    return fig


def net_with_forward():
    net = MLP([2, 3, 1])
    net.forward(torch.ones(4, 2))
    return net


# (function, valid arguments) for every public function; each argument is replaced in turn.
CALLS = {
    "house_prices": (house_prices, lambda: [5, 20]),
    "trapezoids": (trapezoids, lambda: [5, 20]),
    "synthetic_regression": (synthetic_regression, lambda: [[2.0, -3.4], 4.2, 10, 0.01, 0]),
    "batches": (
        lambda *a: list(batches(*a)),
        lambda: [torch.ones(6, 2), torch.ones(6, 1), 4, True, 0],
    ),
    "closed_form": (closed_form, lambda: [torch.randn(6, 2), torch.randn(6, 1)]),
    "linreg": (linreg, lambda: [torch.ones(3, 2), torch.ones(2, 1), torch.zeros(1)]),
    "squared_loss": (squared_loss, lambda: [torch.ones(3, 1), torch.zeros(3)]),
    "sgd": (sgd, lambda: [[leaf(2)], 0.1, 2]),
    "gradients": (gradients, lambda: [torch.ones(3, 2), torch.ones(3, 1), torch.ones(2, 1), 0.5]),
    "gradient_descent": (gradient_descent, lambda: [lambda w: 2 * w, [1.0, 2.0], 0.1, 3]),
    "numerical_gradient": (
        numerical_gradient,
        lambda: [lambda t: (t**2).sum(), torch.ones(2, dtype=torch.float64), 1e-6],
    ),
    "relative_error": (relative_error, lambda: [torch.ones(3), torch.ones(3) * 2]),
    "MLP": (MLP, lambda: [[2, 3, 1], "sigmoid", 0, torch.float64]),
    "MLP.forward": (lambda *a: MLP([2, 3, 1]).forward(*a), lambda: [torch.ones(4, 2)]),
    "MLP.loss": (lambda *a: MLP([2, 3, 1]).loss(*a), lambda: [torch.ones(4, 2), torch.ones(4, 1)]),
    "MLP.backward": (lambda *a: net_with_forward().backward(*a), lambda: [torch.ones(4, 1)]),
    "autograd_gradients": (
        autograd_gradients,
        lambda: [MLP([2, 3, 1]), torch.ones(4, 2), torch.ones(4, 1)],
    ),
    "Value": (Value, lambda: [1.5]),
    # the operand on the right (and, for +, -, *, /, on the left) of a Value
    "Value.__add__": (lambda b: Value(1.0) + b, lambda: [Value(2.0)]),
    "Value.__radd__": (lambda a: a + Value(1.0), lambda: [2.0]),
    "Value.__mul__": (lambda b: Value(1.0) * b, lambda: [2.0]),
    "Value.__rsub__": (lambda a: a - Value(1.0), lambda: [2.0]),
    "Value.__truediv__": (lambda b: Value(1.0) / b, lambda: [Value(2.0)]),
    "Value.__rtruediv__": (lambda a: a / Value(2.0), lambda: [1.0]),
    "Value.__pow__": (lambda b: Value(2.0) ** b, lambda: [3]),
    "trace": (trace, lambda: [(torch.ones(2, requires_grad=True) * 2).sum()]),
    "draw": (draw, lambda: [(torch.ones(2, requires_grad=True) * 2).sum(), None, None]),
    "scatter_data": (plots.scatter_data, lambda: [torch.ones(3, 1), torch.ones(3, 1)]),
    "line": (plots.line, lambda: [2.0, 1.0, (0.0, 1.0)]),
    "loss_curve": (plots.loss_curve, lambda: [[3.0, 2.0, 1.0]]),
    "trapezoid_shapes": (plots.trapezoid_shapes, lambda: [torch.tensor([[0.5, 1.0]])]),
    "network_diagram": (plots.network_diagram, lambda: [[2, 3, 1]]),
    "contour_path": (
        plots.contour_path,
        lambda: [lambda a, b: a * a + b * b, np.zeros((2, 2)), (-1, 1), (-1, 1)],
    ),
    "surface_path": (
        plots.surface_path,
        lambda: [lambda a, b: a * a + b * b, np.zeros((2, 2)), (-1, 1), (-1, 1)],
    ),
    "Explorer": (Explorer, lambda: [small_plot, {"w": [1.0, 2.0]}, lambda **v: "alt"]),
}

BAD_VALUES = [
    None,
    "text",
    True,
    [],
    {},
    float("nan"),
    float("inf"),
    -1,
    0,
    -0.5,
    1e308,
    torch.tensor([]),
    torch.ones(0, 2),
    torch.tensor([[float("nan")]]),
    torch.tensor([float("inf"), 1.0]),
    torch.ones(2, 3, 4),
    torch.ones(5),
    torch.ones(3, 1, dtype=torch.bool),
    torch.ones(2, dtype=torch.complex64),
    np.array([1.0, np.nan]),
    [[1.0, 2.0], [3.0]],
]
ALLOWED = (ValueError, TypeError, FloatingPointError)


def assert_no_nan(result):
    if isinstance(result, torch.Tensor) and result.is_floating_point():
        assert torch.isfinite(result).all(), "returned NaN or infinity"
    elif isinstance(result, float):
        assert math.isfinite(result), "returned NaN or infinity"
    elif isinstance(result, np.ndarray) and result.dtype.kind == "f":
        assert np.isfinite(result).all(), "returned NaN or infinity"
    elif isinstance(result, (list, tuple)):
        for item in result:
            assert_no_nan(item)
    elif isinstance(result, Value):
        assert math.isfinite(result.data)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_valid_call_works(name):
    fn, args = CALLS[name]
    assert_no_nan(fn(*args()))


@settings(
    max_examples=int(__import__("os").environ.get("BAD_INPUT_EXAMPLES", 400)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(sorted(CALLS)),
    position=st.integers(0, 4),
    bad=st.sampled_from(range(len(BAD_VALUES))),
)
def test_bad_argument_gives_a_clear_error_or_a_finite_result(name, position, bad):
    fn, make_args = CALLS[name]
    args = make_args()
    args[position % len(args)] = BAD_VALUES[bad]
    try:
        result = fn(*args)
    except ALLOWED as error:
        message = str(error)
        assert len(message) > 10, f"{name}: unhelpful message {message!r}"
        # a message of ours, not one from deep inside torch or numpy
        assert not message.startswith(
            (
                "mat1 and mat2",
                "The size of tensor",
                "could not convert",
                "only integer tensors",
                "Expected all tensors",
            )
        ), message
        return
    assert_no_nan(result)


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_learning_rates_are_checked_by_every_optimizer(lr):
    with pytest.raises(ValueError, match=r"lr must be a finite number > 0"):
        sgd([leaf(2)], lr, 2)
    with pytest.raises(ValueError, match=r"lr must be a finite number > 0"):
        gradient_descent(lambda w: w, [1.0], lr, 3)


@pytest.mark.parametrize("batch_size", [0, -4])
def test_batch_sizes_are_checked(batch_size):
    with pytest.raises(ValueError, match=f"batch_size must be at least 1, got {batch_size}"):
        batches(torch.ones(4, 1), torch.ones(4, 1), batch_size)
    with pytest.raises(ValueError, match=f"batch_size must be at least 1, got {batch_size}"):
        sgd([leaf(2)], 0.1, batch_size)


def test_errors_come_at_the_call_not_at_the_first_batch():
    with pytest.raises(ValueError):
        batches(torch.ones(4, 1), torch.ones(3, 1), 2)  # no next() needed


def test_training_helpers_stop_with_a_clear_error_when_the_loss_stops_being_finite():
    with pytest.raises(FloatingPointError, match="diverged.*smaller learning rate"):
        gradient_descent(lambda w: np.array([2 * w[0]]), [1.0], lr=5.0, steps=5000)
    w = torch.tensor([1e30], requires_grad=True)
    (w * w).sum().backward()
    with pytest.raises(FloatingPointError, match="training diverged; try a smaller learning rate"):
        sgd([w], 1e10, 1)


def test_explorer_accepts_every_control_value_including_the_extremes():
    seen = []

    def plot(lr, batch_size):
        seen.append((lr, batch_size))
        return small_plot(lr=lr, batch_size=batch_size)

    controls = {"lr": [1e-6, 0.1, 1e6], "batch_size": [1, 1000]}
    explorer = Explorer(plot, controls, lambda **v: f"frame {v}")
    sliders = explorer.widget().children[:2]
    for lr in controls["lr"]:
        for batch_size in controls["batch_size"]:
            sliders[0].value, sliders[1].value = lr, batch_size  # the live update function
    html = explorer.static_html()  # every frame precomputed
    assert html.count("frame {") >= 6
    assert {(lr, n) for lr in controls["lr"] for n in controls["batch_size"]} <= set(seen)


@pytest.mark.parametrize(
    "check",
    [
        checks.check_squared_loss,
        checks.check_batches,
        checks.check_sgd,
        checks.check_linreg_gradients,
        checks.check_backward,
        checks.check_value,
    ],
)
@pytest.mark.parametrize("garbage", [None, 42, "text", lambda *a, **k: float("nan")])
def test_self_checks_never_raise(check, garbage, capsys):
    verdict = check(garbage)
    assert isinstance(verdict, checks.Verdict) and not verdict
    assert "✗" in capsys.readouterr().out
