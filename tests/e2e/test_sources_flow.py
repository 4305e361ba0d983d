"""Importing through the Sources page in a real browser: the file uploader, for real.

A plain-text file and a DOCX (written here with python-docx) are imported and
listed; an empty file in the same upload is refused with one sentence and
stores nothing.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from annotations.documents import list_documents
from annotations.store import Store
from sources.ingest import EMPTY
from tests.e2e.conftest import open_app, wait_ready
from tests.e2e.test_compare_flow import WIDE, grid_rows

pytestmark = pytest.mark.browser

TEXT = (
    "Mémoire sur les archives\n\n"
    "Premier paragraphe : les registres sont tenus à Ottawa.\n\n"
    "Second paragraphe : « rien n’est perdu », dit le greffier.\n"
)
DOCX_PARAGRAPHS = (
    "Report on the records",
    "The registers were kept in the capital.",
    "Nothing was lost, said the clerk.",
    "The annex follows.",
)


def docx_bytes() -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = "Report on the records"
    for paragraph in DOCX_PARAGRAPHS:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


UPLOADS = [
    {"name": "memoire.txt", "mimeType": "text/plain", "buffer": TEXT.encode()},
    {"name": "report.docx", "buffer": docx_bytes(),
     "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"name": "empty.txt", "mimeType": "text/plain", "buffer": b""},
]


def test_upload_lists_good_files_and_refuses_the_empty_one(page, workbench, workbench_db,
                                                           page_dialogs):
    page.set_viewport_size(WIDE)
    open_app(page, workbench)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Sources").click()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    wait_ready(page)
    expect(page.get_by_text("No documents yet")).to_be_visible()

    uploader = page.get_by_test_id("stFileUploader").first
    uploader.locator("input[type=file]").set_input_files(UPLOADS)
    for upload in UPLOADS:
        expect(uploader.get_by_text(upload["name"], exact=True)).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_text("memoire.txt: imported.")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("report.docx: imported.")).to_be_visible()
    refusal = page.get_by_test_id("stAlertContentError")
    expect(refusal).to_have_count(1)
    expect(refusal).to_have_text(re.compile(rf"^empty\.txt: not imported\. {re.escape(EMPTY)}"))
    wait_ready(page)

    table = page.get_by_test_id("stDataFrame").first
    listed = {row["file"]: row for row in grid_rows(table)}
    assert set(listed) == {"memoire.txt", "report.docx"}
    assert listed["memoire.txt"]["title"] == "Mémoire sur les archives"
    assert listed["memoire.txt"]["passages"] == "3"
    assert listed["report.docx"]["title"] == "Report on the records"
    assert listed["report.docx"]["passages"] == str(len(DOCX_PARAGRAPHS))
    with Store(workbench_db) as store:
        assert sorted(d.source_name for d in list_documents(store)) == [
            "memoire.txt", "report.docx"]
    assert page_dialogs == []
