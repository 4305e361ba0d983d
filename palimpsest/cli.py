"""The ``palimpsest`` command: the same work as the workbench, in batch.

A thin layer over the library: each command parses its arguments, calls one
function, prints. Expected failures print one sentence and exit with status 1.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import click

from palimpsest.align_command import align
from palimpsest.export_command import export
from sources.errors import PalimpsestError
from sources.model import KINDS
from sources.text import printable

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The database file (default: $PALIMPSEST_DB or ~/.palimpsest/workbench.db).",
)


def open_store(db_path: Path | None):
    """The database (imported here: sqlite-utils brings pandas, 0.35 s a command that
    does not need a database should not pay)."""
    from annotations.store import Store, default_db_path

    return Store(db_path or default_db_path())


def say(line: str, **options) -> None:
    """Print ``line``, whose titles and names come from files: no terminal controls in it."""
    click.echo(printable(line), **options)


def user_errors(command):
    """Turn our expected exceptions into one line on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PalimpsestError as error:
            raise click.ClickException(printable(str(error))) from error

    return wrapper


@click.group()
@click.version_option(package_name="palimpsest")
def main():
    """Palimpsest: compare versions of a document, find what was cut and where it went."""


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8501, show_default=True, type=int)
@click.option("--demo/--no-demo", default=True, show_default=True,
              help="Load the demo project into an empty database first.")
@user_errors
def run(db_path, host, port, demo):
    """Open the workbench in the browser."""
    from annotations.access import check_can_serve
    from annotations.store import Store, default_db_path
    from palimpsest.serve import workbench_script

    db_path = Path(db_path or default_db_path())
    check_can_serve(host)
    script = workbench_script()
    with Store(db_path) as store:
        if demo and not store.count("documents"):
            from annotations.demo import load_demo, load_scan_demo

            load_demo(store)
            load_scan_demo(store)
    env = dict(os.environ, PALIMPSEST_DB=str(db_path))
    click.echo(f"Palimpsest on http://{host}:{port}  (database: {db_path})")
    command = [
        sys.executable, "-m", "palimpsest.serve", str(script),
        "--server.address", host, "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]
    sys.exit(subprocess.call(command, env=env))


@main.command(name="import")
@db_option
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--title", help="Title (default: from the file).")
@click.option("--language", help="ISO 639-1 code, e.g. fr (default: detected).")
@click.option("--kind", type=click.Choice(KINDS), default="other", show_default=True)
@click.option("--date", help="Date of the document, e.g. 1986-11-05.")
@click.option("--issuer", help="Who issued the document.")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True,
              help="Read scans with Tesseract: auto = page images and PDF pages without text.")
@user_errors
def import_(db_path, files, title, language, kind, date, issuer, ocr):
    """Import documents (txt, md, html, docx, pdf, TEI xml, scans as png, jpeg, tiff)."""
    from annotations.documents import get_document, import_document, stored_import_notes

    failures = 0
    with open_store(db_path) as store:
        for name in files:
            try:
                document_id = import_document(
                    store, Path(name).read_bytes(), Path(name).name, title=title,
                    language=language, kind=kind, date=date, issuer=issuer, ocr=ocr,
                    progress=_ocr_progress(name),
                )
            except PalimpsestError as error:
                failures += 1
                say(f"{name}: not imported. {error}", err=True)
                continue
            doc = get_document(store, document_id).summary  # counts, not the Page objects
            say(
                f"{name}: imported as document {document_id}, “{doc.title}” "
                f"({doc.language or '?'}, {doc.pages} pages, {doc.passages} passages)"
            )
            for note in stored_import_notes(store, document_id):
                say(f"  note: {note}")
    if failures:
        sys.exit(1)


def _ocr_progress(name: str):
    """A reporter for OCR: "scan.pdf: OCR page 3 of 12 (about 20 s left)" on stderr."""
    import time

    started = time.monotonic()

    def report(done: int, total: int) -> None:
        if done == 0:
            say(f"{name}: reading {total} {'page' if total == 1 else 'pages'} by OCR", err=True)
            return
        left = (time.monotonic() - started) / done * (total - done)
        eta = f" (about {left:.0f} s left)" if done < total else ""
        say(f"{name}: OCR page {done} of {total}{eta}", err=True)

    return report


@main.command(name="list")
@db_option
@user_errors
def list_(db_path):
    """List the documents in the database."""
    from annotations.documents import list_documents

    with open_store(db_path) as store:
        documents = list_documents(store)
    if not documents:
        click.echo("No documents yet. Import some with: palimpsest import FILE...")
        return
    click.echo(f"{'id':>4}  {'kind':<11} {'lang':<4} {'pages':>5} {'passages':>8}  title")
    for d in documents:
        language = d.language or "?"
        say(f"{d.id:>4}  {d.kind:<11} {language:<4} {d.pages:>5} {d.passages:>8}  {d.title}")


@main.command()
@db_option
@user_errors
def demo(db_path):
    """Load the demo projects (three versions of one text; a scanned page) into the database."""
    from annotations.demo import load_demo, load_scan_demo
    from sources.ocr import missing

    with open_store(db_path) as store:
        ids = load_demo(store)
        scan = load_scan_demo(store)
    click.echo("Demo documents: " + ", ".join(f"{k} = {v}" for k, v in ids.items()))
    if scan is None:
        click.echo(f"The scanned page was left out: {missing()}")
    else:
        click.echo("Scanned page: " + ", ".join(f"{k} = {v}" for k, v in scan.items()))


@main.command()
@db_option
@click.argument("output", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@user_errors
def backup(db_path, output, force):
    """Write a consistent copy of the whole database to OUTPUT."""
    from annotations.backup import write_backup

    with open_store(db_path) as store:
        size = write_backup(store, output, replace=force)
    click.echo(f"Backup written to {output} ({size:,} bytes).")


@main.command()
@db_option
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@user_errors
def restore(db_path, backup_file, yes):
    """Replace the database with BACKUP_FILE (the current one is kept as a .bak copy)."""
    from annotations.backup import restore as restore_backup
    from annotations.store import default_db_path

    target = Path(db_path or default_db_path())
    if not yes:
        click.confirm(f"This replaces everything in {target} with {backup_file}. Continue?",
                      abort=True)
    safety = restore_backup(target, backup_file.read_bytes())
    click.echo(f"Restored {backup_file} into {target}. The previous database is kept at {safety}.")


main.add_command(align)
main.add_command(export)
