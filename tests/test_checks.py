"""Each self-check passes a correct implementation and fails wrong ones, returning False
without raising."""

import pytest
import torch

from gradlab import checks
from gradlab.backprop import MLP
from gradlab.data import batches as good_batches
from gradlab.engine import Value as GoodValue
from gradlab.linreg import gradients as good_gradients
from gradlab.linreg import sgd as good_sgd
from gradlab.linreg import squared_loss as good_squared_loss


def verdict(check, implementation, capsys):
    result = check(implementation)
    out = capsys.readouterr().out
    assert isinstance(result, checks.Verdict)
    return bool(result), out


def raising(*args, **kwargs):
    raise RuntimeError("boom")


def not_written(*args, **kwargs):
    raise NotImplementedError


# --- squared loss -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "impl, words",
    [
        (
            lambda y_hat, y: (y_hat - y.reshape(y_hat.shape)) ** 2,
            "the 1/2 is missing",
        ),  # missing 1/2
        (lambda y_hat, y: (y_hat - y) ** 2 / 2, "expected [3, 1]"),  # broadcasts
        (
            lambda y_hat, y: ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum(),
            "has shape []",
        ),  # summed
        (lambda y_hat, y: None, "is None"),
        (raising, "raised RuntimeError: boom"),
        (not_written, "NotImplementedError"),
    ],
)
def test_check_squared_loss(impl, words, capsys):
    assert verdict(checks.check_squared_loss, good_squared_loss, capsys)[0] is True
    ok, out = verdict(checks.check_squared_loss, impl, capsys)
    assert ok is False and words in out


# --- minibatches --------------------------------------------------------------------------------
def drop_last(X, y, n):
    for i in range(0, len(X) - n + 1, n):
        yield X[i : i + n], y[i : i + n]


def unshuffled(X, y, n):
    return good_batches(X, y, n, shuffle=False)


def unpaired(X, y, n):
    for xb, yb in good_batches(X, y, n):
        yield xb, yb.flip(0)


def returns_list(X, y, n):
    return [(X, y)]


@pytest.mark.parametrize(
    "impl, words",
    [
        (drop_last, "expected [5, 5, 5, 5, 3]"),
        (unshuffled, "shuffle the indices"),
        (unpaired, "does not belong to its X_batch"),
        (returns_list, "batch sizes [23]"),
        (raising, "raised RuntimeError"),
    ],
)
def test_check_batches(impl, words, capsys):
    assert verdict(checks.check_batches, lambda X, y, n: good_batches(X, y, n), capsys)[0] is True
    ok, out = verdict(checks.check_batches, impl, capsys)
    assert ok is False and words in out


# --- sgd ----------------------------------------------------------------------------------------
def sgd_wrong_sign(params, lr, batch_size):
    with torch.no_grad():
        for p in params:
            p += lr * p.grad / batch_size
            p.grad.zero_()


def sgd_no_division(params, lr, batch_size):
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad.zero_()


def sgd_no_zeroing(params, lr, batch_size):
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad / batch_size


def sgd_not_in_place(params, lr, batch_size):
    for p in params:
        p = p - lr * p.grad / batch_size


@pytest.mark.parametrize(
    "impl, words",
    [
        (sgd_wrong_sign, "w after the step"),
        (sgd_no_division, "divided by the batch size"),
        (sgd_no_zeroing, "Call p.grad.zero_()"),
        (sgd_not_in_place, "w did not change"),
        (raising, "raised RuntimeError"),
    ],
)
def test_check_sgd(impl, words, capsys):
    assert verdict(checks.check_sgd, good_sgd, capsys)[0] is True
    ok, out = verdict(checks.check_sgd, impl, capsys)
    assert ok is False and words in out


