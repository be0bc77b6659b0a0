"""Figures that recur in the book, drawn in a palette colour-blind readers can tell apart.

Every function takes an optional ``ax`` and returns it, so cells can combine them.
"""

import matplotlib as mpl
import matplotlib.pyplot as plt
import torch

# Okabe & Ito's palette: distinguishable with every common form of colour blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}


def use_style():
    """Make the palette the default colour cycle and pick sizes that read well in the book."""
    mpl.rcParams.update(
        {
            "axes.prop_cycle": mpl.cycler(color=list(PALETTE.values())),
            "figure.figsize": (5.5, 3.5),
            "figure.dpi": 80,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 10,
            "legend.frameon": False,
        }
    )


def _axes(ax):
    return ax if ax is not None else plt.subplots()[1]


def scatter_data(x, y, ax=None, xlabel="area x", ylabel="price y"):
    """Scatter plot of 1-D data; ``x`` and ``y`` of shape [n, 1] or [n] (chapter 1)."""
    ax = _axes(ax)
    ax.scatter(
        torch.as_tensor(x).flatten(), torch.as_tensor(y).flatten(),
        s=14, color=PALETTE["black"], alpha=0.6, label="data",
    )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def line(w, b, x_range, ax=None, label=None, color=None, style="-"):
    """Draw ``y = w x + b`` over ``x_range = (low, high)`` (chapter 1)."""
    ax = _axes(ax)
    lo, hi = x_range
    ax.plot([lo, hi], [w * lo + b, w * hi + b], style, lw=2, label=label, color=color)
    return ax


def loss_curve(losses, ax=None, label=None, logy=False):
    """Loss against epoch for a list of floats, one per epoch (chapter 1)."""
    ax = _axes(ax)
    ax.plot(range(1, len(losses) + 1), losses, lw=2, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if logy:
        ax.set_yscale("log")
    return ax
