"""Lean pages: what a chapter page loads, cut to what it needs (DESIGN.md, items 7, 8 and 13).

A local Sphinx extension that works on the written HTML once the build has finished, so that it
sees the theme's templates and every extension's output alike:

1. Icons: the few Font Awesome icons the theme uses become inline SVG (their outlines are read at
   build time from the theme's own copy of Font Awesome Free, CC BY 4.0), so no page loads the
   1.5 MB icon script or the icon fonts, and the icon rules leave the stylesheet.
2. Stylesheets: the page's local stylesheets (11, one of them with an @import) become one bundle,
   with their url()s rewritten; one request instead of a chain of them. Rules whose selectors
   need a class or id that no page and no script of the site mentions are left out (most of
   Bootstrap's utilities): less to download, parse and match on every layout.
3. Scripts: no head script blocks the first paint. documentation_options.js is inlined (the
   inline scripts after it need it), every other classic script is deferred (order kept), the
   preloads of scripts that load at the end of the body anyway are dropped.
4. Search: searchtools.js, language_data.js and searchindex.js load on the search page only,
   where the search form leads (search-as-you-type is off).
5. Explorers: the frames of gradlab's explorers (DESIGN.md, item 7) leave the HTML, where they
   were base64 data, for content-hashed PNG files in _images: the shown frame is an <img> with
   its size (no layout shift) loaded lazily, every other frame is fetched only when its slider
   position is reached.
6. MathJax: instead of the 24 MB of sphinx-mathjax-offline, only what a page can load is copied
   from that pip package: the loader (startup.js), the TeX input with the extensions it loads on
   demand, the CHTML output with its fonts, and assistive MathML; no context menu (426 KB).
   tools/mathjax_startup.js, inlined in place of its <script> tag, picks the components, loads
   them when maths comes within two screens of the reader, and typesets in short slices, the
   first screen first.
7. The site: source maps and the unused Font Awesome files are not shipped.
8. Inline maths: each formula gets an estimate of its typeset width (--gl-w); until MathJax has
   typeset it, _static/custom.css gives it that room with the TeX hidden, so lines do not reflow
   when the formulas appear (the layout shift Lighthouse measured).
Also in _static/custom.css: sections below the screen skip layout (content-visibility) until the
reader gets near them, and figures, now sized, scale down on narrow screens.
Unit tests: tests/test_lean_pages.py; on the built book: tests/test_book.py, tests/test_budgets.py.
"""

import hashlib
import html
import json
import math
import os
import re
import shutil
import struct
from importlib import metadata
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

MATHJAX_PATH = "mathjax/startup.js"
# what the pages load (tools/mathjax_startup.js says which components), relative to the MathJax
# folder: the loader, the components and what they load on demand (TeX extensions, CHTML fonts)
MATHJAX_FILES = [
    "startup.js",
    "core.js",
    "input/tex.js",
    "input/tex/extensions",
    "output/chtml.js",
    "output/chtml/fonts/tex.js",
    "output/chtml/fonts/woff-v2",
    "a11y/assistive-mml.js",
]
SEARCH_ONLY = ("searchtools.js", "language_data.js", "searchindex.js")
DROP_SCRIPTS = ("fontawesome.js",)
ICON_PACKS = {
    "fa-solid": "fas",
    "fas": "fas",
    "fa-regular": "far",
    "far": "far",
    "fa-brands": "fab",
    "fab": "fab",
}
ICON_CREDIT = "Icons: Font Awesome Free by @fontawesome, https://fontawesome.com, CC BY 4.0"


# --- helpers ------------------------------------------------------------------------------------
def _parse_attrs(tag):
    body = re.sub(r"^<\w+", "", tag).rstrip("/>").rstrip()
    out = {}
    for m in re.finditer(r'([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>]+)))?', body):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        out[m.group(1).lower()] = html.unescape(value)
    return out


def _local(url):
    return url and not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", url, re.I)


def _strip_query(url):
    return url.split("?", 1)[0].split("#", 1)[0]


def _rel(target, page_dir):
    return os.path.relpath(target, page_dir).replace(os.sep, "/")


