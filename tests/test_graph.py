import matplotlib

matplotlib.use("Agg")
import re  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gradlab.engine import Value  # noqa: E402
from gradlab.graph import draw, trace  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def seed_example():
    # seed 004: y_pred = w * x + b, loss = (y_pred - y)**2
    w = torch.tensor([1.5], requires_grad=True)
    b = torch.tensor([0.3], requires_grad=True)
    x, y = torch.tensor([0.5]), torch.tensor([2.0])
    return (w * x + b - y) ** 2, w, b


def test_trace_of_the_seed_example_has_six_nodes_and_five_edges():
    loss, _, _ = seed_example()
    nodes, edges = trace(loss)
    assert sorted(nodes.values()) == sorted(
        [
            "PowBackward0",
            "SubBackward0",
            "AddBackward0",
            "MulBackward0",
            "AccumulateGrad",
            "AccumulateGrad",
        ]
    )
    by_label = {}
    for key, label in nodes.items():
        by_label.setdefault(label, []).append(key)
    named = {(nodes[a], nodes[b]) for a, b in edges}
    assert len(edges) == 5
    assert named == {
        ("AccumulateGrad", "MulBackward0"),
        ("MulBackward0", "AddBackward0"),
        ("AccumulateGrad", "AddBackward0"),
        ("AddBackward0", "SubBackward0"),
        ("SubBackward0", "PowBackward0"),
    }


def is_acyclic_with_single_sink(nodes, edges, root_key):
    out = {n: [] for n in nodes}
    for a, b in edges:
        out[a].append(b)
    sinks = [n for n in nodes if not out[n]]
    state = {}

    def cyclic(n):
        state[n] = "open"
        for m in out[n]:
            if state.get(m) == "open" or (m not in state and cyclic(m)):
                return True
        state[n] = "done"
        return False

    return sinks == [root_key] and not any(cyclic(n) for n in nodes if n not in state)


OPS = [
    lambda a, b: a + b,
    lambda a, b: a * b,
    lambda a, b: a - b,
    lambda a, b: (a * b).tanh(),
    lambda a, b: a.sigmoid() * 2,
]


@settings(max_examples=60, deadline=None)
@given(
    program=st.lists(
        st.tuples(st.integers(0, len(OPS) - 1), st.integers(0, 30), st.integers(0, 30)),
        min_size=1,
        max_size=10,
    ),
    torch_side=st.booleans(),
)
def test_traced_graphs_are_acyclic_with_the_output_as_only_sink(program, torch_side):
    make = (
        (lambda x: torch.tensor(x, dtype=torch.float64, requires_grad=True))
        if torch_side
        else Value
    )
    nodes_list = [make(0.5), make(-1.5)]
    for op, i, j in program:
        nodes_list.append(OPS[op](nodes_list[i % len(nodes_list)], nodes_list[j % len(nodes_list)]))
    root = nodes_list[-1]
    nodes, edges = trace(root)
    root_key = str(id(root.grad_fn)) if torch_side else str(id(root))
    assert is_acyclic_with_single_sink(nodes, edges, root_key)
    assert len(edges) == len(set(edges))


def test_trace_of_values_labels_operations_and_leaves():
    a, b = Value(2.0), Value(-3.0)
    c = a * b + a
    nodes, edges = trace(c)
    assert sorted(nodes.values()) == ["* → -6", "+ → -4", "-3", "2"]
    assert (str(id(a)), str(id(c))) in edges and len(edges) == 4


def test_trace_refuses_tensors_without_a_graph_with_a_hint():
    with pytest.raises(
        ValueError, match=re.escape("hint: create the leaves with requires_grad=True")
    ):
        trace(torch.ones(3) * 2)
    with torch.no_grad():
        w = torch.ones(1, requires_grad=True)
        with pytest.raises(ValueError, match="has no graph"):
            trace(w * 2)
    assert trace(torch.ones(1, requires_grad=True)) == ({"leaf": "AccumulateGrad"}, [])
    with pytest.raises(TypeError, match="got list"):
        trace([1.0])


def test_draw_labels_every_node_and_names_leaves():
    loss, w, b = seed_example()
    fig = draw(loss, names={"w": w, "b": b})
    texts = sorted(t.get_text() for t in fig.axes[0].texts if t.get_text())
    assert texts == sorted(
        [
            "Pow\nBackward0",
            "Sub\nBackward0",
            "Add\nBackward0",
            "Mul\nBackward0",
            "w\nAccumulateGrad",
            "b\nAccumulateGrad",
        ]
    )
    boxes = [p for p in fig.axes[0].patches]
    assert len(boxes) == 6
    # leaves on the left, the output on the right
    xs = {t.get_text(): t.get_position()[0] for t in fig.axes[0].texts if t.get_text()}
    assert (
        xs["w\nAccumulateGrad"] < xs["Mul\nBackward0"] < xs["Add\nBackward0"] < xs["Pow\nBackward0"]
    )


def test_draw_needs_no_graphviz():
    # draw is matplotlib only: it never imports graphviz or torchviz, installed or not
    a = Value(1.0)
    fig = draw((a * 2).tanh(), names={"a": a})
    assert "a\n1" in [t.get_text() for t in fig.axes[0].texts]
    import sys

    assert "graphviz" not in sys.modules and "torchviz" not in sys.modules


