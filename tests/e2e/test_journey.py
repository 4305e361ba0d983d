"""A historian's own documents, end to end, in a real browser on a fresh database.

The journey of issue 10, walked the way a scholar walks it: a 26-page French
draft PDF and a 21-page final PDF (running heads, "Page N" footers, words
hyphenated at line ends and across page breaks) and a 5-page English annex in
Word (page breaks) are uploaded on the Sources page with their metadata; Compare
aligns them then (nothing is computed beforehand); the ledger says where the
cut part went and on which pages; "open there" leads to the annex, where a
passage is annotated; the note is found by Search and exported; a corrected annex
is re-imported and the annotation follows it; a document is deleted.

The documents are built by :mod:`tests.journey_samples` (the demo texts typeset),
so every count has a known answer.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from annotations.documents import get_document, list_documents
from annotations.notes import list_annotations
from annotations.store import Store
from tests.conftest import require_or_skip
from tests.e2e.conftest import drag_select, open_app, wait_ready
from tests.e2e.test_compare_flow import WIDE, grid_rows, open_tab
from tests.journey_samples import (
    ANNEX_PAGES,
    ANNEX_PASSAGES,
    ANNEX_START_PAGES,
    DRAFT_FINAL_LINKS,
    DRAFT_PAGES,
    DRAFT_PASSAGES,
    DRAFT_RUNNING_HEAD,
    DRAFT_START_PAGES,
    FINAL_PAGES,
    FINAL_PASSAGES,
    FONT,
    FONT_PACKAGE,
    annex_docx,
    docx_with_breaks,
    draft_pdf,
    final_pdf,
)

pytestmark = pytest.mark.browser

DRAFT_TITLE = "Projet de rapport (version du 3 mars)"
CUT = next(n for n, text in enumerate(DRAFT_PASSAGES, 1) if text.startswith("5 Les archives"))
ANNEX_OF_CUT = next(n for n, text in enumerate(ANNEX_PASSAGES, 1)
                    if text.startswith("5 The journals"))
PHRASE = "The journals and other records"
NOTE = "Cut from the French final; the annex keeps it in English only (zostera)."
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def files() -> list[dict]:
    if not FONT.is_file():
        require_or_skip(f"{FONT} is missing (Debian package {FONT_PACKAGE}): the journey PDFs "
                        "are typeset in it.")
    return [
        {"name": "projet_de_rapport_draft.pdf", "mimeType": "application/pdf",
         "buffer": draft_pdf()},
        {"name": "rapport_final.pdf", "mimeType": "application/pdf", "buffer": final_pdf()},
        {"name": "annex_en.docx", "mimeType": DOCX, "buffer": annex_docx()},
    ]


def navigate(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=15_000)
    wait_ready(page)


def metric(page, label: str):
    return page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    ).get_by_test_id("stMetricValue")


def choose(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=re.compile("^" + re.escape(option))).first.click()
    wait_ready(page)


def download(page, button: str) -> bytes:
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name=button).click()
    with open(info.value.path(), "rb") as file:
        return file.read()


def csv_rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def passages(doc) -> tuple[str, ...]:
    return tuple(" ".join(doc.text[p.start:p.end].split()) for p in doc.passages)


def upload_with_metadata(page, files: list[dict]) -> None:
    """Sources: the three files, the draft's title typed into its row, Import."""
    uploader = page.get_by_test_id("stFileUploader").first
    uploader.locator("input[type=file]").set_input_files(files)
    for file in files:  # (long names are shortened in the list; the buttons say them whole)
        expect(uploader.get_by_role("button", name=f"Remove {file['name']}", exact=True)
               ).to_be_visible(timeout=30_000)
    wait_ready(page)
    editor = page.get_by_test_id("stDataFrame").first
    expect(editor).to_be_visible()
    rows = grid_rows(editor)
    assert [(r["File"], r["Kind"]) for r in rows] == [  # kinds guessed from the file names
        ("projet_de_rapport_draft.pdf", "draft"), ("rapport_final.pdf", "final"),
        ("annex_en.docx", "annex")]
    # The scholar types the draft's title into its row: the cell right of the file name.
    editor.click(position={"x": 20, "y": 35 + 17})  # row 1, first column (header is 35 px)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # opens the cell's editor
    cell = page.locator("textarea.gdg-input")
    expect(cell).to_be_visible()
    cell.fill(DRAFT_TITLE)
    cell.press("Enter")
    expect(editor.locator("table[role=grid] tbody tr").first).to_contain_text(DRAFT_TITLE)
    wait_ready(page)
    page.get_by_role("button", name="Import", exact=True).click()
    for file in files:
        expect(page.get_by_text(re.compile(rf"^{re.escape(file['name'])}: imported\."))
               ).to_be_visible(timeout=90_000)
    # Each PDF says what it lost: its running head and page numbers, on all its pages.
    notes = page.get_by_test_id("stAlertContentInfo").filter(
        has_text=re.compile(r"Removed the running line “.+” and page numbers \(“Page 1”\)"))
    expect(notes).to_have_count(2)
    expect(notes.nth(0)).to_contain_text(f"from {DRAFT_PAGES} pages.")
    wait_ready(page)


