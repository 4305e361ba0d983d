"""The real workbench server answers only to its own host names (DNS rebinding).

Before issue 11 a request with ``Host: attacker.example`` got the page and a
websocket with a matching Origin got every document title. The server is
started as users start it (python -m palimpsest.serve) and asked over raw HTTP.
"""

from __future__ import annotations

import http.client

import pytest

from annotations.access import FORBIDDEN_HOST, SIGN_IN_FIRST
from tests.e2e.conftest import ServedApps

WEBSOCKET_UPGRADE = {
    "Upgrade": "websocket",
    "Connection": "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    apps = ServedApps(tmp_path_factory.mktemp("server"))
    url = apps.start("workbench.py", tmp_path_factory.mktemp("db") / "w.db")
    yield url.rsplit(":", 1)[1].strip("/")
    apps.stop_all()


def ask(port: str, path: str, host: str, headers: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.putheader("Origin", f"http://{host}")
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read() if response.status != 101 else b""
    finally:
        connection.close()


@pytest.mark.parametrize("path", ["/", "/_stcore/health", "/sources", "/_stcore/host-config"])
def test_a_foreign_host_gets_403_and_nothing_else(server, path):
    assert ask(server, path, "attacker.example") == (403, FORBIDDEN_HOST.encode())
    assert ask(server, path, f"attacker.example:{server}") == (403, FORBIDDEN_HOST.encode())


def test_a_foreign_host_cannot_open_the_websocket(server):
    status, _ = ask(server, "/_stcore/stream", f"attacker.example:{server}", WEBSOCKET_UPGRADE)
    assert status == 403


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "localhost"])
def test_own_host_names_are_served(server, host):
    status, body = ask(server, "/_stcore/health", host.format(port=server))
    assert (status, body) == (200, b"ok")


def test_own_host_can_open_the_websocket(server):
    status, _ = ask(server, "/_stcore/stream", f"localhost:{server}", WEBSOCKET_UPGRADE)
    assert status == 101


@pytest.fixture(scope="module")
def protected_server(tmp_path_factory):
    apps = ServedApps(tmp_path_factory.mktemp("protected"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PALIMPSEST_PASSWORD", "correct horse battery")
        url = apps.start("workbench.py", tmp_path_factory.mktemp("db") / "w.db")
    yield url.rsplit(":", 1)[1].strip("/")
    apps.stop_all()


def test_metrics_are_not_served_in_network_mode(protected_server):
    assert ask(protected_server, "/_stcore/metrics", "127.0.0.1") == (404, b"Not found.")
    assert ask(protected_server, "/_stcore/health", "127.0.0.1") == (200, b"ok")


def test_metrics_stay_on_the_scholars_own_machine(server):
    assert ask(server, "/_stcore/metrics", "127.0.0.1")[0] == 200


def put(port: str, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
    try:
        connection.request("PUT", path, body=b"x" * 1000, headers={
            "X-Xsrftoken": "2|aaaa|bbbb|1", "Cookie": "_streamlit_xsrf=2|aaaa|bbbb|1"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_no_upload_is_taken_before_sign_in(protected_server):
    status_and_body = put(protected_server, "/_stcore/upload_file/some-session/some-file")
    assert status_and_body == (403, SIGN_IN_FIRST.encode())


def test_uploads_are_streamlits_business_without_a_password(server):
    status, body = put(server, "/_stcore/upload_file/some-session/some-file")
    assert body != SIGN_IN_FIRST.encode()
