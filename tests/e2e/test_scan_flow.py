"""A scan through the real workbench (issue 13): a three-page image-only PDF typed and
stained by the test is uploaded on a fresh database; the progress of its OCR shows; the
scholar opens another page while it runs and finds it imported on coming back; the Read
page marks the words OCR was unsure of and shows the page image with the selection
outlined on it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.documents import list_documents, uncertain_words, word_boxes
from annotations.store import Store
from tests.e2e.conftest import drag_select, open_app, wait_ready
from tests.e2e.test_compare_flow import WIDE
from tests.e2e.test_journey import navigate
from tests.scans import scanned_pdf, smudged, typed_page
from tests.test_ocr import REPORT

pytestmark = pytest.mark.browser

STAINED = {"Gouvernement", "Kunar"}


@pytest.fixture(scope="module")
def scan() -> bytes:
    pages = [smudged(typed_page(REPORT), STAINED), typed_page(REPORT[1:]).image,
             typed_page(REPORT[:2]).image]
    return scanned_pdf(*pages)


def test_a_scan_is_read_followed_checked_against_its_page(page, workbench, workbench_db,
                                                          scan, tesseract, page_dialogs):
    page.set_viewport_size(WIDE)
    open_app(page, workbench)
    navigate(page, "Sources")
    uploader = page.get_by_test_id("stFileUploader").first
    uploader.locator("input[type=file]").set_input_files(
        [{"name": "rapport_scan.pdf", "mimeType": "application/pdf", "buffer": scan}])
    expect(uploader.get_by_text("rapport_scan.pdf", exact=True)).to_be_visible(timeout=15_000)
    wait_ready(page)
    page.get_by_role("button", name="Import", exact=True).click()

    # The progress bar says which page OCR is on; the scholar leaves while it runs.
    progress = page.get_by_test_id("stProgress")
    expect(progress).to_contain_text(re.compile(r"rapport_scan\.pdf: OCR, page [123] of 3"),
                                     timeout=30_000)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    with Store(workbench_db) as store:  # nothing is stored before the whole scan is read
        assert list_documents(store) == []
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Sources").click()
    expect(page.get_by_text("rapport_scan.pdf: imported.")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stAlertContentInfo").filter(
        has_text="Read by OCR (Tesseract 5").first).to_contain_text("French and English): 3 pages")
    with Store(workbench_db) as store:
        (document,) = list_documents(store)
        assert document.pages == 3 and len(word_boxes(store, document.id)) > 150
        uncertain = uncertain_words(store, document.id)
        assert uncertain  # the stained words

    navigate(page, "Read & annotate")
    marks = page.locator("[data-testid=palimpsest-selector] .pl-k-uncertain")
    expect(marks).to_have_count(len(uncertain))
    assert "Uncertain OCR reading (confidence" in marks.first.get_attribute("title")
    expect(page.get_by_text(re.compile(r"^Read by OCR: mean passage confidence \d+ %"))
           ).to_be_visible()

    page.get_by_text("Show the page image", exact=True).click()
    wait_ready(page)
    image = page.get_by_test_id("stImage")
    expect(image).to_have_count(1)
    expect(image).to_contain_text("Page 1 (3 in all). Select text to see where it is")
    drag_select(page, "septembre 1985.")
    wait_ready(page)
    expect(image).to_contain_text("Page 1 (3 in all): the selection is outlined in red "
                                  "(2 boxes).", timeout=15_000)
    assert page.get_by_test_id("stImage").locator("img").evaluate(
        "img => img.naturalWidth") == 900
    assert page_dialogs == []
