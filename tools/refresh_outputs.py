"""Re-execute notebooks in place, each in a fresh kernel, top to bottom.

This is the only way the committed outputs of chapters/*.ipynb are refreshed (never by hand):

    .venv/bin/python tools/refresh_outputs.py                 # every chapter
    .venv/bin/python tools/refresh_outputs.py chapters/01_linear_regression.ipynb

Runs are deterministic: the notebooks seed their generators, PYTHONHASHSEED is fixed here and
cell timings are not recorded, so an unchanged notebook comes back byte for byte the same.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def refresh(path, timeout=300):
    """Execute one notebook in place; return the seconds it took."""
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        allow_errors=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    nb.metadata.pop("widgets", None)  # live widget state is meaningless once the kernel is gone
    nbformat.write(nb, path)
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="default: every chapters/*.ipynb")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(str(p) for p in (ROOT / "chapters").glob("*.ipynb"))
    for path in paths:
        print(f"{Path(path).name}: ", end="", flush=True)
        print(f"{refresh(path):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
