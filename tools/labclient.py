"""Drive a real JupyterLab from the project's environment with headless Chromium.

Used by tests/test_jupyterlab.py (what a learner sees) and tools/lab_times.py (how long Run All
takes). `lab_server(folder)` starts `jupyter lab` on a folder with its own settings; the kernels
run without GRADLAB_STATIC_FRAMES, as a learner's kernel does.
"""

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

RUN_ALL_TIMEOUT = 600  # seconds; chapters take 5-40 s idle, a few times that on a busy CPU


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def lab_server(notebooks, state, extra_env=None):
    """Run JupyterLab on `notebooks`, keeping settings and log in `state`; yield (base, token)."""
    # Own settings and workspaces: no state from the user's JupyterLab. All cells stay in the DOM
    # (JupyterLab 4 otherwise renders only the cells near the viewport).
    settings = state / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ)
    env.pop("GRADLAB_STATIC_FRAMES", None)
    env["JUPYTERLAB_SETTINGS_DIR"] = str(state / "settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(state / "workspaces")
    env.update(extra_env or {})
    port, token = free_port(), secrets.token_hex(16)
    log_path = state / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter",
                "lab",
                "--no-browser",
                f"--port={port}",
                f"--ServerApp.token={token}",
                f"--ServerApp.root_dir={notebooks}",
                "--ServerApp.open_browser=False",
                "--ServerApp.ip=127.0.0.1",
                "--allow-root",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(log_path.read_text()[-3000:])
                try:
                    urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("JupyterLab did not start in 120 s") from None
                    time.sleep(0.5)
            yield base, token
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_idle(page, timeout=120):
    page.wait_for_selector(
        ".jp-Notebook-ExecutionIndicator[data-status='idle']",
        state="attached",
        timeout=timeout * 1000,
    )


def open_notebook(browser, base, token, name):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # reset: a fresh workspace, so no tab of an earlier page (or its dead kernel) comes back
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    wait_idle(page)
    return page


def prompts(page):
    return page.eval_on_selector_all(
        ".jp-Notebook .jp-CodeCell .jp-InputPrompt", "els => els.map(e => e.textContent.trim())"
    )


def menu(page, name, item):
    page.locator(".lm-MenuBar-itemLabel", has_text=name).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def run_all(page, timeout=RUN_ALL_TIMEOUT):
    """Clear the committed outputs, Run > Run All Cells, wait until every code cell has a count.

    Returns the seconds from the click to the last count with the kernel idle. Cells whose source
    is hidden show no prompt; they are left out of the count.
    """
    for attempt in range(3):  # on a loaded machine a menu click can land before it is wired up
        menu(page, "Edit", "Clear Outputs of All Cells")
        try:
            page.wait_for_function(
                """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                    .every(e => !/\\d/.test(e.textContent))""",
                timeout=20_000,
            )
            break
        except Exception:
            if attempt == 2:
                raise
    menu(page, "Run", "Run All Cells")
    start = time.monotonic()
    clicks = 1
    while True:
        marks = [m for m in prompts(page) if m]
        started = any(m != "[ ]:" for m in marks)
        if not started and time.monotonic() - start > 20 * clicks and clicks < 3:
            # on a loaded machine the first click can land before the menu is wired up
            menu(page, "Run", "Run All Cells")
            clicks += 1
        done = marks and all(m.startswith("[") and m[1:-2].isdigit() for m in marks)
        if done and page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"Run All did not finish in {timeout} s: {marks}")
        time.sleep(0.5)


def error_outputs(page):
    """Texts of error and stderr-with-traceback outputs in the DOM."""
    return page.eval_on_selector_all(
        ".jp-OutputArea-output",
        """els => els.filter(e => {
            const mime = e.getAttribute('data-mime-type') || '';
            return mime === 'application/vnd.jupyter.error' ||
                (mime === 'application/vnd.jupyter.stderr' &&
                    /Traceback|Error/.test(e.textContent));
        }).map(e => e.textContent.slice(0, 500))""",
    )


def widget_errors(page):
    return page.locator("text=/Error displaying widget|model not found/i").count()
