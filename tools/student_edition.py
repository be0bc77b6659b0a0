"""Write the student edition of the chapters: the same notebooks without the solutions.

    .venv/bin/python tools/student_edition.py student/            # every chapter
    .venv/bin/python tools/student_edition.py student/ chapters/04_*.ipynb     # one chapter

In each copy:
- a code cell tagged ``solution`` is replaced by the stub in its ``student_stub`` metadata (the
  function signatures the exercise asks for, raising NotImplementedError), or by an empty
  ``# your code here`` cell;
- the text between ``solution-start`` and ``solution-end`` (the dropdown solution) is removed;
- the outputs of replaced cells and of self-check cells (cells calling a ``check_`` function) are
  cleared, so no verdict of the reference solution is shown;
- a code cell tagged ``reveals-solution`` (its input or output shows code an exercise asks the
  learner to write, e.g. ``print(inspect.getsource(MLP.backward))`` in chapter 6) is replaced by
  a one-line note, so the student edition never shows it;
- everything else stays: explanations, figures, exercises, self-check calls.
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
START = re.compile(r"```\{solution-start\}[^\n]*\n(?::[^\n]*\n)*```[ \t]*\n?")
END = re.compile(r"```\{solution-end\}[^\n]*\n```[ \t]*\n?")


def strip_solution_text(source, inside):
    """Remove solution text from one markdown cell; ``inside`` says whether the cell starts
    inside a solution. Returns (new source, inside at the end)."""
    out, pos = [], 0
    while pos <= len(source):
        if inside:
            end = END.search(source, pos)
            if end is None:
                return "".join(out), True
            pos, inside = end.end(), False
        else:
            start = START.search(source, pos)
            if start is None:
                out.append(source[pos:])
                break
            out.append(source[pos : start.start()])
            pos, inside = start.end(), True
    return "".join(out), inside


def student_notebook(nb):
    """Return a copy of ``nb`` without solutions."""
    nb = nbformat.from_dict(nb)
    cells, inside = [], False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source, inside = strip_solution_text(cell.source, inside)
            cell.source = re.sub(r"\n{3,}", "\n\n", cell.source).strip("\n")
            if cell.source.strip():
                cells.append(cell)
            continue
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        tags = cell.metadata.get("tags", [])
        if "reveals-solution" in tags:
            cells.append(
                nbformat.v4.new_markdown_cell(
                    "*(Left out of the student edition: this cell shows code that an exercise "
                    "below asks you to write.)*"
                )
            )
            continue
        if "solution" in tags or inside:
            stub = cell.metadata.get("student_stub", "# your code here\n...")
            cell.source = stub.rstrip("\n")
            cell.metadata = {"tags": ["exercise"]}
            cell.outputs, cell.execution_count = [], None
        elif re.search(r"\bcheck_\w+\(", cell.source):
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    nb.cells = cells
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder to write the student notebooks into")
    parser.add_argument("notebooks", nargs="*", help="default: every chapters/*.ipynb")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "chapters").glob("*.ipynb"))
    for path in paths:
        nb = student_notebook(nbformat.read(path, as_version=4))
        nbformat.write(nb, out / path.name)
        print(f"{path.name}: {sum(c.cell_type == 'code' for c in nb.cells)} code cells")
    print(f"student edition written to {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
