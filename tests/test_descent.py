import re

import numpy as np
import pytest

from gradlab.descent import gradient_descent


def bowl_grad(w):
    # J(w1, w2) = w1^2 + w2^2 + 2 w2 + 5, the worked example of chapter 3
    return np.array([2 * w[0], 2 * w[1] + 2])


def test_worked_example_matches_the_closed_form_to_1e_12():
    path = gradient_descent(bowl_grad, [-2, 3], lr=0.1, steps=20)
    assert path.shape == (21, 2) and path.dtype == np.float64
    k = np.arange(21)
    closed = np.stack([-2 * 0.8**k, -1 + 4 * 0.8**k], axis=1)
    assert np.abs(path - closed).max() < 1e-12
    assert np.allclose(path[1], [-1.6, 2.2])
    assert np.allclose(path[10], [-0.215, -0.571], atol=5e-4)
    assert np.allclose(path[20], [-0.023, -0.954], atol=5e-4)


def test_zero_steps_returns_the_start_and_the_start_is_not_modified():
    start = np.array([1.0, 2.0])
    path = gradient_descent(bowl_grad, start, lr=0.1, steps=0)
    assert path.shape == (1, 2) and np.array_equal(path[0], [1.0, 2.0])
    gradient_descent(lambda w: w, start, lr=0.5, steps=3)
    assert np.array_equal(start, [1.0, 2.0])


def test_grad_cannot_change_the_iterates_by_mutating_its_argument():
    def sloppy(w):
        g = 2 * w
        w[:] = 100.0
        return g

    path = gradient_descent(sloppy, [1.0], lr=0.25, steps=2)
    assert np.allclose(path[:, 0], [1.0, 0.5, 0.25])


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf"), -float("inf")])
def test_bad_learning_rates_raise_value_error(lr):
    with pytest.raises(ValueError, match=re.escape(f"lr must be a finite number > 0, got {lr}")):
        gradient_descent(bowl_grad, [0.0, 0.0], lr=lr, steps=5)


@pytest.mark.parametrize("lr", ["0.1", None, True, [0.1]])
def test_learning_rates_of_the_wrong_type_raise_type_error(lr):
    with pytest.raises(TypeError, match="lr must be a real number"):
        gradient_descent(bowl_grad, [0.0, 0.0], lr=lr, steps=5)


@pytest.mark.parametrize("steps", [2.5, "3", True, None])
def test_step_counts_of_the_wrong_type_raise_type_error(steps):
    with pytest.raises(TypeError, match="steps must be an int"):
        gradient_descent(bowl_grad, [0.0, 0.0], lr=0.1, steps=steps)


def test_negative_step_counts_raise_value_error():
    with pytest.raises(ValueError, match="steps must be at least 0, got -1"):
        gradient_descent(bowl_grad, [0.0, 0.0], lr=0.1, steps=-1)


@pytest.mark.parametrize(
    "start, words",
    [
        (3.0, "start must be a 1-D point of shape [d], got shape []"),
        ([[1.0, 2.0]], "start must be a 1-D point of shape [d], got shape [1, 2]"),
        ([], "got shape [0]"),
        ([1.0, float("nan")], "start must be finite"),
        ([float("inf"), 0.0], "start must be finite"),
    ],
)
def test_bad_starts_raise_value_error(start, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        gradient_descent(bowl_grad, start, lr=0.1, steps=5)


def test_a_gradient_of_the_wrong_shape_is_named():
    with pytest.raises(
        ValueError, match=re.escape("grad must return the point's shape [2], got [3]")
    ):
        gradient_descent(lambda w: np.zeros(3), [0.0, 0.0], lr=0.1, steps=5)


def test_grad_must_be_callable():
    with pytest.raises(TypeError, match="grad must be a function of the point"):
        gradient_descent([1.0, 2.0], [0.0, 0.0], lr=0.1, steps=5)


def test_divergence_raises_floating_point_error_naming_the_step():
    # |1 - 2 lr| = 3 per step: 3^k passes the float64 range after about 646 steps
    with pytest.raises(FloatingPointError) as info:
        gradient_descent(bowl_grad, [-2.0, 3.0], lr=2.0, steps=5000)
    message = str(info.value)
    step = int(re.search(r"at step (\d+)", message).group(1))
    assert 600 < step < 700
    assert "lr = 2.0" in message and "smaller learning rate" in message


def test_divergence_without_overflow_is_returned_as_numbers():
    # lr just above the limit: the path grows but stays finite for 20 steps
    path = gradient_descent(bowl_grad, [-2.0, 3.0], lr=1.05, steps=20)
    assert np.isfinite(path).all()
    assert np.hypot(path[-1, 0], path[-1, 1] + 1) > np.hypot(-2.0, 4.0)


def test_a_start_of_text_raises_type_error():
    with pytest.raises(TypeError, match="start must be a 1-D point of numbers"):
        gradient_descent(bowl_grad, ["a", "b"], lr=0.1, steps=1)
