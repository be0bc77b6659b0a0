"""The graph behind a computation, traced and drawn without Graphviz (chapters 7, 8).

Works for a PyTorch tensor (walking ``grad_fn.next_functions``) and for a ``gradlab.engine.Value``
(walking its children). Edges point the way data flows: from the inputs to the output.
"""

import matplotlib.pyplot as plt
import torch
from matplotlib.patches import FancyBboxPatch

from gradlab.engine import Value
from gradlab.plots import PALETTE


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


def draw(root, names=None, ax=None, title=None):
    """Draw the graph of ``root`` in layers, inputs on the left, the output on the right.

    names: optional {name: tensor or Value} to label leaves (e.g. {"w": w, "b": b}).
    Operations are orange rounded boxes, leaves blue. Returns the matplotlib Figure.
    """
    if names is not None and not isinstance(names, dict):
        raise TypeError(
            f"names must be a dict {{name: tensor or Value}}, got {type(names).__name__}"
        )
    if ax is not None and not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    objects, edges = _walk(root)
    nodes = {key: _label(node) for key, node in objects.items()}
    labels = dict(nodes)
    leaves = {n for n in nodes if not any(b == n for _, b in edges)}
    for name, obj in (names or {}).items():
        # a Value is its own node; a leaf tensor is the AccumulateGrad node holding it
        key = next(
            (
                k
                for k, node in objects.items()
                if node is obj or getattr(node, "variable", None) is obj
            ),
            None,
        )
        if key in labels:
            labels[key] = f"{name}\n{labels[key]}"
    for key, text in labels.items():  # long names on two lines: "Mul" / "Backward0"
        if "\n" not in text:
            labels[key] = text.replace("Backward", "\nBackward").replace(
                "Accumulate", "Accumulate\n"
            )
    depth = _layers(nodes, edges)
    deepest = max(depth.values())
    columns = {}
    for n in sorted(nodes, key=lambda n: (depth[n], labels[n])):
        columns.setdefault(depth[n], []).append(n)
    position = {}
    for d, members in columns.items():
        for i, n in enumerate(members):
            position[n] = (deepest - d, (len(members) - 1) / 2 - i)

    if ax is None:
        height = max(len(m) for m in columns.values())
        fig, ax = plt.subplots(figsize=(1.35 * (deepest + 1) + 0.3, 0.8 * height + 0.9))
    fig = ax.figure
    for a, b in edges:
        ax.annotate(
            "",
            xy=position[b],
            xytext=position[a],
            arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.2, shrinkA=22, shrinkB=22),
        )
    for n, (x, y) in position.items():
        colour = PALETTE["sky"] if n in leaves else PALETTE["orange"]
        ax.add_patch(
            FancyBboxPatch(
                (x - 0.44, y - 0.27),
                0.88,
                0.54,
                boxstyle="round,pad=0.02,rounding_size=0.12",
                facecolor=colour,
                edgecolor="black",
                alpha=0.9,
            )
        )
        ax.text(x, y, labels[n], ha="center", va="center", fontsize=7.5, linespacing=1.1)
    ax.set_xlim(-0.6, deepest + 0.6)
    ys = [y for _, y in position.values()]
    ax.set_ylim(min(ys) - 0.45, max(ys) + 0.45)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig
