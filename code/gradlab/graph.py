"""The graph behind a computation, traced and drawn without Graphviz (chapters 7, 8).

Works for a PyTorch tensor (walking ``grad_fn.next_functions``) and for a ``gradlab.engine.Value``
(walking its children). Edges point the way data flows: from the inputs to the output.

``draw`` lays the graph out in layers (inputs first, the output last), routes an edge that skips
layers through the gaps between the boxes of the layers it passes, so no edge crosses a node, and
sizes every box to its label, so text stays at its font size. With ``values=True`` each node
shows its value and its gradient, as micrograd's drawing does.
"""

import warnings

import matplotlib.pyplot as plt
import torch
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch
from matplotlib.textpath import TextToPath

from gradlab import _checks
from gradlab.engine import Value
from gradlab.plots import PALETTE

PAD = 0.09  # inches between a label and its box
SEP = 0.22  # inches between neighbouring boxes of a layer
BAND = 0.42  # inches between two layers, where the edges run
LINESPACING = 1.15


def trace(root):
    """Return ``(nodes, edges)``: nodes maps an id to a label, edges lists (from_id, to_id).

    For a tensor the nodes are backward functions (``"MulBackward0"``, ``"AccumulateGrad"`` for
    a leaf that requires grad, ...); for a Value they are Values, labelled by their operation.
    """
    objects, edges = _walk(root)
    return {key: _label(node) for key, node in objects.items()}, edges


def _label(node):
    if isinstance(node, Value):
        return f"{node._op} → {node.data:.3g}" if node._op else f"{node.data:.3g}"
    if isinstance(node, torch.Tensor):  # a lone leaf: the AccumulateGrad node it would start
        return "AccumulateGrad"
    return type(node).__name__


def _walk(root):
    """The graph's node objects by id (Values or backward functions) and its edges."""
    if isinstance(root, Value):
        children = lambda v: v._prev  # noqa: E731
        start = root
    elif isinstance(root, torch.Tensor):
        if root.grad_fn is None:
            if root.requires_grad:  # a leaf: its graph is one AccumulateGrad node
                return {"leaf": root}, []
            raise ValueError(
                "this tensor has no graph: it does not require grad and was not "
                "computed from a tensor that does (hint: create the leaves with "
                "requires_grad=True, outside torch.no_grad())"
            )
        children = lambda fn: [nxt for nxt, _ in fn.next_functions if nxt is not None]  # noqa: E731
        start = root.grad_fn
    else:
        raise TypeError(f"trace needs a torch.Tensor or a gradlab Value, got {type(root).__name__}")

    objects, edges, stack = {}, [], [start]
    while stack:
        node = stack.pop()
        key = str(id(node))
        if key in objects:
            continue
        objects[key] = node
        for child in children(node):
            edges.append((str(id(child)), key))
            stack.append(child)
    return objects, list(dict.fromkeys(edges))


def _layers(nodes, edges):
    """Layer of each node: its longest distance from the output (the output is layer 0)."""
    parents = {n: [] for n in nodes}
    for a, b in edges:
        parents[a].append(b)
    depth = {}
    for start in nodes:  # depth-first with a stack: graphs of any depth
        stack = [start]
        while stack:
            n = stack[-1]
            todo = [p for p in parents[n] if p not in depth]
            if todo:
                stack.extend(todo)
            else:
                stack.pop()
                depth[n] = 1 + max((depth[p] for p in parents[n]), default=-1)
    return depth


# --- labels ---------------------------------------------------------------------------------


def _number(x):
    return f"{x + 0.0:.4g}"  # + 0.0: never print -0


def _tensor_text(t):
    if t is None:
        return "None"
    t = t.detach()
    return _number(t.item()) if t.numel() == 1 else "×".join(map(str, t.shape)) + " tensor"


def _tensor_of(node, named):
    """The tensor whose value a torch node can show: its leaf, or a tensor the caller named."""
    if named is not None:
        return named
    if isinstance(node, torch.Tensor):
        return node
    return getattr(node, "variable", None)


