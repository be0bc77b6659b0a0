"""The book itself: a strict build, then every page in a real browser with no network.

Both are slow (the build takes tens of seconds), so they share one build per session.
"""

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from booklib import LAUNCH_FLAGS
from conftest import BUILD, ROOT, load_notebook, source_of, toc_files

pytestmark = pytest.mark.slow
HTML = BUILD / "html"
DOCS = toc_files()


def test_strict_build_has_no_warnings(built_book):
    assert "WARNING" not in built_book and "ERROR" not in built_book
    for doc in DOCS:
        assert (HTML / f"{doc}.html").exists(), f"{doc} listed in _toc.yml was not built"


def test_mathjax_is_served_from_the_book(built_book):
    page = (HTML / "intro.html").read_text()
    assert 'data-mathjax="_static/mathjax/startup.js"' in page
    for component in (
        "startup.js",
        "core.js",
        "input/tex.js",
        "output/chtml.js",
        "output/chtml/fonts/tex.js",
        "a11y/assistive-mml.js",
    ):
        assert (HTML / "_static" / "mathjax" / component).exists(), component
    assert any((HTML / "_static" / "mathjax" / "output/chtml/fonts/woff-v2").glob("*.woff"))
    assert "cdn.jsdelivr.net" not in page


def test_pages_load_no_icon_font_and_no_search_index(built_book):
    """DESIGN.md, item 13: icons are inline SVG, the search index loads on the search page only,
    no script in the head blocks the first paint, and explorers' frames are files, not base64."""
    for doc in DOCS:
        page = (HTML / f"{doc}.html").read_text()
        head = page[: page.index("</head>")]
        assert "fontawesome" not in page and "searchindex.js" not in page, doc
        assert '<i class="fa' not in page and "gl-icon" in page, doc
        blocking = [
            tag
            for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", head)
            if not re.search(r"\b(defer|async)\b", tag)
        ]
        assert not blocking, f"{doc}: render-blocking scripts {blocking}"
        assert len(re.findall(r'rel="stylesheet"', head)) == 1, f"{doc}: more than one stylesheet"
        assert "data:image/png;base64" not in page, f"{doc}: base64 image inside the page"
        assert page.count("gradlabTypesetAll = function") == 1, f"{doc}: MathJax set up twice"
    assert "searchindex.js" in (HTML / "search.html").read_text()


def typeset(page):
    """MathJax loads once maths comes near the screen and typesets what the reader reaches: bring
    the first maths into view, then wait until every formula of the page is typeset."""
    if not page.evaluate("() => !!document.querySelector('.math')"):
        return
    page.evaluate("() => document.querySelector('.math').scrollIntoView()")
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise")
    page.evaluate("() => gradlabTypesetAll()")  # the rest: as if the reader scrolled through


@pytest.mark.parametrize("doc", [d for d in DOCS if source_of(d).suffix == ".ipynb"])
def test_notebook_pages_carry_a_binder_link_to_their_notebook(doc, built_book):
    page = (HTML / f"{doc}.html").read_text()
    links = re.findall(r'href="(https://mybinder\.org/v2/gh/[^"]+)"', page)
    assert links, f"{doc}: no Binder launch link"
    assert all(link.endswith(f"urlpath=lab/tree/{doc}.ipynb") for link in links), links
    assert f'href="../_sources/{doc}.ipynb"' in page or f"_sources/{doc}.ipynb" in page  # download


