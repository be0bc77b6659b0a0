"""gradlab.deep (chapter 6) and what chapters 5 and 6 promise their readers: error terms that
match autograd for every activation, the worked diagram, difficulties on every exercise."""

import re

import matplotlib
import pytest
import torch

from conftest import CHAPTERS, load_notebook
from gradlab.backprop import MLP, autograd_gradients
from gradlab.deep import error_norms, errors, gaussian_params, worked_network

matplotlib.use("Agg")


def autograd_errors(params, X, y, f):
    """dJ/dz^l for l = 2..L by autograd, with retain_grad on every pre-activation."""
    params = [(W.clone().requires_grad_(True), b.clone()) for W, b in params]
    zs, a = [], X
    for l, (W, b) in enumerate(params):
        zs.append(a @ W + b)
        zs[-1].retain_grad()
        a = zs[-1] if l == len(params) - 1 else f(zs[-1])
    (((a - y) ** 2).sum() / (2 * len(y))).backward()
    return [z.grad for z in zs]


@pytest.mark.parametrize(
    "activation, f", [("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("relu", torch.relu)]
)
def test_errors_match_autograd(activation, f):
    g = torch.Generator().manual_seed(3)
    sizes = [4, 6, 5, 3, 2]
    X = torch.randn(7, 4, generator=g, dtype=torch.float64)
    y = torch.randn(7, 2, generator=g, dtype=torch.float64)
    params = gaussian_params(sizes, gain=1.5, seed=2)
    ours, theirs = errors(params, X, y, activation), autograd_errors(params, X, y, f)
    assert len(ours) == len(sizes) - 1  # delta^2 .. delta^L: no delta^1
    for a, b in zip(ours, theirs):
        assert torch.allclose(a, b, rtol=1e-10, atol=1e-14)
    assert error_norms(params, X, y, activation) == [d.norm().item() for d in ours]


def test_errors_agree_with_mlp_backward():
    net = MLP([3, 4, 2], activation="tanh", seed=0)
    X = torch.randn(5, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    y = torch.zeros(5, 2, dtype=torch.float64)
    net.forward(X)
    grads = net.backward(y)
    deltas = errors(net.params, X, y, "tanh")
    for l, (dW, db) in enumerate(grads):
        assert torch.allclose(net.activations[l].T @ deltas[l], dW)
        assert torch.allclose(deltas[l].sum(dim=0), db)


def test_gaussian_params_scale_and_checks():
    params = gaussian_params([400, 300, 1], gain=2.0, seed=0)
    assert [tuple(W.shape) for W, _ in params] == [(400, 300), (300, 1)]
    assert abs(params[0][0].std().item() - 2.0 / 20) < 0.005
    assert all((b == 0).all() for _, b in params)
    with pytest.raises(ValueError):
        errors(params, torch.zeros(1, 400, dtype=torch.float64), torch.zeros(1, 1), "softplus")


def test_deep_sigmoid_errors_vanish_and_tanh_ones_do_not():
    g = torch.Generator().manual_seed(0)
    sizes = [10] + [50] * 10 + [1]
    X = torch.randn(100, 10, generator=g, dtype=torch.float64)
    y = torch.randn(100, 1, generator=g, dtype=torch.float64)
    params = gaussian_params(sizes, seed=1)
    sig, tanh = error_norms(params, X, y, "sigmoid"), error_norms(params, X, y, "tanh")
    assert sig[0] / sig[-1] < 4.0**-10 * 10  # at least about fourfold per layer
    assert tanh[0] / tanh[-1] > 0.1


def test_worked_network_labels_every_value():
    net = MLP([2, 2, 1], seed=0)
    x = torch.tensor([[0.6, 1.2]], dtype=torch.float64)
    y = torch.tensor([[0.54]], dtype=torch.float64)
    net.forward(x)
    ax = worked_network(net, y)
    texts = [t.get_text() for t in ax.texts]
    assert sum(t.startswith("w=") for t in texts) == 2 * 2 + 2 * 1  # one label per edge
    assert sum("δ=" in t for t in texts) == 3  # hidden and output units
    grads = autograd_gradients(net, x, y)
    assert f"g={grads[1][0][0, 0].item():.3f}" in " ".join(texts)
    assert all(t.get_fontsize() >= 10 for t in ax.texts)
    with pytest.raises(ValueError):
        net.forward(torch.zeros(2, 2, dtype=torch.float64))
        worked_network(net, torch.zeros(2, 1, dtype=torch.float64))


@pytest.mark.parametrize(
    "name", ["05_backprop_linear_regression.ipynb", "06_backprop_multilayer.ipynb"]
)
def test_every_exercise_states_its_difficulty(name):
    text = "\n".join(c.source for c in load_notebook(CHAPTERS / name).cells)
    blocks = re.findall(r"```\{exercise\}\s*\n:label: (\S+)\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    for label, body in blocks:
        assert re.search(r"\*\*Difficulty:\*\* [★☆]{3} \(", body), f"{label}: no difficulty"


def test_chapter6_has_no_delta_one_and_no_loss_called_L():
    text = "\n".join(
        c.source
        for c in load_notebook(CHAPTERS / "06_backprop_multilayer.ipynb").cells
        if c.cell_type == "markdown"
    )
    assert "\\delta^1" not in text.replace("There is no $\\delta^1$", "")
    assert "误差项" in text and "残差" in text
    assert not re.search(r"\\partial L\b", text), "the loss of chapter 6 is J"
