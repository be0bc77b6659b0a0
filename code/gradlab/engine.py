"""A scalar autograd engine: every number remembers how it was made (chapter 8).

``Value`` wraps one float. Arithmetic on Values builds a graph; ``backward()`` walks it in reverse
topological order and fills every ``grad`` with the derivative of the output.

Edge points follow PyTorch: relu'(0) = 0, and x ** 0 has derivative 0 everywhere. Where PyTorch
would produce an infinite or undefined number (1 / 0, 0 ** -1, the slope of x ** 0.5 at 0,
(-8) ** (1/3), exp(1000), an overflowing product), the operation itself raises a ValueError, so
``backward()`` only ever multiplies and adds finite numbers. It needs no recursion either, so a
graph of any depth works.

A custom operation can still set its own rule, as chapter 8's exercises do:
``out = Value(f(x.data), (x,), "f")`` and then ``out._backward = a function`` that adds to
``x.grad``.
"""

import math

from gradlab import _checks


class Value:
    """One scalar in a computation: ``data``, its ``grad`` after backward(), and its history:
    the Values it was computed from (``_prev``) and its derivative with respect to each of them
    (``_local``)."""

    def __init__(self, data, _children=(), _op="", _local=()):
        self.data = _checks.value_data(data, _op)
        self.grad = 0.0
        self._prev, self._op, self._local = tuple(_children), _op, _local

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def _backward(self):
        """The chain rule at one node: each child gets (local derivative) x (this node's grad)."""
        for child, local in zip(self._prev, self._local):
            child.grad += local * self.grad

    @staticmethod
    def _wrap(other):
        return other if isinstance(other, Value) else Value(_checks.operand(other))

    # --- operations: each records its children and its local derivatives ----------------------
    def __add__(self, other):
        other = self._wrap(other)
        return Value(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other):
        other = self._wrap(other)
        return Value(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __truediv__(self, other):
        other = self._wrap(other)
        _checks.division(self.data, other.data)  # refuses x / 0 and overflowing slopes
        q = self.data / other.data
        return Value(q, (self, other), "/", (1 / other.data, -q / other.data))

    def __pow__(self, n):
        _checks.power(self.data, n)  # refuses 0 ** -1, sqrt's slope at 0, (-8) ** 0.5
        slope = n * self.data ** (n - 1) if n != 0 else 0.0
        return Value(self.data**n, (self,), f"**{n:g}", (slope,))

    def exp(self):
        _checks.exponential(self.data)  # refuses exp(x) beyond float64, x > 709.78
        e = math.exp(self.data)
        return Value(e, (self,), "exp", (e,))

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), "tanh", (1 - t * t,))

    def sigmoid(self):
        x = self.data  # written so that exp never overflows
        s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
        return Value(s, (self,), "sigmoid", (s * (1 - s),))

    def relu(self):
        return Value(max(self.data, 0.0), (self,), "relu", (float(self.data > 0),))  # relu'(0) = 0

    # --- the rest, written with the operations above ------------------------------------------
    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-self._wrap(other))

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return self._wrap(other) - self

    def __rtruediv__(self, other):
        return self._wrap(other) / self

    # --- reverse-mode differentiation --------------------------------------------------------
    def backward(self):
        """Add d(self)/d(v) to ``v.grad`` for every leaf v this Value depends on.

        As in PyTorch, leaves accumulate across calls (set their grad to 0 between steps);
        intermediate Values start from 0 on every call.
        """
        order, seen, stack = [], set(), [(self, False)]
        while stack:  # depth-first, with a stack instead of recursion
            v, children_done = stack.pop()
            if children_done:
                order.append(v)  # after every node it was computed from
            elif v not in seen:
                seen.add(v)
                stack.append((v, True))
                stack.extend((child, False) for child in v._prev)

        for v in order:
            if v._prev:
                v.grad = 0.0
        self.grad += 1.0
        for v in reversed(order):  # every parent before any of its children
            v._backward()
        _checks.gradients_finite(order)
