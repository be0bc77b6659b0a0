#!/usr/bin/env bash
# Run every test: gradlab's unit tests, notebook hygiene, nbval (strict) on every chapter,
# the strict book build and the browser test of every page. Extra arguments go to pytest.
source "$(dirname "$0")/venv.sh"
export PYTHONHASHSEED=0
exec python -m pytest tests chapters \
  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg "$@"
