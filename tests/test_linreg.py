import re

import numpy as np
import pytest
import torch

from gradlab.linreg import closed_form


def test_recovers_exact_parameters_from_noiseless_data():
    g = torch.Generator().manual_seed(0)
    X = torch.randn(50, 3, generator=g, dtype=torch.float64)
    w_true = torch.tensor([[2.0], [-3.4], [0.5]], dtype=torch.float64)
    y = X @ w_true + 4.2
    w, b = closed_form(X, y)
    assert w.shape == (3, 1) and w.dtype == torch.float64
    assert torch.allclose(w, w_true, atol=1e-10)
    assert isinstance(b, float) and abs(b - 4.2) < 1e-10


def test_matches_the_normal_equations_on_noisy_data():
    g = torch.Generator().manual_seed(1)
    X = torch.randn(40, 2, generator=g, dtype=torch.float64)
    y = X @ torch.tensor([[1.0], [-1.0]], dtype=torch.float64) + torch.randn(40, 1, generator=g, dtype=torch.float64)
    A = torch.cat([X, torch.ones(40, 1, dtype=torch.float64)], dim=1)
    expected = torch.linalg.solve(A.T @ A, A.T @ y)
    w, b = closed_form(X, y)
    assert torch.allclose(w, expected[:2], atol=1e-10)
    assert abs(b - expected[2].item()) < 1e-10
    # the gradient of the loss is zero at the answer
    residual = X @ w + b - y
    assert torch.allclose(A.T @ residual, torch.zeros(3, 1, dtype=torch.float64), atol=1e-9)


def test_accepts_1d_targets_numpy_and_keeps_float32():
    X = np.arange(10, dtype=np.float32).reshape(5, 2)
    y = X @ np.array([1.0, 2.0], dtype=np.float32) - 1
    w, b = closed_form(X, y)
    assert w.shape == (2, 1) and w.dtype == torch.float32
    pred = torch.from_numpy(X) @ w + b
    assert torch.allclose(pred.flatten(), torch.from_numpy(y), atol=1e-3)


def test_exactly_enough_samples_is_fine():
    X = torch.tensor([[0.0], [1.0]])
    w, b = closed_form(X, torch.tensor([1.0, 3.0]))
    assert abs(w.item() - 2) < 1e-6 and abs(b - 1) < 1e-6


@pytest.mark.parametrize("X, y, words", [
    (torch.ones(5), torch.ones(5, 1), "X must have shape [n, d], got shape [5]"),
    (torch.ones(5, 2, 1), torch.ones(5, 1), "X must have shape [n, d], got shape [5, 2, 1]"),
    (torch.ones(5, 2), torch.ones(5, 2), "y must have shape [n, 1] or [n], got shape [5, 2]"),
    (torch.ones(5, 2), torch.ones(4, 1), "same number of samples: X has shape [5, 2], y has shape [4, 1]"),
    (torch.ones(3, 3), torch.ones(3, 1), "need at least d + 1 = 4 samples for 3 weights and a bias, got X of shape [3, 3]"),
    (torch.tensor([[1.0], [float("nan")]]), torch.ones(2, 1), "X must be finite"),
    (torch.ones(3, 1), torch.tensor([1.0, float("inf"), 2.0]), "y must be finite"),
])
def test_bad_shapes_and_values_raise_value_error_naming_them(X, y, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        closed_form(X, y)


@pytest.mark.parametrize("X, words", [
    ([[1.0], [2.0]], "X must be a torch.Tensor or a numpy array, got list"),
    (torch.ones(3, 1, dtype=torch.bool), "X must hold real numbers, got dtype torch.bool"),
    (torch.ones(3, 1, dtype=torch.complex64), "got dtype torch.complex64"),
])
def test_wrong_types_raise_type_error(X, words):
    with pytest.raises(TypeError, match=re.escape(words)):
        closed_form(X, torch.ones(2, 1))
