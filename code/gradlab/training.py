"""The training loops the chapters write out once, as helpers for the cells that come after
(chapters 1, 2, 4, 6, 8), and the small measures they share: RMSE, standardisation, a step timer.
"""

import time

import torch
from torch import nn

from gradlab import _checks
from gradlab.data import batches
from gradlab.linreg import linreg, sgd, squared_loss


def train(net, X, y, lr, num_epochs, optimizer=torch.optim.SGD):
    """Full-batch training of a torch module with ``nn.MSELoss`` (chapters 1, 2).

    optimizer: the optimizer class, e.g. ``torch.optim.SGD`` (chapter 1) or ``torch.optim.Adam``
    (chapter 2). Returns the loss of every epoch, measured before its step.
    """
    lr, num_epochs = _checks.positive(lr, "lr"), _checks.integer(num_epochs, "num_epochs", low=0)
    loss = nn.MSELoss()
    opt = optimizer(net.parameters(), lr=lr)
    losses = []
    for _ in range(num_epochs):
        l = loss(net(X), y)
        opt.zero_grad()
        l.backward()
        opt.step()
        losses.append(l.item())
    return losses


def train_linreg(
    X, y, w, b, lr, batch_size, num_epochs, reduce=torch.sum, divide_by=None, after_step=None
):
    """Minibatch SGD on linear regression from scratch, the loop of chapter 4.

    Each epoch walks ``batches(X, y, batch_size, seed=epoch)``; each step backpropagates
    ``reduce(squared_loss(linreg(X_batch, w, b), y_batch))`` and calls
    ``sgd([w, b], lr, divide_by(len(X_batch)))`` (default: the batch's own size).
    w, b: leaves with ``requires_grad=True``, updated in place. after_step(w, b) runs after every
    step. Returns ``(w, b)``.
    """
    divide_by = divide_by or (lambda n: n)
    for epoch in range(_checks.integer(num_epochs, "num_epochs", low=0)):
        for X_batch, y_batch in batches(X, y, batch_size, seed=epoch):
            reduce(squared_loss(linreg(X_batch, w, b), y_batch)).backward()
            sgd([w, b], lr, divide_by(len(X_batch)))
            if after_step is not None:
                after_step(w, b)
    return w, b


def rmse(y_hat, y):
    """Root mean squared error ``sqrt(mean((y_hat - y)**2))`` as a float (chapters 2, 6, 8)."""
    y_hat, y = _checks.loss_pair(y_hat, y)
    return ((y_hat.detach() - y) ** 2).mean().sqrt().item()


def standardiser(X):
    """The function ``X_new -> (X_new - mean) / std`` with the column means and standard
    deviations of X, the training data (chapters 2, 6, 8)."""
    X = _checks.tensor(X, "X", ndim=2, shape="[n, d]")
    mean, std = X.mean(dim=0), X.std(dim=0)

    def standardise(X_new):
        return (X_new - mean) / std

    return standardise


def time_per_step(step, repeats=100):
    """Seconds per call of ``step()``, averaged over ``repeats`` calls after one warm-up call
    (chapters 6, 8)."""
    _checks.function(step, "step", "nothing")
    repeats = _checks.integer(repeats, "repeats")
    step()
    start = time.perf_counter()
    for _ in range(repeats):
        step()
    return (time.perf_counter() - start) / repeats
