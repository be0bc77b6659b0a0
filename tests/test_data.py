import re

import numpy as np
import pytest
import torch

from gradlab.data import batches, house_prices, synthetic_regression, trapezoids
from gradlab.linreg import closed_form


def test_house_prices_shapes_and_dtype():
    x, y = house_prices()
    assert x.shape == (100, 1) and y.shape == (100, 1)
    assert x.dtype == torch.float32 and y.dtype == torch.float32
    assert house_prices(n=7)[0].shape == (7, 1)


def test_house_prices_follow_the_source_recipe():
    # numpy seed 20, area = randn + 5, price = 2.8 * area - noise (seed 003, section 3.1.4.2)
    np.random.seed(20)
    area = np.random.randn(100, 1) + 5
    price = area * 2.8 - np.random.randn(100, 1)
    x, y = house_prices()
    assert np.allclose(x.numpy(), area, atol=1e-6)
    assert np.allclose(y.numpy(), price, atol=1e-5)


def test_house_prices_are_deterministic_and_seeded():
    a, b = house_prices(), house_prices()
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(house_prices(seed=1)[0], a[0])


def test_house_prices_trend_is_near_the_true_slope():
    w, _ = closed_form(*house_prices(n=2000))
    assert abs(w.item() - 2.8) < 0.1


@pytest.mark.parametrize(
    "n, error, words",
    [
        (0, ValueError, "n must be at least 1, got 0"),
        (-5, ValueError, "got -5"),
        (2.5, TypeError, "n must be an int, got float"),
        ("10", TypeError, "got str"),
        (True, TypeError, "got bool"),
    ],
)
def test_house_prices_rejects_bad_n(n, error, words):
    with pytest.raises(error, match=words):
        house_prices(n=n)


def test_house_prices_rejects_a_non_integer_seed():
    with pytest.raises(TypeError, match="seed must be an int, got float"):
        house_prices(seed=1.5)


def test_trapezoids_shapes_values_and_recipe():
    X, y = trapezoids()
    assert X.shape == (50, 2) and y.shape == (50, 1)
    assert X.dtype == torch.float32 and y.dtype == torch.float32
    # upper bases 0.5..0.9, lower bases 1.0..1.5, in steps of 0.1
    assert set((X[:, 0] * 10).round().int().tolist()) <= set(range(5, 10))
    assert set((X[:, 1] * 10).round().int().tolist()) <= set(range(10, 16))
    assert torch.allclose(y, 0.5 * (X[:, :1] + X[:, 1:]) * X[:, :1], atol=1e-6)
    np.random.seed(20)
    x1 = np.random.randint(5, 10, [50, 1]) / 10
    x2 = np.random.randint(10, 16, [50, 1]) / 10
    assert np.allclose(X.numpy(), np.hstack([x1, x2]))


def test_trapezoids_first_areas_match_the_source_notes():
    _, y = trapezoids()
    assert np.allclose(y[:5, 0].numpy(), [0.84, 0.7, 0.855, 0.665, 0.54], atol=1e-6)


def test_trapezoids_are_deterministic_and_check_their_arguments():
    assert torch.equal(trapezoids(n=7)[0], trapezoids(n=7)[0])
    assert trapezoids(n=7)[0].shape == (7, 2)
    with pytest.raises(ValueError, match="n must be at least 1, got 0"):
        trapezoids(n=0)
    with pytest.raises(TypeError, match="seed must be an int"):
        trapezoids(seed="20")


def test_synthetic_regression_shapes_and_true_parameters():
    X, y = synthetic_regression([2, -3.4], 4.2, n=1000, noise=0.01, seed=0)
    assert X.shape == (1000, 2) and y.shape == (1000, 1)
    assert X.dtype == torch.float32 and y.dtype == torch.float32
    w, b = closed_form(X, y)
    assert torch.allclose(w.flatten(), torch.tensor([2.0, -3.4]), atol=2e-3)
    assert abs(b - 4.2) < 2e-3
    residual = y - (X @ torch.tensor([[2.0], [-3.4]]) + 4.2)
    assert 0.008 < residual.std().item() < 0.012


