"""``palimpsest export``: annotations as CSV, W3C Web Annotation JSON-LD, or TEI.

A thin layer over :mod:`annotations.export`; ``palimpsest/cli.py`` adds it to
the main group.
"""

from __future__ import annotations

from pathlib import Path

import click

from sources.errors import PalimpsestError

SUFFIXES = {"csv": ".csv", "jsonld": ".jsonld", "tei": ".xml"}


def _render(store, fmt: str, document_ids: tuple[int, ...]) -> bytes:
    from annotations.export import export_csv, export_jsonld, export_tei

    if fmt == "csv":
        return export_csv(store, document_ids or None)
    if fmt == "jsonld":
        return export_jsonld(store, document_ids or None).encode("utf-8")
    if len(document_ids) != 1:
        raise click.UsageError("TEI export is per document: give exactly one --document ID.")
    return export_tei(store, document_ids[0]).encode("utf-8")


def _open(db: Path | None):
    """The database, imported here so other commands do not load sqlite-utils (and pandas)."""
    from annotations.store import Store, default_db_path

    path = db or default_db_path()
    if not Path(path).exists():
        raise click.ClickException(
            f"There is no workbench database at {path}; give its path with --db."
        )
    return Store(path)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(SUFFIXES)), default="csv",
              show_default=True, help="csv (Excel-safe), jsonld (W3C Web Annotation) or tei.")
@click.option("--document", "document_ids", type=int, multiple=True, metavar="ID",
              help="Only this document's annotations (repeatable; exactly one for tei).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The workbench database (default: $PALIMPSEST_DB or ~/.palimpsest).")
def export(fmt: str, document_ids: tuple[int, ...], output: Path | None, db: Path | None):
    """Export the live annotations (deleted ones are left out)."""
    with _open(db) as store:
        try:
            data = _render(store, fmt, document_ids)
        except PalimpsestError as error:
            raise click.ClickException(str(error)) from error
    if output is None:
        click.echo(data, nl=False)  # bytes go to the binary stream untouched
        return
    output.write_bytes(data)
    click.echo(f"Wrote {len(data):,} bytes to {output}.", err=True)
