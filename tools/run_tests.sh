#!/usr/bin/env bash
# Run every test: ruff (lint and format) on the code, gradlab's unit tests, notebook hygiene,
# nbval (strict) on every chapter, the strict book build and the browser test of every page.
# Extra arguments go to pytest. The quick loop while editing gradlab:
#   .venv/bin/python -m pytest -m "not slow"
source "$(dirname "$0")/venv.sh"
export PYTHONHASHSEED=0
# what ruff checks, notebooks included (ruff reads *.ipynb; settings in pyproject.toml)
RUFF_PATHS=(code tests tools chapters conftest.py)
ruff check "${RUFF_PATHS[@]}"
ruff format --check "${RUFF_PATHS[@]}"
exec python -m pytest tests chapters \
  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg "$@"
