import re

import numpy as np
import pytest
import torch

from gradlab.linreg import closed_form, gradients, linreg, sgd, squared_loss


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
    y = X @ torch.tensor([[1.0], [-1.0]], dtype=torch.float64) + torch.randn(
        40, 1, generator=g, dtype=torch.float64
    )
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


@pytest.mark.parametrize(
    "X, y, words",
    [
        (torch.ones(5), torch.ones(5, 1), "X must have shape [n, d], got shape [5]"),
        (torch.ones(5, 2, 1), torch.ones(5, 1), "X must have shape [n, d], got shape [5, 2, 1]"),
        (torch.ones(5, 2), torch.ones(5, 2), "y must have shape [n, 1] or [n], got shape [5, 2]"),
        (
            torch.ones(5, 2),
            torch.ones(4, 1),
            "same number of samples: X has shape [5, 2], y has shape [4, 1]",
        ),
        (
            torch.ones(3, 3),
            torch.ones(3, 1),
            "need at least d + 1 = 4 samples for 3 weights and a bias, got X of shape [3, 3]",
        ),
        (torch.tensor([[1.0], [float("nan")]]), torch.ones(2, 1), "X must be finite"),
        (torch.ones(3, 1), torch.tensor([1.0, float("inf"), 2.0]), "y must be finite"),
    ],
)
def test_bad_shapes_and_values_raise_value_error_naming_them(X, y, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        closed_form(X, y)


@pytest.mark.parametrize(
    "X, words",
    [
        ([[1.0], [2.0]], "X must be a torch.Tensor or a numpy array, got list"),
        (torch.ones(3, 1, dtype=torch.bool), "X must hold real numbers, got dtype torch.bool"),
        (torch.ones(3, 1, dtype=torch.complex64), "got dtype torch.complex64"),
    ],
)
def test_wrong_types_raise_type_error(X, words):
    with pytest.raises(TypeError, match=re.escape(words)):
        closed_form(X, torch.ones(2, 1))


def test_linreg_computes_X_w_plus_b_with_shapes():
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    w = torch.tensor([[1.0], [-1.0]])
    out = linreg(X, w, torch.tensor([0.5]))
    assert out.shape == (3, 1)
    assert out.flatten().tolist() == [-0.5, -0.5, -0.5]


@pytest.mark.parametrize(
    "X, w, words",
    [
        (torch.ones(3), torch.ones(3, 1), "X must have shape [n, d], got shape [3]"),
        (
            torch.ones(3, 2),
            torch.ones(2),
            "w must be a tensor of shape [2, 1] for X of shape [3, 2], got [2]",
        ),
        (torch.ones(3, 2), torch.ones(3, 1), "got [3, 1]"),
    ],
)
def test_linreg_rejects_mismatched_shapes(X, w, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        linreg(X, w, 0.0)


def test_linreg_refuses_a_list_for_w_with_a_type_error():
    with pytest.raises(TypeError, match="w must be a torch.Tensor or a numpy array, got list"):
        linreg(torch.ones(3, 2), [[1.0], [1.0]], 0.0)


def test_squared_loss_is_elementwise_half_square_shaped_like_y_hat():
    y_hat = torch.tensor([[2.0], [2.0], [1.0]])
    for y in (torch.tensor([1.0, 2.0, 3.0]), torch.tensor([[1.0], [2.0], [3.0]])):
        l = squared_loss(y_hat, y)
        assert l.shape == (3, 1)
        assert l.flatten().tolist() == [0.5, 0.0, 2.0]
    assert abs(l.mean().item() - 0.8333) < 1e-4  # chapter 1's 0.8333


def test_squared_loss_refuses_shapes_that_would_broadcast_into_a_matrix():
    with pytest.raises(ValueError, match=re.escape("y_hat has shape [3, 1], y has shape [1, 4]")):
        squared_loss(torch.ones(3, 1), torch.ones(1, 4))
    with pytest.raises(TypeError, match="y must be a torch.Tensor or a numpy array, got list"):
        squared_loss(torch.ones(3, 1), [1.0, 2.0, 3.0])


def test_sgd_steps_by_lr_times_grad_over_batch_size_and_zeroes():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * torch.tensor([3.0, 4.0])).sum().backward()
    sgd([w], lr=0.5, batch_size=2)
    assert w.tolist() == [1.0 - 0.5 * 3 / 2, 2.0 - 0.5 * 4 / 2]
    assert w.grad.tolist() == [0.0, 0.0]
    assert w.requires_grad and w.is_leaf


@pytest.mark.parametrize(
    "lr, error",
    [
        (0, ValueError),
        (-0.1, ValueError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        ("0.1", TypeError),
    ],
)
def test_sgd_rejects_bad_learning_rates(lr, error):
    w = torch.ones(1, requires_grad=True)
    w.sum().backward()
    with pytest.raises(error, match="lr must be"):
        sgd([w], lr, 1)


def test_sgd_rejects_parameters_without_gradients_and_bad_batch_sizes():
    w = torch.ones(1, requires_grad=True)
    with pytest.raises(ValueError, match="parameter 0 has no gradient: call backward"):
        sgd([w], 0.1, 1)
    w.sum().backward()
    with pytest.raises(ValueError, match="batch_size must be at least 1, got 0"):
        sgd([w], 0.1, 0)
    assert w.item() == 1.0  # nothing was changed by the refused calls


def test_sgd_says_so_when_training_diverges():
    w = torch.tensor([1e38], requires_grad=True)
    (w * 1e38).sum().backward()
    with pytest.raises(
        FloatingPointError, match="no longer finite .* lr = 10.0: training diverged"
    ):
        sgd([w], 10.0, 1)


def test_gradients_match_autograd_in_float64():
    g = torch.Generator().manual_seed(0)
    X = torch.randn(20, 3, generator=g, dtype=torch.float64)
    y = torch.randn(20, 1, generator=g, dtype=torch.float64)
    w = torch.randn(3, 1, generator=g, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    dw, db = gradients(X, y, w, b)
    squared_loss(linreg(X, w, b), y).sum().backward()
    assert dw.shape == w.shape and db.shape == b.shape
    assert torch.allclose(dw, w.grad, atol=1e-12) and torch.allclose(db, b.grad, atol=1e-12)
    dw1, db1 = gradients(X, y.flatten(), w.detach(), 0.0)  # y as [n], b as a plain number
    assert torch.allclose(dw1, dw) and db1.dim() == 0


def test_gradients_reject_mismatched_targets():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "X and y must have the same number of samples: X has shape [4, 2], y has shape [3, 1]"
        ),
    ):
        gradients(torch.ones(4, 2), torch.ones(3, 1), torch.ones(2, 1), 0.0)
