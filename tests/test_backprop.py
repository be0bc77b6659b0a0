"""The hand-written backward pass against autograd, including property-based tests."""

import re

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gradlab.backprop import MLP, autograd_gradients
from gradlab.data import trapezoids
from gradlab.gradcheck import check_layer, relative_error
from gradlab.linreg import gradients, linreg, squared_loss


def worst_relative_error(net, X, y):
    net.forward(X)
    mine = net.backward(y)
    theirs = autograd_gradients(net, X, y)
    return max(
        relative_error(a, b) for pair_a, pair_b in zip(mine, theirs) for a, b in zip(pair_a, pair_b)
    )


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5),
    m=st.integers(1, 8),
    activation=st.sampled_from(["sigmoid", "tanh"]),
    seed=st.integers(0, 10_000),
)
def test_mlp_backward_equals_autograd(sizes, m, activation, seed):
    net = MLP(sizes, activation, seed=seed)
    g = torch.Generator().manual_seed(seed + 1)
    X = torch.randn(m, sizes[0], generator=g, dtype=torch.float64)
    y = torch.randn(m, sizes[-1], generator=g, dtype=torch.float64)
    assert worst_relative_error(net, X, y) < 1e-8


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 20), d=st.integers(1, 6), seed=st.integers(0, 10_000))
def test_linreg_gradients_equal_autograd(n, d, seed):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g, dtype=torch.float64)
    y = torch.randn(n, 1, generator=g, dtype=torch.float64)
    w = torch.randn(d, 1, generator=g, dtype=torch.float64, requires_grad=True)
    b = torch.randn(1, generator=g, dtype=torch.float64, requires_grad=True)
    dw, db = gradients(X, y, w, b)
    squared_loss(linreg(X, w, b), y).sum().backward()
    assert relative_error(dw, w.grad) < 1e-8 and relative_error(db, b.grad) < 1e-8


def test_params_have_the_documented_shapes_and_need_no_grad():
    net = MLP([2, 50, 1])
    assert [(tuple(W.shape), tuple(b.shape)) for W, b in net.params] == [
        ((2, 50), (50,)),
        ((50, 1), (1,)),
    ]
    assert all(not W.requires_grad and W.dtype == torch.float64 for W, _ in net.params)
    assert MLP([2, 3], seed=5).params[0][0].equal(MLP([2, 3], seed=5).params[0][0])


def test_forward_and_loss():
    net = MLP([3, 4, 2], "tanh", seed=2)
    X = torch.randn(5, 3, dtype=torch.float64)
    y_hat = net.forward(X)
    assert y_hat.shape == (5, 2)
    W1, b1 = net.params[0]
    W2, b2 = net.params[1]
    assert torch.allclose(y_hat, torch.tanh(X @ W1 + b1) @ W2 + b2)
    y = torch.zeros(5, 2, dtype=torch.float64)
    assert abs(net.loss(X, y) - (y_hat**2).sum().item() / 10) < 1e-12


class SigmaOfA(MLP):
    """The copied bug: sigma'(a) where sigma'(z) is meant."""

    def derivative(self, z, a):
        s = torch.sigmoid(a)
        return s * (1 - s)


def test_gradient_check_flags_the_sigma_of_a_bug_and_passes_the_correct_network():
    X, y = trapezoids()
    X, y = X.double(), y.double()
    assert check_layer(MLP([2, 50, 1], seed=0), X, y) < 1e-6
    assert check_layer(SigmaOfA([2, 50, 1], seed=0), X, y) > 1e-2


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (
            dict(sizes=[2, 3], activation="relu"),
            ValueError,
            "unknown activation 'relu'; expected one of ['sigmoid', 'tanh']",
        ),
        (
            dict(sizes=[2]),
            ValueError,
            "sizes must list at least an input and an output size, got [2]",
        ),
        (dict(sizes=3), TypeError, "got 3"),
        (dict(sizes=[2, 0, 1]), ValueError, "sizes must be positive integers, got [2, 0, 1]"),
        (dict(sizes=[2, 2.5, 1]), TypeError, "sizes must be positive integers"),
    ],
)
def test_bad_construction_is_refused(kwargs, error, words):
    with pytest.raises(error, match=re.escape(words)):
        MLP(**kwargs)


def test_bad_inputs_to_forward_and_backward_are_refused():
    net = MLP([2, 3, 1])
    with pytest.raises(ValueError, match=re.escape("backward needs the values of a forward pass")):
        net.backward(torch.zeros(4, 1))
    with pytest.raises(ValueError, match=re.escape("X must have shape [m, 2], got [4, 3]")):
        net.forward(torch.zeros(4, 3))
    with pytest.raises(ValueError, match=re.escape("got [2]")):
        net.forward(torch.zeros(2))
    with pytest.raises(TypeError, match="X must be a torch.Tensor or a numpy array, got list"):
        net.forward([[1.0, 2.0]])
    net.forward(torch.zeros(4, 2))
    with pytest.raises(
        ValueError, match=re.escape("y must have shape [4, 1] like the output, got [3, 1]")
    ):
        net.backward(torch.zeros(3, 1))
    assert net.backward(torch.zeros(4))[0][0].shape == (2, 3)  # y of shape [m] is fine


def test_forward_keeps_its_values_in_public_attributes():
    net = MLP([3, 4, 2], seed=0)
    assert net.zs is None and net.activations is None and net._cache is None
    X = torch.randn(5, 3, dtype=torch.float64)
    y_hat = net.forward(X)
    assert net.zs[0] is None and [z.shape for z in net.zs[1:]] == [(5, 4), (5, 2)]
    assert net.activations[0].equal(X) and net.activations[-1] is y_hat
    assert net._cache == (net.zs, net.activations)  # the old name still works


def test_train_is_chapter_6s_loop():
    from gradlab.backprop import train

    X, y = trapezoids()
    X, y = X.double(), y.double()
    net, by_hand = MLP([2, 5, 1], seed=0), MLP([2, 5, 1], seed=0)
    losses = train(net, X, y, lr=0.3, steps=250, every=100)
    for _ in range(250):
        by_hand.forward(X)
        grads = by_hand.backward(y)
        by_hand.params = [
            (W - 0.3 * dW, b - 0.3 * db) for (W, b), (dW, db) in zip(by_hand.params, grads)
        ]
    assert len(losses) == 3 and losses[-1] < losses[0]
    assert all(W.equal(V) for (W, _), (V, _) in zip(net.params, by_hand.params))
