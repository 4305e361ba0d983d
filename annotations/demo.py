"""The demo project a new user sees on first start.

Three versions of one text (see ``demo_data/README.md``): a French draft, a
French final from which a whole Part was cut, and an English annex carrying the
cut Part. Loading is idempotent: a database that has the demo keeps it.
"""

from __future__ import annotations

from importlib import resources

from annotations.documents import ensure_project, import_document
from annotations.store import Store

DEMO_PROJECT = "Demo: the cut Part (Official Languages Act)"
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
    """Import the demo documents (once); return their ids by kind."""
    ids: dict[str, int] = {}
    if demo_loaded(store):
        rows = store.db.execute(
            "select kind, d.id from documents d join projects p on p.id = d.project_id "
            "where p.name = ?",
            [DEMO_PROJECT],
        )
        return dict(rows.fetchall())
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
