"""Titles and file names are printed by the command line without their terminal controls.

Before issue 11, a title holding a carriage return, an escape sequence or a bidi
override was printed raw: ``palimpsest list`` on a terminal could overwrite lines.
"""

from __future__ import annotations

import re

from click.testing import CliRunner

from annotations.documents import import_document
from annotations.store import Store
from palimpsest.cli import main

HOSTILE_TITLE = "Minutes\r\x1b[2K\u202eFAKE\u2066"
CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_list_prints_a_hostile_title_escaped(tmp_path):
    db = tmp_path / "w.db"
    with Store(db) as store:
        import_document(store, b"The delegates met.\n", "a.txt", title=HOSTILE_TITLE)
    output = CliRunner().invoke(main, ["list", "--db", str(db)]).output
    assert not CONTROLS.search(output)
    assert output.splitlines()[1].endswith("Minutes\\r\\x1b[2K\\u202eFAKE\\u2066")


def test_import_prints_a_hostile_file_name_escaped(tmp_path):
    source = tmp_path / "notes\x1b]0;pwned\x07.txt"
    source.write_bytes(b"The delegates met.\n")
    result = CliRunner().invoke(main, ["import", "--db", str(tmp_path / "w.db"), str(source)])
    assert result.exit_code == 0
    assert not CONTROLS.search(result.output)
    assert "notes\\x1b]0;pwned\\x07.txt: imported as document 1" in result.output
