"""Self-checks for learners: call one with your own implementation (chapters 4, 5, 6, 8).

Each check runs your code on cases whose answers are known, prints a verdict (what passed; for a
failure, what was expected against what came back, with a hint) and returns a ``Verdict``, true or
false like a bool but silent in a notebook (a cell with two checks shows two printed verdicts, not a
stray ``Out: True``). It never raises: a wrong answer, an exception in your code (reported at your
own line), a wrong shape or a ``None`` all become a printed explanation.
"""

import math
import os
import traceback

import torch

from gradlab.backprop import MLP, autograd_gradients
from gradlab.linreg import gradients as reference_gradients


class _Fail(Exception):
    """A failed expectation, with the hint to print."""


class Verdict:
    """A check's outcome: true or false like a bool; a notebook displays nothing for it, since the
    check has already printed its verdict."""

    def __init__(self, passed):
        self.passed = bool(passed)

    def __bool__(self):
        return self.passed

    def __eq__(self, other):
        return bool(self) == other if isinstance(other, (bool, Verdict)) else NotImplemented

    def __hash__(self):
        return hash(self.passed)

    def __repr__(self):
        return f"Verdict(passed={self.passed})"

    def _ipython_display_(self):
        pass


_HERE = os.path.dirname(os.path.abspath(__file__))


