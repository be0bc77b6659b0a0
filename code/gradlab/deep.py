"""Looking inside a backward pass (chapter 6): the errors of every layer, how their size changes
with depth for sigmoid, tanh and ReLU hidden layers, and a small network drawn with every value
of a worked forward and backward pass written on it.

Same conventions as ``gradlab.backprop``: row vectors, ``z[l+1] = a[l] @ W[l] + b[l]`` with W[l]
of shape [S_l, S_{l+1}], hidden layers apply f, the output layer has no activation, and
``J = 1/(2m) * sum_i ||y_hat_i - y_i||^2``.
"""

import matplotlib.pyplot as plt
import torch
from matplotlib.patches import Circle

from gradlab import _checks
from gradlab.plots import PALETTE

ACTIVATIONS = {
    # name: (f(z), f'(z))
    "sigmoid": (torch.sigmoid, lambda z: torch.sigmoid(z) * (1 - torch.sigmoid(z))),
    "tanh": (torch.tanh, lambda z: 1 - torch.tanh(z) ** 2),
    "relu": (torch.relu, lambda z: (z > 0).to(z.dtype)),
}


def gaussian_params(sizes, gain=1.0, seed=0, dtype=torch.float64):
    """Weights drawn from N(0, gain^2 / S_l), biases 0: a list of (W, b) like ``MLP.params``.
    gain 1 keeps the size of a signal through a linear layer on average; PyTorch recommends
    gain 5/3 for tanh and sqrt(2) for ReLU (``torch.nn.init.calculate_gain``)."""
    _checks.positive(gain, "gain")
    g = torch.Generator().manual_seed(_checks.seed(seed))
    return [
        (
            torch.randn(n_in, n_out, generator=g, dtype=dtype) * gain / n_in**0.5,
            torch.zeros(n_out, dtype=dtype),
        )
        for n_in, n_out in zip(sizes, sizes[1:])
    ]


def errors(params, X, y, activation):
    """The errors delta^l = dJ/dz^l of layers 2, ..., L as a list [delta^2, ..., delta^L],
    each of shape [m, S_l], by equations (6.1) and (6.2) of chapter 6. activation: "sigmoid",
    "tanh" or "relu" for the hidden layers."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
    f, f_prime = ACTIVATIONS[activation]
    zs, a = [], X
    for l, (W, b) in enumerate(params):
        zs.append(a @ W + b)  # zs[i] is z^{i+2}
        a = zs[-1] if l == len(params) - 1 else f(zs[-1])
    delta = (a - y) / len(y)  # eq. (6.1), the output layer
    deltas = [delta]
    for l in range(len(params) - 1, 0, -1):
        delta = (delta @ params[l][0].T) * f_prime(zs[l - 1])  # eq. (6.2), one layer down
        deltas.insert(0, delta)
    return deltas


def error_norms(params, X, y, activation):
    """The norms ||delta^l|| of layers 2, ..., L, as floats."""
    return [delta.norm().item() for delta in errors(params, X, y, activation)]


def _label(ax, x, y, text, colour, **kw):
    ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=10,
        color=colour,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.9},
        **kw,
    )


def worked_network(net, y, ax=None, digits=3):
    """Draw a network after ``net.forward(x)`` on ONE sample and ``net.backward(y)``: every
    unit shows z, a and delta; every edge its weight w and the gradient g = dJ/dw. ``net`` is a
    ``gradlab.backprop.MLP`` (small: up to 3 units per layer reads well)."""
    if net.activations is None or len(net.activations[0]) != 1:
        raise ValueError("run net.forward on exactly one sample first")
    grads = net.backward(y)
    deltas = [None] * len(net.sizes)
    deltas[-1] = net.activations[-1] - y.reshape(net.activations[-1].shape)  # m = 1
    for l in range(len(net.params) - 1, 0, -1):
        W = net.params[l][0]
        deltas[l] = (deltas[l + 1] @ W.T) * net.derivative(net.zs[l], net.activations[l])
    ax = ax if ax is not None else plt.subplots(figsize=(8, 5))[1]
    top, gap, dy, r = max(net.sizes), 5.0, 3.4, 0.42
    pos = [[(gap * l, dy * ((n - 1) / 2 - i)) for i in range(n)] for l, n in enumerate(net.sizes)]
    fmt = f"{{:.{digits}f}}"
    for l, (W, _) in enumerate(net.params):
        dW = grads[l][0]
        for j, (x0, y0) in enumerate(pos[l]):
            for k, (x1, y1) in enumerate(pos[l + 1]):
                ax.plot([x0, x1], [y0, y1], color="0.6", lw=1, zorder=1)
                t = 0.5 if y0 == y1 else 0.3  # labels of crossing edges near their start
                xm, ym = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                text = f"w={fmt.format(W[j, k].item())}\ng={fmt.format(dW[j, k].item())}"
                _label(ax, xm, ym, text, PALETTE["blue"], zorder=3)
    colours = [PALETTE["sky"]] + [PALETTE["orange"]] * (len(net.sizes) - 2) + [PALETTE["green"]]
    for l, layer in enumerate(pos):
        for i, (x, y0) in enumerate(layer):
            ax.add_patch(Circle((x, y0), r, facecolor=colours[l], edgecolor="black", zorder=2))
            a = net.activations[l][0, i].item()
            if l == 0:
                lines = [f"x={fmt.format(a)}"]
            else:
                lines = [
                    f"b={fmt.format(net.params[l - 1][1][i].item())}",
                    f"z={fmt.format(net.zs[l][0, i].item())}",
                    f"a={fmt.format(a)}",
                    f"δ={fmt.format(deltas[l][0, i].item())}",
                ]
            first, last, upper = l == 0, l == len(pos) - 1, y0 > 0
            ax.text(
                x + (-r - 0.15 if first else r + 0.15 if last else 0),
                y0 + (0 if first or last else r + 0.1 if upper else -r - 0.1),
                "\n".join(lines),
                ha="right" if first else "left" if last else "center",
                va="center" if first or last else "bottom" if upper else "top",
                fontsize=10,
                zorder=3,
            )
    ax.set_xlim(-2.2, gap * (len(net.sizes) - 1) + 2.2)
    ax.set_ylim(-dy * (top - 1) / 2 - 2.6, dy * (top - 1) / 2 + 2.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
