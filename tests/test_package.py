"""The package layout: gradlab imports everywhere a notebook runs, and the stdlib `code`
survives."""

import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import CHAPTERS, ROOT


def test_stdlib_code_module_is_not_shadowed():
    # DESIGN.md item 2: our folder is called code/, but `import code` must still be the stdlib's.
    out = subprocess.run(
        [sys.executable, "-c", "import code; print(code.__file__); code.InteractiveConsole"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(out).parent == Path(sysconfig.get_paths()["stdlib"])


def test_gradlab_imports_from_the_chapters_folder_as_a_kernel_would():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gradlab, gradlab.data, gradlab.linreg, gradlab.descent, gradlab.gradcheck, "
            "gradlab.backprop, gradlab.training, gradlab.engine, gradlab.graph, gradlab.checks, "
            "gradlab.plots, gradlab.widgets; print(gradlab.__file__)",
        ],
        cwd=CHAPTERS,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(out) == ROOT / "code" / "gradlab" / "__init__.py"


def test_requirements_pin_torch_and_jupyter_book_exactly():
    lines = [l.split("#")[0].strip() for l in (ROOT / "requirements.txt").read_text().splitlines()]
    lines = [l for l in lines if l]
    assert "torch==2.13.0" in lines
    assert "jupyter-book==1.0.4.post1" in lines
    assert lines[-1] == "-e ."
    # every third-party requirement is pinned exactly: a loose one could pull a CUDA torch
    for line in lines[:-1]:
        assert "==" in line, f"unpinned requirement: {line}"


def test_the_chapter_map_of_gradlab_is_true():
    """Every ``gradlab.X ... (ch. ...)`` line of gradlab/__init__.py names exactly the chapters
    whose notebooks import gradlab.X."""
    import re

    import gradlab

    entries = re.findall(r"``gradlab\.(\w+)``(.*?)(?=\n- ``|\n\n)", gradlab.__doc__, re.S)
    assert len(entries) >= 10
    for module, text in entries:
        listed = set()
        for a, b in re.findall(r"(\d)(?:-(\d))?", " ".join(re.findall(r"ch\. ([\d,\- ]+)", text))):
            listed.update(range(int(a), int(b or a) + 1))
        using = {
            int(p.name[:2])
            for p in sorted(CHAPTERS.glob("*.ipynb"))
            if re.search(
                rf"from gradlab(\.{module} import| import [\w, ]*\b{module}\b)", p.read_text()
            )
        }
        assert listed == using, (
            f"gradlab.{module}: map says {sorted(listed)}, used in {sorted(using)}"
        )
