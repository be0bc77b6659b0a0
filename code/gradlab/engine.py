"""A scalar autograd engine: every number remembers how it was made (chapter 8).

``Value`` wraps one float. Arithmetic on Values builds a graph; ``backward()`` walks it in reverse
topological order and fills every ``grad`` with the derivative of the output.
"""

import math
import numbers


class Value:
    """One scalar in a computation: ``data``, its ``grad`` after backward(), and its history."""

    def __init__(self, data, _children=(), _op=""):
        if isinstance(data, bool) or not isinstance(data, numbers.Real):
            raise TypeError(f"Value holds a real number, got {type(data).__name__}")
        data = float(data)
        if not math.isfinite(data):
            raise ValueError(f"Value must be finite, got {data}" +
                             (f" (result of {_op!r})" if _op else ""))
        self.data, self.grad = data, 0.0
        self._prev, self._op = tuple(_children), _op
        self._backward = lambda: None          # pushes self.grad to the children

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    @staticmethod
    def _wrap(other):
        if isinstance(other, Value):
            return other
        if isinstance(other, numbers.Real) and not isinstance(other, bool):
            return Value(other)
        raise TypeError(f"operand must be a number or a Value, got {type(other).__name__}")

    # --- operations: each sets the local derivative rule of its result ------------------------
    def __add__(self, other):
        other = self._wrap(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._wrap(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        if isinstance(exponent, bool) or not isinstance(exponent, numbers.Real):
            raise TypeError(f"only powers by a number are supported, got {type(exponent).__name__}")
        try:
            result = self.data ** exponent
        except ZeroDivisionError:
            raise ValueError(f"{self.data} ** {exponent} is undefined (division by zero)") from None
        except OverflowError:
            raise ValueError(f"{self.data} ** {exponent} overflows") from None
        if isinstance(result, complex):
            raise ValueError(f"{self.data} ** {exponent} is not a real number")
        out = Value(result, (self,), f"**{exponent:g}")

        def _backward():
            self.grad += exponent * self.data ** (exponent - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        try:
            result = math.exp(self.data)
        except OverflowError:
            raise ValueError(f"exp({self.data}) overflows") from None
        out = Value(result, (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1 - out.data ** 2) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        x = self.data
        s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
        out = Value(s, (self,), "sigmoid")

        def _backward():
            self.grad += out.data * (1 - out.data) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    # --- the rest, written with the operations above ------------------------------------------
    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-self._wrap(other))

    def __truediv__(self, other):
        return self * self._wrap(other) ** -1

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
        order, seen = [], set()

        def visit(v):                          # depth-first: children before parents
            if id(v) not in seen:
                seen.add(id(v))
                for child in v._prev:
                    visit(child)
                order.append(v)

        visit(self)
        for v in order:
            if v._prev:
                v.grad = 0.0
        self.grad += 1.0
        for v in reversed(order):              # every parent before any of its children
            v._backward()