# --- linear regression gradients ----------------------------------------------------------------
@pytest.mark.parametrize(
    "impl, words",
    [
        (
            lambda X, y, w, b: (X.T @ (y - X @ w - b), (y - X @ w - b).sum()),
            "sign is flipped",
        ),  # sign
        (
            lambda X, y, w, b: (2 * X.T @ (X @ w + b - y), 2 * (X @ w + b - y).sum()),
            "cancels the 2",
        ),  # 1/2
        (
            lambda X, y, w, b: (X.T @ (X @ w + b - y) / len(X), (X @ w + b - y).mean()),
            "a mean",
        ),  # mean
        (
            lambda X, y, w, b: ((X @ w + b - y).T @ X, (X @ w + b - y).sum()),
            "has shape [1, 2]",
        ),  # shape
        (lambda X, y, w, b: None, "expected a pair (dw, db), got NoneType"),
        (raising, "raised RuntimeError"),
    ],
)
def test_check_linreg_gradients(impl, words, capsys):
    assert verdict(checks.check_linreg_gradients, good_gradients, capsys)[0] is True
    ok, out = verdict(checks.check_linreg_gradients, impl, capsys)
    assert ok is False and words in out


# --- multilayer backward ------------------------------------------------------------------------
def reference_backward(params, X, y, bug=None):
    net = MLP([params[0][0].shape[0]] + [W.shape[1] for W, _ in params])
    net.params = params
    if bug == "sigma_of_a":
        net.derivative = lambda z, a: torch.sigmoid(a) * (1 - torch.sigmoid(a))
    net.forward(X)
    grads = net.backward(y)
    if bug == "no_mean":
        grads = [(dW * len(X), db * len(X)) for dW, db in grads]
    if bug == "transposed":
        grads = [(dW.T, db) for dW, db in grads]
    return grads


@pytest.mark.parametrize(
    "bug, words",
    [
        ("sigma_of_a", "dW of layer 1"),
        ("no_mean", "(y_hat - y) / m"),
        ("transposed", "has shape [3, 2], expected [2, 3]"),
    ],
)
def test_check_backward(bug, words, capsys):
    assert verdict(checks.check_backward, reference_backward, capsys)[0] is True
    ok, out = verdict(
        checks.check_backward, lambda p, X, y: reference_backward(p, X, y, bug), capsys
    )
    assert ok is False and words in out


def test_check_backward_with_raising_or_missing_code(capsys):
    assert verdict(checks.check_backward, raising, capsys)[0] is False
    ok, out = verdict(checks.check_backward, lambda p, X, y: None, capsys)
    assert ok is False and "got NoneType" in out


# --- Value ---------------------------------------------------------------------------------------
def learner_value(assign=False, naive_order=False, tanh_slope=lambda t: 1 - t**2):
    """A learner's minimal Value class, with one of the typical mistakes switched on."""
    import math

    def give(node, amount):
        node.grad = amount if assign else node.grad + amount

    class V:
        def __init__(self, data, children=()):
            self.data, self.grad, self._prev = data, 0.0, children
            self._backward = lambda: None

        def __add__(self, other):
            other = other if isinstance(other, V) else V(other)
            out = V(self.data + other.data, (self, other))

            def _backward():
                give(self, out.grad)
                give(other, out.grad)

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, V) else V(other)
            out = V(self.data * other.data, (self, other))

            def _backward():
                give(self, other.data * out.grad)
                give(other, self.data * out.grad)

            out._backward = _backward
            return out

        def tanh(self):
            out = V(math.tanh(self.data), (self,))

            def _backward():
                give(self, tanh_slope(out.data) * out.grad)

            out._backward = _backward
            return out

        def backward(self):
            self.grad = 1.0
            if naive_order:

                def visit(v):
                    v._backward()
                    for child in v._prev:
                        visit(child)

                visit(self)
                return
            order, seen = [], set()

            def topo(v):
                if id(v) not in seen:
                    seen.add(id(v))
                    for child in v._prev:
                        topo(child)
                    order.append(v)

            topo(self)
            for v in reversed(order):
                v._backward()

    return V


class NoTanhValue:
    def __init__(self, data):
        self.data, self.grad = data, 0.0


@pytest.mark.parametrize(
    "impl, words",
    [
        (learner_value(assign=True), "must add (+=)"),
        (learner_value(naive_order=True), "reverse topological order"),
        (learner_value(tanh_slope=lambda t: 1 - t), "1 - tanh(x)**2"),
        (NoTanhValue, "raised TypeError"),
        (raising, "raised RuntimeError"),
    ],
)
def test_check_value(impl, words, capsys):
    assert verdict(checks.check_value, GoodValue, capsys)[0] is True
    assert verdict(checks.check_value, learner_value(), capsys)[0] is True
    ok, out = verdict(checks.check_value, impl, capsys)
    assert ok is False and words in out