# --- 1. icons -----------------------------------------------------------------------------------
def _icon_source():
    """The theme's Font Awesome script (the outlines are read from it)."""
    import pydata_sphinx_theme

    path = (
        Path(pydata_sphinx_theme.__file__).parent
        / "theme"
        / "pydata_sphinx_theme"
        / "static"
        / "scripts"
        / "fontawesome.js"
    )
    return path.read_text(encoding="utf-8") if path.exists() else ""


class Icons:
    """Inline SVG for <i class="fa-solid fa-NAME"> and the like, outlines read from the theme."""

    def __init__(self, source):
        self.source = source
        self.packs = self._split_packs(source)
        self.cache = {}

    @staticmethod
    def _split_packs(source):
        # each pack's icons precede the call that registers them: ...("fab",icons),("fa-brands",..
        packs, start = {}, 0
        for m in re.finditer(r'\(function\(\)\{\w+\("(fa[bsr])",', source):
            packs[m.group(1)] = source[start : m.start()]
            start = m.end()
        return packs

    def outline(self, pack, name):
        key = (pack, name)
        if key not in self.cache:
            pattern = (
                r'[,{]"?' + re.escape(name) + r'"?:\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]*",'
                r'("[^"]*"|\[[^\]]*\])\]'
            )
            m = re.search(pattern, self.packs.get(pack, "")) or re.search(pattern, self.source)
            if m:
                paths = json.loads(m.group(3))
                paths = [paths] if isinstance(paths, str) else paths
                self.cache[key] = (int(m.group(1)), int(m.group(2)), [p for p in paths if p])
            else:
                self.cache[key] = None
        return self.cache[key]

    def replace(self, match, problems):
        tag, classes, rest = match.group(1), match.group(2).split(), match.group(3)
        pack = next((ICON_PACKS[c] for c in classes if c in ICON_PACKS), "fas")
        names = [
            c[3:]
            for c in classes
            if c.startswith("fa-")
            and c not in ICON_PACKS
            and c[3:] not in ("lg", "sm", "xs", "xl", "2x", "fw")
        ]
        found = [(n, self.outline(pack, n)) for n in names]
        found = [(n, o) for n, o in found if o]
        if not found:
            problems.add(" ".join(classes))
            return match.group(0)
        name, (width, height, paths) = found[0]
        keep = [
            c
            for c in classes
            if c not in ICON_PACKS and not (c.startswith("fa-") and c[3:] in names)
        ]
        attrs = _parse_attrs(f"<{tag} {rest}>")
        extra = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items() if k != "class")
        cls = " ".join(["gl-icon", f"gl-icon-{name}"] + keep)
        # duotone icons list their secondary (faded) path first; solid ones have a single path.
        # Decorative, like the theme's own: the button around the icon carries its label (a
        # <title> inside would also end up in the search results' page summaries).
        body = "".join(
            f'<path d="{p}"/>' if i == 0 or len(paths) == 1 else f'<path d="{p}" opacity=".4"/>'
            for i, p in enumerate(reversed(paths) if len(paths) > 1 else paths)
        )
        return (
            f'<svg class="{cls}"{extra} viewBox="0 0 {width} {height}" focusable="false"'
            f' aria-hidden="true" xmlns="http://www.w3.org/2000/svg">{body}</svg>'
        )


ICON_RE = re.compile(r'<(i|span) class="([^"]*\bfa-[\w-]+[^"]*)"([^>]*)>\s*</\1>')


# --- 2. stylesheets -----------------------------------------------------------------------------
def _css_rules(css):
    """Split CSS into its top-level chunks (rules, at-rules with blocks, statements)."""
    chunks, depth, start, i, n = [], 0, 0, 0, len(css)
    while i < n:
        c = css[i]
        if c == "/" and css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if c in "\"'":
            end = i + 1
            while end < n and css[end] != c:
                end += 2 if css[end] == "\\" else 1
            i = end + 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                chunks.append(css[start : i + 1])
                start = i + 1
        elif c == ";" and depth == 0:
            chunks.append(css[start : i + 1])
            start = i + 1
        i += 1
    if css[start:].strip():
        chunks.append(css[start:])
    return chunks


