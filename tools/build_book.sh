#!/usr/bin/env bash
# Build the book into _build/html, strictly (any warning fails), from a clean _build.
source "$(dirname "$0")/venv.sh"
rm -rf _build
jupyter-book build . -W -n --keep-going
echo
echo "Open _build/html/index.html in a browser, or serve it:"
echo "  .venv/bin/python -m http.server -d _build/html 8000   # then visit http://localhost:8000"
