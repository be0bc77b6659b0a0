import re
import warnings

import pytest
import torch

from gradlab.gradcheck import numerical_gradient, relative_error


def test_numerical_gradient_of_a_known_function():
    x = torch.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=torch.float64)
    g = numerical_gradient(lambda t: (t**3).sum(), x)
    assert g.shape == x.shape
    assert torch.allclose(g, 3 * x**2, atol=1e-6)
    assert torch.equal(x, torch.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=torch.float64))


def test_numerical_gradient_accepts_numbers_and_one_element_tensors():
    x = torch.tensor([2.0], dtype=torch.float64)
    assert abs(numerical_gradient(lambda t: float(t[0] ** 2), x).item() - 4) < 1e-6
    assert abs(numerical_gradient(lambda t: (t**2).reshape(1, 1), x).item() - 4) < 1e-6


def test_numerical_gradient_warns_on_float32():
    with pytest.warns(UserWarning, match="use float64"):
        numerical_gradient(lambda t: t.sum(), torch.ones(2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        numerical_gradient(lambda t: t.sum(), torch.ones(2, dtype=torch.float64))


@pytest.mark.parametrize(
    "f, x, eps, error, words",
    [
        (lambda t: t.sum(), [1.0], 1e-6, TypeError, "x must be a torch.Tensor, got list"),
        (
            lambda t: t.sum(),
            torch.ones(2, dtype=torch.int64),
            1e-6,
            TypeError,
            "floating-point tensor, got dtype torch.int64",
        ),
        ("f", torch.ones(2, dtype=torch.float64), 1e-6, TypeError, "f must be a function of x"),
        (
            lambda t: t.sum(),
            torch.ones(2, dtype=torch.float64),
            0,
            ValueError,
            "eps must be a small number in (0, 1), got 0",
        ),
        (lambda t: t.sum(), torch.ones(2, dtype=torch.float64), -1e-6, ValueError, "got -1e-06"),
        (
            lambda t: t * 2,
            torch.ones(2, dtype=torch.float64),
            1e-6,
            ValueError,
            "f must return a scalar, got a tensor of shape [2]",
        ),
    ],
)
def test_numerical_gradient_rejects_bad_input(f, x, eps, error, words):
    with pytest.raises(error, match=re.escape(words)):
        numerical_gradient(f, x, eps)


def test_relative_error_values():
    a = torch.tensor([1.0, 2.0], dtype=torch.float64)
    assert relative_error(a, a) == 0.0
    assert abs(relative_error(a, -a) - 1.0) < 1e-12
    assert abs(relative_error(a, 1.1 * a) - 0.1 / 2.1) < 1e-12
    assert relative_error(torch.zeros(3), torch.zeros(3)) == 0.0


def test_relative_error_rejects_different_shapes():
    with pytest.raises(ValueError, match=re.escape("same shape, got [2] and [3]")):
        relative_error(torch.ones(2), torch.ones(3))