FA_SELECTOR = re.compile(r"^\s*(?:\.(?:fa|fas|far|fab|fa-[\w-]+)(?:::?[\w-]+)?)+\s*$")


def _is_icon_font_rule(chunk):
    """Rules that only style Font Awesome's <i> icons (now inline SVG) or load its fonts."""
    text = re.sub(r"/\*.*?\*/", "", chunk, flags=re.S).strip()
    if text.startswith("@font-face"):
        return "Font Awesome" in text
    if text.startswith("@"):
        return False
    selectors = text.split("{", 1)[0]
    return bool(selectors) and all(FA_SELECTOR.match(s) for s in selectors.split(","))


def _split_selectors(text):
    """A selector list split at its top-level commas."""
    out, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def _can_match(selector, words):
    """False when the selector needs a class or id that no page and no script ever mentions."""
    if "\\" in selector:
        return True
    plain = selector
    while True:  # what is inside :not(), :is(), :has()... may be absent without harm: skip it
        shorter = re.sub(r"\([^()]*\)", "", plain)
        if shorter == plain:
            break
        plain = shorter
    plain = re.sub(r"\[[^\]]*\]", "", plain)  # attribute values are not classes
    names = re.findall(r"[.#](-?[_a-zA-Z][\w-]*)", plain)
    return all(name in words for name in names)


