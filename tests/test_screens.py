"""The book on a laptop (1280x800) and a phone (390x844), in light and dark mode and on paper.

Every page of _toc.yml at both widths (DESIGN.md, items 13 and 14): the navigation opens and its
links show; nothing is wider than its box unless that box scrolls, and the page never scrolls
sideways; every content image is SVG or has at least 1.5x the pixels it is shown with, and the
smallest text of every figure shows at 11 CSS px or more (its size is recorded in the PNG by
gradlab.plots; a narrow column scrolls a wide figure in its box instead); no console
error and no failed request (the favicon included). Screenshots of every page at both widths, in
dark mode, and a PDF of it as printed, go to _build/screens/ for a maintainer to look at.
"""

import pytest
from test_book import typeset

from booklib import LAUNCH_FLAGS, serve_gzip
from conftest import BUILD, toc_files
from sphinx_lean_pages import MIN_TEXT_PX, png_text_px

pytestmark = pytest.mark.slow
HTML = BUILD / "html"
SCREENS = BUILD / "screens"
DOCS = toc_files()
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}

# Sections below the screen skip layout (content-visibility) until the reader nears them: lay
# everything out so that every element is measured; and load lazy images now.
LAY_OUT_ALL = r"""async () => {
  const style = document.createElement('style');
  style.textContent = '* { content-visibility: visible !important; }';
  document.head.appendChild(style);
  const imgs = [...document.querySelectorAll('.bd-article img')];
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null :
    new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); })));
  await Promise.all(imgs.map(i => i.decode().catch(() => null)));  // painted in the screenshot
}"""

# Content that is wider than its box, yet does not scroll: cut off (overflow hidden or clip) or
# spilling out with no scroll box around it. Measured with the boxes of what is drawn inside:
# MathJax's assistive MathML (for screen readers, clipped on purpose) and what sits inside a
# nested scroll box do not count.
OVERFLOWING = r"""() => {
  const scrolls = e => /auto|scroll/.test(getComputedStyle(e).overflowX);
  const drawnRight = e => {
    let right = -Infinity;
    const walk = n => {
      for (const c of n.children) {
        if (c.tagName === 'MJX-ASSISTIVE-MML' || c.tagName === 'SCRIPT') continue;
        const r = c.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) right = Math.max(right, r.right);
        if (!scrolls(c)) walk(c);
      }
    };
    walk(e);
    return right;
  };
  const out = [];
  const root = document.querySelector('.bd-main') || document.body;
  for (const e of root.querySelectorAll('*')) {
    if (e.closest('mjx-assistive-mml, dialog:not([open])')) continue;
    if (e.clientWidth === 0 || e.scrollWidth <= e.clientWidth + 2 || scrolls(e)) continue;
    const ox = getComputedStyle(e).overflowX;
    if (ox === 'visible') {  // fine inside a scroll box: that box scrolls
      let a = e.parentElement;
      while (a && getComputedStyle(a).overflowX === 'visible') a = a.parentElement;
      if (a && scrolls(a)) continue;
    }
    const box = e.getBoundingClientRect();
    const over = drawnRight(e) - (box.left + e.clientLeft + e.clientWidth);
    if (over <= 2) continue;
    const cls = typeof e.className === 'string' ? e.className.trim().split(/\s+/) : [];
    const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (cls[0] ? '.' + cls.join('.') : '');
    out.push(`${name} (${Math.round(over)} px beyond, overflow-x ${ox})`);
  }
  return out;
}"""

# Content images shown with fewer pixels than a 2x screen needs (SVG scales).
BLURRY = r"""() => [...document.querySelectorAll('.bd-article img')]
  .filter(i => !/\.svg(\?|$)/i.test(i.currentSrc || i.src) && i.clientWidth > 0
               && i.naturalWidth < 1.5 * i.clientWidth)
  .map(i => `${(i.currentSrc || i.src).split('/').pop()}: ${i.naturalWidth} px`
             + ` shown at ${i.clientWidth}`)"""

# Figures drawn by gradlab record their smallest text size (px of the PNG) in the PNG itself.
FIGURES = r"""() => [...document.querySelectorAll('.bd-article img')]
  .filter(i => i.clientWidth > 0 && /\/_images\//.test(i.currentSrc || i.src))
  .map(i => [new URL(i.currentSrc || i.src).pathname, i.naturalWidth, i.clientWidth])"""


def small_figure_text(page):
    """Figures whose smallest text is shown below MIN_TEXT_PX CSS px, or records no size."""
    out = []
    for path, natural, shown in page.evaluate(FIGURES):
        name = path.rsplit("/", 1)[-1]
        if name.lower().endswith(".svg"):
            continue
        text_px = png_text_px((HTML / path.lstrip("/")).read_bytes()[:4096])
        if text_px is None:
            out.append(f"{name}: no text size recorded (not drawn through gradlab.plots)")
        elif text_px * shown / natural < MIN_TEXT_PX - 0.05:
            out.append(f"{name}: text {text_px * shown / natural:.1f} px")
    return out


