"""The browser-test harness every end-to-end test uses.

Fixtures:

* ``chromium_path`` -- Debian's ``/usr/bin/chromium`` (or ``$CHROMIUM_PATH``);
  when it is missing, skips, or fails under ``CI=true`` (browser tests must run
  in CI): :func:`tests.conftest.require_or_skip`.
* ``browser`` -- one headless Chromium per test session (Playwright, no download).
* ``page`` -- a fresh browser context and page per test; dialogs are dismissed
  and recorded in ``page_dialogs``.
* ``served_app(script, db_path)`` -- starts ``palimpsest.serve <script>`` (``streamlit run``
  with the v1 ``pages/`` mode off, as ``palimpsest run`` does) on a free
  loopback port with ``PALIMPSEST_DB=<db_path>``, waits for ``/_stcore/health``
  and returns the URL; every server is killed (whole process group) at teardown.
* ``workbench`` -- ``served_app("workbench.py", <fresh db in tmp_path>)``.

Helper: :func:`wait_ready` waits until the app is connected and no script runs.
After a click, prefer Playwright's auto-waiting ``expect(...)`` on what the
rerun should show: the script may not have *started* yet when you look.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import require_or_skip

REPO = Path(__file__).resolve().parents[2]
# Streamlit scripts the servers run; importing them (--doctest-modules) would run them.
collect_ignore = ["apps"]
CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 60
READY_TIMEOUT_MS = 30_000


def pytest_collection_modifyitems(items):
    """Every test under tests/e2e is a browser test, marked or not."""
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or CHROMIUM_DEFAULT
    if Path(path).is_file() or shutil.which(path):
        return path
    require_or_skip(f"Chromium not found at {path} (set CHROMIUM_PATH); browser tests need it.")


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page_dialogs() -> list[str]:
    """Messages of every alert/confirm/prompt the page tried to open (should stay empty)."""
    return []


@pytest.fixture
def page(browser, page_dialogs):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()

    def dismiss(dialog):
        page_dialogs.append(dialog.message)
        dialog.dismiss()

    new_page.on("dialog", dismiss)
    yield new_page
    context.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _log_tail(log_path: Path, lines: int = 40) -> str:
    if not log_path.exists():
        return ""
    return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])


class ServedApps:
    """Starts Streamlit servers and kills them all at teardown."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.processes: list[subprocess.Popen] = []

    def start(self, script: str | os.PathLike, db_path: str | os.PathLike) -> str:
        script_path = Path(script)
        if not script_path.is_absolute():
            script_path = REPO / script_path
        if not script_path.exists():
            pytest.fail(f"App script {script_path} does not exist.")
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log_path = self.workdir / f"streamlit-{port}.log"
        process = self._spawn(script_path, port, Path(db_path), log_path)
        self.processes.append(process)
        self._wait_healthy(process, url, log_path)
        return url

    def _spawn(self, script: Path, port: int, db: Path, log_path: Path) -> subprocess.Popen:
        env = dict(os.environ)
        env["PALIMPSEST_DB"] = str(db)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        command = [
            sys.executable, "-m", "palimpsest.serve", str(script),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            "--server.runOnSave", "false",
        ]  # fmt: skip
        with open(log_path, "wb") as log:
            return subprocess.Popen(
                command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def _wait_healthy(self, process: subprocess.Popen, url: str, log_path: Path) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"Streamlit exited with {process.returncode}:\n{_log_tail(log_path)}")
            if _healthy(url):
                return
            time.sleep(0.2)
        pytest.fail(f"Streamlit did not answer on {url} in time:\n{_log_tail(log_path)}")

    def stop_all(self) -> None:
        for process in self.processes:
            _kill_group(process)
        self.processes.clear()


def _kill_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


@pytest.fixture
def served_app(tmp_path) -> Iterator[Callable[[str | os.PathLike, str | os.PathLike], str]]:
    """Factory: ``url = served_app("tests/e2e/apps/x.py", tmp_path / "db.sqlite")``."""
    apps = ServedApps(tmp_path)
    yield apps.start
    apps.stop_all()


@pytest.fixture
def workbench_db(tmp_path) -> Path:
    """Path of the (not yet created) database the ``workbench`` server will use.

    Fill it before asking for ``workbench`` (e.g. open a ``Store`` on it and
    import documents), since the fixture starts the server on first use.
    """
    return tmp_path / "workbench.db"


@pytest.fixture
def workbench(served_app, workbench_db) -> str:
    """URL of the full workbench served on a fresh database (``workbench_db``)."""
    return served_app("workbench.py", workbench_db)


