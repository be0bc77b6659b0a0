"""Budgets on what is deterministic: the weight of every page and of the whole site."""

import pytest

from booklib import HTML, PAGE_BUDGET, SITE_BUDGET, page_weights, site_size, toc_files

pytestmark = pytest.mark.slow


def test_every_page_is_within_its_weight_budget(built_book):
    weights = page_weights(HTML, toc_files())
    assert set(weights) == set(toc_files())
    over = {page: w for page, w in weights.items() if w >= PAGE_BUDGET}
    assert not over, f"pages over {PAGE_BUDGET / 1e6} MB: {over}"


def test_page_weight_counts_what_a_page_loads_on_its_own(built_book):
    weights = page_weights(HTML, toc_files())
    for page, weight in weights.items():
        assert weight >= (HTML / f"{page}.html").stat().st_size
    # chapter 1 loads its own figures: more than its HTML alone
    page = "chapters/01_linear_regression"
    assert weights[page] > (HTML / f"{page}.html").stat().st_size


def test_the_site_is_within_its_budget(built_book):
    assert site_size(HTML) < SITE_BUDGET