VISIBLE_CHAPTER_LINKS = r"""sel => [...document.querySelectorAll(sel)]
  .filter(a => { const r = a.getBoundingClientRect();
                 return r.width > 0 && r.height > 0 && getComputedStyle(a).visibility !== 'hidden'
                   && r.right > 0 && r.left < innerWidth; }).length"""
NAV_LINKS = (
    "#pst-primary-sidebar .bd-links a.reference, #pst-primary-sidebar-modal .bd-links a.reference"
)
TOC_LINKS = "#pst-secondary-sidebar .toc-entry a, #pst-secondary-sidebar-modal .toc-entry a"


@pytest.fixture(scope="module")
def server(built_book):
    with serve_gzip(HTML) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    SCREENS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_FLAGS)
        yield browser
        browser.close()


def watch(page, problems):
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))


def visible_toggle(page, cls):
    toggles = page.locator(f"button.{cls}:visible")
    return toggles.first if toggles.count() else None


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("doc", DOCS)
def test_page_at_width(doc, width, server, browser):
    w, h = WIDTHS[width]
    name = doc.replace("/", "_")
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme="light")
    page = context.new_page()
    problems = []
    watch(page, problems)
    page.goto(f"{server}/{doc}.html", wait_until="load")

    # the favicon: declared, and served
    icon = page.evaluate("() => (document.querySelector('link[rel~=icon]') || {}).href || null")
    if not icon:
        problems.append("no favicon declared (browsers request /favicon.ico: a 404)")
    elif not page.request.get(icon).ok:
        problems.append(f"favicon {icon} not served")

    # (a) navigation: the menu button shows the chapters; on a laptop it also hides them
    page.screenshot(path=SCREENS / f"{name}-{width}-top.png")
    nav = []
    toggle = visible_toggle(page, "primary-toggle")
    if toggle is None:
        nav.append("no visible menu button")
    else:
        shown_before = page.evaluate(VISIBLE_CHAPTER_LINKS, NAV_LINKS)
        toggle.click()
        page.wait_for_timeout(400)
        shown_after = page.evaluate(VISIBLE_CHAPTER_LINKS, NAV_LINKS)
        if width == "phone":
            if shown_after < 8:
                nav.append(f"menu button: {shown_after} chapter links visible after a click")
            page.screenshot(path=SCREENS / f"{name}-{width}-menu.png")
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
        else:
            if shown_before < 8:
                nav.append(f"sidebar shows {shown_before} chapter links")
            if shown_after:
                nav.append(f"menu button did not hide the sidebar ({shown_after} links left)")
            toggle.click()
            page.wait_for_timeout(400)
            if page.evaluate(VISIBLE_CHAPTER_LINKS, NAV_LINKS) < 8:
                nav.append("menu button did not bring the sidebar back")
    has_toc = page.locator("#pst-secondary-sidebar .toc-entry a").count() > 0
    if has_toc and page.evaluate(VISIBLE_CHAPTER_LINKS, TOC_LINKS) == 0:
        toc = visible_toggle(page, "secondary-toggle")
        if toc is None:
            nav.append("contents hidden and no visible contents button")
        else:
            toc.click()
            page.wait_for_timeout(400)
            if page.evaluate(VISIBLE_CHAPTER_LINKS, TOC_LINKS) == 0:
                nav.append("contents button: no contents links visible after a click")
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
    headers = page.evaluate(
        "() => [...document.querySelectorAll('header, .bd-header-article')]"
        ".filter(e => e.getBoundingClientRect().height > 0).length"
    )
    if headers > 1:
        nav.append(f"{headers} header bars")
    problems += [f"navigation: {n}" for n in nav]

    # (b) nothing overflows its box, and the page does not scroll sideways
    typeset(page)
    page.evaluate(LAY_OUT_ALL)
    page.wait_for_timeout(300)
    overflowing = page.evaluate(OVERFLOWING)
    if overflowing:
        problems.append(f"{len(overflowing)} elements overflow their box: {overflowing[:8]}")
    sideways = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    if sideways > 0:
        problems.append(f"the page scrolls sideways by {sideways} px")

    dupes = page.evaluate(
        "() => { const seen = {}; document.querySelectorAll('[id]').forEach(e => "
        "{ seen[e.id] = (seen[e.id] || 0) + 1; }); "
        "return Object.keys(seen).filter(k => seen[k] > 1); }"
    )
    if dupes:
        problems.append(f"{len(dupes)} duplicate element ids: {dupes[:6]}")

    # (c) images sharp on a 2x screen
    blurry = page.evaluate(BLURRY)
    if blurry:
        problems.append(f"{len(blurry)} images with too few pixels: {blurry[:5]}")
    small = small_figure_text(page)
    if small:
        problems.append(f"{len(small)} figures with text below {MIN_TEXT_PX} px: {small[:5]}")

    page.screenshot(path=SCREENS / f"{name}-{width}.png", full_page=True)
    if width == "phone":
        page.emulate_media(media="print")
        page.pdf(path=SCREENS / f"{name}-print.pdf", format="A4", print_background=False)
        page.emulate_media(media="screen")
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(200)
    page.screenshot(path=SCREENS / f"{name}-{width}-dark.png", full_page=True)
    context.close()
    assert not problems, f"{doc} at {w}x{h}:\n" + "\n".join(problems)
