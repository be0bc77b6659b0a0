"""The student edition: one command, nothing of any solution left, and every notebook still runs."""

import re

import nbformat
import pytest
from nbclient import NotebookClient

import student_edition  # the tool under test; tools/ is on the path (conftest.py)
from conftest import CHAPTERS, load_notebook, notebook_paths

NOTEBOOKS = notebook_paths()
IDS = [p.name for p in NOTEBOOKS]


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    assert student_edition.main([str(out)]) == 0
    return out


def solution_and_given_lines(nb):
    """Lines of the solutions (code and dropdown text) and lines the student is given anyway
    (main text, stubs)."""
    solution, given, inside = set(), set(), False
    for cell in nb.cells:
        lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
        if cell.cell_type == "markdown":
            for part in re.split(r"(```\{solution-(?:start|end)\}[^\n]*)", cell.source):
                if part.startswith("```{solution-start}"):
                    inside = True
                elif part.startswith("```{solution-end}"):
                    inside = False
                else:
                    target = solution if inside else given
                    target.update(line.strip() for line in part.splitlines() if line.strip())
        elif "solution" in cell.metadata.get("tags", []):
            solution.update(lines)
            given.update(
                line.strip()
                for line in cell.metadata.get("student_stub", "").splitlines()
                if line.strip()
            )
        else:
            given.update(lines)
    return solution, given


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_solution_survives(path, edition):
    original = load_notebook(path)
    student = nbformat.read(edition / path.name, as_version=4)
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
    text = "\n".join(c.source for c in student.cells)
    assert "{solution-start}" not in text and "{solution-end}" not in text
    solution, given = solution_and_given_lines(original)
    student_lines = {line.strip() for line in text.splitlines()}
    leaked = sorted((solution - given - {"```", ":class: dropdown"}) & student_lines)
    assert not leaked, f"solution lines found in the student edition: {leaked[:5]}"
    # and the solutions were not empty: there was something to remove
    assert solution - given


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_everything_else_stays(path, edition):
    original = load_notebook(path)
    student = nbformat.read(edition / path.name, as_version=4)
    exercises = lambda nb: re.findall(r":label: (ex-\S+)", "\n".join(c.source for c in nb.cells))  # noqa: E731
    assert exercises(student) == exercises(original)
    figures = lambda nb: sum(  # noqa: E731
        "image/png" in o.get("data", {})
        for c in nb.cells
        if c.cell_type == "code" and "solution" not in c.metadata.get("tags", [])
        for o in c.outputs
    )
    assert figures(student) == figures(original)
    checks = lambda nb: re.findall(r"check_\w+\(\w+\)", "\n".join(c.source for c in nb.cells))  # noqa: E731
    assert checks(student) == checks(original)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_student_notebook_runs_top_to_bottom(path, edition):
    nb = nbformat.read(edition / path.name, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(CHAPTERS)}}
    ).execute()
    from gradlab import checks

    # the learners' self-checks (gradlab.checks), not other functions named check_...
    names = "|".join(n for n in dir(checks) if n.startswith("check_"))
    for cell in nb.cells:
        if cell.cell_type == "code" and re.search(rf"\b({names})\(", cell.source):
            printed = "".join(o.get("text", "") for o in cell.outputs)
            # the stubs are not written yet: every check must say so, without a traceback
            assert "✗" in printed and "NotImplementedError" in printed
            assert not any(o.output_type == "error" for o in cell.outputs)


def test_cells_that_reveal_a_solution_are_left_out():
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import inspect\nfrom gradlab.backprop import MLP"),
            nbformat.v4.new_code_cell(
                "print(inspect.getsource(MLP.backward))", metadata={"tags": ["reveals-solution"]}
            ),
        ]
    )
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="def backward(self, y): ...")]
    student = student_edition.student_notebook(nb)
    text = nbformat.writes(student)
    assert "getsource" not in text and "def backward" not in text
    assert "Left out of the student edition" in text
