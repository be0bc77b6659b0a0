"""Write the set-up cell, the first code cell of every chapter, so a chapter runs anywhere.

    .venv/bin/python tools/bootstrap_cell.py                 # every chapters/*.ipynb, in place
    .venv/bin/python tools/bootstrap_cell.py --check         # exit 1 if a chapter is out of date
    .venv/bin/python tools/bootstrap_cell.py some/copy.ipynb # only these notebooks

Where the course's helpers are installed (this repository's .venv, Binder, a prepared laptop)
the cell does nothing and prints nothing. Elsewhere (Colab, a notebook downloaded from the book)
it installs ``gradlab`` (distribution ``gradlab-course``, PyPI's ``gradlab`` is another project)
from the book's repository at the version of the book, plus any of torch, numpy, matplotlib and
ipywidgets that is missing, at the exact pins of requirements.txt, and says so in one line.
Nothing already installed is replaced (Colab keeps its own torch).

Everything the cell names comes from one place: the repository and branch from ``_config.yml``
(``repository.url``, ``repository.branch``: change them for a fork, then re-run this tool), the
version from ``gradlab.__version__``, the pins from ``requirements.txt``. The environment variable
``GRADLAB_SOURCE`` overrides where gradlab comes from (a wheel, a folder, another URL): the
wheel test uses it, since the network is closed there.

The cell is tagged ``bootstrap`` (kept by tools/student_edition.py) and ``remove-cell`` (the
book's pages do not show it; the downloadable .ipynb keeps it). Running the tool twice changes
nothing. After running it on chapters/, refresh the outputs (execution counts shift by one):
``.venv/bin/python tools/refresh_outputs.py``.
"""

import argparse
import ast
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
TAGS = ["bootstrap", "remove-cell"]
CELL_ID = "gradlab-setup"
# what gradlab imports, in the order the cell lists them (module name == distribution name)
RUNTIME = ["torch", "numpy", "matplotlib", "ipywidgets"]
# the cell sets torch's thread count to this (see threads_note in README: measured fastest on a
# shared 2-core machine, and no slower on an idle one, for these small tensors)
THREADS = 1

TEMPLATE = """\
# Set-up: does nothing where the course's helpers are installed (its
# repository, Binder, a prepared venv). Elsewhere (Colab, a downloaded
# notebook) it installs them first, quietly.
import importlib
import importlib.util
import os
import subprocess
import sys

GRADLAB = "{version}"
SOURCE = os.environ.get(
    "GRADLAB_SOURCE",
    "{source}",
)
try:
    import gradlab

    ready = getattr(gradlab, "__version__", None) == GRADLAB
except ImportError:
    ready = False
if not ready:
    pins = {pins}
    missing = [
        f"{{m}}=={{v}}"
        for m, v in pins.items()
        if importlib.util.find_spec(m) is None
    ]
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", SOURCE, *missing],
        capture_output=True,
        text=True,
    )
    if pip.returncode:
        error = pip.stderr[-2000:]
        raise RuntimeError(
            f"could not install the course's helpers:\\n{{error}}"
        )
    for name in [n for n in sys.modules if n.split(".")[0] == "gradlab"]:
        del sys.modules[name]
    importlib.invalidate_caches()
    import gradlab

    print(f"Installed the course's helpers, gradlab {{GRADLAB}}", *missing)
import torch

# one thread: fastest for this course's small tensors, even on a busy CPU
torch.set_num_threads({threads})"""


def book_version(root=ROOT):
    """gradlab.__version__, read without importing gradlab."""
    tree = ast.parse((root / "code" / "gradlab" / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", None) == "__version__" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise LookupError("gradlab/__init__.py has no __version__")


def source_url(root=ROOT):
    """The archive of the book's branch, from _config.yml: pip needs no git to install it."""
    repo = yaml.safe_load((root / "_config.yml").read_text())["repository"]
    url = repo["url"].rstrip("/").removesuffix(".git")
    return f"{url}/archive/refs/heads/{repo.get('branch', 'main')}.zip"


def pins(root=ROOT):
    """The exact pins of gradlab's runtime dependencies, from requirements.txt."""
    found = {}
    for line in (root / "requirements.txt").read_text().splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s#;]+)", line.split("#")[0].strip())
        if match and match.group(1).lower() in RUNTIME:
            found[match.group(1).lower()] = match.group(2)
    missing = set(RUNTIME) - set(found)
    if missing:
        raise LookupError(f"requirements.txt pins none of {sorted(missing)}")
    return {name: found[name] for name in RUNTIME}


def cell_source(root=ROOT):
    """The source of the set-up cell."""
    return TEMPLATE.format(
        version=book_version(root),
        source=source_url(root),
        pins="{\n" + "".join(f'        "{k}": "{v}",\n' for k, v in pins(root).items()) + "    }",
        threads=THREADS,
    )


def with_bootstrap(nb, source):
    """Return ``nb`` with the set-up cell as its first code cell (inserted or updated)."""
    nb = nbformat.from_dict(nb)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    first = code[0] if code else len(nb.cells)
    existing = [i for i in code if "bootstrap" in nb.cells[i].metadata.get("tags", [])]
    for i in reversed(existing):
        if i != first:
            del nb.cells[i]
    if existing and existing[0] == first:
        cell = nb.cells[first]
        cell.source = source
        cell.metadata["tags"] = TAGS + [t for t in cell.metadata.get("tags", []) if t not in TAGS]
    else:
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(TAGS)})
        cell.id = CELL_ID
        nb.cells.insert(first, cell)
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="default: every chapters/*.ipynb")
    parser.add_argument("--check", action="store_true", help="report, do not write")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "chapters").glob("*.ipynb"))
    source, stale = cell_source(), []
    for path in paths:
        before = nbformat.read(path, as_version=4)
        after = with_bootstrap(before, source)
        if after == before:
            continue
        stale.append(path)
        if not args.check:
            nbformat.write(after, path)
    verb = "out of date" if args.check else "updated"
    for path in stale:
        print(f"{path.name}: {verb}")
    if not args.check and stale:
        print("now refresh their outputs: .venv/bin/python tools/refresh_outputs.py")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
