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


def test_demo_command_loads_three_documents(tmp_path):
    db = tmp_path / "w.db"
    assert run("demo", "--db", db).exit_code == 0
    listing = run("list", "--db", db).output
    assert listing.count("\n") == 4  # header + three documents


def test_run_refuses_network_host_without_password(tmp_path, monkeypatch):
    monkeypatch.delenv("PALIMPSEST_PASSWORD", raising=False)
    result = CliRunner().invoke(main, ["run", "--db", str(tmp_path / "w.db"), "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "PALIMPSEST_PASSWORD" in result.output
    assert "Refusing to serve on 0.0.0.0" in result.output
