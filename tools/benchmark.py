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
from pathlib import Path

from booklib import (
    HTML,
    PAGE_BUDGET,
    ROOT,
    SITE_BUDGET,
    nbval_command,
    page_weights,
    site_size,
    toc_files,
)

NOTEBOOK_BUDGET = 30.0
RATIOS = {  # what the chapters print, and how to find it in their outputs
    "06_backprop_multilayer": (
        "autograd / hand-written backward, time per step",
        r"ratio autograd / hand-written: ([\d.]+)",
    ),
    "08_tiny_autograd": (
        "tiny engine / vectorized PyTorch, time per step",
        r"the tiny engine is ([\d.]+) times slower",
    ),
}


def run_notebook(path):
    """Execute a notebook in a fresh kernel without writing it; return (seconds, printed text)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    return seconds, text


def _timed(command):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return time.perf_counter() - start


def measure(lighthouse_runs=3):
    bin_dir = Path(sys.executable).parent
    rows, ratios = [], []
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        seconds, text = run_notebook(path)
        rows.append(
            (
                f"run `{path.name}`",
                f"{seconds:.1f} s",
                "ok" if seconds < NOTEBOOK_BUDGET else f"OVER {NOTEBOOK_BUDGET:.0f} s",
            )
        )
        if path.stem in RATIOS:
            name, pattern = RATIOS[path.stem]
            match = re.search(pattern, text)
            ratios.append(
                (
                    name,
                    f"{float(match.group(1)):.1f}" if match else "not found",
                    "machine-dependent",
                )
            )
    nbval = _timed(nbval_command(["chapters"]))
    rows.append(("nbval, every notebook", f"{nbval:.1f} s", ""))
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    build = _timed([str(bin_dir / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"])
    rows.append(("clean strict build", f"{build:.1f} s", ""))
    pages = toc_files()
    for page, weight in page_weights(HTML, pages).items():
        rows.append(
            (
                f"page `{page}`",
                f"{weight / 1e6:.2f} MB",
                "ok" if weight < PAGE_BUDGET else f"OVER {PAGE_BUDGET / 1e6:.1f} MB",
            )
        )
    size = site_size(HTML)
    over = f"OVER {SITE_BUDGET / 1e6:.0f} MB"
    rows.append(("whole site", f"{size / 1e6:.1f} MB", "ok" if size < SITE_BUDGET else over))
    if lighthouse_runs:
        import lighthouse

        rows += lighthouse.rows(lighthouse.measure(runs=lighthouse_runs, do_build=False))
    return rows + ratios + [engine_row()]


# --- the tiny engine against micrograd (issue 15) -----------------------------------------------
# micrograd's README demo: a 2-16-16-1 ReLU network trained on 100 "moons" with a max-margin loss
# and L2 regularisation. The same network code runs on both engines; only the Value class differs.
ENGINE_BUDGET = 1.0  # gradlab.engine must be at least as fast as micrograd's engine


def _moons(n=100, noise=0.1, seed=1):
    """Two interleaved half circles, labels -1 and +1 (the demo's data set, made with numpy)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, n)
    upper = rng.random(n) < 0.5
    x = np.where(upper, np.cos(t), 1 - np.cos(t))
    y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
    points = np.stack([x, y], axis=1) + noise * rng.standard_normal((n, 2))
    return points.tolist(), np.where(upper, -1.0, 1.0).tolist()


def _demo_step(Value, layers, X, labels, lr, alpha=1e-4):
    """One training step of the demo network written with ``Value``; returns the loss."""
    scores = []
    for x in X:
        h = [Value(v) for v in x]
        for i, layer in enumerate(layers):
            h = [sum((wi * hi for wi, hi in zip(w, h)), b) for w, b in layer]
            if i < len(layers) - 1:
                h = [v.relu() for v in h]
        scores.append(h[0])
    data_loss = sum((1 + -y * s).relu() for y, s in zip(labels, scores)) * (1.0 / len(scores))
    params = [p for layer in layers for w, b in layer for p in w + [b]]
    loss = data_loss + alpha * sum(p * p for p in params)
    for p in params:
        p.grad = 0.0
    loss.backward()
    for p in params:
        p.data -= lr * p.grad
    return loss.data


def _demo_layers(Value, sizes=(2, 16, 16, 1), seed=1):
    import random

    rng = random.Random(seed)
    return [
        [([Value(rng.uniform(-1, 1)) for _ in range(n_in)], Value(0.0)) for _ in range(n_out)]
        for n_in, n_out in zip(sizes, sizes[1:])
    ]


def engine_ratio(steps=3, rounds=5):
    """Seconds per demo step of gradlab.engine divided by micrograd's (best of ``rounds``).

    Measured with Python's garbage collector on, as a learner runs it: micrograd's closures make
    every node part of a reference cycle, gradlab's nodes hold numbers and children only."""
    import gc

    from micrograd.engine import Value as MicrogradValue

    from gradlab.engine import Value

    X, labels = _moons()
    best = {}
    for _ in range(rounds):
        for name, cls in (("gradlab", Value), ("micrograd", MicrogradValue)):
            layers = _demo_layers(cls)
            gc.collect()  # no garbage of the other engine's graphs left to collect
            start = time.perf_counter()
            for k in range(steps):
                _demo_step(cls, layers, X, labels, lr=1.0 - 0.9 * k / 100)
            seconds = (time.perf_counter() - start) / steps
            best[name] = min(best.get(name, seconds), seconds)
    return best["gradlab"] / best["micrograd"], best


def engine_row():
    ratio, best = engine_ratio()
    return (
        "tiny engine / micrograd, micrograd's demo MLP, time per step",
        f"{ratio:.2f} ({best['gradlab'] * 1e3:.0f} ms / {best['micrograd'] * 1e3:.0f} ms)",
        "ok" if ratio <= ENGINE_BUDGET else f"OVER {ENGINE_BUDGET:.1f}",
    )


def table(rows):
    import torch

    head = (
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} CPU cores, Python "
        f"{platform.python_version()}, torch {torch.__version__}.\n\n"
    )
    lines = ["| what | measured | budget |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return head + "\n".join(lines) + "\n"


def update_readme(text):
    readme = ROOT / "README.md"
    content = readme.read_text()
    new = re.sub(
        r"(<!-- benchmark -->\n).*?(<!-- /benchmark -->)",
        lambda m: m.group(1) + text + m.group(2),
        content,
        flags=re.S,
    )
    if new == content and "<!-- benchmark -->" not in content:
        raise SystemExit("README.md has no <!-- benchmark --> ... <!-- /benchmark --> section")
    readme.write_text(new)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update-readme", action="store_true", help="write the table into README.md"
    )
    parser.add_argument(
        "--engine", action="store_true", help="only the tiny engine against micrograd"
    )
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse rows")
    parser.add_argument(
        "--lighthouse-runs",
        type=int,
        default=3,
        help="Lighthouse runs per page, the median is reported (default 3)",
    )
    args = parser.parse_args(argv)
    if args.engine:
        print(table([engine_row()]))
        return 0
    text = table(measure(0 if args.no_lighthouse else args.lighthouse_runs))
    print(text)
    if args.update_readme:
        update_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
