"""tools/torch_index.py (used by tools/venv.sh): PyTorch's CPU index on Linux when it answers,
a clean fall-back to the usual index when it does not."""

import functools
import http.server
import subprocess
import sys
import threading

from conftest import ROOT

TOOL = ROOT / "tools" / "torch_index.py"


def run(index, timeout="2"):
    env = {"PATH": "/usr/bin:/bin", "TORCH_INDEX": index, "TORCH_INDEX_TIMEOUT": timeout}
    return subprocess.run(
        [sys.executable, str(TOOL)], env=env, capture_output=True, text=True, timeout=60
    )


def test_unreachable_index_falls_back_with_no_arguments():
    # a port nobody listens on, and a name that does not resolve (as download.pytorch.org here)
    for index in ["http://127.0.0.1:9/whl/cpu", "https://download.pytorch.invalid/whl/cpu"]:
        out = run(index)
        assert out.returncode == 0 and out.stdout == ""
        assert "not reachable" in out.stderr


def test_reachable_index_is_used_on_linux(tmp_path):
    (tmp_path / "whl" / "cpu" / "torch").mkdir(parents=True)
    (tmp_path / "whl" / "cpu" / "torch" / "index.html").write_text("<html></html>")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        index = f"http://127.0.0.1:{server.server_address[1]}/whl/cpu"
        out = run(index)
        if sys.platform.startswith("linux"):
            assert out.stdout.split() == ["--extra-index-url", index]
        else:
            assert out.stdout == ""
    finally:
        server.shutdown()
