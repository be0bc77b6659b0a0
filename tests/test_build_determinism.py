"""Building the book twice gives the same pages, so a diff of the built site shows only real
changes (no timestamps, random ids or machine paths that change between builds)."""

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD, ROOT, toc_files

pytestmark = pytest.mark.slow


def test_a_second_build_gives_byte_identical_pages(built_book, tmp_path):
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run(
        [str(jb), "build", str(ROOT), "--path-output", str(tmp_path), "-W", "-n", "--keep-going"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    first, second = BUILD / "html", tmp_path / "_build" / "html"
    differing = [
        doc
        for doc in toc_files()
        if (first / f"{doc}.html").read_bytes() != (second / f"{doc}.html").read_bytes()
    ]
    assert not differing, f"pages that differ between two builds: {differing}"
    # and the files the pages load (figures, explorer frames, scripts) have the same names
    names = {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()}
    again = {p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()}
    changed = sorted((names ^ again) - {".buildinfo"})
    assert not changed, f"files present in one build only: {changed[:10]}"
