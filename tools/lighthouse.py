"""Page speed as a reader on a phone gets it: Lighthouse (mobile) on the built book, gzip-served.

    .venv/bin/python tools/lighthouse.py [--no-build] [--runs 3] [--pages intro chapters/...]
    .venv/bin/python tools/lighthouse.py --no-build --before /tmp/old-build --runs 3  # compare

Builds the book (strict, clean) unless --no-build, serves _build/html on 127.0.0.1 with gzip the
way a static host (GitHub Pages) does, runs Lighthouse 13 with its default mobile emulation and
throttling on the heaviest chapter page and on the intro, and prints performance, accessibility,
FCP, LCP, TBT, CLS and the bytes transferred. Lighthouse is installed with npm into
~/.cache/gradlab-lighthouse (override with GRADLAB_LIGHTHOUSE_DIR) the first time; the browser is
Debian's chromium (GRADLAB_CHROMIUM, default /usr/bin/chromium), never a downloaded one.

Budgets (DESIGN.md, item 13): performance >= 0.90, accessibility >= 0.95, CLS < 0.1 and at most
600 KB transferred per page. tests/test_budgets.py checks the bytes of every page with Playwright
(no Lighthouse needed there); this tool measures the rest.

The gzip server and the byte weighing live in tools/booklib.py, shared with the tests.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from booklib import CHROMIUM, LAUNCH_FLAGS, TRANSFER_BUDGET, serve_gzip, transferred_bytes

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
LIGHTHOUSE_VERSION = "13"
CACHE = Path(
    os.environ.get("GRADLAB_LIGHTHOUSE_DIR", Path.home() / ".cache" / "gradlab-lighthouse")
)
BUDGETS = {"performance": 0.90, "accessibility": 0.95, "cls": 0.1, "bytes": TRANSFER_BUDGET}


# --- Lighthouse ---------------------------------------------------------------------------------
def lighthouse_cli():
    """The Lighthouse CLI script, installed into CACHE with npm when missing."""
    cli = CACHE / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {CACHE} (npm)", file=sys.stderr)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(CACHE),
                "--no-audit",
                "--no-fund",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
        )
    return cli


def run_lighthouse(url):
    """One Lighthouse run (mobile, default throttling); returns the metrics we report."""
    cli = lighthouse_cli()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        env = dict(os.environ, CHROME_PATH=CHROMIUM)
        proc = subprocess.run(
            [
                "node",
                str(cli),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out}",
                "--only-categories=performance,accessibility",
                f"--chrome-flags={' '.join(LAUNCH_FLAGS)}",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"lighthouse failed on {url}:\n{proc.stderr[-3000:]}")
        report = json.loads(out.read_text())
    audits = report["audits"]
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    return {
        "performance": report["categories"]["performance"]["score"],
        "accessibility": report["categories"]["accessibility"]["score"],
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "top": [
            (i["url"].rsplit("/", 1)[-1], i["totalBytes"])
            for i in audits["total-byte-weight"]["details"]["items"][:6]
        ],
        "lcp_element": (
            audits.get("largest-contentful-paint-element", {})
            .get("details", {})
            .get("items", [{}])[0]
            .get("items", [{}])[0]
            .get("node", {})
            .get("snippet", "")
        ),
        "shifts": [
            (round(i.get("score", 0), 3), i.get("node", {}).get("snippet", "")[:100])
            for i in audits.get("layout-shifts", {}).get("details", {}).get("items", [])[:4]
        ],
        "failed": [
            (
                ref["id"],
                [
                    i.get("node", {}).get("snippet", "")[:120]
                    for i in audits[ref["id"]].get("details", {}).get("items", [])[:3]
                ],
            )
            for ref in report["categories"]["accessibility"]["auditRefs"]
            if ref["weight"] and audits[ref["id"]]["score"] not in (None, 1)
        ],
        "bootup": [
            (i["url"].rsplit("/", 1)[-1], round(i["total"]))
            for i in audits.get("bootup-time", {}).get("details", {}).get("items", [])[:5]
        ],
        "long_tasks": [
            (i.get("url", "").rsplit("/", 1)[-1], round(i["duration"]))
            for i in audits.get("long-tasks", {}).get("details", {}).get("items", [])[:8]
        ],
    }


def median_run(url, runs):
    """The run with the median performance score of `runs` runs (all its metrics together)."""
    results = sorted((run_lighthouse(url) for _ in range(runs)), key=lambda r: r["performance"])
    return results[len(results) // 2]


def heaviest_chapter(base, pages):
    """The chapter page that transfers the most bytes (weighed in a browser, gzip-served)."""

    chapters = [p for p in pages if p.startswith("chapters/")]
    weights = transferred_bytes(base, chapters)
    return max(chapters, key=weights.get)


def build():
    jb = Path(sys.executable).with_name("jupyter-book")
    import shutil

    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    proc = subprocess.run(
        [str(jb), "build", str(ROOT), "-W", "-n", "--keep-going"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"the strict build failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")


def site_size(html_dir=HTML):
    return sum(f.stat().st_size for f in Path(html_dir).rglob("*") if f.is_file())


def measure(pages=None, runs=1, do_build=True, html=HTML):
    """{page: metrics} for the heaviest chapter and the intro (or the given pages) of html."""
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT / "tools"))
    from conftest import toc_files

    if do_build:
        build()
    with serve_gzip(html) as base:
        if not pages:
            pages = [heaviest_chapter(base, toc_files()), toc_files()[0]]
        return {page: median_run(f"{base}/{page}.html", runs) for page in pages}


def compare(before_html, after_html, pages, runs=3):
    """{(label, page): metrics} for two builds, their runs interleaved (before, after, before...)
    so that both see the same load on the machine; the median run of each is kept."""
    results = {}
    with serve_gzip(before_html) as before, serve_gzip(after_html) as after:
        for page in pages:
            seen = {"before": [], "after": []}
            for _ in range(runs):
                seen["before"].append(run_lighthouse(f"{before}/{page}.html"))
                seen["after"].append(run_lighthouse(f"{after}/{page}.html"))
            for label, found in seen.items():
                found.sort(key=lambda r: r["performance"])
                results[(label, page)] = found[len(found) // 2]
    return results


def verdict(name, value):
    budget = BUDGETS.get(name)
    if budget is None:
        return ""
    ok = (
        value >= budget
        if name in ("performance", "accessibility")
        else (value < budget if name == "cls" else value <= budget)
    )
    return "ok" if ok else "OVER" if name in ("cls", "bytes") else "UNDER"


def rows(results):
    """Table rows (what, measured, budget) for the README's benchmark table."""
    out = []
    for page, r in results.items():
        label = f"Lighthouse mobile `{page}`"
        out += [
            (
                f"{label}: performance",
                f"{r['performance']:.2f}",
                f">= 0.90 {verdict('performance', r['performance'])}",
            ),
            (
                f"{label}: accessibility",
                f"{r['accessibility']:.2f}",
                f">= 0.95 {verdict('accessibility', r['accessibility'])}",
            ),
            (f"{label}: FCP / LCP", f"{r['fcp']:.1f} s / {r['lcp']:.1f} s", ""),
            (f"{label}: TBT", f"{r['tbt']:.0f} ms", ""),
            (f"{label}: CLS", f"{r['cls']:.3f}", f"< 0.1 {verdict('cls', r['cls'])}"),
            (
                f"{label}: transferred (gzip)",
                f"{r['bytes'] / 1000:.0f} KB",
                f"<= 600 KB {verdict('bytes', r['bytes'])}",
            ),
        ]
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="measure the existing _build/html")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is shown")
    parser.add_argument(
        "--pages", nargs="*", help="pages to measure (default: heaviest chapter, intro)"
    )
    parser.add_argument(
        "--html",
        type=Path,
        default=HTML,
        help="a built book to measure instead (implies --no-build), e.g. a copy "
        "of an earlier build for a before/after table",
    )
    parser.add_argument(
        "--before",
        type=Path,
        help="an earlier build to compare with, runs interleaved (before/after table)",
    )
    parser.add_argument("--verbose", action="store_true", help="also list the largest transfers")
    args = parser.parse_args(argv)
    own = args.html.resolve() == HTML.resolve()
    if args.before:
        if own and not args.no_build:
            build()
        sys.path.insert(0, str(ROOT / "tests"))
        from conftest import toc_files

        pages = args.pages or [toc_files()[1], toc_files()[0]]
        results = {
            f"{label} `{page}`": r
            for (label, page), r in compare(args.before, args.html, pages, args.runs).items()
        }
    else:
        results = {
            f"`{page}`": r
            for page, r in measure(
                args.pages, args.runs, own and not args.no_build, args.html
            ).items()
        }
    print("| page | performance | accessibility | FCP | LCP | TBT | CLS | transferred |")
    print("|---|---|---|---|---|---|---|---|")
    for page, r in results.items():
        print(
            f"| {page} | {r['performance']:.2f} | {r['accessibility']:.2f} | {r['fcp']:.1f} s | "
            f"{r['lcp']:.1f} s | {r['tbt']:.0f} ms | {r['cls']:.3f} | {r['bytes'] / 1000:.0f} KB |"
        )
    if args.before:
        print(
            f"\nsite: before {site_size(args.before) / 1e6:.1f} MB, "
            f"after {site_size(args.html) / 1e6:.1f} MB"
        )
    else:
        print(f"\nsite: {site_size(args.html) / 1e6:.1f} MB")
    if args.verbose:
        for page, r in results.items():
            print(page, "largest transfers:", r["top"])
            print(page, "accessibility audits failed:", r["failed"])
            print(page, "script time (ms):", r["bootup"])
            print(page, "long tasks (ms):", r["long_tasks"])
            print(page, "LCP element:", r["lcp_element"][:200])
            print(page, "layout shifts:", r["shifts"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
