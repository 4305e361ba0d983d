"""What an import says about how a file was read is kept with the document and shown.

A PDF's running heads and page numbers are taken out of the text; a file not in
UTF-8 is read in a guessed encoding. The scholar is told each time: in the
CLI's output, on the Sources page after the upload, and beside the document
ever after (the sentences are stored with it, migration m006).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from annotations import migrations
from annotations.documents import import_document, stored_import_notes
from annotations.store import Store
from tests.conftest import ROOT, shown
from tests.journey_samples import DRAFT_RUNNING_HEAD, FONT, draft_pdf
from tests.test_sources_page import open_sources, upload

CP1252 = "Élève à l'école\n\nDeuxième paragraphe, très français.\n".encode("cp1252")
ENCODING_NOTE = ("The file is not in UTF-8; it was read as Windows Western European (cp1252): "
                 "check that accents look right.")
FURNITURE_NOTE = (f"Removed the running line “{DRAFT_RUNNING_HEAD}” and page numbers "
                  "(“Page 1”) from 26 pages.")
needs_font = pytest.mark.skipif(not FONT.is_file(), reason=f"{FONT} missing (fonts-dejavu-core)")


@needs_font
def test_a_pdf_names_the_running_lines_it_lost(store):
    document_id = import_document(store, draft_pdf(), "draft.pdf")
    assert stored_import_notes(store, document_id) == (FURNITURE_NOTE,)


def test_a_guessed_encoding_is_noted_and_utf8_says_nothing(store):
    guessed = import_document(store, CP1252, "eleve.txt")
    plain = import_document(store, "Déjà vu.\n".encode(), "plain.txt")
    assert stored_import_notes(store, guessed) == (ENCODING_NOTE,)
    assert stored_import_notes(store, plain) == ()


def test_documents_from_before_m006_have_no_notes_and_new_ones_do(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    monkeypatch.setattr("annotations.store.MIGRATIONS",
                        [step for step in migrations.MIGRATIONS if step[0] < "m006"])
    with Store(path) as old:
        old_id = import_document(old, "Déjà vu.\n".encode(), "plain.txt")
        assert "import_notes" not in old.db["documents"].columns_dict
    monkeypatch.undo()
    with Store(path) as store:
        assert "m006_import_notes" in store.applied_migrations()
        assert stored_import_notes(store, old_id) == ()
        new_id = import_document(store, CP1252, "eleve.txt")
        assert stored_import_notes(store, new_id) == (ENCODING_NOTE,)


def test_the_cli_prints_the_notes_under_the_file(tmp_path):
    source = tmp_path / "eleve.txt"
    source.write_bytes(CP1252)
    done = subprocess.run(
        [sys.executable, "-m", "palimpsest", "import", str(source), "--db",
         str(tmp_path / "cli.db")],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env={**os.environ, "PALIMPSEST_DB": ""},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{source}: imported as document 1, “Élève à l'école”")
    assert lines[1:] == [f"  note: {ENCODING_NOTE}"]


def test_the_sources_page_shows_the_notes_after_import_and_beside_the_document(db_path):
    at = upload(open_sources(db_path), ("eleve.txt", CP1252, "text/plain"))
    assert not at.exception, at.exception
    assert [shown(i.value) for i in at.info] == [ENCODING_NOTE, f"At import: {ENCODING_NOTE}"]
