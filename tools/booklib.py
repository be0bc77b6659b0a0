"""Book helpers shared by the tools and the tests: paths, the table of contents, page weights.

Tools import it directly (``tools/`` is on the path of a script run from it); tests import it
through ``tests/conftest.py``. Neither imports the other.
"""

from html.parser import HTMLParser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
BUILD = ROOT / "_build"
HTML = BUILD / "html"
PAGE_BUDGET = 1_500_000  # bytes a page may load on its own
SITE_BUDGET = 60_000_000  # bytes of the whole built site


def nbval_command(paths, python=None):
    """The command that runs nbval (strict, with the project's sanitizer) on ``paths``."""
    import sys

    sanitize = str(ROOT / "tests" / "nbval_sanitize.cfg")
    return [
        python or sys.executable,
        "-m",
        "pytest",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        sanitize,
        "-q",
        "-p",
        "no:cacheprovider",
        *map(str, paths),
    ]


def notebook_paths():
    return sorted(CHAPTERS.glob("*.ipynb"))


def toc_files():
    """Every document listed in _toc.yml, root first, as paths without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def source_of(doc):
    """The source file of a _toc.yml entry (.ipynb or .md)."""
    for suffix in (".ipynb", ".md"):
        if (ROOT / (doc + suffix)).exists():
            return ROOT / (doc + suffix)
    raise FileNotFoundError(f"_toc.yml lists {doc!r} but neither {doc}.ipynb nor {doc}.md exists")


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("img", "script") and attrs.get("src"):
            self.found.append(attrs["src"])
        elif tag == "link" and attrs.get("rel") in ("stylesheet", "preload") and attrs.get("href"):
            self.found.append(attrs["href"])


def _local_files(page):
    parser = _Resources()
    parser.feed(page.read_text(encoding="utf-8"))
    files = set()
    for url in parser.found:
        if url.startswith(("http:", "https:", "data:", "//")):
            continue
        path = (page.parent / url.split("?")[0].split("#")[0]).resolve()
        if path.is_file():
            files.add(path)
    return files


def page_weights(html_dir, pages):
    """{page: bytes}: the page's HTML plus the images, scripts and styles it loads that are not
    loaded by every page (those are shared, cached once)."""
    loads = {page: _local_files(html_dir / f"{page}.html") for page in pages}
    shared = set.intersection(*loads.values()) if loads else set()
    return {
        page: (html_dir / f"{page}.html").stat().st_size
        + sum(f.stat().st_size for f in files - shared)
        for page, files in loads.items()
    }


def site_size(html_dir):
    return sum(f.stat().st_size for f in Path(html_dir).rglob("*") if f.is_file())
