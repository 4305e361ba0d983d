"""A 6 KB PDF bomb uploaded on the Sources page: refused with a sentence, the server lives.

Before issue 11 the depth-24 XObject PDF made the server process ask for ~50 GB
and die with every open session; its reader now runs in a capped child process.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.documents import list_documents
from annotations.store import Store
from sources import sandbox
from tests import hostile
from tests.e2e.conftest import open_app, wait_ready

pytestmark = pytest.mark.browser


def upload(page, name: str, data: bytes, mime: str) -> None:
    uploader = page.get_by_test_id("stFileUploader").first
    uploader.locator("input[type=file]").set_input_files(
        [{"name": name, "mimeType": mime, "buffer": data}]
    )
    expect(uploader.get_by_text(name, exact=True)).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Import", exact=True).click()


def test_a_pdf_bomb_is_refused_and_the_next_upload_works(page, workbench, workbench_db):
    open_app(page, workbench, "sources")
    wait_ready(page)
    upload(page, "bomb.pdf", hostile.pdf_xobject_bomb(24), "application/pdf")
    refusal = page.get_by_test_id("stAlertContentError")
    sentence = re.escape(sandbox.TOO_BIG.format(memory="2 GB"))
    shown = re.compile(rf"^bomb\.pdf: not imported\. {sentence}")
    expect(refusal).to_have_text(shown, timeout=60_000)
    wait_ready(page)
    upload(page, "memo.txt", b"Memo\n\nThe delegates met in Geneva.\n", "text/plain")
    expect(page.get_by_text("memo.txt: imported.")).to_be_visible(timeout=30_000)
    with Store(workbench_db) as store:
        assert [d.source_name for d in list_documents(store)] == ["memo.txt"]
