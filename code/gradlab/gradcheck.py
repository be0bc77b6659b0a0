"""Gradient checking: compare a gradient with central finite differences (chapters 5, 6)."""

import warnings

import torch

from gradlab import _checks


def numerical_gradient(f, x, eps=1e-6):
    """Central differences ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for every entry of x.

    f: maps a tensor shaped like x to a scalar (a number or a one-element tensor).
    x: the point, any shape; float64 advised (float32 rounding swamps the differences).
    Returns a tensor shaped like x. x is restored after each probe.
    """
    x = _checks.gradcheck_args(f, x, eps).detach().clone()
    if x.dtype != torch.float64:
        warnings.warn(
            f"numerical_gradient on {x.dtype}: rounding errors of about 1e-7 are "
            "divided by 2 * eps; use float64 for a meaningful check",
            stacklevel=2,
        )
    flat = x.view(-1)
    grad = torch.zeros_like(flat)
    for i in range(flat.numel()):
        saved = flat[i].item()
        flat[i] = saved + eps
        up = _checks.scalar_result(f(x))
        flat[i] = saved - eps
        down = _checks.scalar_result(f(x))
        flat[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad.view(x.shape)


def relative_error(a, b):
    """``||a - b|| / max(||a|| + ||b||, tiny)``: 0 for equal gradients, 1 for opposite ones."""
    a, b = _checks.same_shape_pair(a, b)
    scale = max((a.norm() + b.norm()).item(), torch.finfo(torch.float64).tiny)
    return (a - b).norm().item() / scale


def check_layer(net, X, y, layer=0):
    """Relative error between ``net.backward``'s dW of one layer and central differences of
    ``net.loss`` (chapter 6); about 1e-9 for a correct backward in float64."""
    net.forward(X)
    analytic = net.backward(y)[layer][0]

    def J_of_W(W):
        saved = net.params[layer]
        net.params[layer] = (W, saved[1])
        try:
            return net.loss(X, y)
        finally:
            net.params[layer] = saved

    return relative_error(analytic, numerical_gradient(J_of_W, net.params[layer][0]))
