"""A real client: JupyterLab from the project's environment, driven by a headless Chromium.

Starts `jupyter lab` on a copy of chapters/, opens chapter 1 (an explorer and exercises), runs all
cells through the Run menu and checks what a learner sees: no error outputs, the explorer's live
widget redraws its figure when a slider moves, exercises render as boxes (jupyterlab-myst), and the
saved notebook reopens without a widget error. The server's kernels run without
GRADLAB_STATIC_FRAMES (the root conftest.py sets it for nbval), as in a learner's kernel.
"""

import json
import shutil
import time

import pytest

from booklib import CHAPTERS, LAUNCH_FLAGS
from labclient import error_outputs, lab_server, open_notebook, run_all, widget_errors

pytestmark = pytest.mark.slow

CHAPTER = "01_linear_regression.ipynb"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of the chapters; yields (base_url, token, notebook_dir)."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    notebooks = tmp / "notebooks"
    notebooks.mkdir()
    for path in CHAPTERS.glob("*.ipynb"):
        shutil.copy(path, notebooks / path.name)
    with lab_server(notebooks, tmp) as (base, token):
        yield base, token, notebooks


def test_chapter_runs_in_jupyterlab(lab, chromium_path):
    from playwright.sync_api import sync_playwright

    base, token, notebooks = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_FLAGS)
        try:
            saved_at = (notebooks / CHAPTER).stat().st_mtime_ns
            page = open_notebook(browser, base, token, CHAPTER)
            seconds = run_all(page)
            print(f"\n{CHAPTER}: Run All took {seconds:.1f} s (idle machine)")

            assert error_outputs(page) == []
            assert widget_errors(page) == 0

            # the explorer's live widget: sliders and an image that a slider redraws
            sliders = page.locator(".jp-OutputArea-output .widget-slider")
            assert sliders.count() >= 1, "no ipywidgets slider: the explorer did not go live"
            image = page.locator(".jp-OutputArea-output img.widget-image").first
            image.scroll_into_view_if_needed()
            before = image.get_attribute("src")
            assert before, "the explorer's image has no src"
            handle = sliders.first.locator(".noUi-handle[role=slider]").first
            handle.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "([el, old]) => el.getAttribute('src') !== old",
                arg=[image.element_handle(), before],
                timeout=30_000,
            )

            # exercises render as boxes, their options are not shown as text
            boxes = page.locator(".jp-MarkdownCell aside.myst-exercise")
            assert boxes.count() >= 1, "no exercise box (jupyterlab-myst)"
            boxes.first.scroll_into_view_if_needed()
            assert boxes.first.is_visible()
            rendered = " ".join(page.locator(".jp-MarkdownCell .myst").all_inner_texts())
            assert ":label:" not in rendered
            assert "{exercise}" not in rendered

            page.keyboard.press("Control+s")
            page.wait_for_function(
                "() => !document.querySelector('.lm-TabBar-tab.jp-mod-dirty')",
                timeout=30_000,
            )
            time.sleep(1)
            page.close()

            assert (notebooks / CHAPTER).stat().st_mtime_ns != saved_at, "Ctrl+S did not save"
            saved = json.loads((notebooks / CHAPTER).read_text())
            mimes = {
                m for c in saved["cells"] for o in c.get("outputs", []) for m in o.get("data", {})
            }
            assert "application/vnd.jupyter.widget-view+json" in mimes
            errors = [
                out
                for cell in saved["cells"]
                for out in cell.get("outputs", [])
                if out["output_type"] == "error"
            ]
            assert errors == []

            page = open_notebook(browser, base, token, CHAPTER)
            time.sleep(5)
            assert widget_errors(page) == 0, "the reopened notebook shows a widget error"
            page.close()
        finally:
            browser.close()