def _node_text(node, name, values, root_tensor):
    """The label of one node: its operation (and name); with values, its data and grad."""
    if isinstance(node, Value):
        if not values:
            return f"{name}\n{_label(node)}" if name else _label(node)
        title = f"{name} ({node._op})" if name and node._op else name or node._op
        lines = [f"data {_number(node.data)}", f"grad {_number(node.grad)}"]
        return "\n".join(([title] if title else []) + lines)
    op = _label(node)
    if not values:
        text = f"{name}\n{op}" if name else op
        return (
            text
            if name
            else op.replace("Backward", "\nBackward").replace("Accumulate", "Accumulate\n")
        )
    tensor = _tensor_of(node, root_tensor)
    lines = [op]
    if tensor is not None:
        lines.append(f"{name + ' = ' if name else ''}{_tensor_text(tensor)}")
        kept = tensor.is_leaf or tensor.retains_grad  # else PyTorch keeps no grad (and warns)
        lines.append(f"grad {_tensor_text(tensor.grad if kept else None)}")
    elif name:
        lines.append(name)
    return "\n".join(lines)


def _text_size(text, fontsize):
    """Width and height of a label in inches, measured on the font's outlines."""
    prop = FontProperties(size=fontsize)
    lines = text.split("\n")
    widths = [TextToPath().get_text_width_height_descent(s, prop, ismath=False)[0] for s in lines]
    height = fontsize * (1 + LINESPACING * (len(lines) - 1))
    return max(widths) / 72, height / 72


# --- layout ---------------------------------------------------------------------------------


def _order(ranks, neighbours, sweeps=6):
    """Order each rank to keep edges short and uncrossed (barycentre heuristic)."""
    for sweep in range(sweeps):
        downward = sweep % 2 == 0
        sequence = range(1, len(ranks)) if downward else range(len(ranks) - 2, -1, -1)
        for r in sequence:
            fixed = ranks[r - 1] if downward else ranks[r + 1]
            index = {n: i for i, n in enumerate(fixed)}
            now = {n: i for i, n in enumerate(ranks[r])}

            def centre(n, index=index, now=now):
                near = [index[m] for m in neighbours[n] if m in index]
                return sum(near) / len(near) if near else now[n]

            ranks[r].sort(key=centre)


def _place(ranks, size, neighbours, sweeps=8):
    """Cross-axis centre of every item: near its neighbours, never overlapping its rank."""
    pos = {}
    for members in ranks:
        x = 0.0
        for n in members:
            pos[n] = x + size[n] / 2
            x += size[n] + SEP
        shift = (x - SEP) / 2
        for n in members:
            pos[n] -= shift
    for sweep in range(sweeps):
        order = ranks if sweep % 2 == 0 else ranks[::-1]
        for members in order:
            wanted = [
                sum(pos[m] for m in neighbours[n]) / len(neighbours[n]) if neighbours[n] else pos[n]
                for n in members
            ]
            placed = []
            for i, n in enumerate(members):
                low = placed[-1] + (size[members[i - 1]] + size[n]) / 2 + SEP if i else None
                placed.append(wanted[i] if low is None else max(wanted[i], low))
            drift = sum(p - w for p, w in zip(placed, wanted)) / len(members)
            for n, p in zip(members, placed):
                pos[n] = p - drift
    return pos


