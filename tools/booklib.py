"""Book helpers shared by the tools and the tests: paths, the table of contents, page weights.

Tools import it directly (``tools/`` is on the path of a script run from it); tests import it
through ``tests/conftest.py``. Neither imports the other.
"""

import contextlib
import functools
import gzip
import http.server
import os
import threading
from html.parser import HTMLParser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
BUILD = ROOT / "_build"
HTML = BUILD / "html"
PAGE_BUDGET = 1_500_000  # bytes a page may load on its own
SITE_BUDGET = 15_000_000  # bytes of the whole built site


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


# --- serving the built book as a static host does, and weighing what a phone loads ----------------
# (tests/test_budgets.py and tools/lighthouse.py)
TRANSFER_BUDGET = 600_000  # bytes on the wire per page, gzip-served
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
)


# a static host with gzip, on loopback -------------------------------------------------------
class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text types gzip-compressed when the client accepts it, like GitHub Pages."""

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) or not os.path.isfile(path):
            return super().send_head()
        ctype = self.guess_type(path)
        if not ctype.startswith(COMPRESSIBLE) or "gzip" not in self.headers.get(
            "Accept-Encoding", ""
        ):
            return super().send_head()
        body = _gzipped(path, os.stat(path).st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Bytes(body)

    def log_message(self, *args):
        pass


class _Bytes:
    """What send_head returns: copyfile() reads it, then it is closed."""

    def __init__(self, data):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


@functools.lru_cache(maxsize=512)
def _gzipped(path, _mtime):
    with open(path, "rb") as f:
        return gzip.compress(f.read(), compresslevel=6, mtime=0)


@contextlib.contextmanager
def serve_gzip(directory=HTML):
    """Serve directory on 127.0.0.1 (a free port) with gzip; yields the base URL."""
    handler = functools.partial(GzipHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# bytes a page transfers when a phone opens it: Chromium (Playwright) against the gzip server.
# Counts what the network sends for one cold page load (HTML, styles, scripts, fonts, the images the
# first screen needs) until the network is idle, the way Lighthouse's "total byte weight" does, at
# a phone-sized viewport (Lighthouse's mobile emulation: 412 x 823 CSS px).

CHROMIUM = os.environ.get("GRADLAB_CHROMIUM", "/usr/bin/chromium")
LAUNCH_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
    "is_mobile": True,
    "has_touch": True,
}


def page_transfer(browser, url):
    """(total bytes on the wire, {url: bytes}) for one cold load of url in a fresh context."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls, sizes = {}, {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(
            urls.get(e["requestId"], e["requestId"]), e["encodedDataLength"]
        ),
    )
    page.goto(url, wait_until="networkidle")
    # MathJax and its fonts arrive after the load event; wait until it has typeset the page
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    for _ in range(40):  # then until nothing new arrived for half a second (at most 20 s)
        before = len(sizes)
        page.wait_for_timeout(500)
        if len(sizes) == before:
            break
    context.close()
    return sum(sizes.values()), sizes


def transferred_bytes(base, pages, chromium=CHROMIUM):
    """{page: bytes transferred} for pages (paths without .html) under base URL."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=LAUNCH_FLAGS)
        try:
            return {page: page_transfer(browser, f"{base}/{page}.html")[0] for page in pages}
        finally:
            browser.close()
