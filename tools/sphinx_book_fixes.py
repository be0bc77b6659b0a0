"""Two small fixes to the Jupyter Book 1 theme stack, loaded as a local Sphinx extension.

Without them every page logs errors in the browser console (caught by tests/test_book.py):

1. sphinx-thebe registers its inline configuration script twice, so the second copy fails with
   "Identifier 'THEBE_JS_URL' has already been declared". We drop exact duplicate scripts.
2. pydata-sphinx-theme's page template starts from an empty colour mode (sphinx-book-theme does
   not pass `default_mode` through), then logs "Got invalid theme mode". We give the template
   "auto": follow the reader's system setting.
"""


def _fix_page(app, pagename, templatename, context, doctree):
    if not context.get("default_mode"):
        context["default_mode"] = "auto"
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # the copies differ only in priority and in None vs "" for an inline script's filename
        attributes = getattr(script, "attributes", {})
        key = (getattr(script, "filename", script) or "", repr(sorted(attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app):
    # late (priority 900): other extensions add their per-page scripts in this event too
    app.connect("html-page-context", _fix_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