def layout(root, names=None, values=False, direction="right", fontsize=12):
    """Where ``draw`` puts everything, in inches: a dict with

    ``boxes``: {key: (x, y, width, height, text, is_leaf)} (x, y the centre),
    ``edges``: [(from_key, to_key, [(x, y), ...])] the points of each drawn edge, and
    ``size``: (width, height) of the drawing. Tests use it to check that no edge crosses a box.
    """
    if names is not None and not isinstance(names, dict):
        raise TypeError(
            f"names must be a dict {{name: tensor or Value}}, got {type(names).__name__}"
        )
    names = names or {}
    direction = _checks.one_of(direction, {"right", "down"}, "direction")
    objects, edges = _walk(root)
    name_of = {}
    named_tensor = {}
    for name, obj in names.items():
        for key, node in objects.items():
            if node is obj or getattr(node, "variable", None) is obj:
                name_of[key] = name
            elif isinstance(obj, torch.Tensor) and obj.grad_fn is node:
                name_of[key], named_tensor[key] = name, obj
    if isinstance(root, torch.Tensor) and root.grad_fn is not None:
        named_tensor.setdefault(str(id(root.grad_fn)), root)
    texts = {
        key: _node_text(node, name_of.get(key), values, named_tensor.get(key))
        for key, node in objects.items()
    }
    leaves = {n for n in objects if not any(b == n for _, b in edges)}

    depth = _layers(objects, edges)
    deepest = max(depth.values())
    rank = {n: deepest - d for n, d in depth.items()}  # inputs in rank 0
    ranks = [[] for _ in range(deepest + 1)]
    for n in sorted(objects, key=lambda n: texts[n]):
        ranks[rank[n]].append(n)

    chains, neighbours = [], {n: [] for n in objects}
    for a, b in edges:  # an edge that skips ranks passes through a gap in each
        chain = [a]
        for r in range(rank[a] + 1, rank[b]):
            gap = ("gap", a, b, r)
            ranks[r].append(gap)
            neighbours[gap] = []
            chain.append(gap)
        chain.append(b)
        for p, q in zip(chain, chain[1:]):
            neighbours[p].append(q)
            neighbours[q].append(p)
        chains.append((a, b, chain))
    _order(ranks, neighbours)

    measured = {n: _text_size(t, fontsize) for n, t in texts.items()}
    w = {n: tw + 2 * PAD for n, (tw, _) in measured.items()}
    h = {n: th + 2 * PAD for n, (_, th) in measured.items()}
    down = direction == "down"
    cross = w if down else h
    along = max((h if down else w).values())  # one size per layer: edges run in clean bands
    size = {n: cross.get(n, 0.0) for members in ranks for n in members}
    pos = _place(ranks, size, neighbours)

    step = along + BAND
    low = min(pos[n] - size[n] / 2 for n in pos)
    high = max(pos[n] + size[n] / 2 for n in pos)
    extent = (high - low, deepest * step + along)

    def point(c, a):  # (cross, along) -> (x, y) in inches, origin at the bottom left
        if down:
            return c - low, extent[1] - along / 2 - a
        return a + along / 2, extent[0] - (c - low)

    boxes = {}
    for n in objects:
        x, y = point(pos[n], rank[n] * step)
        bw, bh = (w[n], along) if down else (along, h[n])
        boxes[n] = (x, y, bw, bh, texts[n], n in leaves)

    def port(n, other_cross, leaving):
        """Where an edge leaves or enters box n: spread along its side, in order."""
        side = [c for c in (outs if leaving else ins)[n]]
        k = sorted(side).index(other_cross) if other_cross in side else 0
        spread = min(0.6 * cross[n], 0.16 * (len(side) - 1))
        offset = -spread / 2 + (spread * k / (len(side) - 1) if len(side) > 1 else 0)
        a = rank[n] * step + (along / 2 if leaving else -along / 2)
        return point(pos[n] + offset, a)

    outs, ins = {n: [] for n in objects}, {n: [] for n in objects}
    for a, b, chain in chains:
        outs[a].append(pos[chain[1]])
        ins[b].append(pos[chain[-2]])
    drawn = []
    for a, b, chain in chains:
        points = [port(a, pos[chain[1]], True)]
        for gap in chain[1:-1]:
            r = gap[3] * step
            points += [point(pos[gap], r - along / 2), point(pos[gap], r + along / 2)]
        points.append(port(b, pos[chain[-2]], False))
        drawn.append((a, b, points))
    width, height = extent if down else extent[::-1]
    return {"boxes": boxes, "edges": drawn, "size": (width, height)}


