"""Bytes a page transfers when a phone opens it: Chromium (Playwright) against the gzip server.

Counts what the network sends for one cold page load (HTML, styles, scripts, fonts, the images
the first screen needs) until the network is idle, the way Lighthouse's "total byte weight" does,
with a phone-sized viewport (Lighthouse's mobile emulation: 412 x 823 CSS px). Used by
tests/test_budgets.py (every page under 600 KB) and tools/lighthouse.py (the heaviest chapter).
"""

import os

CHROMIUM = os.environ.get("GRADLAB_CHROMIUM", "/usr/bin/chromium")
LAUNCH_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75,
         "is_mobile": True, "has_touch": True}


def page_transfer(browser, url):
    """(total bytes on the wire, {url: bytes}) for one cold load of url in a fresh context."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls, sizes = {}, {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished",
           lambda e: sizes.__setitem__(urls.get(e["requestId"], e["requestId"]), e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    # MathJax and its fonts arrive after the load event; wait until it has typeset the page
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    for _ in range(40):   # then until nothing new arrived for half a second (at most 20 s)
        before = len(sizes)
        page.wait_for_timeout(500)
        if len(sizes) == before:
            break
    context.close()
    return sum(sizes.values()), sizes


def transferred_bytes(base, pages, chromium=CHROMIUM):
    """{page: bytes transferred} for pages (paths without .html) under base URL."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=LAUNCH_FLAGS)
        try:
            return {page: page_transfer(browser, f"{base}/{page}.html")[0] for page in pages}
        finally:
            browser.close()