def expected_explorers(doc):
    """How many explorers a page must show: one per explorer among the notebook's outputs."""
    path = source_of(doc)
    if path.suffix != ".ipynb":
        return 0
    return sum(
        "gradlab-explorer" in output.get("data", {}).get("text/html", "")
        for cell in load_notebook(path).cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


@pytest.fixture(scope="module")
def server(built_book):
    handler = functools.partial(QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_FLAGS)
        yield browser
        browser.close()


# Text nodes outside code, scripts and rendered math that still look like TeX.
RAW_TEX_JS = r"""() => {
  const walker = document.createTreeWalker(document.querySelector('main') || document.body,
                                           NodeFilter.SHOW_TEXT);
  const found = [];
  const skip = 'PRE, CODE, SCRIPT, STYLE, MJX-CONTAINER, .highlight, textarea';
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement && node.parentElement.closest(skip)) continue;
    const m = node.textContent.match(/\$\$|\\\[|\\\(|\\frac|\\hat|\\sum|\\mathbf/);
    if (m) found.push(node.textContent.trim().slice(0, 80));
  }
  return found;
}"""


@pytest.mark.parametrize("doc", DOCS)
def test_page_in_browser(doc, server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    origin = urlparse(server).netloc

    def on_request(route):
        if urlparse(route.request.url).netloc not in (origin, ""):
            problems.append(f"request outside the book: {route.request.url}")
            return route.abort()
        return route.continue_()

    page.route("**/*", on_request)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))

    page.goto(f"{server}/{doc}.html", wait_until="load")
    typeset(page)

    # math: every math element was typeset, nothing raw is left
    untypeset = page.evaluate(
        "() => [...document.querySelectorAll('.math')]"
        ".filter(e => !e.querySelector('mjx-container'))"
        ".map(e => e.textContent.slice(0, 60))"
    )
    assert not untypeset, f"{doc}: math not rendered: {untypeset}"
    assert not page.evaluate(RAW_TEX_JS), f"{doc}: raw TeX left in the page"

    # images: every one has alt text
    missing_alt = page.evaluate(
        "() => [...document.querySelectorAll('img')]"
        ".filter(i => !(i.getAttribute('alt') || '').trim()"
        " || /\\.(png|jpe?g|svg)$/.test(i.getAttribute('alt'))).map(i => i.src.slice(0, 80))"
    )
    assert not missing_alt, f"{doc}: images without alt text: {missing_alt}"

    # explorers: present as often as the notebook has them, and their sliders work
    explorers = page.locator(".gradlab-explorer")
    assert explorers.count() == expected_explorers(doc), f"{doc}: explorer missing from the page"
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        img = explorer.locator("img")
        for s in range(explorer.locator("input[type=range]").count()):
            slider = explorer.locator("input[type=range]").nth(s)
            before_value, before_src = slider.input_value(), img.get_attribute("src")
            slider.focus()
            page.keyboard.press(
                "ArrowRight" if before_value != slider.get_attribute("max") else "ArrowLeft"
            )
            assert slider.input_value() != before_value, f"{doc}: explorer slider {s} does not move"
            assert img.get_attribute("src") != before_src, (
                f"{doc}: slider {s} did not change the figure"
            )
            assert img.get_attribute("alt").strip()
            # the new frame is a file of the book, fetched now, and it shows
            page.wait_for_function(
                "img => img.complete && img.naturalWidth > 0", arg=img.element_handle()
            )

    context.close()
    assert not problems, f"{doc}: " + "\n".join(problems)


@pytest.fixture(scope="module")
def axe_script():
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


@pytest.mark.parametrize("doc", DOCS)
def test_page_has_no_serious_accessibility_violation(doc, server, browser, axe_script):
    """axe-core (bundled in the axe-playwright-python package) on the rendered page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/{doc}.html", wait_until="load")
    typeset(page)
    # Sections below the screen skip layout until the reader nears them (content-visibility in
    # _static/custom.css); axe cannot see the colours of content that was never laid out and
    # reports false contrast failures there, so lay everything out first, as scrolling would.
    page.add_style_tag(content=".bd-article section { content-visibility: visible !important; }")
    page.evaluate(axe_script)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    context.close()
    bad = [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"][:3]])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{doc}: {bad}"
    assert results["testEngine"]["name"] == "axe-core"  # axe really ran on the page


def test_equation_numbers_cited_in_code_are_the_printed_ones(built_book):
    """Code cannot use {eq}: gradlab and the chapters' code cite chapter 6's four equations by
    number ("eq. (6.2)"). Those must be the numbers the book prints for them."""
    printed = {}
    for doc in DOCS:
        page = (HTML / f"{doc}.html").read_text()
        pattern = r'<div[^>]*\bid="equation-([\w-]+)"[^>]*>\s*<span class="eqno">\(([\d.]+)\)'
        for label, number in re.findall(pattern, page):
            printed[number] = label
    assert {n: printed.get(n) for n in ("6.1", "6.2", "6.3", "6.4")} == {
        "6.1": "bp-output",
        "6.2": "bp-back",
        "6.3": "bp-weights",
        "6.4": "bp-biases",
    }
    code = [path.read_text() for path in (ROOT / "code" / "gradlab").glob("*.py")]
    for doc in DOCS:
        source = source_of(doc)
        if source.suffix == ".ipynb":
            code += [c.source for c in load_notebook(source).cells if c.cell_type == "code"]
    cited = set()
    for text in code:
        for line in text.splitlines():
            if re.search(r"\beqs?\.|\bequations? \(", line):
                cited |= set(re.findall(r"\((\d+\.\d+)\)", line))
    assert cited >= {"6.1", "6.2", "6.3", "6.4"}, cited
    assert cited <= set(printed), f"cited but not printed: {cited - set(printed)}"
