"""The lean-pages extension's pieces, without a build (tools/sphinx_lean_pages.py)."""

import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from conftest import ROOT  # noqa: E402

sys.path.insert(0, str(ROOT / "tools"))
import sphinx_lean_pages as lean  # noqa: E402
from gradlab.widgets import Explorer  # noqa: E402


def small_explorer():
    def draw(w):
        fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
        ax.plot([0, 1], [0, w])
        return fig

    return Explorer(draw, {"w": [0.5, 1.0, 2.0]}, describe=lambda w: f"a line of slope {w}")


def test_explorer_frames_become_files_fetched_on_demand(tmp_path):
    """On gradlab's own markup: no base64 left, one file per frame, the shown one sized and lazy,
    and the script swaps URLs (the data-URI prefix it used to add is gone)."""
    page_dir = tmp_path / "chapters"
    page_dir.mkdir()
    body = "<p>before</p>" + small_explorer().static_html() + "<p>after</p>"
    frames = lean.Frames(tmp_path)
    out, count = lean._explorers(body, page_dir, frames)
    assert count == 1
    assert "base64" not in out
    files = sorted((tmp_path / "_images").glob("gx-*.png"))
    assert len(files) == 3 and all(f.read_bytes()[:4] == b"\x89PNG" for f in files)
    img = re.search(r"<img\b[^>]*>", out).group(0)
    assert 'loading="lazy"' in img
    # frames are drawn at twice their size: shown at half the file's pixels, height to match
    width, height = (int(re.search(rf'\b{a}="(\d+)"', img).group(1)) for a in ("width", "height"))
    natural = lean._image_size(files[0])
    assert (2 * width, 2 * height) == natural
    assert re.search(r'src="\.\./_images/gx-[0-9a-f]{16}\.png"', img)
    script = re.search(r"<script>(.*?)</script>", out, re.S).group(1)
    assert script.count("../_images/gx-") == 3 and "data:image" not in script
    assert out.startswith("<p>before</p>") and out.endswith("<p>after</p>")


def test_a_page_without_explorers_is_left_alone(tmp_path):
    body = '<p><img src="data:image/png;base64,iVBORw0KGgoAAAA" alt="x"></p>'
    out, count = lean._explorers(body, tmp_path, lean.Frames(tmp_path))
    assert (out, count) == (body, 0)


def test_css_pruning_keeps_what_can_match():
    css = (
        ".used{color:red}.unused{color:blue}.a,.unused-b{margin:0}"
        "@media (min-width:10px){.unused{x:1}.used .inner{y:2}}"
        'html[data-theme="dark"] .used{z:3}.used:not(.missing){w:4}'
        "@font-face{font-family:X}@keyframes k{from{opacity:0}}"
    )
    out = lean._prune(css, {"used", "a", "inner"})
    assert ".unused" not in out and ".unused-b" not in out
    for kept in (
        ".used{color:red}",
        ".a{margin:0}",
        "@media (min-width:10px){.used .inner{y:2}}",
        'html[data-theme="dark"] .used{z:3}',
        ".used:not(.missing){w:4}",
        "@font-face",
        "@keyframes k",
    ):
        assert kept in out, kept


def test_css_comments_do_not_hide_rules():
    css = "/*! licence (https://example.com) */html{a:b}/* x.y */.used{c:d}"
    out = lean._prune(lean._without_comments(css), {"used"})
    assert "html{a:b}" in out and ".used{c:d}" in out


def test_icon_font_rules_are_recognised():
    assert lean._is_icon_font_rule(".fa-github:before{content:'\\f09b'}")
    assert lean._is_icon_font_rule(".fa,.fa-solid,.fas{font-family:x}")
    assert lean._is_icon_font_rule("@font-face{font-family:'Font Awesome 6 Free'}")
    assert not lean._is_icon_font_rule(".theme-switch .fa-lg{aspect-ratio:1/1}")


def test_icons_become_inline_svg():
    icons = lean.Icons(lean._icon_source())
    problems = set()
    html = (
        '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i>'
        '<span class="fa-brands fa-github"></span>'
    )
    out = lean.ICON_RE.sub(lambda m: icons.replace(m, problems), html)
    assert not problems and "<i " not in out and out.count("<svg") == 2
    assert 'class="gl-icon gl-icon-sun theme-switch fa-lg"' in out and 'data-mode="light"' in out
    assert all('aria-hidden="true"' in svg for svg in re.findall(r"<svg[^>]*>", out))


def test_inline_maths_width_estimate_grows_with_the_formula():
    short, longer = lean.tex_width("x"), lean.tex_width(r"\hat{y} = \mathbf{w}^\top \mathbf{x} + b")
    assert 0.3 < short < 1 and 4 < longer < 9
    assert lean.tex_width(r"\frac{a}{b}") < lean.tex_width("a b")
    body = '<span class="math notranslate nohighlight">\\(x + y\\)</span>'
    assert 'style="--gl-w:' in lean._reserve_inline_math(body)


def test_mathjax_files_shipped_exist_in_the_package():
    from importlib import metadata

    source = Path(
        metadata.distribution("sphinx-mathjax-offline").locate_file(
            "sphinx-mathjax-offline/static/mathjax"
        )
    )
    for rel in lean.MATHJAX_FILES:
        assert (source / rel).exists(), rel
    startup = (ROOT / "tools" / "mathjax_startup.js").read_text()
    for component in re.findall(r'"((?:input|output|a11y)/[\w-]+)"', startup):
        assert f"{component}.js" in lean.MATHJAX_FILES, component
