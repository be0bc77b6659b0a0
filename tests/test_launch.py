"""Launch buttons and the download (DESIGN.md, item 16): every chapter page offers Binder and
Colab, and its download button gives the notebook itself, set-up cell included, so it runs."""

import re

import pytest
import yaml

from conftest import BUILD, ROOT, source_of, toc_files

HTML = BUILD / "html"
NOTEBOOK_DOCS = [d for d in toc_files() if source_of(d).suffix == ".ipynb"]


def repository():
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    return repo["url"].removeprefix("https://github.com/").rstrip("/"), repo.get("branch", "main")


def test_config_has_a_colab_launch_button():
    buttons = yaml.safe_load((ROOT / "_config.yml").read_text())["launch_buttons"]
    assert buttons["colab_url"] == "https://colab.research.google.com"
    assert buttons["binderhub_url"] == "https://mybinder.org"


@pytest.mark.slow
@pytest.mark.parametrize("doc", NOTEBOOK_DOCS)
def test_notebook_pages_carry_a_colab_link_to_their_notebook(doc, built_book):
    page = (HTML / f"{doc}.html").read_text()
    repo, branch = repository()
    links = set(re.findall(r'href="(https://colab\.research\.google\.com/[^"]+)"', page))
    assert links == {f"https://colab.research.google.com/github/{repo}/blob/{branch}/{doc}.ipynb"}


@pytest.mark.slow
@pytest.mark.parametrize("doc", NOTEBOOK_DOCS)
def test_download_is_the_notebook_itself(doc, built_book):
    # the first code cell of the source is the set-up cell (tests/test_outside.py), so the
    # downloaded notebook installs what it needs
    assert (HTML / "_sources" / f"{doc}.ipynb").read_bytes() == source_of(doc).read_bytes()
