import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from gradlab import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_use_style_makes_the_palette_the_colour_cycle():
    with matplotlib.rc_context():
        plots.use_style()
        cycle = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
        assert cycle == list(plots.PALETTE.values())


def test_palette_colours_are_distinct():
    rgb = [mcolors.to_rgb(c) for c in plots.PALETTE.values()]
    assert len(set(rgb)) == len(rgb)


def test_scatter_data_labels_axes_and_plots_every_point():
    x, y = torch.arange(5.0).reshape(5, 1), torch.arange(5.0).reshape(5, 1) * 2
    ax = plots.scatter_data(x, y)
    assert ax.get_xlabel() == "area x" and ax.get_ylabel() == "price y"
    assert ax.collections[0].get_offsets().shape == (5, 2)


def test_line_draws_w_x_plus_b_over_the_range():
    ax = plots.line(2.0, 1.0, (0.0, 3.0), label="fit")
    xs, ys = ax.lines[0].get_data()
    assert list(xs) == [0.0, 3.0] and list(ys) == [1.0, 7.0]
    assert ax.lines[0].get_label() == "fit"


def test_loss_curve_numbers_epochs_from_one():
    ax = plots.loss_curve([4.0, 2.0, 1.0], logy=True)
    xs, ys = ax.lines[0].get_data()
    assert list(xs) == [1, 2, 3] and list(ys) == [4.0, 2.0, 1.0]
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch"


def test_trapezoid_shapes_draws_one_polygon_per_row():
    ax = plots.trapezoid_shapes(torch.tensor([[0.5, 1.0], [0.9, 1.5]]))
    assert len(ax.patches) == 2
    corners = ax.patches[0].get_xy()[:4]
    assert corners.tolist() == [[0, 0], [1.0, 0], [0.5, 0.5], [0, 0.5]]


def test_network_diagram_draws_every_unit_and_every_connection():
    ax = plots.network_diagram([4, 5, 3, 2])
    assert len(ax.patches) == 4 + 5 + 3 + 2
    assert len(ax.lines) == 4 * 5 + 5 * 3 + 3 * 2
    captions = [t.get_text() for t in ax.texts]
    assert captions == ["input\nlayer", "hidden\nlayer 1", "hidden\nlayer 2", "output\nlayer"]


def test_contour_path_plots_the_path_points():
    import numpy as np

    path = np.array([[1.0, 1.0], [0.5, 0.5], [0.0, 0.0]])
    ax = plots.contour_path(lambda a, b: a**2 + b**2, path, xlim=(-2, 2), ylim=(-2, 2))
    xs, ys = ax.lines[-1].get_data()
    assert list(xs) == [1.0, 0.5, 0.0] and ax.get_xlabel() == "w1"


def test_surface_path_puts_the_path_on_the_surface():
    import numpy as np

    path = np.array([[1.0, 1.0], [0.0, 0.0]])
    ax = plots.surface_path(lambda a, b: a**2 + b**2, path, xlim=(-2, 2), ylim=(-2, 2))
    xs, ys, zs = ax.lines[-1].get_data_3d()
    assert list(zs) == [2.0, 0.0] and ax.get_zlabel() == "J"


def test_the_smallest_text_size_is_recorded_in_the_png():
    import io

    from PIL import Image

    from sphinx_lean_pages import png_text_px  # tools/ is on the path (conftest.py)

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_title("title")
    ax.text(0.5, 0.5, "small", fontsize=8)
    ax.text(0.2, 0.2, "hidden", fontsize=4, visible=False)  # not drawn: does not count
    data, metadata = plots._retina_png(fig)
    plt.close(fig)
    assert png_text_px(data) == pytest.approx(8 * 2 * fig.dpi / 72, abs=0.05)
    image = Image.open(io.BytesIO(data))
    image.load()  # the chunk keeps the PNG valid
    assert metadata == {"width": image.width // 2, "height": image.height // 2}


def test_a_figure_without_text_records_nothing():
    fig, ax = plt.subplots()
    ax.axis("off")
    assert plots.smallest_text_px(fig, 160) is None
    data = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
    assert plots.png_with_text_size(data, None) == data
    plt.close(fig)
