"""gradlab.claims: a printed bound is checked before it is printed."""

import math

import numpy as np
import pytest
import torch

from gradlab.claims import above, below


@pytest.mark.parametrize(
    "value",
    [
        0.0,
        -0.0,
        1e-300,
        8.9e-16,
        9.99e-13,
        -5.0,
        0,
        torch.tensor(1e-14, dtype=torch.float64),
        np.float64(3e-13),
        np.array([2e-16]),
    ],
)
def test_below_returns_the_bound_when_the_claim_holds(value):
    assert below(value, 1e-12) == "< 1e-12"


def test_the_text_is_the_bound_not_the_value():
    assert below(1.8e-15, 1e-12) == below(8.9e-16, 1e-12)
    assert below(0.3, 0.5) == "< 0.5"
    assert above(0.11, 1e-2) == "> 1e-2"
    assert below(3e-7, 1e-6) == "< 1e-6" and above(1e30, 1e20) == "> 1e20"


@pytest.mark.parametrize("value", [1e-12, 2e-12, math.inf, math.nan, torch.tensor(math.nan)])
def test_below_raises_when_the_claim_is_false(value):
    with pytest.raises(AssertionError, match=r"claimed value < 1e-12, but value = "):
        below(value, 1e-12)


@pytest.mark.parametrize("value", [1e-2, 0.0, -1.0, math.nan])
def test_above_raises_when_the_claim_is_false(value):
    with pytest.raises(AssertionError, match=r"claimed value > 0.01"):
        above(value, 1e-2)


@pytest.mark.parametrize("bad", ["1e-3", None, True, [1e-3], 1j])
@pytest.mark.parametrize("claim", [below, above])
def test_non_numbers_are_refused_by_name(claim, bad):
    with pytest.raises(TypeError, match="value must be a real number"):
        claim(bad, 1.0)
    with pytest.raises(TypeError, match="bound must be a real number"):
        claim(0.5, bad)


@pytest.mark.parametrize("bound", [0.0, -1e-3, math.inf, math.nan])
def test_a_bound_must_be_positive_and_finite(bound):
    with pytest.raises(ValueError, match="bound must be a finite number > 0"):
        below(0.0, bound)


@pytest.mark.parametrize("value", [torch.ones(2), np.ones((2, 2)), torch.ones(0)])
def test_a_tensor_must_hold_one_number(value):
    with pytest.raises(ValueError, match=r"value must hold exactly one number, got shape"):
        below(value, 1.0)


def test_verdict_prints_the_bound_when_passing_and_the_error_when_failing():
    from gradlab.claims import verdict

    assert verdict(1.9e-11) == verdict(1.0e-11) == "< 1e-7, passes"
    assert verdict(0.1134) == "0.11, fails"
    assert verdict(3e-4, tol=1e-3) == "< 1e-3, passes"
    assert below(0.3, 0.5) == "< 0.5" and below(0.05, 0.1) == "< 0.1" and below(1, 200) == "< 200"
    assert verdict(float("nan")) == "nan, fails"
    with pytest.raises(TypeError, match="error must be a real number"):
        verdict("small")
