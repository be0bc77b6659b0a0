"""Budgets on what is deterministic: the weight of every page and of the whole site, and the bytes
every page transfers when a phone opens it, served with gzip (DESIGN.md, item 13)."""

import pytest

from booklib import (
    HTML,
    LAUNCH_FLAGS,
    PAGE_BUDGET,
    PHONE,
    SITE_BUDGET,
    TRANSFER_BUDGET,
    page_transfer,
    page_weights,
    serve_gzip,
    site_size,
    toc_files,
)

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


@pytest.fixture(scope="module")
def phone_loads(built_book, chromium_path):
    """{page: (bytes, {url: bytes})}: one cold load of every page of _toc.yml, gzip-served,
    in a phone-sized Chromium, until the network is idle (what Lighthouse weighs)."""
    from playwright.sync_api import sync_playwright

    with serve_gzip(HTML) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_FLAGS)
        try:
            yield {page: page_transfer(browser, f"{base}/{page}.html") for page in toc_files()}
        finally:
            browser.close()


def test_every_page_transfers_at_most_600_kb_on_a_phone(phone_loads):
    over = {
        page: f"{total / 1000:.0f} KB, largest: "
        + ", ".join(
            f"{url.rsplit('/', 1)[-1]} {size / 1000:.0f} KB"
            for url, size in sorted(files.items(), key=lambda kv: -kv[1])[:4]
        )
        for page, (total, files) in phone_loads.items()
        if total > TRANSFER_BUDGET
    }
    assert not over, f"pages over {TRANSFER_BUDGET / 1000:.0f} KB transferred: {over}"


def test_the_transfer_weighing_sees_the_page_and_its_compression(phone_loads):
    """The weighing itself: every page's HTML and stylesheet arrive, compressed."""
    for page, (total, files) in phone_loads.items():
        html = [size for url, size in files.items() if url.split("?")[0].endswith(f"/{page}.html")]
        assert html, f"{page}: its own HTML was not weighed"
        assert html[0] < (HTML / f"{page}.html").stat().st_size, f"{page}: HTML not gzip-served"
        assert any(".css" in url for url in files), f"{page}: no stylesheet weighed"
        assert total > html[0]


def test_phone_viewport_is_lighthouses_mobile_one():
    assert PHONE["viewport"] == {"width": 412, "height": 823} and PHONE["is_mobile"]
