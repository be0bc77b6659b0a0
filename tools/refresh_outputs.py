"""Re-execute notebooks in place, each in a fresh kernel, top to bottom.

This is the only way the committed outputs of chapters/*.ipynb are refreshed (never by hand):

    .venv/bin/python tools/refresh_outputs.py                 # every chapter
    .venv/bin/python tools/refresh_outputs.py chapters/01_linear_regression.ipynb

What it guarantees. Runs are deterministic: the notebooks seed their generators,
PYTHONHASHSEED is fixed here and cell timings are not recorded, so on one machine an unchanged
notebook comes back with the same text outputs. And outputs refreshed on any machine verify on
every other: chapters print bounds and stable digits (``gradlab.claims``), never round-off, and
nbval ignores only what is noise by nature (addresses, widget ids, image bytes; see
tests/nbval_sanitize.cfg). ``--verify`` checks that promise after the refresh: it re-runs nbval
on the refreshed notebooks with numpy's and torch's baseline kernels on one thread, the
"other machine" that CI also emulates (.ci/run, step 3).

    .venv/bin/python tools/refresh_outputs.py --verify chapters/05_backprop_linear_regression.ipynb
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from booklib import nbval_command

ROOT = Path(__file__).resolve().parent.parent
# another machine, emulated: baseline SIMD kernels in numpy and torch, one thread
OTHER_MACHINE = {
    "ATEN_CPU_CAPABILITY": "default",
    "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
}


def verify_elsewhere(paths):
    """Run nbval on ``paths`` as another machine would; return pytest's exit code."""
    command = nbval_command(paths)
    return subprocess.call(command, cwd=ROOT, env={**os.environ, **OTHER_MACHINE})


def coalesce_streams(cell):
    """Merge consecutive stdout (or stderr) outputs into one: the kernel flushes a cell's prints
    in chunks, and the book would show each chunk in a box of its own (a table's header apart
    from its rows)."""
    merged = []
    for output in cell.get("outputs", []):
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    cell["outputs"] = merged


def kernelspec(name="python3"):
    """The kernelspec metadata Jupyter writes when it starts ``name``: the installed kernel's own
    display name ("Python 3 (ipykernel)"), so opening a chapter and starting its kernel does not
    mark it modified (a stale "Python 3" did)."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(name)
    return {"display_name": spec.display_name, "language": spec.language, "name": name}


def refresh(path, timeout=300):
    """Execute one notebook in place; return the seconds it took."""
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ["GRADLAB_STATIC_FRAMES"] = "1"  # explorers save the book's static view
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
    for cell in nb.cells:
        if cell.cell_type == "code":
            coalesce_streams(cell)
    nb.metadata.kernelspec = kernelspec()
    nbformat.write(nb, path)
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="default: every chapters/*.ipynb")
    parser.add_argument(
        "--verify",
        action="store_true",
        help="then check the new outputs with nbval as another machine would",
    )
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(str(p) for p in (ROOT / "chapters").glob("*.ipynb"))
    for path in paths:
        print(f"{Path(path).name}: ", end="", flush=True)
        print(f"{refresh(path):.1f} s")
    if args.verify:
        print("verifying with baseline kernels on one thread (another machine, emulated)")
        return verify_elsewhere(paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
