import numpy as np
import pytest
import torch

from gradlab.data import house_prices, trapezoids
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


@pytest.mark.parametrize("n, error, words", [
    (0, ValueError, "n must be at least 1, got 0"),
    (-5, ValueError, "got -5"),
    (2.5, TypeError, "n must be an int, got float"),
    ("10", TypeError, "got str"),
    (True, TypeError, "got bool"),
])
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