def draw(root, names=None, ax=None, title=None, *, values=False, direction="right", fontsize=12):
    """Draw the graph of ``root`` in layers, from the inputs to the output.

    names: optional {name: tensor or Value} to label nodes (e.g. {"w": w, "b": b}); for PyTorch
        a leaf names its AccumulateGrad node, an intermediate tensor the node that made it.
    values: also label each node with its value and its gradient (call it after backward()).
        PyTorch keeps both only for leaves and for named tensors (an intermediate tensor's grad
        is None unless it called retain_grad()); a Value always has both.
    direction: "right" (inputs on the left) or "down" (inputs on top: narrow, for phones).
    fontsize: of the labels, in points; boxes are sized to fit them.
    Operations are orange rounded boxes, leaves blue. Returns the matplotlib Figure.
    Without ``ax`` the figure gets the size the graph needs; a given ``ax`` should be at least
    that big (``layout(...)["size"]``, in inches), else the labels shrink with a warning.
    """
    if ax is not None and not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    fontsize = _checks.positive(fontsize, "fontsize")
    values = _checks.flag(values, "values")
    plan = layout(root, names, values, direction, fontsize)
    width, height = plan["size"]
    top = 0.35 + fontsize / 72 if title else 0.0
    margin = 0.06
    if ax is None:
        fig = plt.figure(figsize=(width + 2 * margin, height + top + 2 * margin))
        ax = fig.add_axes((0, 0, 1, 1))
    fig = ax.figure
    box = ax.get_position()
    room = (box.width * fig.get_figwidth(), box.height * fig.get_figheight())
    scale = max((width + 2 * margin) / room[0], (height + top + 2 * margin) / room[1], 1.0)
    if scale > 1.001:
        warnings.warn(
            f"the axes ({room[0]:.1f} x {room[1]:.1f} in) are smaller than the graph "
            f"({width + 2 * margin:.1f} x {height + top + 2 * margin:.1f} in): its labels "
            f"shrink to {fontsize / scale:.1f} pt",
            stacklevel=2,
        )
    cx, cy = width / 2, (height + top) / 2
    ax.set_xlim(cx - room[0] * scale / 2, cx + room[0] * scale / 2)
    ax.set_ylim(cy - room[1] * scale / 2, cy + room[1] * scale / 2)
    for _, _, points in plan["edges"]:
        xs, ys = zip(*points)
        ax.plot(xs[:-1], ys[:-1], color="0.35", lw=1.2, solid_capstyle="butt")
        ax.annotate(
            "",
            xy=points[-1],
            xytext=points[-2],
            arrowprops=dict(
                arrowstyle="-|>", color="0.35", lw=1.2, shrinkA=0, shrinkB=0, mutation_scale=11
            ),
        )
    for x, y, bw, bh, text, leaf in plan["boxes"].values():
        ax.add_patch(
            FancyBboxPatch(
                (x - bw / 2, y - bh / 2),
                bw,
                bh,
                boxstyle="round,pad=0,rounding_size=0.06",
                facecolor=PALETTE["sky"] if leaf else PALETTE["orange"],
                edgecolor="black",
                alpha=0.9,
            )
        )
        ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=fontsize / scale,
            linespacing=LINESPACING,
        )
    if title:
        ax.text(width / 2, height + top / 2, title, ha="center", va="center", fontsize=fontsize + 1)
    ax.axis("off")
    return fig


def draw_many(roots, names=None, titles=None, **options):
    """Draw several graphs side by side, each at the size it needs; returns the Figure.

    names: as for ``draw``, shared by all graphs; titles: one per graph (or None);
    options: ``values``, ``direction``, ``fontsize``, as for ``draw``.
    """
    roots = list(roots)
    titles = [None] * len(roots) if titles is None else list(titles)
    if not roots or len(titles) != len(roots):
        raise ValueError(f"need one title per graph: {len(roots)} graphs, {len(titles)} titles")
    fontsize = options.get("fontsize", 12)
    sizes = []
    for root, title in zip(roots, titles):
        plan = layout(
            root, names, options.get("values", False), options.get("direction", "right"), fontsize
        )
        width, height = plan["size"]
        sizes.append((width + 0.12, height + 0.12 + (0.35 + fontsize / 72 if title else 0.0)))
    gap = 0.3
    total = sum(w for w, _ in sizes) + gap * (len(roots) - 1)
    tallest = max(h for _, h in sizes)
    fig = plt.figure(figsize=(total, tallest))
    left = 0.0
    for root, title, (width, height) in zip(roots, titles, sizes):
        ax = fig.add_axes((left / total, 1 - height / tallest, width / total, height / tallest))
        draw(root, names, ax=ax, title=title, **options)
        left += width + gap
    return fig