def _without_comments(css):
    """CSS without its comments (strings are left alone)."""
    return "".join(
        chunk
        for chunk in re.split(
            r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|/\*.*?\*/)""", css, flags=re.S
        )
        if not chunk.startswith("/*")
    )


def _prune(css, words):
    """Drop the rules (and the selectors of a list) that can match nothing in the site."""
    out = []
    for chunk in _css_rules(css):
        text = chunk.strip()
        if not text.endswith("}") or text.startswith(
            (
                "@font-face",
                "@keyframes",
                "@-webkit-keyframes",
                "@page",
                "@property",
                "@counter-style",
            )
        ):
            out.append(chunk)
            continue
        head, block = text.split("{", 1)
        if head.startswith("@"):  # @media, @supports, @layer, @container: prune inside
            inner = _prune(block[:-1], words)
            if inner.strip():
                out.append(head + "{" + inner + "}")
            continue
        selectors = [s for s in _split_selectors(head) if _can_match(s, words)]
        if selectors:
            out.append(",".join(s.strip() for s in selectors) + "{" + block)
    return "".join(out)


def _site_words(outdir, pages):
    """Every name-like word in the site's pages and scripts: a class a script adds is among them."""
    texts = list(pages) + [
        path.read_text(encoding="utf-8", errors="replace")
        for path in (outdir / "_static").rglob("*.js")
        if "mathjax" not in path.parts
    ]
    words = set()
    for text in texts:
        words.update(re.findall(r"[A-Za-z_][\w-]*", text))
    return words


def _inline_css(path, bundle_dir, seen):
    """A stylesheet's text with its @imports inlined and its url()s made relative to bundle_dir."""
    path = path.resolve()
    if path in seen or not path.is_file():
        return ""
    seen.add(path)
    css = path.read_text(encoding="utf-8")
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    out = []
    for chunk in _css_rules(css):
        stripped = re.sub(r"/\*.*?\*/", "", chunk, flags=re.S).strip()
        m = re.match(r'@import\s+(?:url\()?\s*["\']?([^"\')\s]+)["\']?\s*\)?\s*;$', stripped)
        if m and _local(m.group(1)):
            out.append(_inline_css(path.parent / _strip_query(m.group(1)), bundle_dir, seen))
            continue
        if stripped.startswith("@charset") or _is_icon_font_rule(chunk):
            continue

        def fix(u, base=path.parent):
            url = u.group(2)
            if not _local(url):
                return u.group(0)
            target = base / _strip_query(url)
            suffix = url[len(_strip_query(url)) :]
            return f'url("{_rel(target, bundle_dir)}{suffix}")'

        out.append(re.sub(r'url\(\s*(["\']?)([^"\')]+)\1\s*\)', fix, chunk))
    return "".join(out) + "\n"


# --- 5. explorer frames -------------------------------------------------------------------------
PNG_B64 = r"iVBORw0KGgo[A-Za-z0-9+/]+={0,2}"


def _png_size(data):
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    return None


class Frames:
    """Writes explorer frames to _images/gx-<hash>.png once each."""

    def __init__(self, outdir):
        self.dir = Path(outdir) / "_images"
        self.written = {}

    def file_for(self, b64):
        import base64

        if b64 not in self.written:
            data = base64.b64decode(b64)
            name = f"gx-{hashlib.sha256(data).hexdigest()[:16]}.png"
            self.dir.mkdir(parents=True, exist_ok=True)
            (self.dir / name).write_bytes(data)
            self.written[b64] = (self.dir / name, _png_size(data))
        return self.written[b64]


def _explorers(text, page_dir, frames):
    """Every explorer's frames to files; returns the new HTML and how many explorers it has."""
    count = 0
    out, pos = [], 0
    for m in re.finditer(r'<div class="gradlab-explorer"', text):
        if m.start() < pos:
            continue
        end = _element_end(text, m.start(), "div")
        block = text[m.start() : end]
        count += 1

        def to_url(b64):
            return _rel(frames.file_for(b64)[0], page_dir)

        def img(tag_match):
            tag = tag_match.group(0)
            data = re.search(r'src="data:image/png;base64,(' + PNG_B64 + ')"', tag)
            if not data:
                return tag
            path, size = frames.file_for(data.group(1))
            tag = tag.replace(data.group(0), f'src="{_rel(path, page_dir)}"')
            extra = ' loading="lazy" decoding="async"'
            shown = re.search(r'\bwidth="(\d+)"', tag)
            if size and not shown:
                extra = f' width="{size[0]}" height="{size[1]}"' + extra
            elif size and "height=" not in tag:  # a frame drawn at 2x, shown at its width
                extra = f' height="{round(size[1] * int(shown.group(1)) / size[0])}"' + extra
            extra += _readable_width(path)
            return tag[:4] + extra + tag[4:]

        block = re.sub(r"<img\b[^>]*>", img, block)
        # frames inside the script (a data URI or bare base64 in the frame list)
        block = re.sub(
            r"data:image/png;base64,(" + PNG_B64 + ")", lambda d: to_url(d.group(1)), block
        )
        block = re.sub(r'"(' + PNG_B64 + ')"', lambda d: f'"{to_url(d.group(1))}"', block)
        # the script prefixed the bare base64 with the data URI scheme: the list now holds URLs
        block = re.sub(r"""(['"])data:image/png;base64,\1\s*\+\s*""", "", block)
        out.append(text[pos : m.start()])
        out.append(block)
        pos = end
    out.append(text[pos:])
    return "".join(out), count


def _image_size(path):
    """(width, height) in CSS px of a PNG or SVG file, or None."""
    try:
        if path.suffix.lower() == ".png":
            with open(path, "rb") as f:
                return _png_size(f.read(24))
        if path.suffix.lower() == ".svg":
            with open(path, encoding="utf-8", errors="replace") as f:
                head = f.read(4000)
            root = re.search(r"<svg\b[^>]*>", head)
            if not root:
                return None
            attrs = _parse_attrs(root.group(0))
            px = {"": 1, "px": 1, "pt": 4 / 3}
            sizes = [
                re.fullmatch(r"([\d.]+)\s*(px|pt|)", attrs.get(k, "")) for k in ("width", "height")
            ]
            if all(sizes):
                return tuple(round(float(m.group(1)) * px[m.group(2)]) for m in sizes)
    except OSError:
        return None
    return None


def _lazy_image(tag, page):
    attrs = _parse_attrs(tag)
    src = attrs.get("src", "")
    if "loading" in attrs or not _local(src):
        return tag
    extra = ' loading="lazy" decoding="async"'
    path = page.target(src)
    size = _image_size(path)
    # myst-nb sizes a retina figure with style="width: Wpx; height: Hpx;": as attributes instead,
    # so that a narrow screen scaling it down keeps its proportions (custom.css, height: auto)
    styled = re.fullmatch(r"\s*width:\s*(\d+)px;\s*height:\s*(\d+)px;?\s*", attrs.get("style", ""))
    if styled:
        tag = re.sub(r'\sstyle="[^"]*"', "", tag)
        extra = f' width="{styled.group(1)}" height="{styled.group(2)}"' + extra
    elif size and "width" not in attrs and "height" not in attrs and "style" not in attrs:
        extra = f' width="{size[0]}" height="{size[1]}"' + extra
    if styled or "style" not in attrs:
        extra += _readable_width(path)
    return tag[:4] + extra + tag[4:]


PHONE_COLUMN_PX = 342  # the article column of a 390 px wide phone
MIN_TEXT_PX = 11  # issue #12: figure text reads at 11 CSS px or more at every width
# as gradlab.plots.TEXT_PX_KEY writes it (tests/test_plots.py reads a figure of gradlab back)
TEXT_PX_KEY = b"gradlab:min-text-px"


def png_text_px(data):
    """The smallest text size (px of the PNG) that gradlab.plots recorded in a PNG, or None."""
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"tEXt":
            key, _, value = data[pos + 8 : pos + 8 + length].partition(b"\0")
            if key == TEXT_PX_KEY:
                return float(value)
        if kind == b"IDAT":
            return None
        pos += 12 + length
    return None


def _readable_width(path):
    """' style="min-width: Npx"' so that the figure's smallest text stays >= 11 CSS px (a narrow
    column then scrolls the figure in its box, custom.css), or '' if the PNG records no text."""
    try:
        with open(path, "rb") as f:
            data = f.read(4096)
    except OSError:
        return ""
    text_px, size = png_text_px(data), _png_size(data)
    if not text_px or not size:
        return ""
    width = math.ceil(size[0] * MIN_TEXT_PX / text_px)
    # wider than a phone's column: the figure's box scrolls there, so a keyboard can reach it,
    # and custom.css adds a line saying so under the caption
    focus = ' tabindex="0" data-gl-wide=""' if width > PHONE_COLUMN_PX else ""
    return f' style="min-width: {width}px"{focus}'


def _element_end(text, start, tag):
    """Index just past the element that starts at `start` (nested same-name tags counted)."""
    depth, pos = 0, start
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>", re.I)
    # scripts may contain markup-like strings: skip their contents
    while True:
        m = pattern.search(text, pos)
        script = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I).search(text, pos)
        if script and m and script.start() < m.start():
            pos = script.end()
            continue
        if not m:
            return len(text)
        depth += -1 if m.group(1) else 1
        pos = m.end()
        if depth == 0:
            return pos


