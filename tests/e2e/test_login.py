"""The password gate in a real browser: with ``PALIMPSEST_PASSWORD`` set, nothing of the
scholar's work shows before the right password is typed, whatever URL is opened.

(``palimpsest run --host 0.0.0.0`` without a password is refused: tests/test_cli.py.)
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from annotations.access import SIGN_IN_FIRST
from annotations.documents import import_document
from annotations.store import Store
from tests.e2e.conftest import ServedApps, open_app, wait_ready
from tests.e2e.test_compare_flow import WIDE

pytestmark = pytest.mark.browser

PASSWORD = "correct horse ∞ battery"
SECRET_TITLE = "Confidential minutes of the fifth of November"
SECRET_TEXT = "Article 1. The delegation will not sign the protocol.\n"
GATE = "This workbench is protected"
WAIT_MS = 30_000  # the shared CI machine can be slow; a failure still fails


@pytest.fixture(scope="module")
def protected(chromium_path, tmp_path_factory):
    """The workbench served with a password, once for the module (each test is a new session).

    The server inherits the environment at start, so the password is set only then.
    """
    apps = ServedApps(tmp_path_factory.mktemp("login"))
    db = apps.workdir / "workbench.db"
    with Store(db) as store:
        import_document(store, SECRET_TEXT.encode(), "minutes.txt", title=SECRET_TITLE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PALIMPSEST_PASSWORD", PASSWORD)
        url = apps.start("workbench.py", db)
    yield url
    apps.stop_all()


def assert_only_the_gate(page) -> None:
    expect(page.get_by_text(GATE)).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_label("Password", exact=True)).to_be_visible(timeout=WAIT_MS)
    body = page.locator("body").inner_text()
    assert SECRET_TITLE not in body and "delegation" not in body
    assert page.locator("[data-testid=stSidebarNav]").count() == 0
    assert page.get_by_role("link", name="Read & annotate").count() == 0


def sign_in(page, password: str) -> None:
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("path", ["", "read?doc=1", "read?doc=1&start=0&end=9", "compare",
                                  "sources"])
def test_without_the_password_only_the_login_form_shows(page, protected, path):
    open_app(page, protected, path)
    assert_only_the_gate(page)


def test_a_wrong_password_is_refused_and_shows_nothing(page, protected):
    open_app(page, protected)
    for attempt in ("", "secret", PASSWORD.upper(), PASSWORD + " "):
        sign_in(page, attempt)
        expect(page.get_by_text("That password is not right.")).to_be_visible(timeout=WAIT_MS)
        wait_ready(page)
        assert_only_the_gate(page)


def test_the_right_password_opens_home_and_the_pages(page, protected):
    open_app(page, protected)
    sign_in(page, PASSWORD)
    expect(page.get_by_role("heading", name="My project")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text(GATE)).to_have_count(0, timeout=WAIT_MS)
    page.get_by_role("link", name="Read & annotate").click()
    expect(page.get_by_role("heading", name="Read & annotate")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("heading", name=SECRET_TITLE)).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("delegation will not sign").first).to_be_visible(timeout=WAIT_MS)


def test_a_new_browser_session_must_sign_in_again(page, protected):
    open_app(page, protected)
    sign_in(page, PASSWORD)
    expect(page.get_by_role("heading", name="My project")).to_be_visible(timeout=WAIT_MS)
    page.reload()
    wait_ready(page)
    assert_only_the_gate(page)


def _request(url: str, method: str = "GET", headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=b"x" if method == "PUT" else None,
                                     method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def test_uploads_without_the_xsrf_token_are_refused(protected):
    assert _request(f"{protected}/_stcore/health")[0] == 200
    upload = f"{protected}/_stcore/upload_file/some-session/some-file"
    assert _request(upload, "PUT") == (403, SIGN_IN_FIRST)
    minted = {"X-Xsrftoken": "2|aaaa|bbbb|1", "Cookie": "_streamlit_xsrf=2|aaaa|bbbb|1"}
    assert _request(upload, "PUT", minted) == (403, SIGN_IN_FIRST)


def test_signing_in_from_a_deep_link_lands_on_that_page(page, protected):
    open_app(page, protected, "read?doc=1")
    assert_only_the_gate(page)
    sign_in(page, PASSWORD)
    expect(page.get_by_role("heading", name=SECRET_TITLE)).to_be_visible(timeout=WAIT_MS)
    assert page.url.endswith("/read?doc=1")


def test_a_signed_in_session_can_upload(page, protected):
    page.set_viewport_size(WIDE)
    open_app(page, protected, "sources")
    sign_in(page, PASSWORD)
    expect(page.get_by_role("heading", name="Sources")).to_be_visible(timeout=WAIT_MS)
    wait_ready(page)
    page.get_by_text("Import documents", exact=True).click()  # folded: documents exist
    uploader = page.get_by_test_id("stFileUploader").first
    uploader.locator("input[type=file]").set_input_files(
        [{"name": "memo.txt", "mimeType": "text/plain", "buffer": b"Memo\n\nThey met.\n"}]
    )
    expect(uploader.get_by_role("button", name="Remove memo.txt")).to_be_visible(timeout=WAIT_MS)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("memo.txt: imported.")).to_be_visible(timeout=WAIT_MS)