def _where(error):
    """' (line N: code)' at the learner's own line: the innermost frame outside gradlab and the
    libraries; if there is none, the error came from using what the learner's code returned."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [
        f
        for f in frames
        if not os.path.abspath(f.filename).startswith(_HERE)
        and "site-packages" not in f.filename
        and "dist-packages" not in f.filename
    ]
    if own:
        return f" (line {own[-1].lineno}: {own[-1].line})"
    return " (while using what your code returned)"


def _run(title, cases):
    """Run ``cases`` (name, function) in order; print and return the verdict."""
    print(f"Checking {title}")
    for name, case in cases:
        try:
            case()
        except _Fail as failure:
            print(f"  ✗ {name}: {failure}")
            print("  Not yet. Fix this case and run the check again.")
            return Verdict(False)
        except NotImplementedError:
            print(f"  ✗ {name}: your code raised NotImplementedError; write the exercise first.")
            return Verdict(False)
        except Exception as error:  # an exception inside the learner's code
            print(f"  ✗ {name}: your code raised {type(error).__name__}: {error}{_where(error)}")
            return Verdict(False)
        print(f"  ✓ {name}")
    print("  All checks passed.")
    return Verdict(True)


def _tensor(value, what):
    if value is None:
        raise _Fail(f"{what} is None; did you forget a return statement?")
    if not isinstance(value, torch.Tensor):
        raise _Fail(f"{what} should be a tensor, got {type(value).__name__}")
    return value


def _same(got, expected, what, hint):
    got = _tensor(got, what)
    if tuple(got.shape) != tuple(expected.shape):
        raise _Fail(f"{what} has shape {list(got.shape)}, expected {list(expected.shape)}. {hint}")
    if not torch.allclose(got.double(), expected.double(), rtol=1e-5, atol=1e-6):
        raise _Fail(f"{what} is {_show(got)}, expected {_show(expected)}. {hint}")


def _show(t):
    values = [round(v, 4) for v in t.detach().double().flatten().tolist()[:6]]
    return str(values) + (" ..." if t.numel() > 6 else "")


def _data(seed, n=6, d=2):
    g = torch.Generator().manual_seed(seed)
    return (
        torch.randn(n, d, generator=g, dtype=torch.float64),
        torch.randn(n, 1, generator=g, dtype=torch.float64),
        torch.randn(d, 1, generator=g, dtype=torch.float64),
        torch.randn(1, generator=g, dtype=torch.float64),
    )


# --- chapter 4 ------------------------------------------------------------------------------------
def check_squared_loss(squared_loss):
    """squared_loss(y_hat, y) -> elementwise (y_hat - y)**2 / 2, shaped like y_hat [n, 1]."""
    y_hat = torch.tensor([[2.0], [2.0], [1.0]])

    def column_targets():
        expected = torch.tensor([[0.5], [0.0], [2.0]])
        got = _tensor(squared_loss(y_hat, torch.tensor([[1.0], [2.0], [3.0]])), "the loss")
        _same(got, expected, "the loss", _loss_hint(got, expected))

    def flat_targets():
        _same(
            squared_loss(y_hat, torch.tensor([1.0, 2.0, 3.0])),
            torch.tensor([[0.5], [0.0], [2.0]]),
            "the loss for y of shape [3]",
            "Reshape y like y_hat first: [3, 1] - [3] broadcasts into a [3, 3] matrix.",
        )

    return _run(
        "squared_loss",
        [("targets of shape [n, 1]", column_targets), ("targets of shape [n]", flat_targets)],
    )


def _loss_hint(got, expected):
    """The hint that matches the mistake: a mean or a sum instead of one loss per example, a
    missing 1/2."""
    if got.numel() == 1:
        total = float(got.detach().double().sum())
        kind = (
            "the mean"
            if math.isclose(total, float(expected.mean()), rel_tol=1e-4)
            else "the sum"
            if math.isclose(total, float(expected.sum()), rel_tol=1e-4)
            else "one number"
        )
        return (
            f"This is {kind} of the losses; return one loss per example, shaped like y_hat, "
            "and let the training loop sum them."
        )
    if got.shape == expected.shape and torch.allclose(got.double(), 2 * expected.double()):
        return "Each entry is (y_hat - y)**2 / 2: the 1/2 is missing."
    return "Each entry is (y_hat - y)**2 / 2."


def check_batches(batches):
    """batches(X, y, batch_size) -> iterable of (X_batch, y_batch): shuffled, every sample once,
    the last batch possibly shorter."""
    X = torch.arange(23.0).reshape(23, 1)
    y = 10 * X

    def collect():
        result = batches(X, y, 5)
        if result is None:
            raise _Fail("batches returned None; yield each (X_batch, y_batch) inside the loop.")
        if (
            isinstance(result, tuple)
            and len(result) == 2
            and all(isinstance(t, torch.Tensor) for t in result)
        ):
            raise _Fail(
                "batches returned one pair (X_batch, y_batch): `return` ends the function "
                "at the first batch. Use `yield` inside the loop to give every batch."
            )
        got = list(result)
        if not got:
            raise _Fail("no batches came out; did you use yield?")
        for item in got:
            if not (isinstance(item, (tuple, list)) and len(item) == 2):
                raise _Fail(
                    f"each batch should be a pair (X_batch, y_batch), got "
                    f"{type(item).__name__}"
                    + (f" of shape {list(item.shape)}" if isinstance(item, torch.Tensor) else "")
                )
        return got

    def sizes():
        got = [len(xb) for xb, _ in collect()]
        if got != [5, 5, 5, 5, 3]:
            raise _Fail(
                f"batch sizes {got}, expected [5, 5, 5, 5, 3] for 23 samples. "
                "Keep the last, shorter batch; take min(i + batch_size, n)."
            )

    def every_sample_once():
        seen = sorted(torch.cat([xb for xb, _ in collect()]).flatten().tolist())
        if seen != list(range(23)):
            raise _Fail(f"the batches hold samples {seen}, expected each of 0..22 exactly once.")

    def pairs_kept():
        for xb, yb in collect():
            if not torch.equal(_tensor(yb, "y_batch"), 10 * _tensor(xb, "X_batch")):
                raise _Fail(
                    "a y_batch does not belong to its X_batch; index X and y with the same indices."
                )

    def shuffled():
        orders = [torch.cat([xb for xb, _ in collect()]).flatten().tolist() for _ in range(3)]
        if all(order == list(range(23)) for order in orders):
            raise _Fail(
                "the samples always come in their original order; shuffle the indices "
                "(random.shuffle or torch.randperm) before slicing."
            )

    return _run(
        "batches",
        [
            ("batch sizes", sizes),
            ("every sample exactly once", every_sample_once),
            ("X and y stay paired", pairs_kept),
            ("order is shuffled", shuffled),
        ],
    )


def check_sgd(sgd):
    """sgd(params, lr, batch_size): in place, p -= lr * p.grad / batch_size, then zero p.grad."""

    def step():
        w = torch.tensor([1.0, -2.0], requires_grad=True)
        b = torch.tensor([0.5], requires_grad=True)
        (3 * w.sum() + 4 * b.sum()).backward()
        w_id = id(w)
        sgd([w, b], 0.1, 2)
        return w, b, w_id

    def update():
        w, b, _ = step()
        if torch.equal(w.detach(), torch.tensor([1.0, -2.0])):
            raise _Fail(
                "w did not change. Update in place under torch.no_grad() (p -= ...), "
                "and zero the gradient after the update, not before."
            )
        _same(
            w.detach(),
            torch.tensor([1.0 - 0.1 * 3 / 2, -2.0 - 0.1 * 3 / 2]),
            "w after the step",
            "The step is -lr * grad / batch_size: minus (downhill), and divided by the batch size.",
        )
        _same(
            b.detach(),
            torch.tensor([0.5 - 0.1 * 4 / 2]),
            "b after the step",
            "Update every parameter.",
        )

    def zeroed():
        w, b, _ = step()
        for name, p in [("w", w), ("b", b)]:
            # zeros (p.grad.zero_()) and None (p.grad = None, what zero_grad() does) are both right
            if p.grad is not None and p.grad.abs().sum() != 0:
                raise _Fail(
                    f"{name}.grad is {_show(p.grad)} after the step, expected zeros (or "
                    "None). Call p.grad.zero_() after updating."
                )

    def still_leaves():
        w, _, _ = step()
        if not (w.requires_grad and w.is_leaf):
            raise _Fail(
                "w is no longer a leaf that requires grad; update in place under "
                "torch.no_grad() (p -= ...), do not assign a new tensor."
            )

    return _run(
        "sgd",
        [
            ("the update", update),
            ("gradients zeroed", zeroed),
            ("parameters stay leaves", still_leaves),
        ],
    )


# --- chapter 5 ------------------------------------------------------------------------------------
def check_linreg_gradients(gradients):
    """gradients(X, y, w, b) -> (dw, db) of L = sum of (X @ w + b - y)**2 / 2; dw shaped like w."""

    def case(seed):
        def run():
            X, y, w, b = _data(seed)
            expected_dw, expected_db = reference_gradients(X, y, w, b)
            got = gradients(X, y, w, b)
            if not isinstance(got, (tuple, list)) or len(got) != 2:
                raise _Fail(f"expected a pair (dw, db), got {type(got).__name__}")
            dw, db = got
            hint = (
                "dL/dw = X.T @ (y_hat - y): check the sign (y_hat - y, not y - y_hat), "
                "the sum over samples (no mean) and the 1/2 that cancels the 2."
            )
            _same(dw, expected_dw, "dw", _factor_hint(dw, expected_dw, len(X)) or hint)
            if isinstance(db, (int, float)):
                db = torch.tensor([float(db)])
            if _tensor(db, "db").numel() != 1:
                raise _Fail(f"db has shape {list(db.shape)}, expected one number like b.")
            _same(db.reshape(1), expected_db.reshape(1), "db", "dL/db = (y_hat - y).sum().")

        return run

    return _run(
        "linear regression gradients",
        [("a batch of 6 samples", case(0)), ("another batch", case(1))],
    )


def _factor_hint(got, expected, m):
    """A hint naming the mistake when ``got`` is ``expected`` times -1, 2 or 1/m."""
    if not isinstance(got, torch.Tensor) or got.shape != expected.shape:
        return None
    for factor, hint in [
        (-1, "The sign is flipped: use y_hat - y, not y - y_hat."),
        (2, "Twice the answer: the 1/2 in the loss cancels the 2 of the square."),
        (1 / m, "This is a mean over the samples; L is a sum (no division by m)."),
    ]:
        if torch.allclose(got.double(), factor * expected.double(), rtol=1e-5, atol=1e-9):
            return hint
    return None


# --- chapter 6 ------------------------------------------------------------------------------------
def check_backward(backward):
    """backward(params, X, y) -> [(dW, db), ...] for a sigmoid network with a linear output and
    J = 1/(2m) * sum ||y_hat - y||^2, params as in gradlab.backprop.MLP."""

    def case(sizes, seed):
        def run():
            net = MLP(sizes, "sigmoid", seed=seed)
            g = torch.Generator().manual_seed(seed)
            X = torch.randn(5, sizes[0], generator=g, dtype=torch.float64)
            y = torch.randn(5, sizes[-1], generator=g, dtype=torch.float64)
            expected = autograd_gradients(net, X, y)
            got = backward([(W.clone(), b.clone()) for W, b in net.params], X, y)
            if not isinstance(got, (list, tuple)) or len(got) != len(expected):
                raise _Fail(
                    f"expected a list of {len(expected)} (dW, db) pairs, got "
                    f"{type(got).__name__}"
                    + (f" of length {len(got)}" if isinstance(got, (list, tuple)) else "")
                )
            for l, ((dW, db), (eW, eb)) in enumerate(zip(got, expected)):
                hint = (
                    "Check delta at the output ((y_hat - y) / m), the step back "
                    "(delta @ W.T) * a * (1 - a) (a: the activation), dW = a.T @ delta."
                )
                _same(dW, eW, f"dW of layer {l + 1}", hint)
                _same(
                    db,
                    eb,
                    f"db of layer {l + 1}",
                    "db is the column sum of the next layer's delta.",
                )

        return run

    return _run(
        "backward",
        [
            ("network [2, 3, 1]", case([2, 3, 1], 0)),
            ("network [3, 4, 4, 2]", case([3, 4, 4, 2], 1)),
        ],
    )


# --- chapter 8 ------------------------------------------------------------------------------------
def check_value(Value):
    """Value(data) with +, *, tanh() and backward(), gradients accumulating in .grad."""

    def make(x):
        v = Value(x)
        if not hasattr(v, "data") or not hasattr(v, "grad"):
            raise _Fail("a Value needs the attributes data and grad")
        return v

    def compare(build, what, hint):
        a, b = make(0.7), make(-1.3)
        out = build(a, b)
        out.backward()
        ta = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
        tb = torch.tensor(-1.3, dtype=torch.float64, requires_grad=True)
        tout = build(ta, tb)
        tout.backward()
        if not math.isclose(out.data, tout.item(), rel_tol=1e-9, abs_tol=1e-12):
            raise _Fail(f"{what}: value {out.data:.6g}, expected {tout.item():.6g}")
        for name, v, t in [("a", a, ta), ("b", b, tb)]:
            if not math.isclose(v.grad, t.grad.item(), rel_tol=1e-9, abs_tol=1e-12):
                raise _Fail(
                    f"{what}: d/d{name} = {v.grad:.6g}, expected {t.grad.item():.6g}. {hint}"
                )

    return _run(
        "Value",
        [
            (
                "a * b + b",
                lambda: compare(
                    lambda a, b: a * b + b,
                    "a * b + b",
                    "Each _backward must add (+=) to the children's grad.",
                ),
            ),
            (
                "tanh(a * b)",
                lambda: compare(
                    lambda a, b: (a * b).tanh(), "tanh(a * b)", "d tanh(x)/dx = 1 - tanh(x)**2."
                ),
            ),
            (
                "a node used twice",
                lambda: compare(
                    lambda a, b: (lambda c: c * c + c)(a * b),
                    "c * c + c",
                    "A Value used twice gets both contributions: use +=, "
                    "and run _backward in reverse topological order.",
                ),
            ),
        ],
    )
