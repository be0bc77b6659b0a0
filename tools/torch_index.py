"""Print the pip arguments that take PyTorch's CPU build, or nothing where they do not apply.

Used by tools/venv.sh. On Linux, pip's default ``torch==2.13.0`` is the CUDA build plus about 17
nvidia packages (several GB); PyTorch's own CPU index has a build of the same version without them
(``2.13.0+cpu``, which ``==2.13.0`` admits). So on Linux, when that index answers within a few
seconds, this prints ``--extra-index-url <index>``. When it does not (no network, a firewall, a
mirror-only machine like our CI) it prints nothing and says on stderr what pip will do instead.
On macOS and Windows PyPI's wheel is already CPU-only, so it prints nothing.

    python tools/torch_index.py            # the default index
    TORCH_INDEX=https://... python tools/torch_index.py
"""

import os
import platform
import sys
import urllib.request

DEFAULT = "https://download.pytorch.org/whl/cpu"


def reachable(index, timeout):
    """Whether ``index`` lists torch (its /torch/ page answers) within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(f"{index.rstrip('/')}/torch/", timeout=timeout) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def main():
    index = os.environ.get("TORCH_INDEX", DEFAULT)
    timeout = float(os.environ.get("TORCH_INDEX_TIMEOUT", "5"))
    if platform.system() != "Linux":
        return 0
    if reachable(index, timeout):
        print(f"--extra-index-url {index}")
        print(f"torch: PyTorch's CPU build, from {index}", file=sys.stderr)
    else:
        print(
            f"torch: {index} is not reachable, so pip takes torch from its usual index "
            "(here a local CPU build; on an ordinary Linux machine the CUDA build, several GB)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