def wait_ready(page, timeout_ms: int = READY_TIMEOUT_MS) -> None:
    """Wait until the app is connected to its server and no script run is in progress."""
    page.wait_for_selector(
        "[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=timeout_ms
    )
    page.wait_for_selector(
        "[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout_ms
    )


_MOST_SEEN_JS = """selector => {
    const count = () => document.querySelectorAll(selector).length;
    window.mostSeen = window.mostSeen || {};
    window.mostSeen[selector] = count();
    new MutationObserver(() => {
        window.mostSeen[selector] = Math.max(window.mostSeen[selector], count());
    }).observe(document.body, {subtree: true, childList: true});
}"""


def watch_most(page, selector: str):
    """From now on, count the most elements matching ``selector`` ever on the page at once
    (an element drawn anew beside its stale self during a rerun shows up as one more).
    Returns a function that reads the count."""
    page.evaluate(_MOST_SEEN_JS, selector)
    return lambda: page.evaluate("selector => window.mostSeen[selector]", selector)


def open_app(page, url: str, path: str = "", timeout_ms: int = READY_TIMEOUT_MS) -> None:
    """Go to ``url`` + ``path`` (e.g. ``"read?doc=1"``) and wait until the first run is done."""
    page.goto(f"{url}/{path.lstrip('/')}" if path else url, timeout=timeout_ms)
    wait_ready(page, timeout_ms)


SELECTOR_ROOT = "[data-testid=palimpsest-selector]"

_LOCATE_PHRASE_JS = """
([rootSelector, phrase, occurrence, mode]) => {
  const root = document.querySelector(rootSelector);
  if (!root) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [], starts = [];
  let all = "", node;
  while ((node = walker.nextNode())) {
    nodes.push(node); starts.push(all.length); all += node.data;
  }
  let at = -1;
  for (let k = 0; k <= occurrence; k++) {
    at = all.indexOf(phrase, at + 1);
    if (at < 0) return null;
  }
  const point = (offset) => {
    let i = starts.length - 1;
    while (i > 0 && starts[i] > offset) i--;
    return [nodes[i], offset - starts[i]];
  };
  const [n0, o0] = point(at), [n1, o1] = point(at + phrase.length - 1);
  const range = document.createRange();
  if (mode === "range") {
    const [ne, oe] = point(at + phrase.length);
    range.setStart(n0, o0); range.setEnd(ne, oe);
    const selection = getSelection(); selection.removeAllRanges(); selection.addRange(range);
    document.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
    return {};
  }
  const measure = () => {
    range.setStart(n0, o0); range.setEnd(n0, o0 + 1);
    const first = range.getClientRects()[0];
    range.setStart(n1, o1); range.setEnd(n1, o1 + 1);
    const rects = range.getClientRects();
    const last = rects[rects.length - 1];
    return { x0: first.left + 1, y0: first.top + first.height / 2,
             x1: last.right - 1, y1: last.top + last.height / 2 };
  };
  const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  // Off-screen chunks are laid out lazily (content-visibility): scroll, let the
  // page settle, and measure again until the phrase stays put.
  return (async () => {
    let box = null;
    for (let i = 0; i < 10; i++) {
      const top = measure().y0 - root.getBoundingClientRect().top + root.scrollTop;
      const pin = document.createElement("div");
      pin.style.cssText = `position:absolute;left:0;top:${top}px;width:1px;height:1px`;
      root.appendChild(pin);
      pin.scrollIntoView({ block: "center" });
      pin.remove();
      await frames();
      const now = measure();
      if (box && Math.abs(now.y0 - box.y0) < 1) return now;
      box = now;
    }
    return box;
  })();
}
"""


def drag_select(page, phrase: str, *, occurrence: int = 0, root: str = SELECTOR_ROOT) -> None:
    """Select ``phrase`` in a ``text_selector`` with a real mouse drag.

    Presses just inside the left edge of its first character and releases just
    inside the right edge of its last one, so Chromium snaps to exactly the
    phrase. The phrase must sit on one line.
    """
    page.wait_for_selector(f"{root}[data-ready='1']")
    box = page.evaluate(_LOCATE_PHRASE_JS, [root, phrase, occurrence, "mouse"])
    assert box, f"{phrase!r} is not shown in {root}"
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move(box["x1"], box["y1"], steps=8)
    page.mouse.up()


def range_select(page, phrase: str, *, occurrence: int = 0, root: str = SELECTOR_ROOT) -> None:
    """Select ``phrase`` by setting a DOM Range and sending the ``mouseup`` the component hears.

    For phrases a drag cannot reach reliably (across lines, around emoji).
    """
    page.wait_for_selector(f"{root}[data-ready='1']")
    done = page.evaluate(_LOCATE_PHRASE_JS, [root, phrase, occurrence, "range"])
    assert done is not None, f"{phrase!r} is not shown in {root}"
