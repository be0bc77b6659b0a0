"""Run All times of the chapters in a real JupyterLab, on an idle or a busy CPU.

    .venv/bin/python tools/lab_times.py                 # every chapter, idle then busy
    .venv/bin/python tools/lab_times.py --busy 2 01 06  # chapters 1 and 6, two busy processes
    .venv/bin/python tools/lab_times.py --source DIR --pythonpath DIR/code   # another checkout

"Busy" means N processes spinning in `while True: pass` beside the kernel, each in its own
session, as on a Binder pod whose cores are shared. The chapters are copied to a temporary
folder; JupyterLab runs with its own settings (tools/labclient.py). The table is printed in
Markdown, one row per chapter.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from booklib import CHAPTERS, CHROMIUM, LAUNCH_FLAGS
from labclient import error_outputs, lab_server, open_notebook, run_all


def spin(n):
    # Each in a session of its own, as Jupyter starts its kernels: where the kernel scheduler
    # shares CPU between sessions (Linux autogroup), spinners in this tool's session would only
    # slow JupyterLab's server and browser, not the kernel.
    return [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
        for _ in range(n)
    ]


def deliberate_errors(path):
    cells = json.loads(path.read_text())["cells"]
    return sum("raises-exception" in c["metadata"].get("tags", []) for c in cells)


def shut_down_kernels(base, token):
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(
        urllib.request.Request(f"{base}/api/kernels", headers=headers)
    ) as r:
        kernels = json.load(r)
    for kernel in kernels:
        url = f"{base}/api/kernels/{kernel['id']}"
        urllib.request.urlopen(urllib.request.Request(url, method="DELETE", headers=headers))


def time_chapters(names, notebooks, state, busy, extra_env):
    from playwright.sync_api import sync_playwright

    times = {}
    with lab_server(notebooks, state, extra_env) as (base, token), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_FLAGS)
        for name in names:
            page = open_notebook(browser, base, token, name)
            spinners = spin(busy)
            try:
                seconds = run_all(page)
                errors = error_outputs(page)
            except TimeoutError as exc:
                seconds, errors = None, [str(exc)]
            finally:
                for proc in spinners:
                    proc.kill()
                    proc.wait()
            if len(errors) == deliberate_errors(notebooks / name):
                errors = []  # the cells tagged raises-exception, which fail on purpose
            times[name] = (seconds, errors)
            shown = "timed out" if seconds is None else f"{seconds:.1f} s"
            print(f"  {name}: {shown}{', errors' if errors else ''}", flush=True)
            page.close()
            shut_down_kernels(base, token)  # chapters do not share memory or CPU
        browser.close()
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="chapter prefixes such as 01 06 (default all)")
    parser.add_argument("--busy", type=int, action="append", help="spinning processes (repeat)")
    parser.add_argument("--source", type=Path, default=CHAPTERS, help="folder of the notebooks")
    parser.add_argument("--pythonpath", help="PYTHONPATH for the kernels (another gradlab)")
    args = parser.parse_args(argv)
    names = sorted(
        p.name
        for p in args.source.glob("*.ipynb")
        if not args.chapters or any(p.name.startswith(c) for c in args.chapters)
    )
    loads = args.busy or [0, 2]
    extra_env = {"PYTHONPATH": args.pythonpath} if args.pythonpath else {}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for busy in loads:
            print(f"{busy} busy processes:", flush=True)
            notebooks = Path(tmp) / f"busy{busy}" / "notebooks"
            notebooks.mkdir(parents=True)
            for name in names:
                shutil.copy(args.source / name, notebooks / name)
            results[busy] = time_chapters(names, notebooks, notebooks.parent, busy, extra_env)
    header = " | ".join(f"{b} busy" if b else "idle" for b in loads)
    print(f"\n| chapter | {header} |\n|---|" + "---|" * len(loads))
    for name in names:
        cells = []
        for busy in loads:
            seconds, errors = results[busy][name]
            cell = "timed out" if seconds is None else f"{seconds:.1f} s"
            cells.append(cell + (" (errors)" if errors else ""))
        print(f"| {name[:2]} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
