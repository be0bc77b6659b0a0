"""Binder (DESIGN.md, items 10 and 16): a lean runtime file that agrees with the base image.

repo2docker builds Binder's image from binder/: its base environment (a conda lock shipped inside
repo2docker) brings notebook and jupyterlab, then binder/requirements.txt, then postBuild. The
file must install only what the chapters need, before the repository is copied (so a commit that
changes a chapter does not reinstall torch), and must not conflict with the base image.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BINDER = ROOT / "binder"
# packages of the base image whose versions ours must agree with
BASE_PACKAGES = ["notebook", "jupyterlab", "jupyter_server", "ipykernel", "ipywidgets"]
BOOK_AND_TESTS = [
    "jupyter-book",
    "sphinx",
    "pytest",
    "nbval",
    "playwright",
    "axe",
    "hypothesis",
    "nbclient",
    "repo2docker",
]


def requirement_lines(path):
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return [line for line in lines if line]


def pins(path):
    return dict(line.split("==") for line in requirement_lines(path) if "==" in line)


def base_image():
    """Versions in repo2docker's base environment for binder/runtime.txt's Python."""
    import repo2docker

    python = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    lock = (
        Path(repo2docker.__file__).parent
        / "buildpacks"
        / "conda"
        / f"environment.py-{python}-linux-64.lock"
    ).read_text()
    found = dict(re.findall(r"/([A-Za-z0-9_.-]+?)-(\d[^-/]*)-[^-/]+\.(?:conda|tar\.bz2)", lock))
    return {name: found[name] for name in BASE_PACKAGES}


def dockerfile():
    r2d = Path(sys.executable).with_name("repo2docker")
    run = subprocess.run(
        [str(r2d), "--no-build", "--no-run", str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return run.stdout, run.stderr


def test_runtime_file_is_lean_and_pinned():
    lines = requirement_lines(BINDER / "requirements.txt")
    names = {name.lower() for name in pins(BINDER / "requirements.txt")}
    assert names == {"torch", "numpy", "matplotlib", "ipywidgets", "jupyterlab-myst"}
    for line in lines:
        assert line.startswith("--extra-index-url ") or re.fullmatch(r"[\w.-]+==[\w.+]+", line), (
            line
        )
        assert not any(word in line for word in BOOK_AND_TESTS), line
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines


def test_runtime_pins_agree_with_the_course_and_the_base_image():
    binder, course, base = (
        pins(BINDER / "requirements.txt"),
        pins(ROOT / "requirements.txt"),
        base_image(),
    )
    for name in ["torch", "numpy", "matplotlib", "jupyterlab-myst"]:
        assert binder[name] == course[name], name
    assert binder["torch"] == "2.13.0"
    assert binder["ipywidgets"] == base["ipywidgets"]
    assert "jupyterlab" not in binder and "notebook" not in binder  # the base image's own


def test_repo2docker_installs_the_runtime_before_copying_the_repository():
    docker, log = dockerfile()
    steps = [line for line in docker.splitlines() if line.startswith(("COPY", "RUN"))]
    pip = next(
        i
        for i, s in enumerate(steps)
        if 'pip install --no-cache-dir -r "binder/requirements.txt"' in s
    )
    repo = next(i for i, s in enumerate(steps) if s.startswith("COPY") and " src/ " in s)
    post = next(i for i, s in enumerate(steps) if s == "RUN ./binder/postBuild")
    assert pip < repo < post, steps
    assert "Building conda environment for python=3.11" in log


@pytest.mark.slow
def test_simulated_binder_install_passes_pip_check(tmp_path):
    """The base image's Jupyter first, then binder/requirements.txt, then postBuild: pip check.
    PyTorch's CPU index is not reachable here, so torch 2.13.0 comes from the usual index (on
    these machines a local CPU build); everything else is as on Binder."""
    venv = tmp_path / "binder"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--quiet", "--disable-pip-version-check"]
    base = [f"{name}=={version}" for name, version in base_image().items()]
    subprocess.run([*pip, "install", *base], check=True, timeout=900)
    runtime = tmp_path / "requirements.txt"
    runtime.write_text(
        "\n".join(
            line
            for line in requirement_lines(BINDER / "requirements.txt")
            if not line.startswith("--extra-index-url")
        )
    )
    subprocess.run([*pip, "install", "-r", str(runtime)], check=True, timeout=900)
    src = tmp_path / "src"
    shutil.copytree(ROOT / "code" / "gradlab", src / "code" / "gradlab")
    shutil.copy(ROOT / "pyproject.toml", src)
    subprocess.run([*pip, "install", "--no-deps", str(src)], check=True, timeout=300)
    check = subprocess.run([*pip, "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    versions = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import importlib.metadata as m; print(*(m.version(p) for p in "
            "['notebook', 'jupyterlab', 'torch', 'gradlab-course']))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert versions[:2] == [base_image()["notebook"], base_image()["jupyterlab"]]  # untouched
    assert versions[2].startswith("2.13.0")
    extensions = subprocess.run(
        [str(venv / "bin" / "jupyter"), "labextension", "list"], capture_output=True, text=True
    )
    listing = extensions.stdout + extensions.stderr
    assert "jupyterlab-myst" in listing and "not compatible" not in listing, listing
