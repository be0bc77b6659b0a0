"""Figures that recur in the book, drawn in a palette colour-blind readers can tell apart.

Every function takes an optional ``ax`` and returns it, so cells can combine them.
"""

import io
import struct
import zlib

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.patches import Circle, Polygon

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
    """Make the palette the default colour cycle and pick sizes that read well in the book.

    In a notebook, figures are also sent as PNG at twice their size ("retina"): sharp on any
    high-density screen, and shown at their normal size.
    """
    mpl.rcParams.update(
        {
            "axes.prop_cycle": mpl.cycler(color=list(PALETTE.values())),
            "figure.figsize": (5.5, 3.5),
            "figure.dpi": 80,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 12.5,
            "legend.frameon": False,
        }
    )
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and "inline" in str(mpl.rcParams._get("backend")):
        # the inline backend sets Jupyter's figure formatters when it loads (at the first figure
        # since matplotlib 3.9): load it now, so that it does not replace this one later
        import matplotlib_inline.backend_inline  # noqa: F401
        from matplotlib.figure import Figure

        shell.display_formatter.formatters["image/png"].for_type(Figure, _retina_png)


# The smallest font of a figure, in pixels of its PNG, is written into the PNG itself (a tEXt chunk
# under this key), so that the book's browser test can check that figure text reads at 11 CSS px
# or more wherever the figure is shown.
TEXT_PX_KEY = "gradlab:min-text-px"


def smallest_text_px(fig, dpi):
    """Size in pixels, at dpi, of the smallest visible non-empty text of a drawn figure."""
    sizes = [
        text.get_fontsize()
        for text in fig.findobj(mpl.text.Text)
        if text.get_visible() and text.get_text().strip()
    ]
    return min(sizes) * dpi / 72 if sizes else None


def png_with_text_size(data, px):
    """PNG bytes with a tEXt chunk recording the smallest text size px (after the header)."""
    if px is None:
        return data
    payload = f"{TEXT_PX_KEY}\0{px:.1f}".encode("latin-1")
    tag = b"tEXt" + payload
    chunk = struct.pack(">I", len(payload)) + tag + struct.pack(">I", zlib.crc32(tag))
    header = 8 + 25  # PNG signature, then the IHDR chunk
    return data[:header] + chunk + data[header:]


