"""Pages that read well on a phone, a laptop and on paper (issue #12; DESIGN.md, items 13 and 14).

A local Sphinx extension that edits the written HTML once the build has finished, just before
tools/sphinx_lean_pages.py bundles the stylesheets (so the classes it adds keep their rules):

1. One header bar. pydata-sphinx-theme 0.17 writes its own top bar (a second menu button, a
   second search box, a second contents button) above sphinx-book-theme's. Both themes' scripts
   bind the *first* .primary-toggle and .secondary-toggle, which were the spare bar's, hidden on
   a laptop and unbound on a phone: the navigation could not be opened (upstream
   pydata-sphinx-theme#2451, sphinx-book-theme PR #1000). Without the spare bar the book's own
   buttons are the first: the menu opens the chapters on a phone and hides them on a laptop.
2. Unique ids: sphinx-exercise writes id="exercise-content" and id="solution-content" once per
   exercise; the second and later copies get a number.
3. "Solution to Exercise N" is the title of a dropdown: a click on it should open the solution,
   but the exercise's name in it was a link that jumped back to the exercise. It is plain text now.
4. Inline maths followed by punctuation ("$x$,") is kept on one line with its punctuation
   (unless the formula is half a phone's column wide or more).
5. Display maths that may be wider than a phone's column scrolls in its own box
   (_static/custom.css); such boxes get tabindex="0" so a keyboard can scroll them too. So does
   an inline formula that may be wider than a phone's column (in a span of class gl-wide).
6. On paper, sphinx-book-theme prints its own copy of the page title (the article's, which has
   the chapter number, is hidden in print): that copy gets the chapter number too.
7. Printed outputs whose lines line up in columns (tables printed as text) or are indented code
   (inspect.getsource) keep their lines: they get the class gl-columns, and _static/custom.css
   lets them scroll in their box (with a tab stop) instead of wrapping, which broke the columns.
   Other printed text wraps.
8. Tables of three or more columns become a list of cards on a phone (_static/custom.css): each
   row a card, each cell under its column's name (data-label), empty cells left out. Scrolled
   sideways, a table hid most of its columns; stacked, every cell can be read.
"""

import html
import re
from pathlib import Path

from sphinx_lean_pages import tex_width  # tools/ is on the path: both are local extensions

# a phone's text column is about 340 CSS px, 21 em; a formula that may be wider gets a tab stop
PHONE_COLUMN_EM = 20


def _drop_spare_header(text):
    """The spare bar keeps its place (the theme's scripts measure it) but loses its two toggles
    and is hidden (_static/custom.css): the book's own toggles become the first ones."""
    start = text.find('<header id="pst-header"')
    if start < 0:
        return text
    end = text.find("</header>", start)
    if end < 0:
        return text
    bar = re.sub(
        r'<button class="[^"]*\b(?:primary|secondary)-toggle\b[^"]*"[^>]*>.*?</button>',
        "",
        text[start:end],
        flags=re.S,
    )
    return text[:start] + bar + text[end:]


def _unique_ids(text, names=("exercise-content", "solution-content")):
    for name in names:
        count = 0

        def number(m, name=name):
            nonlocal count
            count += 1
            return m.group(0) if count == 1 else f'id="{name}-{count}"'

        text = re.sub(rf'id="{re.escape(name)}"', number, text)
    return text


SOLUTION_TITLE = re.compile(
    r'(<p class="admonition-title">Solution to)<a class="reference internal" href="[^"]*">'
    r"(.*?)</a>"
)
INLINE_MATH = r'<span class="math notranslate nohighlight"[^>]*>\\\([^<]*?\\\)</span>'
MATH_THEN_PUNCTUATION = re.compile(rf"({INLINE_MATH})([.,;:!?)\]]+)", re.S)
DISPLAY_MATH = re.compile(r'<div class="math notranslate nohighlight"([^>]*)>(.*?)</div>', re.S)


def _wide_display_math(m):
    attrs, tex = m.group(1), m.group(2)
    if "tabindex" in attrs:
        return m.group(0)
    longest = max((tex_width(line) for line in re.split(r"\\\\", html.unescape(tex))), default=0)
    if longest < PHONE_COLUMN_EM:
        return m.group(0)
    return f'<div class="math notranslate nohighlight"{attrs} tabindex="0">{tex}</div>'


