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
from annotations.notes import list_annotations
from annotations.store import Store
from tests.e2e.conftest import drag_select, open_app, wait_ready, watch_most
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
    name = page.get_by_label("Your name", exact=True)
    name.fill("Ada")
    name.press("Enter")
    wait_ready(page)
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
    most_images = watch_most(page, "[data-testid=stImage]")
    drag_select(page, "septembre 1985.")
    wait_ready(page)
    expect(image).to_contain_text("Page 1 (3 in all): the selection is outlined in red "
                                  "(2 boxes).", timeout=15_000)
    assert page.get_by_test_id("stImage").locator("img").evaluate(
        "img => img.naturalWidth") == 900
    # The new image took the old one's place: never two pages side by side, even mid-run.
    assert most_images() == 1

    # An annotation on the selection, then the misread place name corrected in its passage.
    page.get_by_label("Note (Markdown)", exact=True).fill("Date of the Kunar killings.")
    page.get_by_role("button", name="Save annotation").click()
    expect(page.get_by_text("Annotation saved")).to_be_visible(timeout=15_000)
    wait_ready(page)
    drag_select(page, "septembre 1985.")
    wait_ready(page)
    page.get_by_text(re.compile(r"^Correct the text of § 2")).click()
    box = page.get_by_label("Text of the passage", exact=True)
    expect(box).to_be_visible()
    with Store(workbench_db) as store:
        text = store.db.execute("select text from documents").fetchone()[0]
        misread = text[uncertain[0].start:uncertain[0].end]
    passage = box.input_value()
    assert misread in passage and "Kunar" not in passage
    box.fill(passage.replace(misread, "Kunar"))
    box.press("Control+Enter")
    wait_ready(page)
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text(re.compile(r"Corrected § 2: the corrected text is document 2, a new "
                                       r"version; 1 annotation carried over\."))
           ).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Corrections (1)")).to_be_visible()
    with Store(workbench_db) as store:
        corrected = store.db.execute("select text from documents where id = 2").fetchone()[0]
        assert "province de Kunar en septembre 1985." in corrected
        (carried,) = list_annotations(store, 2)
        assert carried.anchor_status == "anchored" and carried.exact == "septembre 1985."
        assert all(corrected[w.start:w.end] != misread for w in uncertain_words(store, 2))
    highlight = page.locator(f"[data-testid=palimpsest-selector] [data-hl-ids~='{carried.id}']")
    expect(highlight).to_have_text("septembre 1985.")
    assert page_dialogs == []
