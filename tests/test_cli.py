"""The palimpsest command: import, list, demo, run's refusal to serve without a password."""

from __future__ import annotations

from click.testing import CliRunner

from annotations.store import Store
from palimpsest.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_import_then_list(tmp_path):
    db = tmp_path / "w.db"
    (tmp_path / "utf8.txt").write_text("Premier.\n\nDeuxième paragraphe, en français.\n",
                                       encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes(
        "Élève modèle.\n\nLe château était déjà fermé à l'été.\n".encode("latin-1"))
    result = run("import", "--db", db, "--kind", "draft", tmp_path / "utf8.txt",
                 tmp_path / "latin1.txt")
    assert result.exit_code == 0, result.output
    assert result.output.count("imported as document") == 2
    listing = run("list", "--db", db)
    assert "utf8" in listing.output and "latin1" in listing.output
    assert "draft" in listing.output


def test_refused_file_exits_non_zero_and_changes_nothing(tmp_path):
    db = tmp_path / "w.db"
    Store(db).close()
    before = Store(db).row_counts()
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["import", "--db", str(db), str(tmp_path / "empty.txt")])
    assert result.exit_code == 1
    assert "empty" in result.output.lower()
    assert Store(db).row_counts() == before


def test_demo_command_loads_three_documents_and_the_scanned_page(tmp_path, tesseract):
    db = tmp_path / "w.db"
    result = run("demo", "--db", db)
    assert result.exit_code == 0
    assert "Scanned page: scan = 4, corrected = 5" in result.output
    listing = run("list", "--db", db).output
    assert listing.count("\n") == 6  # header + three documents + the scan, read and corrected


def test_without_tesseract_the_demo_says_why_the_scan_is_left_out(tmp_path, monkeypatch):
    import pytesseract

    from sources import ocr

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    ocr.version.cache_clear()
    try:
        result = run("demo", "--db", tmp_path / "w.db")
    finally:
        ocr.version.cache_clear()
    assert result.exit_code == 0
    assert "The scanned page was left out: Reading scans needs the OCR program Tesseract" in (
        result.output)
    assert run("list", "--db", tmp_path / "w.db").output.count("\n") == 4


def test_run_refuses_network_host_without_password(tmp_path, monkeypatch):
    monkeypatch.delenv("PALIMPSEST_PASSWORD", raising=False)
    result = CliRunner().invoke(main, ["run", "--db", str(tmp_path / "w.db"), "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "PALIMPSEST_PASSWORD" in result.output
    assert "Refusing to serve on 0.0.0.0" in result.output


def test_import_every_format_then_list_with_language_and_pages(tmp_path):
    from annotations.documents import get_document, list_documents
    from sources.segment import page_at
    from tests import make_samples

    samples = {
        "utf8.txt": make_samples.text_utf8(), "latin1.txt": make_samples.text_latin1(),
        "notes.md": make_samples.markdown(), "page.html": make_samples.html(),
        "treaty.docx": make_samples.docx(), "report.pdf": make_samples.pdf(),
        "letter.xml": make_samples.tei(),
    }
    for name, data in samples.items():
        (tmp_path / name).write_bytes(data)
    db = tmp_path / "w.db"
    result = run("import", "--db", db, *(tmp_path / name for name in samples))
    assert result.exit_code == 0, result.output
    assert result.output.count("imported as document") == len(samples)
    listing = run("list", "--db", db).output.splitlines()
    assert len(listing) == 1 + len(samples)
    with Store(db) as store:
        docs = {d.source_name: d for d in list_documents(store)}
        assert set(docs) == set(samples)
        assert docs["report.pdf"].pages == 3
        assert docs["letter.xml"].pages == 2
        pdf = get_document(store, docs["report.pdf"].id)
        for word, label in make_samples.PDF_PAGE_WORDS.items():
            assert page_at(pdf.text.index(word), pdf.pages).label == label
    pdf_line = next(line for line in listing if "report" in line.lower())
    assert " 3 " in pdf_line and " en " in pdf_line
