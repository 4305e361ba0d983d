"""Documents as stored: import in one transaction, list, read, edit, delete, the demo."""

from __future__ import annotations

import csv
import io
import json

import pytest

from annotations.collation import compare
from annotations.demo import load_demo
from annotations.documents import (
    delete_document,
    get_document,
    import_document,
    list_documents,
    update_metadata,
)
from annotations.export import export_csv, export_jsonld
from annotations.notes import list_annotations
from sources.errors import DuplicateDocument, ImportRefused, InvalidInput, NotFound

TEXT = "Titre\n\n12 (1) Premier paragraphe, avec des accents : é, è.\n\nDeuxième paragraphe.\n"


def test_import_stores_text_pages_and_passages(store):
    doc_id = import_document(store, TEXT.encode("utf-8"), "rapport.txt", kind="draft",
                             language="fr", date="1986-11-05", issuer="ONU")
    doc = get_document(store, doc_id)
    assert doc.text == TEXT
    assert (doc.title, doc.kind, doc.language, doc.date, doc.issuer) == (
        "Titre", "draft", "fr", "1986-11-05", "ONU")
    assert [doc.text[p.start : p.end] for p in doc.passages] == [
        "Titre", "12 (1) Premier paragraphe, avec des accents : é, è.", "Deuxième paragraphe."]
    assert doc.passages[1].label == "12 (1)"
    assert doc.pages == ()


def test_page_breaks_in_text_become_pages(store):
    text = "Page one.\n\n\f\n\nPage two, first.\n\nPage two, second.\n"
    doc = get_document(store, import_document(store, text.encode(), "paged.txt"))
    assert [p.label for p in doc.pages] == ["1", "2"]
    second = text.index("Page two, second")
    assert doc.page_label(second) == "2"
    assert doc.page_label(0) == "1"


def test_failed_import_leaves_database_unchanged(store):
    import_document(store, TEXT.encode(), "ok.txt")
    before = store.row_counts()
    with pytest.raises(ImportRefused):
        import_document(store, b"", "empty.txt")
    with pytest.raises(ImportRefused):
        import_document(store, b"\x00\x01\x02binary\x00" * 100, "binary.txt")
    assert store.row_counts() == before


def test_same_bytes_twice_is_refused_and_names_the_first(store):
    first = import_document(store, TEXT.encode(), "a.txt")
    with pytest.raises(DuplicateDocument) as caught:
        import_document(store, TEXT.encode(), "copy.txt")
    assert caught.value.existing_id == first
    assert "imported before" in str(caught.value)
    assert len(list_documents(store)) == 1


def test_metadata_edit_and_validation(store):
    doc_id = import_document(store, TEXT.encode(), "a.txt")
    summary = update_metadata(store, doc_id, title="Rapport final", kind="final", language="fr")
    assert (summary.title, summary.kind, summary.language) == ("Rapport final", "final", "fr")
    with pytest.raises(InvalidInput):
        update_metadata(store, doc_id, kind="novel")
    with pytest.raises(InvalidInput):
        update_metadata(store, doc_id, title="  ")
    with pytest.raises(InvalidInput):
        update_metadata(store, doc_id, sha256="x")


def test_delete_removes_everything_attached(store):
    keep = import_document(store, b"Other text.\n", "keep.txt")
    doc_id = import_document(store, TEXT.encode(), "a.txt")
    delete_document(store, doc_id)
    with pytest.raises(NotFound):
        get_document(store, doc_id)
    assert [d.id for d in list_documents(store)] == [keep]
    assert store.db.execute("select count(*) from passages where document_id = ?",
                            [doc_id]).fetchone()[0] == 0


def test_demo_has_draft_final_and_annex_with_pages(store):
    ids = load_demo(store)
    assert set(ids) == {"draft", "final", "annex"}
    docs = {d.kind: d for d in list_documents(store)}
    assert (docs["draft"].language, docs["final"].language, docs["annex"].language) == (
        "fr", "fr", "en")
    assert (docs["draft"].pages, docs["final"].pages, docs["annex"].pages) == (13, 10, 4)
    assert load_demo(store) == ids  # idempotent
    assert len(list_documents(store)) == 3


def test_demo_shows_every_feature(store):
    ids = load_demo(store)
    comparison = compare(store, ids["draft"], [ids["final"], ids["annex"]])
    statuses = [row.status for row in comparison.ledger()]
    assert statuses.count("confirmed") == 3 and len(statuses) == 21
    annotations = list_annotations(store)
    assert len(annotations) == 5
    assert all("example" in a.tags for a in annotations)
    link_types = {link.link_type for a in annotations for link in a.links}
    assert {"translation-of", "removed-from", "moved-to"} <= link_types
    assert any(a.reliability and a.credibility and a.rationale for a in annotations)
    rows = list(csv.DictReader(io.StringIO(export_csv(store).decode("utf-8-sig"))))
    items = json.loads(export_jsonld(store))["first"]["items"]
    assert sorted(r["id"] for r in rows) == sorted(a.id for a in annotations)
    assert sorted(item["id"].removeprefix("urn:uuid:") for item in items) == sorted(
        r["id"] for r in rows)
