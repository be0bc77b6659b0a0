"""gradlab.training: the chapters' loops as helpers give what the loops written out give."""

import math

import pytest
import torch
from torch import nn

from gradlab.data import batches, synthetic_regression, trapezoids
from gradlab.linreg import linreg, sgd, squared_loss
from gradlab.training import rmse, standardiser, time_per_step, train, train_linreg


@pytest.mark.parametrize("optimizer", [torch.optim.SGD, torch.optim.Adam])
def test_train_is_the_full_batch_loop(optimizer):
    X, y = trapezoids()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1))
    twin = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1))
    twin.load_state_dict(net.state_dict())
    losses = train(net, X, y, lr=0.01, num_epochs=20, optimizer=optimizer)
    opt, loss, expected = optimizer(twin.parameters(), lr=0.01), nn.MSELoss(), []
    for _ in range(20):
        l = loss(twin(X), y)
        opt.zero_grad()
        l.backward()
        opt.step()
        expected.append(l.item())
    assert losses == expected


def test_train_linreg_is_chapter_4s_loop():
    X, y = synthetic_regression([2.0, -3.4], 4.2, n=100, seed=0)
    w0 = torch.normal(0, 0.01, size=(2, 1), generator=torch.Generator().manual_seed(0))
    w, b = w0.clone().requires_grad_(True), torch.zeros(1, requires_grad=True)
    steps = []
    train_linreg(
        X, y, w, b, lr=0.03, batch_size=10, num_epochs=2, after_step=lambda w_, b_: steps.append(1)
    )
    w2, b2 = w0.clone().requires_grad_(True), torch.zeros(1, requires_grad=True)
    for epoch in range(2):
        for X_batch, y_batch in batches(X, y, 10, seed=epoch):
            squared_loss(linreg(X_batch, w2, b2), y_batch).sum().backward()
            sgd([w2, b2], 0.03, len(X_batch))
    assert torch.equal(w, w2) and torch.equal(b, b2) and len(steps) == 20
    w3, b3 = w0.clone().requires_grad_(True), torch.zeros(1, requires_grad=True)
    train_linreg(
        X, y, w3, b3, lr=0.03, batch_size=10, num_epochs=2, reduce=torch.mean, divide_by=lambda n: 1
    )
    assert torch.allclose(w3, w, atol=1e-6)


def test_rmse_and_standardiser():
    y = torch.tensor([[1.0], [2.0], [3.0]])
    assert math.isclose(
        rmse(torch.tensor([[2.0], [2.0], [1.0]]), y), math.sqrt(5 / 3), rel_tol=1e-6
    )
    assert rmse(y.flatten(), y) == 0.0
    with pytest.raises(ValueError, match="hold as many values"):
        rmse(torch.ones(3, 1), torch.ones(1, 4))
    X, _ = trapezoids()
    standardise = standardiser(X)
    Z = standardise(X)
    assert torch.allclose(Z.mean(dim=0), torch.zeros(2), atol=1e-6)
    assert torch.allclose(Z.std(dim=0), torch.ones(2), atol=1e-6)


def test_time_per_step_warms_up_then_averages():
    calls = []
    seconds = time_per_step(lambda: calls.append(1), repeats=5)
    assert len(calls) == 6 and seconds >= 0
    with pytest.raises(TypeError, match="step must be a function"):
        time_per_step(3)
    with pytest.raises(ValueError, match="repeats must be at least 1"):
        time_per_step(lambda: None, repeats=0)
