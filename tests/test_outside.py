"""Outside the repository (DESIGN.md, item 16): the set-up cell, the wheel, a notebook alone.

A chapter must run where the repository is not: Colab, a notebook downloaded from the book, a
laptop. Its first code cell (written by tools/bootstrap_cell.py) installs the course's helpers
when they are missing and does nothing where they are installed.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import CHAPTERS, ROOT, load_notebook, notebook_paths

sys.path.insert(0, str(ROOT / "tools"))
import bootstrap_cell  # noqa: E402

import student_edition  # noqa: E402

NOTEBOOKS = notebook_paths()
IDS = [p.name for p in NOTEBOOKS]
# the shortest chapter: the wheel test runs it from an empty folder
ALONE = CHAPTERS / "05_backprop_linear_regression.ipynb"


def first_code_cell(nb):
    return next(c for c in nb.cells if c.cell_type == "code")


# --- the cell in the chapters ------------------------------------
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_code_cell_is_the_set_up_cell(path):
    cell = first_code_cell(load_notebook(path))
    assert cell.source == bootstrap_cell.cell_source(), (
        "the first code cell is not the set-up cell: run .venv/bin/python tools/bootstrap_cell.py "
        "and then tools/refresh_outputs.py"
    )
    assert {"bootstrap", "remove-cell"} <= set(cell.metadata.get("tags", []))
    assert cell.outputs == [], "in the repository the set-up cell must print nothing"


def test_set_up_cell_names_the_book_version_repository_and_pins():
    source = bootstrap_cell.cell_source()
    import gradlab

    assert f'GRADLAB = "{gradlab.__version__}"' in source
    assert "https://github.com/gradlab-course/gradlab-book/archive/refs/heads/main.zip" in source
    assert '"torch": "2.13.0"' in source  # never a looser torch (DESIGN.md, item 3)
    compile(source, "<set-up cell>", "exec")


def test_tool_inserts_once_and_updates_in_place(tmp_path):
    nb = load_notebook(ALONE)
    nb.cells = [c for c in nb.cells if "bootstrap" not in c.metadata.get("tags", [])]
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    once = bootstrap_cell.with_bootstrap(nb, "print('v1')")
    assert len(once.cells) == len(nb.cells) + 1
    assert once.cells[first_code].source == "print('v1')"
    assert bootstrap_cell.with_bootstrap(once, "print('v1')") == once  # idempotent
    twice = bootstrap_cell.with_bootstrap(once, "print('v2')")
    assert len(twice.cells) == len(once.cells)
    assert first_code_cell(twice).source == "print('v2')"
    nbformat.validate(twice)
    # the command line, on a copy: writes, then finds nothing left to do
    copy = tmp_path / ALONE.name
    nbformat.write(nb, copy)
    assert bootstrap_cell.main(["--check", str(copy)]) == 1
    assert bootstrap_cell.main([str(copy)]) == 0
    assert bootstrap_cell.main(["--check", str(copy)]) == 0


def test_student_edition_keeps_the_set_up_cell():
    nb = bootstrap_cell.with_bootstrap(load_notebook(ALONE), bootstrap_cell.cell_source())
    student = student_edition.student_notebook(nb)
    assert first_code_cell(student).source == bootstrap_cell.cell_source()


def test_set_up_cell_does_nothing_in_the_repository():
    # if it tried to install, pip would fail on this source and the cell would raise
    env = {**os.environ, "GRADLAB_SOURCE": str(ROOT / "no-such-wheel.whl")}
    run = subprocess.run(
        [sys.executable, "-c", bootstrap_cell.cell_source()],
        cwd=CHAPTERS,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""


# --- the wheel, and a chapter alone in an empty folder ------------------------------------
def build_wheel(out):
    """Build gradlab-course's wheel from a copy of its sources (the tree stays clean)."""
    src = out / "src"
    (src / "code").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copytree(
        ROOT / "code" / "gradlab",
        src / "code" / "gradlab",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (wheel,) = out.glob("*.whl")
    return wheel


def bare_venv(where):
    """A venv without gradlab that sees the project venv's other packages (torch, ipykernel,
    pip, ...) through a .pth file, so nothing is downloaded. Nested .pth files of the project
    venv (its editable gradlab) are not processed from there, so gradlab is really missing."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120
    )
    python = where / "bin" / "python"
    purelib = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (purelib / "project_venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # its own kernel: the chapter runs with this venv's python, nothing else
    kernel = where / "share" / "jupyter" / "kernels" / "python3"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        )
    )
    return python


RUN_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
               resources={"metadata": {"path": sys.argv[2]}}).execute()
nbformat.write(nb, path)
"""


@pytest.mark.slow
def test_wheel_installs_and_a_chapter_runs_alone_in_an_empty_folder(tmp_path):
    import gradlab

    wheel = build_wheel(tmp_path / "wheels")
    assert wheel.name == f"gradlab_course-{gradlab.__version__}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    assert "gradlab/__init__.py" in names and "gradlab/checks.py" in names
    assert not [n for n in names if n.startswith(("tests/", "tools/", "chapters/"))]
    metadata = (
        zipfile.ZipFile(wheel)
        .read(f"gradlab_course-{gradlab.__version__}.dist-info/METADATA")
        .decode()
    )
    assert "Requires-Dist" not in metadata  # nothing unpinned for pip to resolve

    python = bare_venv(tmp_path / "venv")
    missing = subprocess.run(
        [str(python), "-c", "import gradlab"], cwd=tmp_path, capture_output=True, text=True
    )
    assert "No module named 'gradlab'" in missing.stderr

    folder = tmp_path / "empty"
    folder.mkdir()
    notebook = folder / ALONE.name
    nb = bootstrap_cell.with_bootstrap(load_notebook(ALONE), bootstrap_cell.cell_source())
    nbformat.write(nb, notebook)
    env = {
        **os.environ,
        "GRADLAB_SOURCE": str(wheel),
        "JUPYTER_DATA_DIR": str(tmp_path / "jd"),
        "JUPYTER_PATH": str(tmp_path / "venv" / "share" / "jupyter"),
        "PYTHONPATH": "",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    subprocess.run(
        [str(python), "-c", RUN_NOTEBOOK, str(notebook), str(folder)],
        cwd=folder,
        env=env,
        check=True,
        timeout=900,
    )
    ran = nbformat.read(notebook, as_version=4)
    cells = [c for c in ran.cells if c.cell_type == "code"]
    setup = "".join(o.get("text", "") for o in cells[0].outputs)
    assert setup.strip() == f"Installed the course's helpers, gradlab {gradlab.__version__}"
    for i, cell in enumerate(cells, 1):
        if "raises-exception" in cell.metadata.get("tags", []):
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"cell {i}: {errors[0].ename}: {errors[0].evalue}"
    # installed from the wheel into the bare venv, not found in the repository
    where = subprocess.run(
        [str(python), "-c", "import gradlab; print(gradlab.__file__)"],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert str(tmp_path / "venv") in where.stdout
    # and now the same cell is silent
    again = subprocess.run(
        [str(python), "-c", bootstrap_cell.cell_source()],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.stdout == ""
