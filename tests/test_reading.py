"""The reading extension's HTML edits, without a build (tools/sphinx_reading.py)."""

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import sphinx_reading as reading  # noqa: E402


def test_the_spare_header_bar_goes_and_the_books_own_stays():
    page = (
        '<header id="pst-header" class="bd-header"><button class="sidebar-toggle primary-toggle">'
        '</button></header><div class="bd-header-article"><button class="primary-toggle">'
    )
    out = reading.fix_page(page)
    assert out.count("primary-toggle") == 1 and out.index("primary-toggle") > out.index("</header>")


def test_repeated_ids_get_numbers():
    out = reading.fix_page('<section id="exercise-content"></section>' * 3)
    assert out.count('id="exercise-content"') == 1
    assert 'id="exercise-content-2"' in out and 'id="exercise-content-3"' in out


def test_a_solution_title_is_no_link():
    title = (
        '<p class="admonition-title">Solution to<a class="reference internal" href="#ex-a">'
        " Exercise 1.1</a></p>"
    )
    assert reading.fix_page(title) == '<p class="admonition-title">Solution to Exercise 1.1</p>'


def test_inline_maths_keeps_its_punctuation():
    math = r'<span class="math notranslate nohighlight">\(x\)</span>'
    out = reading.fix_page(f"<p>with {math}, then</p>")
    assert f'<span class="gl-nowrap">{math},</span>' in out
    assert reading.fix_page(f"<p>{math} and</p>") == f"<p>{math} and</p>"


def test_only_wide_display_maths_is_a_tab_stop():
    short = '<div class="math notranslate nohighlight">\\[x = 1\\]</div>'
    wide = (
        '<div class="math notranslate nohighlight">\\['
        + " + ".join("a_{%d}" % i for i in range(30))
        + "\\]</div>"
    )
    assert reading.fix_page(short) == short
    assert 'tabindex="0"' in reading.fix_page(wide)


def test_only_the_formula_before_the_punctuation_is_kept_with_it():
    a = r'<span class="math notranslate nohighlight">\(a\)</span>'
    b = r'<span class="math notranslate nohighlight">\(b\)</span>'
    out = reading.fix_page(f"<p>{a} and <strong>x</strong> {b}.</p>")
    assert out == f'<p>{a} and <strong>x</strong> <span class="gl-nowrap">{b}.</span></p>'


def test_a_long_formula_is_not_glued_to_its_punctuation():
    long = (
        r'<span class="math notranslate nohighlight">\('
        + " + ".join("a_{%d}" % i for i in range(12))
        + r"\)</span>"
    )
    assert "gl-nowrap" not in reading.fix_page(f"<p>{long}.</p>")


def test_a_formula_wider_than_a_phone_scrolls_in_a_focusable_box():
    short = r'<span class="math notranslate nohighlight">\(x\)</span>'
    wide = (
        r'<span class="math notranslate nohighlight">\('
        + " + ".join("a_{%d}" % i for i in range(30))
        + r"\)</span>"
    )
    assert reading.fix_page(f"<p>{short} and</p>") == f"<p>{short} and</p>"
    assert reading.fix_page(f"<p>{wide} and</p>") == (
        f'<p><span class="gl-wide" tabindex="0">{wide}</span> and</p>'
    )


def test_the_printed_title_keeps_the_chapter_number():
    page = (
        '<div id="jb-print-docs-body" class="onlyprint">\n    <h1>Linear regression</h1>'
        '</div><article><h1><span class="section-number">1. </span>Linear regression</h1>'
    )
    out = reading.fix_page(page)
    assert '<h1><span class="section-number">1. </span>Linear regression</h1></div>' in out
    plain = '<div id="jb-print-docs-body"><h1>Instructors</h1></div><h1>Instructors</h1>'
    assert reading.fix_page(plain) == plain


def test_printed_columns_keep_their_lines_and_prose_wraps():
    def output(text):
        return (
            '<div class="output stream highlight-myst-ansi notranslate">'
            f'<div class="highlight"><pre><span></span>{text}</pre></div></div>'
        )

    table = output("depth   naive   backprop\n2       24      16\n3       96      32\n")
    assert 'class="output stream highlight-myst-ansi notranslate gl-columns"' in reading.fix_page(
        table
    )
    assert '<pre tabindex="0">' in reading.fix_page(table)
    source = output("def f(x):\n    y = x + 1\n    return y\n")
    assert "gl-columns" in reading.fix_page(source)
    prose = output("network [3, 4, 4, 2]: naive and backprop agree, relative error &lt; 1e-12\n")
    assert reading.fix_page(prose) == prose


def test_wide_tables_can_stack_on_a_phone():
    table = (
        '<table class="table">\n<thead>\n<tr><th class="head"><p>Part</p></th>'
        '<th class="head"><p>Chapter</p></th><th class="head"><p>What &amp; why</p></th></tr>'
        "</thead>\n<tbody>\n<tr><td><p></p></td><td><p>One</p></td><td><p>a, b</p></td></tr>"
        "</tbody>\n</table>"
    )
    out = reading.fix_page(table)
    assert '<table class="table gl-stack">' in out
    assert '<td data-label="Part" class="gl-empty"><p></p></td>' in out
    assert '<td data-label="What &amp; why"><p>a, b</p></td>' in out
    two = '<table class="table"><thead><tr><th>a</th><th>b</th></tr></thead></table>'
    assert reading.fix_page(two) == two