def test_synthetic_regression_is_seeded_and_accepts_tensors_and_columns():
    a = synthetic_regression(torch.tensor([[1.0], [2.0]]), 0.5, n=5, seed=3)
    b = synthetic_regression([1.0, 2.0], 0.5, n=5, seed=3)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(synthetic_regression([1.0, 2.0], 0.5, n=5, seed=4)[0], a[0])
    X, y = synthetic_regression([1.0], 0.0, n=4, noise=0)
    assert torch.allclose(y, X)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(w=[], b=1.0, n=5), ValueError, "w must be d numbers"),
        (dict(w=torch.ones(2, 2), b=1.0, n=5), ValueError, "got shape [2, 2]"),
        (dict(w=[1.0, float("nan")], b=1.0, n=5), ValueError, "w must be finite"),
        (dict(w="12", b=1.0, n=5), TypeError, "w must be a torch.Tensor or a numpy array, got str"),
        (dict(w=[1.0], b=float("inf"), n=5), ValueError, "b must be finite, got inf"),
        (dict(w=[1.0], b="1", n=5), TypeError, "b must be a number, got str"),
        (dict(w=[1.0], b=1.0, n=0), ValueError, "n must be at least 1"),
        (
            dict(w=[1.0], b=1.0, n=5, noise=-0.1),
            ValueError,
            "noise must be a finite number >= 0, got -0.1",
        ),
        (
            dict(w=[1.0], b=1.0, n=5, noise=float("nan")),
            ValueError,
            "noise must be finite, got nan",
        ),
        (dict(w=[1.0], b=1.0, n=5, seed=0.5), TypeError, "seed must be an int"),
    ],
)
def test_synthetic_regression_rejects_bad_input(kwargs, error, words):
    with pytest.raises(error, match=re.escape(words)):
        synthetic_regression(**kwargs)


def test_batches_cover_every_sample_once_with_a_short_last_batch():
    X = torch.arange(1000.0).reshape(1000, 1)
    y = X * 2
    got = list(batches(X, y, 64, seed=0))
    assert [len(xb) for xb, _ in got] == [64] * 15 + [40]
    seen = torch.cat([xb for xb, _ in got]).flatten()
    assert sorted(seen.tolist()) == list(range(1000))
    assert seen.tolist() != list(range(1000))  # shuffled
    assert all(torch.equal(yb, xb * 2) for xb, yb in got)  # rows stay paired


def test_batches_are_reproducible_with_a_seed_and_ordered_without_shuffle():
    X, y = torch.arange(10.0).reshape(10, 1), torch.arange(10.0)
    first = [xb.flatten().tolist() for xb, _ in batches(X, y, 3, seed=1)]
    again = [xb.flatten().tolist() for xb, _ in batches(X, y, 3, seed=1)]
    assert first == again
    plain = [xb.flatten().tolist() for xb, _ in batches(X, y, 4, shuffle=False)]
    assert plain == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert [len(xb) for xb, _ in batches(X, y, 50)] == [10]


@pytest.mark.parametrize(
    "batch_size, error, words",
    [
        (0, ValueError, "batch_size must be at least 1, got 0"),
        (-3, ValueError, "batch_size must be at least 1, got -3"),
        (2.5, TypeError, "batch_size must be an int, got float"),
        (None, TypeError, "batch_size must be an int, got NoneType"),
    ],
)
def test_batches_reject_bad_batch_sizes(batch_size, error, words):
    with pytest.raises(error, match=re.escape(words)):
        next(batches(torch.ones(4, 1), torch.ones(4, 1), batch_size))


def test_batches_reject_different_lengths_and_bad_data():
    with pytest.raises(ValueError, match=re.escape("X has shape [5, 2], y has shape [4, 1]")):
        next(batches(torch.ones(5, 2), torch.ones(4, 1), 2))
    with pytest.raises(ValueError, match="X must be finite"):
        next(batches(torch.tensor([[float("nan")]]), torch.ones(1, 1), 1))
    with pytest.raises(TypeError, match="got list"):
        next(batches([[1.0]], torch.ones(1, 1), 1))