def test_a_graph_deeper_than_the_recursion_limit_is_traced_and_layered():
    import sys

    from gradlab.graph import _layers

    x = Value(1.0)
    y = x
    for _ in range(sys.getrecursionlimit() + 500):
        y = y * 1.0
    nodes, edges = trace(y)
    depth = _layers(nodes, edges)
    assert max(depth.values()) == sys.getrecursionlimit() + 500


# --- the drawing: readable labels, no edge through a node ---------------------------------------


def named_value_example():
    a, b = Value(2.0), Value(-0.5)
    u = a * b
    s = u + a  # a feeds two layers: its edge to s skips the layer of u
    L = s.tanh()
    L.backward()
    return L, {"a": a, "b": b, "u": u, "s": s, "L": L}


def segment_hits_box(p, q, box, inset=1e-3):
    """Does the segment p-q enter the inside of box (x, y, w, h), shrunk by inset?"""
    x, y, w, h = box[:4]
    lo_x, hi_x, lo_y, hi_y = (
        x - w / 2 + inset,
        x + w / 2 - inset,
        y - h / 2 + inset,
        y + h / 2 - inset,
    )
    t0, t1 = 0.0, 1.0  # Liang-Barsky clipping
    for d, lo, hi, start in ((q[0] - p[0], lo_x, hi_x, p[0]), (q[1] - p[1], lo_y, hi_y, p[1])):
        if abs(d) < 1e-12:
            if not lo < start < hi:
                return False
            continue
        a, b = (lo - start) / d, (hi - start) / d
        t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
    return t0 < t1


def graphs_to_check():
    L, names = named_value_example()
    loss, w, b = seed_example()
    yield L, names
    yield loss, {"w": w, "b": b}
    v = Value(0.7)  # a deeper reuse: v feeds every layer
    out = v
    for _ in range(4):
        out = (out * v).tanh() + v
    out.backward()
    yield out, {"v": v}


@pytest.mark.parametrize("direction", ["right", "down"])
@pytest.mark.parametrize("values", [False, True])
def test_no_edge_crosses_a_node_and_arrows_end_on_box_edges(direction, values):
    from gradlab.graph import layout

    for root, names in graphs_to_check():
        plan = layout(root, names, values=values, direction=direction)
        boxes = plan["boxes"]
        for a, b, points in plan["edges"]:
            for p, q in zip(points, points[1:]):
                for key, box in boxes.items():
                    assert not segment_hits_box(p, q, box), f"edge {a}->{b} crosses node {box[4]!r}"
            # the arrowhead ends on the edge of its target box, outside the text
            x, y, w, h = boxes[b][:4]
            end = points[-1]
            on_side = abs(abs(end[1] - y) - h / 2) < 1e-9 or abs(abs(end[0] - x) - w / 2) < 1e-9
            assert on_side


@pytest.mark.parametrize("direction", ["right", "down"])
def test_every_label_fits_inside_its_box_at_its_font_size(direction):
    L, names = named_value_example()
    fig = draw(L, names=names, values=True, direction=direction, title="L")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [p.get_window_extent(renderer) for p in ax.patches]
    labels = [t for t in ax.texts if t.get_text() not in ("", "L")]
    assert len(labels) == len(boxes) == 5
    for text in labels:
        assert text.get_fontsize() >= 12
        extent = text.get_window_extent(renderer)
        assert any(
            box.x0 <= extent.x0
            and extent.x1 <= box.x1
            and box.y0 <= extent.y0
            and extent.y1 <= box.y1
            for box in boxes
        ), f"label {text.get_text()!r} spills out of its box"


def test_values_show_data_and_grad_of_every_value():
    L, names = named_value_example()
    fig = draw(L, names=names, values=True, direction="down")
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert "a\ndata 2\ngrad 0.21" in texts
    assert "u (*)\ndata -1\ngrad 0.42" in texts
    assert "L (tanh)\ndata 0.7616\ngrad 1" in texts


def test_values_of_a_torch_graph_come_from_leaves_and_named_tensors():
    w = torch.tensor([1.5], requires_grad=True)
    x = torch.tensor([0.5])
    u = w * x
    u.retain_grad()
    loss = (u - 2.0) ** 2
    loss.backward()
    fig = draw(loss, names={"w": w, "u": u}, values=True, direction="down")
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert "AccumulateGrad\nw = 1.5\ngrad -1.25" in texts
    assert "MulBackward0\nu = 0.75\ngrad -2.5" in texts
    assert "PowBackward0\n1.562\ngrad None" in texts  # the output: no grad kept
    assert "SubBackward0" in texts  # an unnamed intermediate: nothing to show


def test_a_too_small_axes_shrinks_the_labels_with_a_warning():
    L, names = named_value_example()
    fig, ax = plt.subplots(figsize=(1, 1))
    with pytest.warns(UserWarning, match="smaller than the graph"):
        draw(L, names=names, values=True, ax=ax)


def test_draw_many_puts_graphs_side_by_side_at_full_size():
    from gradlab.graph import draw_many

    a = Value(0.5)
    fig = draw_many([a * 2, (a * 3).tanh()], names={"a": a}, titles=["one", "two"])
    assert len(fig.axes) == 2
    assert fig.axes[0].get_position().x1 <= fig.axes[1].get_position().x0
    labels = [t for ax in fig.axes for t in ax.texts if t.get_text()]
    assert all(t.get_fontsize() == 12 for t in labels if t.get_text() not in ("one", "two"))
    with pytest.raises(ValueError, match="one title per graph"):
        draw_many([a * 2], titles=["x", "y"])