def test_a_historians_documents_end_to_end(page, workbench, workbench_db, files, page_dialogs):
    page.set_viewport_size(WIDE)
    open_app(page, workbench)

    # --- Sources: upload with metadata --------------------------------------------------
    navigate(page, "Sources")
    upload_with_metadata(page, files)
    with Store(workbench_db) as store:
        docs = {d.kind: d for d in list_documents(store)}
        assert sorted(docs) == ["annex", "draft", "final"]
        draft, final, annex = (get_document(store, docs[k].id) for k in ("draft", "final", "annex"))
        assert store.count("alignment_runs") == 0
    assert (draft.title, draft.language, final.language, annex.language) == (
        DRAFT_TITLE, "fr", "fr", "en")
    # The running heads and footers are gone, hyphenated words whole, paragraphs joined.
    assert passages(draft) == DRAFT_PASSAGES
    assert passages(final) == FINAL_PASSAGES
    assert DRAFT_RUNNING_HEAD not in draft.text and "Page 10" not in draft.text
    assert (len(draft.pages), len(final.pages), len(annex.pages)) == (
        DRAFT_PAGES, FINAL_PAGES, ANNEX_PAGES)

    # --- Compare: chosen from the sidebar, aligned now ----------------------------------
    navigate(page, "Compare")
    expect(page.get_by_role("combobox", name="Base")).to_have_value(
        re.compile("^" + re.escape(DRAFT_TITLE)))
    expect(metric(page, "Removed")).to_have_text(str(DRAFT_FINAL_LINKS["removed"]),
                                                 timeout=90_000)
    expect(metric(page, "Changed")).to_have_text(str(DRAFT_FINAL_LINKS["changed"]))
    expect(metric(page, "Moved")).to_have_text(str(DRAFT_FINAL_LINKS["moved"]))
    expect(metric(page, "Found elsewhere")).to_have_text(str(DRAFT_FINAL_LINKS["removed"]))
    expect(page.get_by_test_id("stException")).to_have_count(0)
    wait_ready(page)

    # The ledger: where the cut passage was in the draft, where it went, both pages.
    open_tab(page, "Omission ledger")
    ledger = {row["¶"]: row for row in grid_rows(
        page.get_by_role("tabpanel", name="Omission ledger").get_by_test_id("stDataFrame"))}
    row = ledger[str(CUT)]
    annex_page = ANNEX_START_PAGES[ANNEX_OF_CUT - 1]
    assert row["page"] == DRAFT_START_PAGES[DRAFT_PASSAGES[CUT - 1]]
    there = f"p. {annex_page} § 5 (¶ {ANNEX_OF_CUT})"
    assert (row["went to"], row["there"]) == (annex.title, there)
    exported = {r["¶"]: r for r in csv_rows(download(
        page, "Download the ledger (CSV for Excel: full texts, pages, review)"))}
    assert len(exported) == DRAFT_FINAL_LINKS["removed"]
    cut = exported[str(CUT)]
    assert " ".join(cut["removed text"].split()) == DRAFT_PASSAGES[CUT - 1]
    assert " ".join(cut["destination text"].split()) == ANNEX_PASSAGES[ANNEX_OF_CUT - 1]
    assert (cut["pages"], cut["destination pages"]) == (f"p. {row['page']}", f"p. {annex_page}")

    # --- "open there": the annex at the passage, then annotate it -----------------------
    open_tab(page, "Side by side")
    page.get_by_test_id("stRadio").get_by_text("Removed", exact=True).click()
    removed = page.locator(f"#pal-row-{CUT}-x")
    expect(removed).to_have_attribute("data-kind", "removed")
    expect(removed.locator(".pal-cell").nth(1)).to_contain_text("5 The journals")
    wait_ready(page)
    removed.get_by_role("button", name="open there").click()
    expect(page).to_have_url(re.compile(rf"/read\?(.*&)?doc={annex.id}&start=\d+&end=\d+"))
    expect(page.get_by_role("heading", name="Read & annotate")).to_be_visible()
    wait_ready(page)
    query = parse_qs(urlsplit(page.url).query)
    assert annex.text[int(query["start"][0]):int(query["end"][0])].startswith("5 The journals")
    name = page.get_by_label("Your name", exact=True)
    name.fill("Ada")
    name.press("Enter")
    wait_ready(page)

    drag_select(page, PHRASE)
    # the form is already open on the passage "open there" selected: wait for the new quote
    expect(page.get_by_text("New annotation on")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("stText").filter(has_text=PHRASE)).to_have_text(
        PHRASE, timeout=15_000
    )
    page.get_by_label("Note (Markdown)", exact=True).fill(NOTE)
    page.get_by_label("Tags (separate with ;)", exact=True).fill("cut; annex")
    page.get_by_role("button", name="Save annotation").click()
    expect(page.get_by_text("Annotation saved")).to_be_visible(timeout=15_000)
    with Store(workbench_db) as store:
        [saved] = list_annotations(store, annex.id)
    assert (saved.exact, saved.note, saved.author) == (PHRASE, NOTE, "Ada")
    assert annex.text[saved.start:saved.end] == PHRASE
    wait_ready(page)

    # --- Search finds the note; Export writes it ----------------------------------------
    navigate(page, "Search")
    box = page.get_by_role("textbox", name="Search notes, quotes, tags and document texts")
    box.fill("zostera")
    box.press("Enter")
    expect(page.get_by_test_id("stText").filter(has_text="zostera")).to_have_text(NOTE)
    navigate(page, "Export & backup")
    [exported_note] = [r for r in csv_rows(download(page, "Annotations as CSV (Excel-safe)"))
                       if r["exact"] == PHRASE]
    assert (exported_note["start"], exported_note["end"]) == (str(saved.start), str(saved.end))

    # --- A corrected annex: a new version, the annotation carried over ------------------
    corrected = list(ANNEX_PASSAGES)
    corrected[0] = corrected[0] + " (corrected)"
    navigate(page, "Sources")
    choose(page, "Open a document", annex.title)
    open_tab(page, "Re-import corrected")
    panel = page.get_by_role("tabpanel", name="Re-import corrected")
    panel.locator("input[type=file]").set_input_files(
        {"name": "annex_en.docx", "mimeType": DOCX,
         "buffer": docx_with_breaks(corrected, {9: "explicit", 22: "before"})})
    expect(panel.get_by_text("annex_en.docx", exact=True)).to_be_visible(timeout=30_000)
    wait_ready(page)
    panel.get_by_role("button", name="Import as the new version").click()
    expect(page.get_by_text(re.compile(r"1 annotations carried over, 0 waiting for review"))
           ).to_be_visible(timeout=60_000)
    with Store(workbench_db) as store:
        versions = [d for d in list_documents(store) if d.kind == "annex"]
        new = max(versions, key=lambda d: d.id)
        [moved] = list_annotations(store, new.id)
        new_text = get_document(store, new.id).text
    assert new_text[moved.start:moved.end] == PHRASE and moved.note == NOTE

    # --- Delete the final: the rest stays whole -----------------------------------------
    wait_ready(page)
    choose(page, "Open a document", final.title)
    wait_ready(page)  # the page rebuilt for the final before its tabs are used
    panel = open_tab(page, "Delete")
    panel.get_by_text("Yes, delete this document").click()
    wait_ready(page)
    delete = panel.get_by_role("button", name="Delete", exact=True)
    expect(delete).to_be_enabled(timeout=15_000)
    delete.click()
    expect(page.get_by_text(f"Deleted “{final.title}” (document {final.id})")).to_be_visible(
        timeout=30_000)
    wait_ready(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    with Store(workbench_db) as store:
        left = sorted((d.kind, d.id) for d in list_documents(store))
        assert left == sorted([("draft", draft.id), ("annex", annex.id), ("annex", new.id)])
        assert store.integrity_ok()
    assert page_dialogs == []
