import base64
import json
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from gradlab.widgets import Explorer  # noqa: E402


def draw(w, b):
    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
    ax.plot([0, 1], [b, w + b])
    return fig


def describe(w, b):
    return f"line with w = {w} and b = {b}"


@pytest.fixture
def explorer():
    return Explorer(draw, {"w": [1, 2, 3], "b": [0.0, 0.5]}, describe, start={"w": 2, "b": 0.5})


def frames_of(html):
    return json.loads(re.search(r"var frames=(\[.*?\]\]);", html).group(1))


def test_static_view_holds_one_frame_per_combination_in_order(explorer):
    html = explorer.static_html()
    frames = frames_of(html)
    assert len(frames) == 6
    assert [alt for _, alt in frames] == [describe(w, b) for w in [1, 2, 3] for b in [0.0, 0.5]]
    assert all(base64.b64decode(png).startswith(b"\x89PNG") for png, _ in frames)
    assert html.count('type="range"') == 2


def test_static_view_starts_at_the_start_values_with_alt_text(explorer):
    html = explorer.static_html()
    img = re.search(r'<img src="data:image/png;base64,([^"]+)" width="\d+" alt="([^"]+)">', html)
    assert img.group(2) == describe(2, 0.5)
    assert img.group(1) == frames_of(html)[3][0]  # index of (w=2, b=0.5) in row-major order
    assert 'value="1" aria-label="w"' in html and 'value="1" aria-label="b"' in html


def test_static_view_is_deterministic(explorer):
    again = Explorer(draw, {"w": [1, 2, 3], "b": [0.0, 0.5]}, describe, start={"w": 2, "b": 0.5})
    assert explorer.static_html() == again.static_html()


def test_saved_outputs_carry_the_static_view_and_no_live_widget(explorer, monkeypatch):
    # what tools/refresh_outputs.py saves for the book: no widget that would show "model not
    # found" when the notebook is reopened
    monkeypatch.setenv("GRADLAB_STATIC_FRAMES", "1")
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" not in bundle
    assert bundle["text/html"].startswith('<div class="gradlab-explorer"')
    assert bundle["text/plain"].startswith("Explorer over w x b")


def test_a_learners_kernel_gets_the_live_widget_and_no_precomputed_frames(explorer, monkeypatch):
    monkeypatch.delenv("GRADLAB_STATIC_FRAMES", raising=False)
    drawn = []
    slow = Explorer(
        lambda w, b: drawn.append((w, b)) or draw(w, b),
        {"w": [1, 2, 3], "b": [0.0, 0.5]},
        describe,
        start={"w": 2, "b": 0.5},
    )
    bundle = slow._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "text/html" not in bundle
    assert drawn == [(2, 0.5)]  # only the frame on screen


def test_moving_a_live_slider_redraws_the_figure(explorer):
    box = explorer.widget()
    w_slider, b_slider, image, text = box.children
    first = image.value
    w_slider.value = 3
    assert image.value != first
    assert image.value == explorer.frame(w=3, b=0.5)
    assert text.value == describe(3, 0.5)
    b_slider.value = 0.0
    assert text.value == describe(3, 0.0)


def test_default_start_is_the_middle_of_each_control():
    e = Explorer(draw, {"w": [1, 2, 3], "b": [0.0, 0.5]}, describe)
    assert e.start == {"w": 2, "b": 0.5}


@pytest.mark.parametrize(
    "args, error, words",
    [
        (("not callable", {"w": [1]}, describe), TypeError, "draw and describe must be callables"),
        ((draw, {}, describe), TypeError, "controls must be a non-empty dict"),
        ((draw, [("w", [1])], describe), TypeError, "controls must be a non-empty dict"),
        ((draw, {"w": []}, describe), ValueError, "control 'w' has no values"),
    ],
)
def test_bad_construction_is_refused(args, error, words):
    with pytest.raises(error, match=words):
        Explorer(*args)


def test_bad_start_values_are_refused():
    with pytest.raises(ValueError, match=r"start value 5 is not among 'w'"):
        Explorer(draw, {"w": [1, 2]}, describe, start={"w": 5})
    with pytest.raises(ValueError, match=r"unknown controls \['x'\]"):
        Explorer(draw, {"w": [1, 2]}, describe, start={"x": 1})


def test_plain_text_lists_what_every_frame_shows(explorer):
    text = explorer._repr_mimebundle_()["text/plain"]
    lines = text.splitlines()
    assert lines[0] == "Explorer over w x b: 6 frames"
    assert lines[1:] == ["- " + describe(w, b) for w in [1, 2, 3] for b in [0.0, 0.5]]


def test_the_id_depends_on_the_captions_not_on_the_pixels(explorer):
    def draw_red(w, b):
        fig = draw(w, b)
        fig.axes[0].lines[0].set_color("red")
        return fig

    red = Explorer(draw_red, {"w": [1, 2, 3], "b": [0.0, 0.5]}, describe, start={"w": 2, "b": 0.5})
    ids = [re.search(r'id="(gx-[0-9a-f]{12})"', e.static_html()).group(1) for e in (explorer, red)]
    assert ids[0] == ids[1]
    other = Explorer(draw, {"w": [1, 2, 3], "b": [0.0, 0.5]}, lambda w, b: f"{w}, {b}")
    assert re.search(r'id="(gx-[0-9a-f]{12})"', other.static_html()).group(1) != ids[0]


def test_frames_are_drawn_at_twice_the_size_they_are_shown(explorer):
    import io

    from PIL import Image

    html = explorer.static_html()
    shown = int(re.search(r'<img [^>]*width="(\d+)"', html).group(1))
    natural = Image.open(io.BytesIO(base64.b64decode(frames_of(html)[0][0]))).size[0]
    assert shown == 80 and natural == 160  # draw() makes a 2-inch figure at 40 dpi
