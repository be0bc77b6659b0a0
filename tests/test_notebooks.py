"""Notebook hygiene: what nbval in strict mode cannot see for itself (DESIGN.md, item 5).

nbval silently skips a cell that was never executed, so these tests make sure every code cell
was run, in order, in one fresh kernel, and left nothing behind that would differ on another
machine.
"""

import re

import pytest

from conftest import load_notebook, notebook_paths, source_of, toc_files

NOTEBOOKS = notebook_paths()
IDS = [p.name for p in NOTEBOOKS]
MAX_BYTES = 1_500_000
# a number in any notation, with the text before it (to see whether it is a stated bound)
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?!\w)")
BOUND_BEFORE = re.compile(r"(<|≤|<=)\s*$")
MACHINE_PATHS = re.compile(r"(/work/|/root/|/home/|/tmp/|/usr/|site-packages|[A-Z]:\\\\)")


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def output_text(output):
    if output.output_type == "stream":
        return output.text
    if output.output_type == "error":
        return "\n".join(output.traceback)
    return "\n".join(
        str(v) for k, v in output.get("data", {}).items() if not k.startswith("image/")
    )


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks under chapters/"


def test_every_toc_entry_exists_and_every_chapter_is_in_the_toc():
    listed = {source_of(doc) for doc in toc_files()}
    for path in NOTEBOOKS:
        assert path in listed, f"{path.name} is not listed in _toc.yml"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_kernelspec_is_python3(path):
    assert load_notebook(path).metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_code_cell_ran_once_in_order(path):
    cells = code_cells(load_notebook(path))
    counts = [c.execution_count for c in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        f"execution counts {counts}: refresh with tools/refresh_outputs.py"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_printed_text_is_one_block_not_chunks(path):
    # the book shows each stream output in a box of its own: a table's header must not sit in a
    # box apart from its rows (tools/refresh_outputs.py merges the kernel's chunks)
    for i, cell in enumerate(code_cells(load_notebook(path)), 1):
        kinds = [(o.output_type, o.get("name")) for o in cell.outputs]
        for a, b in zip(kinds, kinds[1:]):
            assert not (a == b and a[0] == "stream"), f"code cell {i}: {a[1]} printed in chunks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_error_outputs_except_where_expected(path):
    for i, cell in enumerate(code_cells(load_notebook(path)), 1):
        if "raises-exception" in cell.metadata.get("tags", []):
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"code cell {i} has an error output: {errors[0].get('ename')}"
        stderr = [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not stderr, f"code cell {i} wrote to stderr: {stderr[0].text[:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_machine_paths_in_outputs(path):
    for i, cell in enumerate(code_cells(load_notebook(path)), 1):
        for output in cell.outputs:
            match = MACHINE_PATHS.search(output_text(output))
            assert not match, f"code cell {i} shows a path of this machine: {match.group(0)!r}"


def round_off_printed_as_results(text):
    """Numbers below 1e-9 in magnitude (and zeros in scientific notation, e.g. a difference that
    came out exactly 0.0e+00 here but 2e-16 elsewhere), unless they follow < or ≤ as a bound."""
    found = []
    for match in NUMBER.finditer(text):
        value = float(match.group(0))
        noise = 0 < abs(value) < 1e-9 or (value == 0 and "e" in match.group(0).lower())
        if noise and not BOUND_BEFORE.search(text[: match.start()]):
            found.append(match.group(0))
    return found


def test_the_round_off_detector_tells_bounds_from_noise():
    assert round_off_printed_as_results("largest difference in J: 8.9e-16") == ["8.9e-16"]
    assert round_off_printed_as_results("difference 0.0e+00, then 1E-10 and 0.00000000001") == [
        "0.0e+00",
        "1E-10",
        "0.00000000001",
    ]
    assert round_off_printed_as_results("largest difference < 1e-12, error ≤ 1e-10, <=1e-13") == []
    assert round_off_printed_as_results("J = 5.26e-06, loss 0.00000, id 0x7f3e, 1e-09 + 2") == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_round_off_is_printed_as_a_result(path):
    # Print claims, not noise: round-off differs between CPUs, thread counts and kernels, so a
    # chapter prints the bound it meets (gradlab.claims.below), never the round-off itself.
    for i, cell in enumerate(code_cells(load_notebook(path)), 1):
        for output in cell.outputs:
            text = re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "", output_text(output))
            text = re.sub(r"<[^>]*>", " ", text)  # the text of HTML, not its attributes
            noise = round_off_printed_as_results(text)
            assert not noise, f"code cell {i} prints round-off as a result: {noise[:5]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_size_is_within_budget(path):
    assert path.stat().st_size < MAX_BYTES


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_figure_has_alt_text(path):
    for i, cell in enumerate(code_cells(load_notebook(path)), 1):
        # explorers give each frame its own alt text (gradlab.widgets, describe)
        if any("image/png" in o.get("data", {}) for o in cell.outputs):
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 20, (
                f"code cell {i} shows a figure without alt text (mystnb.image.alt)"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_figures_are_png_not_svg(path):
    # nbval compares SVG text byte for byte; PNG it skips (DESIGN.md, item 5)
    for cell in code_cells(load_notebook(path)):
        for output in cell.outputs:
            assert "image/svg+xml" not in output.get("data", {})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_solutions_are_tagged_and_exercises_have_solutions(path):
    nb = load_notebook(path)
    inside, exercises, solutions = None, [], []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            exercises += re.findall(r"```\{exercise\}\s*\n:label: (\S+)", cell.source)
            for kind, label in re.findall(r"```\{solution-(start|end)\}\s*(\S*)", cell.source):
                if kind == "start":
                    assert inside is None, f"solution {label} starts inside solution {inside}"
                    inside = label
                    solutions.append(label)
                else:
                    assert inside is not None, "solution-end without a solution-start"
                    inside = None
        else:
            tagged = "solution" in cell.metadata.get("tags", [])
            if inside:
                assert tagged, f"a code cell of solution {inside} is not tagged 'solution'"
            else:
                assert not tagged, "a code cell tagged 'solution' stands outside a solution block"
    assert inside is None, f"solution {inside} is never closed"
    assert sorted(exercises) == sorted(solutions), "every exercise needs exactly one solution"
    if path.name[:2].isdigit():
        assert len(exercises) >= 3, "each chapter has at least three exercises"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_matches_the_nbformat_schema(path):
    import nbformat

    nbformat.validate(load_notebook(path))  # e.g. no outputs on a markdown cell


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_figure_is_numbered_captioned_and_referred_to(path):
    nb = load_notebook(path)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for i, cell in enumerate(code_cells(nb), 1):
        # a PNG figure, or an explorer (its static view is an HTML block of frames)
        if any(
            "image/png" in o.get("data", {})
            or "gradlab-explorer" in str(o.get("data", {}).get("text/html", ""))
            for o in cell.outputs
        ):
            figure = cell.metadata.get("mystnb", {}).get("figure", {})
            assert len(figure.get("caption", "")) > 20, f"code cell {i}: figure without caption"
            name = figure.get("name", "")
            assert name.startswith("fig-"), f"code cell {i}: figure without a name (fig-...)"
            assert f"{{numref}}`{name}`" in text, f"the text never refers to {name}"


def book_markdown():
    cells = [c for path in NOTEBOOKS for c in load_notebook(path).cells]
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_key_equations_are_numbered_and_referred_to(path):
    """Chapters 1-6 number their key equations (MyST `$$ ... $$ (label)`) and the text refers to
    each by {eq}`label`; no number is typed by hand ("equation (2)")."""
    nb = load_notebook(path)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    labels = re.findall(r"^\$\$ \(([\w-]+)\)\s*$", text, re.M)
    if path.name[:2] in {"01", "02", "03", "04", "05", "06"}:
        assert len(labels) >= 2, "a chapter with derivations numbers its key equations"
    everywhere = book_markdown()
    for label in labels:
        assert f"{{eq}}`{label}`" in everywhere, f"no text refers to equation {label}"
    typed = re.findall(r"[Ee]quations? \(\d\)|^\| \(\d\) |\*\*\(\d\) ", text, re.M)
    assert not typed, f"equation numbers typed by hand: {typed}"