def _keep_punctuation(m):
    # a formula about as wide as a phone's column scrolls in its own box (_static/custom.css):
    # glued to its punctuation it would push that past the column
    tex = html.unescape(re.search(r"\\\((.*)\\\)", m.group(1), re.S).group(1))
    if tex_width(tex) > PHONE_COLUMN_EM / 2:
        return m.group(0)
    return f'<span class="gl-nowrap">{m.group(1)}{m.group(2)}</span>'


def _wide_inline_math(m):
    tex = html.unescape(re.search(r"\\\((.*)\\\)", m.group(0), re.S).group(1))
    if tex_width(tex) * 1.22 < PHONE_COLUMN_EM:
        return m.group(0)
    return f'<span class="gl-wide" tabindex="0">{m.group(0)}</span>'


def _text(fragment):
    """The text of an HTML fragment, tags dropped and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _numbered_print_title(text):
    number = re.search(r'<h1><span class="section-number">([^<]*)</span>', text)
    if not number:
        return text
    return re.sub(
        r'(<div id="jb-print-docs-body"[^>]*>\s*<h1>)',
        lambda m: m.group(1) + f'<span class="section-number">{number.group(1)}</span>',
        text,
        count=1,
    )


OUTPUT_PRE = re.compile(
    r'(<div class="output (?:stream|text_plain)[^"]*)'
    r'(">\s*<div class="highlight"><pre)>(.*?</pre>)',
    re.S,
)


def _columns(m):
    lines = _text(m.group(3)).splitlines()
    aligned = sum(bool(re.search(r"\S {2,}\S", line)) for line in lines)
    code = sum(line.startswith("    ") for line in lines)
    if aligned < 2 and code < 2:
        return m.group(0)
    return f'{m.group(1)} gl-columns{m.group(2)} tabindex="0">{m.group(3)}'


TABLE = re.compile(r'(<table class="table)(">.*?</table>)', re.S)


def _stackable(m):
    body = m.group(2)
    if re.search(r"\b(?:colspan|rowspan)=", body):
        return m.group(0)
    head = re.search(r"<thead>(.*?)</thead>", body, re.S)
    if not head:
        return m.group(0)
    names = [
        html.escape(_text(th).strip(), quote=True)
        for th in re.findall(r"<th\b[^>]*>(.*?)</th>", head.group(1), re.S)
    ]
    if len(names) < 3:
        return m.group(0)

    def row(r):
        labels = iter(names)

        def cell(c):
            label = next(labels, None)
            if label is None:
                return c.group(0)
            extra = "" if _text(c.group(2)).strip() else ' class="gl-empty"'
            return f'<td data-label="{label}"{extra}{c.group(1)}>{c.group(2)}</td>'

        return re.sub(r"<td\b([^>]*)>(.*?)</td>", cell, r.group(0), flags=re.S)

    tbody = re.sub(r"<tr\b.*?</tr>", row, body[head.end() :], flags=re.S)
    return f"{m.group(1)} gl-stack{body[: head.end()]}{tbody}"


def fix_page(text):
    text = _drop_spare_header(text)
    text = _numbered_print_title(text)
    text = OUTPUT_PRE.sub(_columns, text)
    text = TABLE.sub(_stackable, text)
    text = _unique_ids(text)
    text = SOLUTION_TITLE.sub(lambda m: f"{m.group(1)} {m.group(2).lstrip()}", text)
    text = MATH_THEN_PUNCTUATION.sub(_keep_punctuation, text)
    text = re.sub(INLINE_MATH, _wide_inline_math, text, flags=re.S)
    text = DISPLAY_MATH.sub(_wide_display_math, text)
    return text


def process(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for path in sorted(outdir.rglob("*.html")):
        if path.parts[len(outdir.parts)] in ("_static", "_sources"):
            continue
        text = path.read_text(encoding="utf-8")
        new = fix_page(text)
        if new != text:
            path.write_text(new, encoding="utf-8")


def setup(app):
    # before tools/sphinx_lean_pages.py (900): its stylesheet pruning must see the classes added
    app.connect("build-finished", process, priority=850)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
