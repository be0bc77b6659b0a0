# Sourced by tools/build_book.sh and tools/run_tests.sh: make or reuse .venv and install the
# pinned requirements when requirements.txt or pyproject.toml changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version.split()[0]'
  echo "creating .venv with $("$PYTHON" --version)"
  "$PYTHON" -m venv .venv
fi
STAMP=.venv/.requirements.sha256
WANT="$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  echo "installing requirements into .venv (first time: about a minute)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  # the helpers were called "gradlab" as a distribution before they became "gradlab-course"
  .venv/bin/python -m pip uninstall --quiet --yes gradlab 2>/dev/null || true
  rm -rf code/gradlab.egg-info
  # On Linux take PyTorch's CPU build when its index is reachable, else fall back to the usual
  # index (tools/torch_index.py says which on stderr; README, "Running the notebooks").
  # shellcheck disable=SC2046
  .venv/bin/python -m pip install --quiet $(.venv/bin/python tools/torch_index.py) -r requirements.txt
  echo "$WANT" > "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
