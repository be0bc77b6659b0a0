"""Shared fixtures: paths, the notebooks, the built book and a headless browser."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from hypothesis import settings

# In CI the property-based tests replay the same examples every run (no flaky failures); locally
# they explore new ones each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    settings.load_profile("ci")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from booklib import BUILD, CHAPTERS, ROOT, notebook_paths, source_of, toc_files  # noqa: E402, F401

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = Path(os.environ.get("GRADLAB_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def built_book():
    """Build the book once per session, strictly, from a clean _build. Returns the build log."""
    shutil.rmtree(BUILD, ignore_errors=True)
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run(
        [str(jb), "build", str(ROOT), "-W", "-n", "--keep-going"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"the strict book build failed:\n{log[-5000:]}"
    return log


@pytest.fixture(scope="session")
def chromium_path():
    if not CHROMIUM.exists():
        message = (
            f"no browser at {CHROMIUM}: install Debian's chromium (apt-get install "
            "chromium) or set GRADLAB_CHROMIUM"
        )
        if IN_CI:
            pytest.fail(message + " (browser tests may not skip in CI)")
        pytest.skip(message)
    return str(CHROMIUM)


def load_notebook(path):
    return nbformat.read(path, as_version=4)


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False)