# --- 8. room for inline maths before MathJax typesets it ----------------------------------------
# Widths in em of what MathJax's CHTML output draws, roughly; close enough that a line of text
# keeps its length when the raw TeX is replaced by the typeset formula (no layout shift).
RELATIONS = {
    "=",
    "<",
    ">",
    "le",
    "leq",
    "ge",
    "geq",
    "approx",
    "ne",
    "neq",
    "to",
    "in",
    "sim",
    "equiv",
    "gets",
    "mapsto",
    "rightarrow",
    "Rightarrow",
    "leftarrow",
    "iff",
    "propto",
    "coloneqq",
    "notin",
    "subset",
    "subseteq",
    "implies",
    "ll",
    "gg",
}
BINARIES = {
    "+",
    "-",
    "pm",
    "mp",
    "cdot",
    "times",
    "*",
    "circ",
    "odot",
    "otimes",
    "oplus",
    "div",
    "cup",
    "cap",
    "setminus",
    "wedge",
    "vee",
}
WIDE = {
    "sum": 1.05,
    "prod": 1.0,
    "int": 0.6,
    "infty": 1.0,
    "nabla": 0.83,
    "partial": 0.57,
    "top": 0.78,
    "dots": 1.2,
    "ldots": 1.2,
    "cdots": 1.2,
    "ell": 0.42,
    "quad": 1.0,
    "qquad": 2.0,
    ",": 0.17,
    ":": 0.22,
    ";": 0.28,
    "!": -0.17,
    " ": 0.33,
    "max": 1.9,
    "min": 1.6,
    "log": 1.3,
    "exp": 1.6,
    "sin": 1.3,
    "cos": 1.3,
    "tanh": 2.0,
    "arg": 1.4,
    "argmin": 3.0,
    "argmax": 3.3,
    "lim": 1.3,
    "{": 0.5,
    "}": 0.5,
    "|": 0.5,
    "mid": 0.56,
}
CONTENT = {
    "hat",
    "bar",
    "tilde",
    "vec",
    "mathbf",
    "mathrm",
    "mathit",
    "boldsymbol",
    "bm",
    "mathcal",
    "mathbb",
    "widehat",
    "overline",
    "underline",
    "dot",
    "ddot",
    "check",
    "breve",
    "acute",
    "grave",
    "mathsf",
    "mathtt",
    "operatorname",
    "text",
    "textrm",
    "textbf",
    "textit",
    "mbox",
    "left",
    "right",
    "big",
    "Big",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "displaystyle",
    "textstyle",
    "limits",
    "nolimits",
    "color",
}


