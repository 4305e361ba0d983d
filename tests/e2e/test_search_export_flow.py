"""In a real browser: search, open in context, export CSV; place a review item with the mouse."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from annotations.corrections import reimport_document
from annotations.documents import import_document
from annotations.notes import create_annotation, get_annotation, review_queue
from annotations.store import Store
from tests.e2e.conftest import SELECTOR_ROOT, drag_select, open_app, wait_ready

pytestmark = pytest.mark.browser

TEXT = (
    "Article 1. Les parties conviennent de ce qui suit.\f\n\n"
    "Article 2. Le traité fut signé à Genève par les ministres.\n\n"
    "Article 3. <script>alert('doc')</script> reste du texte.\n"
)
QUOTE = "signé à Genève"
NOTE = "Compare the quillwort testimony <img src=x onerror=alert(1)>."


@pytest.fixture
def annotated(workbench_db):
    with Store(workbench_db) as store:
        document_id = import_document(store, TEXT.encode(), "traite.txt", title="Traité",
                                      kind="final", language="fr")
        start = TEXT.index(QUOTE)
        annotation = create_annotation(store, document_id, start, start + len(QUOTE),
                                       note=NOTE, tags=["lieu"], author="Ada")
    return document_id, annotation


def navigate(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=15_000)
    wait_ready(page)


def test_search_open_in_context_then_export_csv(page, workbench, annotated, page_dialogs):
    document_id, annotation = annotated
    open_app(page, workbench)

    navigate(page, "Search")
    box = page.get_by_role("textbox", name="Search notes, quotes, tags and document texts")
    box.fill("quillwort")
    box.press("Enter")
    hit = page.get_by_test_id("stText").filter(has_text="quillwort")
    expect(hit).to_have_text(NOTE)
    expect(page).to_have_url(re.compile(r"/search\?project=\d+&q=quillwort$"))
    assert page.locator("[data-testid=stMain] img").count() == 0

    page.get_by_role("link", name="Open in context").click()
    expect(page).to_have_url(re.compile(
        rf"/read\?doc={document_id}&start={annotation.start}&end={annotation.end}$"))
    expect(page.get_by_role("heading", name="Read & annotate")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("New annotation on")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("stText").filter(has_text=QUOTE).first).to_have_text(QUOTE)

    navigate(page, "Export & backup")
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("button", name="Annotations as CSV (Excel-safe)").click()
    download = download_info.value
    assert re.fullmatch(r"palimpsest-annotations-\d{4}-\d{2}-\d{2}\.csv",
                        download.suggested_filename)
    with open(download.path(), "rb") as file:
        data = file.read()
    assert data.startswith(b"\xef\xbb\xbf")
    [row] = list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"), newline="")))
    assert (row["exact"], row["start"], row["end"]) == (QUOTE, str(annotation.start),
                                                         str(annotation.end))
    assert (row["page"], row["note"], row["document_title"]) == ("2", NOTE, "Traité")
    assert page_dialogs == []


OLD = "Article 2. The treaty was signed at Geneva by the ministers of foreign affairs.\n"
NEW = "Article 2. The accord was concluded in Lausanne by the deputies for external relations.\n"


@pytest.fixture
def review_item(workbench_db):
    with Store(workbench_db) as store:
        old = import_document(store, OLD.encode(), "treaty.txt", title="Treaty")
        start = OLD.index("signed at Geneva")
        create_annotation(store, old, start, start + len("signed at Geneva by the ministers"),
                          note="Where?", author="Ada")
        reimport_document(store, old, NEW.encode(), "treaty-corrected.txt")
        [item] = review_queue(store)
    return item


def test_review_item_placed_by_hand_with_the_mouse(page, workbench, review_item, workbench_db):
    open_app(page, workbench, "review")
    proposal = page.locator(f"{SELECTOR_ROOT} [data-hl-ids~='{review_item.id}']")
    expect(proposal).to_have_text(NEW[review_item.start : review_item.end])
    drag_select(page, "concluded in Lausanne")
    expect(page.get_by_text("Your selection")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Place here").click()
    expect(page.get_by_text("Annotation placed on “concluded in Lausanne”")).to_be_visible(
        timeout=15_000)
    with Store(workbench_db) as store:
        placed = get_annotation(store, review_item.id)
    start = NEW.index("concluded in Lausanne")
    assert (placed.start, placed.end, placed.anchor_status) == (start, start + 21, "anchored")
    expect(page.get_by_text("Nothing waits for review")).to_be_visible()
