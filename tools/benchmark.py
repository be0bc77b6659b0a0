"""Measure the book: notebook run times, nbval and build times, page weights, and the ratios the
chapters report. Prints a Markdown table; ``--update-readme`` also writes it into README.md.

    .venv/bin/python tools/benchmark.py [--update-readme]

Budgets (checked by tests where the number is deterministic): every page's own weight under
1.5 MB, at most 600 KB transferred per page on a phone (gzip-served), the whole site under 15 MB
(tests/test_budgets.py); every notebook under 30 s on a 2-core CPU, and Lighthouse (mobile)
performance >= 0.90, accessibility >= 0.95, CLS < 0.1 on the heaviest chapter and the intro
(tools/lighthouse.py; reported here: timings are not deterministic, so no test asserts them).
``--no-lighthouse`` leaves the Lighthouse rows out (it needs node and npm).
"""

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
PAGE_BUDGET = 1_500_000
SITE_BUDGET = 15_000_000
NOTEBOOK_BUDGET = 30.0
RATIOS = {  # what the chapters print, and how to find it in their outputs
    "06_backprop_multilayer": ("autograd / hand-written backward, time per step",
                               r"ratio autograd / hand-written: ([\d.]+)"),
    "08_tiny_autograd": ("tiny engine / vectorized PyTorch, time per step",
                         r"the tiny engine is ([\d.]+) times slower"),
}


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
    return {page: (html_dir / f"{page}.html").stat().st_size + sum(f.stat().st_size for f in files - shared)
            for page, files in loads.items()}


def site_size(html_dir):
    return sum(f.stat().st_size for f in Path(html_dir).rglob("*") if f.is_file())


def _toc_pages():
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import toc_files
    return toc_files()


def run_notebook(path):
    """Execute a notebook in a fresh kernel without writing it; return (seconds, printed text)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    return seconds, text


def _timed(command):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return time.perf_counter() - start


def measure(lighthouse_runs=3):
    bin_dir = Path(sys.executable).parent
    rows, ratios = [], []
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        seconds, text = run_notebook(path)
        rows.append((f"run `{path.name}`", f"{seconds:.1f} s",
                     "ok" if seconds < NOTEBOOK_BUDGET else f"OVER {NOTEBOOK_BUDGET:.0f} s"))
        if path.stem in RATIOS:
            name, pattern = RATIOS[path.stem]
            match = re.search(pattern, text)
            ratios.append((name, f"{float(match.group(1)):.1f}" if match else "not found", "machine-dependent"))
    nbval = _timed([sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env",
                    "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "chapters", "-q",
                    "-p", "no:cacheprovider"])
    rows.append(("nbval, every notebook", f"{nbval:.1f} s", ""))
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    build = _timed([str(bin_dir / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"])
    rows.append(("clean strict build", f"{build:.1f} s", ""))
    pages = _toc_pages()
    for page, weight in page_weights(HTML, pages).items():
        rows.append((f"page `{page}`", f"{weight / 1e6:.2f} MB",
                     "ok" if weight < PAGE_BUDGET else f"OVER {PAGE_BUDGET / 1e6:.1f} MB"))
    size = site_size(HTML)
    rows.append(("whole site", f"{size / 1e6:.1f} MB",
                 "ok" if size < SITE_BUDGET else f"OVER {SITE_BUDGET / 1e6:.0f} MB"))
    if lighthouse_runs:
        import lighthouse

        rows += lighthouse.rows(lighthouse.measure(runs=lighthouse_runs, do_build=False))
    return rows + ratios


def table(rows):
    import torch

    head = (f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} CPU cores, Python "
            f"{platform.python_version()}, torch {torch.__version__}.\n\n")
    lines = ["| what | measured | budget |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return head + "\n".join(lines) + "\n"


def update_readme(text):
    readme = ROOT / "README.md"
    content = readme.read_text()
    new = re.sub(r"(<!-- benchmark -->\n).*?(<!-- /benchmark -->)", lambda m: m.group(1) + text + m.group(2),
                 content, flags=re.S)
    if new == content and "<!-- benchmark -->" not in content:
        raise SystemExit("README.md has no <!-- benchmark --> ... <!-- /benchmark --> section")
    readme.write_text(new)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-readme", action="store_true", help="write the table into README.md")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse rows")
    parser.add_argument("--lighthouse-runs", type=int, default=3,
                        help="Lighthouse runs per page, the median is reported (default 3)")
    args = parser.parse_args(argv)
    text = table(measure(0 if args.no_lighthouse else args.lighthouse_runs))
    print(text)
    if args.update_readme:
        update_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
