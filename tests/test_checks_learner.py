"""Self-checks meet learners' real mistakes and idioms (issue #16): errors at the learner's own
line, hints that name the actual mistake, every correct idiom accepted, one verdict per cell."""

import torch
from IPython.core.interactiveshell import InteractiveShell

from gradlab import checks
from gradlab.linreg import sgd as good_sgd


def run(check, implementation, capsys):
    result = check(implementation)
    return bool(result), capsys.readouterr().out


def test_a_verdict_is_a_bool_that_a_notebook_does_not_echo(capsys):
    shell = InteractiveShell.instance()
    formatted, _ = shell.display_formatter.format(checks.Verdict(True))
    assert formatted == {}  # no "Out: True" under the printed verdict
    assert checks.Verdict(True) and not checks.Verdict(False)
    assert checks.Verdict(True) == True and checks.Verdict(False) == False  # noqa: E712


def test_return_instead_of_yield_is_named_and_not_blamed_on_gradlab(capsys):
    def with_return(X, y, n):
        for i in range(0, len(X), n):
            return X[i : i + n], y[i : i + n]

    ok, out = run(checks.check_batches, with_return, capsys)
    assert not ok and "`return` ends the function" in out and "checks.py" not in out


def test_an_error_is_reported_at_the_learners_own_line(capsys):
    def broken(X, y, n):
        idx = torch.randperm(len(X))
        yield X[idx[:n]], y[idx[:n]].reshape(3, 7)  # the learner's line

    ok, out = run(checks.check_batches, broken, capsys)
    assert not ok and "the learner's line" in out


def test_a_mean_loss_is_told_it_is_a_mean_not_about_the_half(capsys):
    ok, out = run(
        checks.check_squared_loss,
        lambda y_hat, y: ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).mean(),
        capsys,
    )
    assert not ok and "the mean of the losses" in out and "1/2" not in out


def test_setting_grad_to_none_is_accepted(capsys):
    def sgd_none(params, lr, batch_size):
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad / batch_size
                p.grad = None  # what optimizer.zero_grad() does by default

    assert run(checks.check_sgd, sgd_none, capsys)[0]
    assert run(checks.check_sgd, good_sgd, capsys)[0]


def test_zeroing_before_the_update_is_named(capsys):
    def zero_first(params, lr, batch_size):
        with torch.no_grad():
            for p in params:
                p.grad.zero_()
                p -= lr * p.grad / batch_size

    ok, out = run(checks.check_sgd, zero_first, capsys)
    assert not ok and "not before" in out
