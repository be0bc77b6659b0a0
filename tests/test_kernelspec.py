"""Opening a chapter in Jupyter and starting its kernel must not mark it modified: the notebook's
kernelspec is what the installed kernel reports (tools/refresh_outputs.py writes it)."""

import sys

import pytest

from conftest import ROOT, load_notebook, notebook_paths

sys.path.insert(0, str(ROOT / "tools"))
import refresh_outputs  # noqa: E402

NOTEBOOKS = notebook_paths()


def test_refresh_writes_the_installed_kernels_display_name():
    assert refresh_outputs.kernelspec() == {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_kernelspec_matches_the_installed_kernel(path):
    assert dict(load_notebook(path).metadata.kernelspec) == refresh_outputs.kernelspec(), (
        "refresh the outputs with tools/refresh_outputs.py, which writes the kernel's own spec"
    )
