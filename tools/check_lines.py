"""Count gradlab's code lines and, among them, its input-check lines, per module.

    .venv/bin/python tools/check_lines.py [package folder]

A code line is a line of a statement (docstrings, comments and blank lines are not code). A check
line is a line of an ``if ...: raise ...`` statement (an ``if`` whose body only raises) or of a
statement calling a function of ``gradlab._checks``. ``_checks.py`` itself is all checks.
"""

import ast
import io
import sys
import tokenize
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "code" / "gradlab"


def _docstring_lines(tree):
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    return lines


def code_lines(source):
    """The line numbers that hold code: a token other than a comment, outside docstrings."""
    lines = set()
    skip = {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
        tokenize.ENCODING,
    }
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in skip:
            lines.update(range(token.start[0], token.end[0] + 1))
    return lines - _docstring_lines(ast.parse(source))


def _calls_checks(node, check_names):
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            f = sub.func
            if isinstance(f, ast.Name) and f.id in check_names:
                return True
            if (
                isinstance(f, ast.Attribute)
                and isinstance(f.value, ast.Name)
                and f.value.id in check_names
            ):
                return True
    return False


def check_lines(source):
    """Line numbers of ``if ...: raise`` statements and of statements calling ``_checks``."""
    tree = ast.parse(source)
    check_names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "gradlab._checks":
            check_names.update(alias.asname or alias.name for alias in node.names)
        if isinstance(node, ast.ImportFrom) and node.module == "gradlab":
            check_names.update(
                alias.asname or alias.name for alias in node.names if alias.name == "_checks"
            )
        if isinstance(node, ast.Import):
            check_names.update(
                alias.asname or alias.name
                for alias in node.names
                if alias.name == "gradlab._checks"
            )
    lines = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.If)
            and not node.orelse
            and all(isinstance(s, ast.Raise) for s in node.body)
        ):
            lines.update(range(node.lineno, node.end_lineno + 1))
        elif isinstance(node, (ast.Expr, ast.Assign, ast.Return, ast.AugAssign)) and _calls_checks(
            node, check_names
        ):
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def count(package=PACKAGE):
    """{module: (code lines, check lines)} for every module of the package."""
    result = {}
    for path in sorted(Path(package).glob("*.py")):
        source = path.read_text(encoding="utf-8")
        code = code_lines(source)
        checks = code if path.name == "_checks.py" else check_lines(source) & code
        result[path.stem] = (len(code), len(checks))
    return result


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    counts = count(Path(argv[0]) if argv else PACKAGE)
    print("| module | code lines | check lines | share |")
    print("|---|---|---|---|")
    for name, (code, checks) in counts.items():
        print(f"| {name} | {code} | {checks} | {checks / max(code, 1):.0%} |")
    code = sum(c for c, _ in counts.values())
    checks = sum(k for _, k in counts.values())
    outside = sum(k for n, (_, k) in counts.items() if n != "_checks")
    print(f"| total | {code} | {checks} | {checks / code:.0%} |")
    print(
        f"\ncheck lines outside _checks.py: {outside} of {code} code lines ({outside / code:.0%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