def _retina_png(fig):
    """A figure for Jupyter: PNG at twice its size (sharp on high-density screens) shown at its
    normal size, with its smallest text size recorded."""
    dpi = 2 * fig.dpi
    buffer = io.BytesIO()
    fig.canvas.print_figure(buffer, format="png", dpi=dpi, bbox_inches="tight")
    data = png_with_text_size(buffer.getvalue(), smallest_text_px(fig, dpi))
    width, height = struct.unpack(">II", data[16:24])
    return data, {"width": width // 2, "height": height // 2}


def _axes(ax):
    if ax is not None and not isinstance(ax, mpl.axes.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax if ax is not None else plt.subplots()[1]


def _finite_array(values, name, shape=None):
    """values as a float numpy array, checked finite, non-empty and (optionally) of a shape."""
    if (
        isinstance(values, (str, bytes, dict))
        or values is None
        or (
            isinstance(values, (torch.Tensor, np.ndarray))
            and values.dtype
            in (
                torch.bool,
                torch.complex64,
                torch.complex128,
                np.bool_,
                np.complex64,
                np.complex128,
            )
        )
    ):
        raise TypeError(
            f"{name} must be real numbers (a list, array or tensor), got "
            f"{type(values).__name__}" + (f" of {values.dtype}" if hasattr(values, "dtype") else "")
        )
    try:
        array = np.asarray(torch.as_tensor(values, dtype=torch.float64))
    except (TypeError, ValueError, RuntimeError):
        raise TypeError(
            f"{name} must be numbers (a list, array or tensor), got {type(values).__name__}"
        ) from None
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite, but it holds NaN or infinite values")
    if shape is not None and (
        array.ndim != len(shape)
        or any(s is not None and a != s for a, s in zip(array.shape, shape))
    ):
        want = "[" + ", ".join("k" if s is None else str(s) for s in shape) + "]"
        raise ValueError(f"{name} must have shape {want}, got {list(array.shape)}")
    return array


def _range(pair, name):
    lo, hi = _finite_array(pair, name, shape=(2,))
    if not lo < hi:
        raise ValueError(f"{name} must be (low, high) with low < high, got {tuple(pair)}")
    return lo, hi


def scatter_data(x, y, ax=None, xlabel="area x", ylabel="price y"):
    """Scatter plot of 1-D data; ``x`` and ``y`` of shape [n, 1] or [n] (chapter 1)."""
    x, y = _finite_array(x, "x").ravel(), _finite_array(y, "y").ravel()
    if x.size != y.size:
        raise ValueError(f"x and y must hold as many points, got {x.size} and {y.size}")
    ax = _axes(ax)
    ax.scatter(
        x,
        y,
        s=14,
        color=PALETTE["black"],
        alpha=0.6,
        label="data",
    )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def line(w, b, x_range, ax=None, label=None, color=None, style="-"):
    """Draw ``y = w x + b`` over ``x_range = (low, high)`` (chapter 1)."""
    w, b = float(_finite_array(w, "w").item()), float(_finite_array(b, "b").item())
    lo, hi = _range(x_range, "x_range")
    ax = _axes(ax)
    ax.plot([lo, hi], [w * lo + b, w * hi + b], style, lw=2, label=label, color=color)
    return ax


def loss_curve(losses, ax=None, label=None, logy=False):
    """Loss against epoch for a list of floats, one per epoch (chapter 1)."""
    losses = _finite_array(losses, "losses", shape=(None,))  # on a log scale, 0 is left out
    ax = _axes(ax)
    ax.plot(range(1, len(losses) + 1), losses, lw=2, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if logy:
        ax.set_yscale("log")
    return ax


def trapezoid_shapes(X, ax=None):
    """Draw trapezoids side by side; X of shape [k, 2] holds (upper base = height, lower base)
    for each (chapter 2)."""
    X = _finite_array(X, "X", shape=(None, 2))
    if (X <= 0).any():
        raise ValueError("the bases in X must be positive lengths")
    ax = _axes(ax)
    left = 0.0
    for i, (x1, x2) in enumerate(X.tolist()):
        corners = [(left, 0), (left + x2, 0), (left + x1, x1), (left, x1)]
        colour = list(PALETTE.values())[i % 7]
        ax.add_patch(Polygon(corners, closed=True, facecolor=colour, alpha=0.5, edgecolor="black"))
        area = (x1 + x2) * x1 / 2
        ax.text(
            left + x2 / 2,
            -0.12,
            f"x1={x1:g}, x2={x2:g}\narea={area:.3f}",
            ha="center",
            va="top",
            fontsize=10,
        )
        left += x2 + 0.3
    ax.set_xlim(-0.1, left)
    ax.set_ylim(-0.45, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def network_diagram(sizes, ax=None, names=None):
    """A fully connected network drawn as circles and lines; sizes[l] units in layer l
    (chapter 2). names: one caption per layer (default: input, hidden 1, ..., output)."""
    if (
        not isinstance(sizes, (list, tuple))
        or len(sizes) < 2
        or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in sizes)
    ):
        raise ValueError(f"sizes must list at least two positive unit counts, got {sizes!r}")
    if names is not None and len(names) != len(sizes):
        raise ValueError(f"names must give one caption per layer ({len(sizes)}), got {len(names)}")
    ax = _axes(ax)
    hidden = len(sizes) - 2
    if names is None:
        names = (
            ["input\nlayer"]
            + [
                f"hidden\nlayer {h}" if hidden > 1 else "hidden\nlayer"
                for h in range(1, hidden + 1)
            ]
            + ["output\nlayer"]
        )
    top, gap = max(sizes), 2.0
    # unit i of layer l sits at (gap * l, y), each layer centred on the middle of the tallest one
    positions = [
        [(gap * l, (top - 1) / 2 + (n - 1) / 2 - i) for i in range(n)] for l, n in enumerate(sizes)
    ]
    for here, there in zip(positions, positions[1:]):
        for a in here:
            for b in there:
                ax.plot([a[0], b[0]], [a[1], b[1]], color="0.6", lw=0.7, zorder=1)
    colours = [PALETTE["sky"]] + [PALETTE["orange"]] * hidden + [PALETTE["green"]]
    for layer, colour, name in zip(positions, colours, names):
        for x, y in layer:
            ax.add_patch(Circle((x, y), 0.25, facecolor=colour, edgecolor="black", zorder=2))
        ax.text(layer[0][0], -0.7, name, ha="center", va="top")
    ax.set_xlim(-0.7, gap * (len(sizes) - 1) + 0.7)
    ax.set_ylim(-2.0, top - 0.4)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def contour_path(J, path, xlim, ylim, ax=None, levels=12, labels=("w1", "w2")):
    """Contours of J(w1, w2) (a function of two numpy arrays) and the points of ``path``
    ([k, 2]) joined by arrows (chapter 3)."""
    if not callable(J):
        raise TypeError(f"J must be a function of (w1, w2), got {type(J).__name__}")
    path = _finite_array(path, "path", shape=(None, 2))
    xlim, ylim = _range(xlim, "xlim"), _range(ylim, "ylim")
    ax = _axes(ax)
    g1, g2 = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    ax.contour(g1, g2, J(g1, g2), levels=levels, cmap="viridis", linewidths=0.8)
    ax.plot(path[:, 0], path[:, 1], "o-", color=PALETTE["vermillion"], ms=3, lw=1.2)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_aspect("equal")
    return ax


def surface_path(J, path, xlim, ylim, ax=None, labels=("w1", "w2", "J")):
    """J(w1, w2) as a 3-D surface with the path's points lying on it (chapter 3)."""
    if not callable(J):
        raise TypeError(f"J must be a function of (w1, w2), got {type(J).__name__}")
    path = _finite_array(path, "path", shape=(None, 2))
    xlim, ylim = _range(xlim, "xlim"), _range(ylim, "ylim")
    if ax is None:
        ax = plt.figure().add_subplot(projection="3d")
    g1, g2 = np.meshgrid(np.linspace(*xlim, 60), np.linspace(*ylim, 60))
    ax.plot_surface(g1, g2, J(g1, g2), cmap="viridis", alpha=0.6, linewidth=0)
    ax.plot(
        path[:, 0],
        path[:, 1],
        J(path[:, 0], path[:, 1]),
        "o-",
        color=PALETTE["vermillion"],
        ms=3,
        lw=1.5,
        zorder=5,
    )
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_zlabel(labels[2])
    return ax