def _tex_tokens(tex):
    return re.findall(r"\\[A-Za-z]+|\\.|[{}^_]|\s+|.", tex)


def tex_width(tex):
    """Estimated width, in em, of an inline formula as MathJax (CHTML) draws it."""
    tokens = _tex_tokens(tex)
    pos = 0

    def group(scale, stop=None):
        nonlocal pos
        width = 0.0
        while pos < len(tokens):
            tok = tokens[pos]
            pos += 1
            if tok == stop:
                break
            if tok == "{":
                width += group(scale, "}")
            elif tok in "^_":
                width += atom(scale * 0.7)
            elif tok.isspace():
                continue
            elif tok.startswith("\\"):
                name = tok[1:]
                if name == "frac" or name == "dfrac" or name == "tfrac":
                    top, bottom = atom(scale * 0.7), atom(scale * 0.7)
                    width += max(top, bottom) + 0.24 * scale
                elif name == "sqrt":
                    width += atom(scale) + 0.85 * scale
                elif name in ("text", "textrm", "textbf", "textit", "mbox", "operatorname"):
                    inner = atom_text()
                    width += 0.5 * len(inner) * scale
                elif name in CONTENT:
                    if name in ("left", "right", "big", "Big", "bigl", "bigr", "Bigl", "Bigr"):
                        continue  # the delimiter that follows counts
                    if name == "color":
                        atom_text()
                        continue
                    if name in ("displaystyle", "textstyle", "limits", "nolimits"):
                        continue
                    width += atom(scale)
                elif name in RELATIONS:
                    width += 1.34 * scale
                elif name in BINARIES:
                    width += 1.22 * scale
                else:
                    width += WIDE.get(name, 0.6) * scale
            elif tok in RELATIONS:
                width += 1.34 * scale
            elif tok in BINARIES:
                width += (1.22 if width else 0.78) * scale
            elif tok in ",;":
                width += 0.45 * scale
            elif tok in "()[]|":
                width += 0.39 * scale
            elif tok in ".'/!":
                width += 0.3 * scale
            elif tok.isdigit():
                width += 0.5 * scale
            else:
                width += 0.56 * scale
        return width

    def atom(scale):
        nonlocal pos
        while pos < len(tokens) and tokens[pos].isspace():
            pos += 1
        if pos >= len(tokens):
            return 0.0
        tok = tokens[pos]
        pos += 1
        return group(scale, "}") if tok == "{" else _single(tok, scale)

    def atom_text():
        nonlocal pos
        while pos < len(tokens) and tokens[pos].isspace():
            pos += 1
        if pos < len(tokens) and tokens[pos] == "{":
            depth, out = 0, []
            while pos < len(tokens):
                tok = tokens[pos]
                pos += 1
                depth += tok == "{"
                depth -= tok == "}"
                if depth == 0:
                    break
                if depth >= 1 and not (tok == "{" and depth == 1):
                    out.append(tok)
            return "".join(out)
        pos += 1
        return tokens[pos - 1] if pos <= len(tokens) else ""

    return group(1.0)


