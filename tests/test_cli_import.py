"""`palimpsest import`: one short line per file; a database SQLite refuses is one sentence."""

from __future__ import annotations

from click.testing import CliRunner

from palimpsest.cli import main

PAGES = 120


def paged_text(pages: int) -> str:
    """``pages`` pages (form feeds between them) of three paragraphs each."""
    page = "Paragraph {n}.1 of the report.\n\nParagraph {n}.2, longer.\n\nParagraph {n}.3.\n"
    return "\n\f\n".join(page.format(n=n) for n in range(1, pages + 1))


def test_import_prints_one_line_with_the_counts(tmp_path):
    source = tmp_path / "long report.txt"
    source.write_text(paged_text(PAGES), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "--db", str(tmp_path / "w.db"), str(source),
                                       "--language", "en"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and len(lines[0]) < 200, result.output[:500]
    assert lines[0] == (f"{source}: imported as document 1, “long report” "
                        f"(en, {PAGES} pages, {3 * PAGES} passages)")


def test_a_file_that_is_not_a_database_is_one_sentence_and_status_1(tmp_path):
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_bytes(b"My notes, not a database. " * 100)
    (tmp_path / "a.txt").write_text("Some text.\n", encoding="utf-8")
    for args in (["import", str(tmp_path / "a.txt")], ["list"]):
        result = CliRunner().invoke(main, [*args, "--db", str(not_a_database)])
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.output.startswith("Error: Palimpsest cannot open the database")
        assert "Traceback" not in result.output
