"""Start the workbench server: ``python -m palimpsest.serve [workbench.py] [streamlit flags]``.

Why not plain ``streamlit run``: the design puts the screens in a folder called
``pages/`` beside ``workbench.py``. Streamlit takes such a folder for an old-style
(v1) multipage app until some script run calls ``st.navigation``; until then, a
first request for ``/sources`` would run ``pages/sources.py`` on its own, without
the router and its login gate. Routing here is always ``st.navigation``'s, so
the v1 mode is switched off before the server starts.

Without a script, the installed one is served (:func:`workbench_script`).

Every request and websocket first passes :class:`HostGuard`, which refuses a
Host header that is not localhost, an IP address or a listed name (DNS rebinding).
With a password set (network mode), the server's metrics are not served and an
error in a page shows no traceback (no server paths): the log keeps it.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path

from annotations.access import (
    FORBIDDEN_HOST,
    SIGN_IN_FIRST,
    host_allowed,
    login_required,
    may_upload,
)
from sources.errors import PalimpsestError

log = logging.getLogger(__name__)

# workbench.py, pages/ and .streamlit/ are installed as this package (pyproject.toml maps
# it onto the top of the repository, so a checkout and a wheel hold the same files).
APP_PACKAGE = "palimpsest_workbench"


class WorkbenchMissing(PalimpsestError):
    """The workbench files are not installed beside the library."""


def workbench_script() -> Path:
    """The router script as installed: in site-packages from a wheel, in the checkout if editable.

    Streamlit reads ``.streamlit/config.toml`` beside it and finds ``pages/`` there.
    """
    spec = importlib.util.find_spec(APP_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        script = Path(folder) / "workbench.py"
        if script.is_file():
            return script
    raise WorkbenchMissing(
        "The workbench files (workbench.py and pages/) are not installed with Palimpsest; "
        "reinstall it (make install in a checkout, or pip install palimpsest)."
    )


class HostGuard:
    """ASGI middleware: a request or websocket naming a foreign host gets 403, nothing else."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = dict(scope.get("headers") or ()).get(b"host", b"").decode("latin-1")
            hidden = login_required() and scope.get("path", "").startswith(HIDDEN_IN_NETWORK_MODE)
            if hidden and scope["type"] == "http":
                await _answer(send, 404, b"Not found.")
                return
            path = scope.get("path", "")
            if path.startswith(UPLOADS) and not may_upload(path[len(UPLOADS) :].split("/")[0]):
                log.warning("refused an upload to %s: that session has not signed in", path)
                await _answer(send, 403, SIGN_IN_FIRST.encode())  # nothing read, nothing kept
                return
            if not host_allowed(host):
                log.warning("refused a request for host %r from %s", host, scope.get("client"))
                if scope["type"] == "websocket":  # closing before accepting answers 403
                    await send({"type": "websocket.close", "code": 1008})
                    return
                await _answer(send, 403, FORBIDDEN_HOST.encode())
                return
        await self.app(scope, receive, send)


HIDDEN_IN_NETWORK_MODE = ("/_stcore/metrics",)
UPLOADS = "/_stcore/upload_file/"  # followed by the session id


async def _answer(send, status: int, body: bytes) -> None:
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode())],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": body})


def install_host_guard() -> None:
    """Put :class:`HostGuard` in front of Streamlit's own middleware."""
    from starlette.middleware import Middleware
    from streamlit.web.server.starlette import starlette_app

    streamlit_middleware = starlette_app.create_streamlit_middleware
    if getattr(streamlit_middleware, "guarded", False):
        return

    def guarded() -> list:
        return [Middleware(HostGuard), *streamlit_middleware()]

    guarded.guarded = True
    starlette_app.create_streamlit_middleware = guarded


def main(argv: list[str] | None = None) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.cli import main as streamlit_main

    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-"):
        argv.insert(0, str(workbench_script()))
    PagesManager.uses_pages_directory = False
    install_host_guard()
    if login_required():  # network mode: no traceback (with server paths) reaches a browser
        argv += ["--client.showErrorDetails", "none"]
    sys.argv = ["streamlit", "run", *argv]
    streamlit_main()


if __name__ == "__main__":
    main()