def _single(tok, scale):
    if tok.startswith("\\"):
        return WIDE.get(tok[1:], 0.6) * scale
    if tok.isdigit():
        return 0.5 * scale
    if tok in "()[]|":
        return 0.39 * scale
    return 0.56 * scale


INLINE_MATH = re.compile(r'<span class="math notranslate nohighlight">\\\((.*?)\\\)</span>', re.S)


def _reserve_inline_math(body):
    def room(m):
        width = tex_width(html.unescape(m.group(1))) * 1.22 + 0.1  # calibrated on chapters 1-6
        return (
            f'<span class="math notranslate nohighlight" style="--gl-w:{width:.2f}em">'
            + m.group(0)[len('<span class="math notranslate nohighlight">') :]
        )

    return INLINE_MATH.sub(room, body)


# --- the page -----------------------------------------------------------------------------------
class Page:
    def __init__(self, outdir, path):
        self.outdir, self.path = Path(outdir), Path(path)
        self.dir = self.path.parent
        self.text = self.path.read_text(encoding="utf-8")

    def target(self, url):
        return (self.dir / _strip_query(url)).resolve()


def process(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    icons = Icons(_icon_source())
    frames = Frames(outdir)
    bundles, done = {}, []
    problems = set()
    options_js = outdir / "_static" / "documentation_options.js"
    options = options_js.read_text(encoding="utf-8").strip() if options_js.exists() else None
    slices = Path(__file__).with_name("mathjax_startup.js").read_text(encoding="utf-8").strip()
    pages = sorted(outdir.rglob("*.html"))
    for path in pages:
        if path.parts[len(outdir.parts)] in ("_static", "_sources"):
            continue
        page = Page(outdir, path)
        text = page.text
        is_search = path.resolve() == (outdir / "search.html").resolve()
        head_end = text.find("</head>")
        head, body = text[:head_end], text[head_end:]

        # 1. icons (the whole page)
        head = ICON_RE.sub(lambda m: icons.replace(m, problems), head)
        body = ICON_RE.sub(lambda m: icons.replace(m, problems), body)

        # 3./4. scripts: nothing blocks the first paint; search files on the search page only
        def script(m):
            tag, content = m.group(1), m.group(2)
            attrs = _parse_attrs(tag)
            src = attrs.get("src")
            if not src:
                return m.group(0)
            name = _strip_query(src).rsplit("/", 1)[-1]
            if name in DROP_SCRIPTS or (name in SEARCH_ONLY and not is_search):
                return ""
            if name == "documentation_options.js" and options is not None:
                return f"<script>{options.replace('</', '<' + chr(92) + '/')}</script>"
            if (
                attrs.get("type", "text/javascript")
                in ("text/javascript", "application/javascript")
                and "async" not in attrs
                and "defer" not in attrs
                and _local(src)
            ):
                return tag[:-1].rstrip() + " defer>" + content + "</script>"
            return m.group(0)

        script_re = re.compile(r"(<script\b[^>]*>)(.*?)</script>", re.S)
        head = script_re.sub(script, head)
        head = re.sub(r'<link rel="preload" as="script"[^>]*>\s*', "", head)
        body = re.sub(
            r'<script\b[^>]*src="[^"]*(?:'
            + "|".join(map(re.escape, DROP_SCRIPTS))
            + r')[^"]*"[^>]*></script>\s*',
            "",
            body,
        )

        # 5. explorer frames as files
        body, _count = _explorers(body, page.dir, frames)

        # 6. images: sized (no layout shift when they arrive) and loaded when scrolled near
        body = re.sub(r"<img\b[^>]*>", lambda m: _lazy_image(m.group(0), page), body)

        # 8. inline maths keeps about its typeset width until MathJax typesets it
        body = _reserve_inline_math(body)

        # 7. MathJax: loaded when maths comes near, typesets in slices (no long task)
        head = re.sub(
            r'<script\b[^>]*src="([^"]*' + re.escape(MATHJAX_PATH) + r')"[^>]*></script>',
            lambda m: f'<script data-mathjax="{m.group(1)}">{slices}</script>',
            head,
            count=1,
        )

        done.append((page, head, body))
        new = head + body
        if "base64," in new and 'class="gradlab-explorer"' in new:
            leftover = [
                m.group(0)[:60] for m in re.finditer(r"data:image/[a-z]+;base64,\S{20}", new)
            ]
            if leftover:
                problems.add(f"{path.name}: base64 frames left in the page: {leftover[:2]}")
    # the stylesheets last: the bundle keeps the rules that the pages, as written, can use
    words = _site_words(outdir, [head + body for _, head, body in done])
    for page, head, body in done:
        # 2. one stylesheet bundle instead of many
        links = [(m, _parse_attrs(m.group(0))) for m in re.finditer(r"<link\b[^>]*>", head)]
        sheets = [
            (m, a)
            for m, a in links
            if a.get("rel") == "stylesheet"
            and _local(a.get("href"))
            and a.get("media", "all") in ("all", "screen")
        ]
        if sheets:
            files = tuple(page.target(a["href"]) for _, a in sheets)
            if files not in bundles:
                bundles[files] = _bundle(outdir, files, words)
            href = _rel(bundles[files], page.dir)
            first = sheets[0][0]
            pieces, pos = [], 0
            for m, _ in sheets:
                pieces.append(head[pos : m.start()])
                if m is first:
                    pieces.append(f'<link rel="stylesheet" href="{href}" />')
                pos = m.end()
            head = "".join(pieces) + head[pos:]
        new = head + body
        if new != page.text:
            page.path.write_text(new, encoding="utf-8")
    _copy_mathjax(app, outdir)
    _trim(outdir, bundles)
    for problem in sorted(problems):
        logger.warning(f"lean pages: could not handle {problem!r}", type="lean_pages")


def _bundle(outdir, files, words):
    bundle_dir = outdir / "_static" / "styles"
    seen = set()
    css = "".join(_inline_css(f, bundle_dir, seen) for f in files)
    # licence notices (/*! ... */) stay, at the top; other comments go
    notices = list(dict.fromkeys(re.findall(r"/\*!.*?\*/", css, flags=re.S)))
    text = (
        "/* One bundle of the page's stylesheets (tools/sphinx_lean_pages.py). "
        + ICON_CREDIT
        + " */\n"
        + "\n".join(notices)
        + "\n"
        + _prune(_without_comments(css), words)
    )
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    path = bundle_dir / f"bundle-{digest}.css"
    path.write_text(text, encoding="utf-8")
    return path


def _copy_mathjax(app, outdir):
    """Only the MathJax files a page can load, from the sphinx-mathjax-offline pip package."""
    dist = metadata.distribution("sphinx-mathjax-offline")
    source = Path(dist.locate_file("sphinx-mathjax-offline/static/mathjax"))
    target = outdir / "_static" / "mathjax"
    shutil.rmtree(target, ignore_errors=True)
    for rel in MATHJAX_FILES:
        src = source / rel
        if src.is_dir():
            shutil.copytree(src, target / rel)
        elif src.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / rel)
        else:
            logger.warning(
                f"lean pages: MathJax file {rel} missing from {source}", type="lean_pages"
            )


def _trim(outdir, bundles):
    """Leave out files no page loads: source maps and Font Awesome (icons are inline SVG now)."""
    static = outdir / "_static"
    for path in static.rglob("*.map"):
        path.unlink()
    for path in (static / "scripts").glob("fontawesome.js*"):
        path.unlink()
    used = "".join(p.read_text(encoding="utf-8") for p in set(bundles.values()))
    if "vendor/fontawesome" not in used:
        shutil.rmtree(static / "vendor" / "fontawesome", ignore_errors=True)


def _use_our_mathjax(app, config):
    config.mathjax_path = MATHJAX_PATH


def setup(app):
    app.connect("config-inited", _use_our_mathjax)
    # late: pydata-sphinx-theme rewrites pygments.css (light and dark) in build-finished too
    app.connect("build-finished", process, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
