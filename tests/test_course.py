"""What learners and instructors rely on: key points, the instructor guide, the glossary, and the
publishing workflow."""

import re

import pytest
import yaml

from conftest import CHAPTERS, ROOT, load_notebook, notebook_paths

NOTEBOOKS = notebook_paths()
IDS = [p.name for p in NOTEBOOKS]
CJK = re.compile(r"[\u4e00-\u9fff]")


def readme_command(kind):
    """The README's quick-start command that builds the book ("build") or runs the tests
    ("test")."""
    block = re.search(
        r"## Quick start.*?```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S
    ).group(1)
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert len(commands) == 2, f"the quick start must have exactly two commands, got {commands}"
    return commands[0] if kind == "build" else commands[1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_chapter_ends_with_summary_then_chinese_key_points(path):
    cells = [c for c in load_notebook(path).cells if c.cell_type == "markdown"]
    assert cells[-2].source.startswith("## Summary"), "the English summary comes second to last"
    box = cells[-1].source
    assert box.startswith("```{admonition} 本章要点")
    bullets = [line for line in box.splitlines() if line.startswith("- ")]
    assert 3 <= len(bullets) <= 5 and all(CJK.search(b) for b in bullets)


def test_instructor_guide_lists_every_exercise_and_every_chapter():
    guide = (CHAPTERS / "instructors.md").read_text()
    for path in NOTEBOOKS:
        assert f"{{doc}}`{path.stem}`" in guide, f"{path.name} has no section in the guide"
        assert f"urlpath=lab/tree/chapters/{path.name}" in guide, f"no Binder link for {path.name}"
        text = "\n".join(c.source for c in load_notebook(path).cells)
        for label in re.findall(r":label: (ex-\S+)", text):
            assert re.search(rf"\{{ref\}}`{label}`\s+\((easy|medium|hard)", guide), (
                f"exercise {label} of {path.name} is missing from the guide or has no difficulty"
            )
    for needed in ["tools/student_edition.py", "repository", ".github/workflows/publish.yml"]:
        assert needed in guide


def test_glossary_gives_chinese_and_a_link_for_every_term():
    rows = [
        line
        for line in (CHAPTERS / "glossary.md").read_text().splitlines()
        if line.startswith("| ") and not line.startswith("| English")
    ]
    assert len(rows) >= 40
    for row in rows:
        english, chinese, where = [cell.strip() for cell in row.strip("|").split("|")]
        assert CJK.search(chinese), f"no Chinese name for {english}"
        assert re.fullmatch(r"\[[^\]]+\]\(0\d_\w+\.ipynb#[\w-]+\)", where), (
            f"bad link for {english}: {where}"
        )
    for term in ["权重", "偏置", "损失函数", "梯度下降", "反向传播", "计算图", "叶子节点"]:
        assert any(term in row for row in rows), term


def test_publishing_workflow_builds_with_the_readme_command():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step["run"].strip() for step in steps if "run" in step]
    assert readme_command("build") in runs
    uploads = [
        step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact")
    ]
    assert uploads and uploads[0]["with"]["path"] == "_build/html"
    assert any(
        step.get("uses", "").startswith("actions/deploy-pages")
        for step in workflow["jobs"]["deploy"]["steps"]
    )
    # the tests run first: nothing is built or deployed unless they pass
    test_steps = workflow["jobs"]["test"]["steps"]
    assert readme_command("test") in [step["run"].strip() for step in test_steps if "run" in step]
    assert workflow["jobs"]["build"]["needs"] == "test"
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_ci_runs_the_readme_test_command():
    assert readme_command("test") in (ROOT / ".ci" / "run").read_text()


def test_launch_buttons_and_repository_are_configured():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["repository"]["url"].startswith("https://github.com/")
    assert config["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    binder = (ROOT / "binder" / "requirements.txt").read_text()
    # the lean runtime file, without the book and test stack (tests/test_binder.py, DESIGN item 16)
    assert "-r ../requirements.txt" not in binder and "download.pytorch.org/whl/cpu" in binder
    assert "download.pytorch.org" not in (ROOT / "requirements.txt").read_text()
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
