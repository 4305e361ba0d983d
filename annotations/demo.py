"""The demo project a new user sees on first start.

Three versions of one text (see ``demo_data/README.md``): a French draft, a
French final from which a whole Part was cut, and an English annex carrying the
cut Part. The demo also holds the finished comparison, a few reviewed entries of
the omission ledger and a handful of example annotations, each marked as an
example, so that every feature shows at once. Loading is idempotent.
"""

from __future__ import annotations

from importlib import resources

from annotations.collation import compare, decide
from annotations.documents import ensure_project, get_document, import_document
from annotations.model import AnnotationLink
from annotations.notes import create_annotation
from annotations.store import Store
from sources.model import Span

DEMO_PROJECT = "Demo: the cut Part (Official Languages Act)"
SCAN_PROJECT = "Demo: a scanned page read by OCR"
SCAN_TITLE = "Projet de rapport, page 1 — copie numérisée (démo)"
SCAN_CORRECTED = "dispose que le français"  # the passage the demo corrects
ISSUER = "Constructed demo (text: Department of Justice Canada)"
DEMO_DOCUMENTS = (
    ("draft_fr.txt", "Projet de rapport — Loi sur les langues officielles (démo)", "fr", "draft"),
    ("final_fr.txt", "Rapport final — Loi sur les langues officielles (démo)", "fr", "final"),
    ("annex_en.txt", "Annex (English only) — Part II (demo)", "en", "annex"),
)


def demo_bytes(name: str) -> bytes:
    return resources.files("annotations").joinpath("demo_data", name).read_bytes()


def demo_loaded(store: Store) -> bool:
    row = store.db.execute("select id from projects where name = ?", [DEMO_PROJECT]).fetchone()
    return row is not None


def load_demo(store: Store) -> dict[str, int]:
    """Import the demo documents (once), compare and annotate them; return ids by kind."""
    if demo_loaded(store):
        rows = store.db.execute(
            "select kind, d.id from documents d join projects p on p.id = d.project_id "
            "where p.name = ?",
            [DEMO_PROJECT],
        )
        return dict(rows.fetchall())
    with store.transaction():
        ids = _import_documents(store)
        _review_and_annotate(store, ids)
    return ids


def load_scan_demo(store: Store) -> dict[str, int] | None:
    """Import the demo's scanned page by OCR and correct one passage (once); return the ids
    of the scan as read ("scan") and as corrected ("corrected"), or ``None`` without
    Tesseract (the Sources page then says how to install it)."""
    from rapidfuzz import fuzz

    from annotations.corrections import correct_passage
    from sources.ocr import missing

    row = store.db.execute("select id from projects where name = ?", [SCAN_PROJECT]).fetchone()
    if row:
        ids = [r[0] for r in store.db.execute(
            "select id from documents where project_id = ? order by id", [row[0]])]
        return dict(zip(("scan", "corrected"), ids, strict=False))
    if missing():
        return None
    with store.transaction():
        project_id = ensure_project(store, SCAN_PROJECT)
        scan = import_document(store, demo_bytes("scan_fr.png"), "scan_fr.png",
                               project_id=project_id, title=SCAN_TITLE, issuer=ISSUER,
                               date="2025-07-24", language="fr", kind="draft")
        doc = get_document(store, scan)
        typed = next(p for p in demo_bytes("draft_fr.txt").decode().split("\n\n")
                     if SCAN_CORRECTED in p)
        passage = max(doc.passages, key=lambda p: fuzz.ratio(doc.text[p.start:p.end], typed))
        if doc.text[passage.start:passage.end] == typed:
            return {"scan": scan}
        corrected, _ = correct_passage(store, scan, passage.seq, typed, author=AUTHOR)
    return {"scan": scan, "corrected": corrected}


def _import_documents(store: Store) -> dict[str, int]:
    ids: dict[str, int] = {}
    with store.transaction():
        project_id = ensure_project(store, DEMO_PROJECT)
        for name, title, language, kind in DEMO_DOCUMENTS:
            ids[kind] = import_document(
                store,
                demo_bytes(name),
                name,
                project_id=project_id,
                title=title,
                issuer=ISSUER,
                date="2025-07-24",
                language=language,
                kind=kind,
                version_of=ids.get("draft"),
                translation_of=ids.get("draft") if kind == "annex" else None,
            )
    return ids


AUTHOR = "Demo (example)"


def _find(store: Store, document_id: int, phrase: str) -> Span:
    text = get_document(store, document_id).text
    start = text.index(phrase)
    return Span(start, start + len(phrase))


def _review_and_annotate(store: Store, ids: dict[str, int]) -> None:
    """The comparison, three reviewed ledger entries and five example annotations."""
    draft, final, annex = ids["draft"], ids["final"], ids["annex"]
    comparison = compare(store, draft, [final, annex])
    for row in comparison.ledger()[:3]:
        dest = row.destinations[0]
        decide(store, draft, Span(row.passage.start, row.passage.end), "confirmed",
               other_id=annex, b=Span(dest.b.start, dest.b.end), author=AUTHOR,
               note="Example review: the English text says the same thing.")
    cut = _find(store, draft, "PARTIE II Actes législatifs et autres")
    in_annex = _find(store, annex, "PART II Legislative and Other Instruments")
    first = create_annotation(
        store, draft, cut.start, cut.end, author=AUTHOR, tags=("cut", "part-ii", "example"),
        note="**Example annotation.** This whole Part (21 provisions, pp. 8–10 of the draft) "
             "is missing from the final text; it reappears, in English only, in the annex.",
        reliability="B", credibility=2,
        rationale="Example: the annex is an official document, but no French version exists.",
        links=(AnnotationLink("translation-of", annex, in_annex.start, in_annex.end, None),
               AnnotationLink("removed-from", final, None, None, None)),
    )
    journals = _find(store, annex, "5 The journals and other records of Parliament")
    create_annotation(
        store, annex, journals.start, journals.end, author=AUTHOR, tags=("translation", "example"),
        note="Example: compare with the French draft, section 5.",
        links=(AnnotationLink("translation-of", draft, *_span(store, draft, "5 Les archives")),
               AnnotationLink("corroborates", None, None, None, first.id)),
    )
    moved = _find(store, final, "2.3 Le ministre du Patrimoine canadien")
    create_annotation(
        store, final, moved.start, moved.end, author=AUTHOR, tags=("moved", "example"),
        note="Example: section 2.3 was moved after 3.1 d) in the final text; in the draft it "
             "follows 2.2.",
        links=(AnnotationLink("moved-to", draft, *_span(store, draft, "2.3 Le ministre")),),
    )
    reworded = _find(store, final, "assume un rôle central")
    create_annotation(
        store, final, reworded.start, reworded.end, author=AUTHOR, tags=("reworded", "example"),
        note="Example: the draft said “est chargé d’assumer un rôle de premier plan”; the final "
             "text weakens the obligation.",
        reliability="A", credibility=1, rationale="Example: both versions are in hand.",
        links=(AnnotationLink("contradicts", draft, *_span(store, draft, "est chargé d’assumer")),),
    )
    banner = _find(store, draft, "Exemple de démonstration de Palimpsest")
    create_annotation(
        store, draft, banner.start, banner.end, author=AUTHOR, tags=("about", "example"),
        note="Every document, review and annotation in this project is an **example**, built "
             "from the Official Languages Act of Canada to show what Palimpsest does.",
    )


def _span(store: Store, document_id: int, phrase: str) -> tuple[int, int, None]:
    span = _find(store, document_id, phrase)
    return span.start, span.end, None
