"""Hostile input, in one place: every door a file, a string or a URL comes in through.

Each case is its own test id, so a report lists exactly which door let what
through. The rule everywhere is the same: a hostile input is either accepted and
comes back exactly as stored (notes, tags, names, offsets that slice the quote),
or refused with one short sentence (:class:`PalimpsestError`) and the database
left as it was; each case pins which of the two it gets. Any other exception is a bug.

Categories (``benchmarks/hostile_report.py`` counts them): files through the
library and through the command line; strings in notes, tags, author names,
titles and search queries; CSV and JSON-LD annotation imports; query parameters
of the Read and Compare pages; Unicode-heavy and very long texts round-tripping
through import, store and export.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from streamlit.testing.v1 import AppTest

from annotations.collation import compare
from annotations.documents import get_document, import_document, original_bytes, update_metadata
from annotations.export import export_csv, export_jsonld, export_tei, import_csv, import_jsonld
from annotations.model import clean_author, clean_tags, clean_text
from annotations.notes import create_annotation, list_annotations
from annotations.search import search
from annotations.store import Store
from palimpsest.cli import main
from sources.errors import ImportRefused, InvalidInput, PalimpsestError
from sources.ingest import MAX_IMPORT_BYTES
from tests import hostile
from tests.conftest import ROOT

MAX_MESSAGE = 500  # a sentence for a person, not a dump of the input
TEXT = (
    "Article 1. The parties agree to a ceasefire.\n\n"
    "Article 2. Prisoners are exchanged within thirty days.\n"
)
MB = 1024 * 1024


# ---------------------------------------------------------------- helpers

def assert_plain_sentence(error: BaseException) -> None:
    """The message a person sees: one line, short, no programmer's noise."""
    message = str(error)
    assert isinstance(error, PalimpsestError), f"{type(error).__name__}: {message[:200]}"
    assert message.strip(), "empty message"
    assert "\n" not in message and "Traceback" not in message, message[:200]
    assert len(message) <= MAX_MESSAGE, f"{len(message)} characters: {message[:200]}…"


def outcome(store: Store, action):
    """Run ``action``; a refusal must be a plain sentence and leave every table as it was.

    Returns the action's result, or the refusal (a :class:`PalimpsestError`).
    Any other exception propagates and fails the test.
    """
    before = store.row_counts()
    try:
        return action()
    except PalimpsestError as error:
        assert_plain_sentence(error)
        assert store.row_counts() == before
        return error


def assert_anchored_quotes_slice(store: Store) -> None:
    """Every placed annotation's offsets slice exactly its quote out of the stored text."""
    for annotation in list_annotations(store, include_deleted=True):
        if annotation.anchor_status != "anchored":
            continue
        text = get_document(store, annotation.document_id).text
        assert text[annotation.start : annotation.end] == annotation.exact


@pytest.fixture
def doc(store) -> int:
    return import_document(store, TEXT.encode(), "accord.txt", title="Accord", language="en")


# ================================================================ 1. files

FILE_CASES = [
    pytest.param(build, filename, fragment, id=build.__name__)
    for build, filename, fragment in hostile.REFUSED
]


@pytest.mark.parametrize(("build", "filename", "fragment"), FILE_CASES)
def test_file_through_the_library_is_refused_and_nothing_is_written(store, build, filename,
                                                                   fragment):
    before = store.row_counts()
    with pytest.raises(ImportRefused) as refusal:
        import_document(store, build(), filename)
    assert fragment in str(refusal.value)
    assert_plain_sentence(refusal.value)
    assert store.row_counts() == before


def test_file_over_the_size_limit_through_the_library_is_refused(store):
    before = store.row_counts()
    with pytest.raises(ImportRefused) as refusal:
        import_document(store, hostile.oversized(MAX_IMPORT_BYTES), "huge.txt")
    assert "split it into parts" in str(refusal.value)
    assert_plain_sentence(refusal.value)
    assert store.row_counts() == before


@pytest.mark.parametrize(("build", "filename", "fragment"), FILE_CASES)
def test_file_through_the_command_line_exits_1_with_one_sentence(tmp_path, build, filename,
                                                                 fragment):
    db = tmp_path / "w.db"
    Store(db).close()
    with Store(db) as store:
        before = store.row_counts()
    path = tmp_path / filename
    path.write_bytes(build())
    result = CliRunner().invoke(main, ["import", "--db", str(db), str(path)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # not an uncaught error
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}: not imported. ")
    assert fragment in lines[0] and "Traceback" not in result.output
    with Store(db) as store:
        assert store.row_counts() == before


def test_every_hostile_file_in_one_real_command_run(tmp_path):
    """The installed command in its own process: exit 1, one line per file, no traceback."""
    db = tmp_path / "w.db"
    paths = []
    for number, (build, filename, _) in enumerate(hostile.REFUSED):
        path = tmp_path / f"{number:02d}-{filename}"
        path.write_bytes(build())
        paths.append(str(path))
    done = subprocess.run(
        [sys.executable, "-m", "palimpsest", "import", "--db", str(db), *paths],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert done.stdout == "" and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert [line.split(": not imported. ")[0] for line in lines] == paths
    with Store(db) as store:
        assert store.count("documents") == 0 and store.integrity_ok()


# ================================================================ 2. strings

STRINGS = {
    "empty": "",
    "blank": "  \t ",
    "nul": "before\x00after",
    "control_chars": "\x01\x07\x1b[31mred\x1b[0m\x7f",
    "script_tag": "<script>alert(1)</script>",
    "img_onerror": "<img src=x onerror=alert(1)>",
    "javascript_link": "[click](javascript:alert(1))",
    "sql": "'; DROP TABLE annotations; --",
    "formula": '=HYPERLINK("http://evil.example","x")',
    "fts_operators": 'NEAR( "a" AND * OR -b ^c col:val',
    "arabic": "الجمعية العامة تعتمد القرار",
    "hebrew": "האסיפה הכללית מאמצת את ההחלטה",
    "bidi_override": "invoice\u202eexe.txt\u202c",
    "combining_decomposed": "Cafe\u0301 Z\u0301ro\u0301dlo A\u030a",
    "zalgo": "Z" + "\u0336\u0337\u0338\u0489" * 60,
    "emoji_sequences": "👩🏽‍⚖️ 🏳️‍🌈 🇨🇭 👨‍👩‍👧‍👦",
    "astral": "𐌰𐌱𐌲 𝔄𝔅 𠀀𠀁",
    "zero_width": "a\u200bb\u200cc\u200dd\ufeffe",
    "newlines": "one\r\ntwo\rthree\nfour",
    "semicolons": "a;b;;c; ;",
    "noncharacters": "\ufffe\uffff\U0010ffff",
    "lone_surrogate": "broken \ud800 pair",
    "json_like": '{"@context": "http://www.w3.org/ns/anno.jsonld"}',
    "path": "../../etc/passwd",
    "one_megabyte": "x" * MB,
}
STRING_IDS = list(STRINGS)
# What a title must be to be stored: something besides spaces, and storable as UTF-8.
TITLE_REFUSALS = {"empty": "needs a title", "blank": "needs a title",
                  "lone_surrogate": "broken characters"}


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reopened(store: Store) -> Store:
    return Store(store.path)


# Notes, tags and names are never refused. Stored as typed, except these (``clean_text``):
CLEANED = {
    "newlines": "one\ntwo\nthree\nfour",
    "combining_decomposed": unicodedata.normalize("NFC", STRINGS["combining_decomposed"]),
    "lone_surrogate": "broken \ufffd pair",  # cannot be stored as UTF-8
}

@pytest.mark.parametrize("name", STRING_IDS)
def test_hostile_note_and_rationale_come_back_as_typed(store, doc, name):
    value = STRINGS[name]
    made = create_annotation(store, doc, 0, 10, note=value, rationale=value, author="Ada")
    with _reopened(store) as again:
        [back] = list_annotations(again, doc)
    assert back == made
    assert back.note == back.rationale == CLEANED.get(name, value) == clean_text(value)


@pytest.mark.parametrize("name", STRING_IDS)
def test_hostile_tags_come_back_cleaned(store, doc, name):
    value = STRINGS[name]
    made = create_annotation(store, doc, 0, 10, tags=[value, "plain"])
    with _reopened(store) as again:
        [back] = list_annotations(again, doc)
    assert back.tags == made.tags == clean_tags([value, "plain"])
    assert back.tags[-1] == "plain"


@pytest.mark.parametrize("name", STRING_IDS)
def test_hostile_author_name_comes_back_cleaned(store, doc, name):
    value = STRINGS[name]
    made = create_annotation(store, doc, 0, 10, author=value)
    with _reopened(store) as again:
        [back] = list_annotations(again, doc)
    assert back.author == made.author == clean_author(value)


def _kept_title(given: str) -> str:
    return unicodedata.normalize("NFC", given.strip())


@pytest.mark.parametrize("name", STRING_IDS)
def test_hostile_title_on_import(store, name):
    value = STRINGS[name]
    made = outcome(store, lambda: import_document(store, TEXT.encode(), "accord.txt", title=value))
    if name == "lone_surrogate":
        assert isinstance(made, InvalidInput) and "broken characters" in str(made)
        return
    assert not isinstance(made, PalimpsestError), f"a storable title was refused: {made}"
    title = get_document(store, made).title
    assert title == (_kept_title(value) if value.strip() else "accord")  # else the file's name


@pytest.mark.parametrize("name", STRING_IDS)
def test_hostile_title_on_edit(store, doc, name):
    value = STRINGS[name]
    edited = outcome(store, lambda: update_metadata(store, doc, title=value))
    if name in TITLE_REFUSALS:
        assert isinstance(edited, PalimpsestError) and TITLE_REFUSALS[name] in str(edited)
        assert get_document(store, doc).title == "Accord"
        return
    assert not isinstance(edited, PalimpsestError), f"a storable title was refused: {edited}"
    assert get_document(store, doc).title == edited.title == _kept_title(value)


@pytest.mark.parametrize("name", STRING_IDS)
def test_hostile_search_query_and_filters(store, doc, name):
    value = STRINGS[name]
    create_annotation(store, doc, 0, 10, note="ceasefire terms", tags=["truce"], author="Ada")
    for kwargs in ({}, {"tag": value}, {"author": value}, {"document_id": doc}):
        assert search(store, value, **kwargs) == [], kwargs  # nothing here holds these words
    by_link = outcome(store, lambda: search(store, value, link_type=value))
    if value:
        assert isinstance(by_link, InvalidInput) and "Unknown link type" in str(by_link)
    else:
        assert by_link == []  # no words and no filter: nothing asked


@pytest.mark.parametrize("name", STRING_IDS)
def test_hostile_strings_on_the_read_page(db_path, name):
    value = STRINGS[name]
    title = value if value.strip() and _encodable(value) else "untitled"  # see the title tests
    with Store(db_path) as store:
        document_id = import_document(store, TEXT.encode(), "a.txt", title=title)
        create_annotation(store, document_id, 0, 10, note=value, tags=[value], author=value,
                          rationale=value)
    app = AppTest.from_file(str(ROOT / "pages" / "read.py"), default_timeout=60)
    app.query_params["doc"] = str(document_id)
    app.run()
    assert not app.exception, app.exception
    assert app.markdown, "the note is not shown"
    assert [m.proto.allow_html for m in app.markdown] == [False] * len(app.markdown)


# ================================================================ 3. CSV imports

def _csv(header: str, *rows: str | bytes) -> bytes:
    lines = [header.encode()] + [r if isinstance(r, bytes) else r.encode() for r in rows]
    return b"\r\n".join(lines) + b"\r\n"


REFUSED, ACCEPTED = "refused", "accepted"
CSV_CASES = {
    "unclosed_quote": (lambda: _csv("document_id,start,end,note", '1,0,10,"abc'),
                       REFUSED, "cannot be read"),
    "stray_quote": (lambda: _csv("document_id,start,end,note", '1,0,10,a"b"c'), ACCEPTED, 1),
    "latin1": (lambda: "document_id,start,end,note\r\n1,0,10,café\r\n".encode("latin-1"),
               REFUSED, "not UTF-8"),
    "utf16": (lambda: "document_id,start,end\r\n1,0,10\r\n".encode("utf-16"), REFUSED,
              "not UTF-8"),
    "empty": (lambda: b"", REFUSED, "empty"),
    "bom_only": (lambda: b"\xef\xbb\xbf", REFUSED, "empty"),
    "blank_lines": (lambda: b"\r\n\r\n\r\n", REFUSED, "empty"),
    "header_only": (lambda: _csv("document_id,start,end"), ACCEPTED, 0),
    "wrong_columns": (lambda: _csv("a,b,c", "1,2,3"), REFUSED, "not an annotation export"),
    "missing_end": (lambda: _csv("document_id,start", "1,0"), REFUSED,
                    "not an annotation export"),
    "more_cells_than_header": (lambda: _csv("document_id,start,end", "1,0,10,extra"), REFUSED,
                               "more cells"),
    "duplicate_column": (lambda: _csv("document_id,start,end,end", "1,0,10,5"), ACCEPTED, 1),
    "binary_garbage": (lambda: bytes(range(1, 256)) * 10, REFUSED, None),
    "formula_cells": (lambda: _csv("document_id,start,end,note,tags,author,rationale",
                                   "1,0,10,=1+1,+a;-b;@c,=cmd|' /C calc'!A0,\t=x"),
                      ACCEPTED, 1),
    "neutralised_formula": (lambda: _csv("document_id,start,end,note", "1,0,10,'=1+1"),
                            ACCEPTED, 1),
    "ten_mb_note": (lambda: _csv("document_id,start,end,note", b"1,0,10," + b"n" * (10 * MB)),
                    ACCEPTED, 1),
    "ten_mb_unknown_column": (lambda: _csv("document_id,start,end,junk",
                                           b"1,0,10," + b"j" * (10 * MB)), ACCEPTED, 1),
    "ten_mb_number": (lambda: _csv("document_id,start,end", b"1," + b"9" * (10 * MB) + b",10"),
                      REFUSED, None),
    "nul_in_cell": (lambda: _csv("document_id,start,end,note", b"1,0,10,a\x00b"), ACCEPTED, 1),
    "nul_in_header": (lambda: _csv("document_id,st\x00art,end", "1,0,10"), REFUSED, None),
    "only_nuls": (lambda: b"\x00" * 64, REFUSED, None),
    "huge_document_id": (lambda: _csv("document_id,start,end", "9" * 30 + ",0,10"), REFUSED,
                         None),
    "negative_start": (lambda: _csv("document_id,start,end", "1,-5,10"), REFUSED, "outside"),
    "reversed_span": (lambda: _csv("document_id,start,end", "1,10,0"), REFUSED, None),
    "float_offset": (lambda: _csv("document_id,start,end", "1,1.5,10"), REFUSED,
                     "whole number"),
    "links_not_objects": (lambda: _csv("document_id,start,end,links", "1,0,10,[1]"), REFUSED,
                          None),
    "links_a_string": (lambda: _csv("document_id,start,end,links", '1,0,10,"""x"""'), REFUSED,
                       None),
    "links_unknown_type": (lambda: _csv(
        "document_id,start,end,links",
        '1,0,10,"[{""link_type"": ""eats"", ""target_document_id"": 1}]"'), REFUSED,
        "Unknown link type"),
    "unknown_anchor_status": (lambda: _csv("document_id,start,end,anchor_status", "1,0,10,lost"),
                              REFUSED, "anchor status"),
    "crlf_inside_note": (lambda: _csv("document_id,start,end,note", '1,0,10,"a\r\nb\rc"'),
                         ACCEPTED, 1),
    "rtl_and_emoji_cells": (lambda: _csv("document_id,start,end,note,tags,author",
                                         "1,0,10,الجمعية 👩🏽‍⚖️,עברית;🇨🇭,Zoë"), ACCEPTED, 1),
    "many_rows": (lambda: _csv("document_id,start,end,note",
                               *(f"1,{n % 40},{n % 40 + 5},row {n}" for n in range(500))),
                  ACCEPTED, 500),
}


def _check_import(store: Store, result, expected: str, detail) -> None:
    if expected == REFUSED:
        assert isinstance(result, PalimpsestError), f"accepted: {result!r}"
        if detail:
            assert detail in str(result)
    else:
        assert expected == ACCEPTED
        assert not isinstance(result, PalimpsestError), f"refused: {result}"
        assert result == detail == store.count("annotations")
    assert_anchored_quotes_slice(store)
    assert store.integrity_ok()


@pytest.mark.parametrize("name", list(CSV_CASES))
def test_csv_import(store, doc, name):
    build, expected, detail = CSV_CASES[name]
    result = outcome(store, lambda: import_csv(store, build(), author="Importer"))
    _check_import(store, result, expected, detail)


def test_formula_cells_are_stored_as_typed_and_neutralised_again_on_export(store, doc):
    build, _, _ = CSV_CASES["formula_cells"]
    import_csv(store, build(), author="Importer")
    [made] = list_annotations(store)
    assert (made.note, made.tags, made.author) == ("=1+1", ("+a", "-b", "@c"),
                                                   "=cmd|' /C calc'!A0")
    exported = export_csv(store).decode("utf-8-sig")
    assert "'=1+1" in exported and "'=cmd|" in exported and ",=" not in exported


def test_nul_and_ten_megabyte_notes_survive_export_and_import(store, doc, tmp_path):
    import_csv(store, CSV_CASES["nul_in_cell"][0](), author="Importer")
    create_annotation(store, doc, 5, 15, note="n" * (10 * MB))
    with Store(tmp_path / "other.db") as other:
        import_document(other, TEXT.encode(), "accord.txt", title="Accord", language="en")
        assert import_csv(other, export_csv(store), author="Importer") == 2
        notes = sorted(len(a.note) for a in list_annotations(other))
        assert notes == [3, 10 * MB]
        assert "a\x00b" in {a.note for a in list_annotations(other)}


# ================================================================ 4. JSON-LD imports

def _annotation(selector, body=None, **extra) -> dict:
    item = {"type": "Annotation",
            "target": {"source": "urn:palimpsest:document:1", "selector": selector}}
    if body is not None:
        item["body"] = body
    return {**item, **extra}


def _position(start, end) -> dict:
    return {"type": "TextPositionSelector", "start": start, "end": end}


def _jsonld(*items) -> str:
    return json.dumps(list(items), ensure_ascii=True)


JSONLD_CASES = {
    "not_json": (lambda: "{not json", REFUSED, "not valid JSON"),
    "empty_text": (lambda: "", REFUSED, "not valid JSON"),
    "null": (lambda: "null", REFUSED, "no Web Annotations"),
    "number": (lambda: "3", REFUSED, "no Web Annotations"),
    "string": (lambda: '"Annotation"', REFUSED, "no Web Annotations"),
    "empty_list": (lambda: "[]", ACCEPTED, 0),
    "list_of_garbage": (lambda: '[1, "a", null]', REFUSED, "not a Web Annotation"),
    "deeply_nested": (lambda: "[" * 100_000 + "]" * 100_000, REFUSED, None),
    "target_a_string": (lambda: _jsonld({"type": "Annotation", "target": "x"}), REFUSED, None),
    "selector_a_number": (lambda: _jsonld(_annotation(5)), REFUSED, None),
    "float_offsets": (lambda: _jsonld(_annotation(_position(0.5, 10))), REFUSED, None),
    "string_offsets": (lambda: _jsonld(_annotation(_position("0", "10"))), REFUSED, None),
    "boolean_offsets": (lambda: _jsonld(_annotation(_position(False, True))), REFUSED,
                        "whole number"),
    "huge_offsets": (lambda: _jsonld(_annotation(_position(10**30, 10**31))), REFUSED,
                     "outside"),
    "nan_offsets": (lambda: '[{"type": "Annotation", "target": {"source": '
                    '"urn:palimpsest:document:1", "selector": {"type": "TextPositionSelector",'
                    ' "start": NaN, "end": Infinity}}}]', REFUSED, None),
    "quote_not_text": (lambda: _jsonld(_annotation({"type": "TextQuoteSelector", "exact": 5})),
                       REFUSED, None),
    "lone_surrogate_in_body": (lambda: _jsonld(_annotation(
        _position(0, 10), {"type": "TextualBody", "value": "bad \ud800 note"})), ACCEPTED, 1),
    "nul_in_body": (lambda: _jsonld(_annotation(
        _position(0, 10), {"type": "TextualBody", "value": "a\x00b"})), ACCEPTED, 1),
    "ten_mb_body": (lambda: _jsonld(_annotation(
        _position(0, 10), {"type": "TextualBody", "value": "b" * (10 * MB)})), ACCEPTED, 1),
    "links_not_objects": (lambda: _jsonld(_annotation(_position(0, 10), **{
        "palimpsest:links": [1, "x"]})), REFUSED, None),
    "anchor_status_not_text": (lambda: _jsonld(_annotation(
        _position(0, 10), **{"palimpsest:anchorStatus": 5})), REFUSED, None),
    "document_id_too_big": (lambda: _jsonld({"type": "Annotation", "target": {
        "source": "urn:palimpsest:document:" + "9" * 30, "selector": _position(0, 10)}}),
        REFUSED, None),
    "creator_a_list": (lambda: _jsonld(_annotation(_position(0, 10), creator=[1])), REFUSED,
                       None),
    "script_in_body": (lambda: _jsonld(_annotation(
        _position(0, 10), {"type": "TextualBody", "value": "<script>alert(1)</script>",
                           "format": "text/html"})), ACCEPTED, 1),
    "quote_only_rtl": (lambda: _jsonld(_annotation(
        {"type": "TextQuoteSelector", "exact": "Prisoners"},
        {"type": "TextualBody", "value": "الأسرى"})), ACCEPTED, 1),
}


@pytest.mark.parametrize("name", list(JSONLD_CASES))
def test_jsonld_import(store, doc, name):
    build, expected, detail = JSONLD_CASES[name]
    result = outcome(store, lambda: import_jsonld(store, build(), author="Importer"))
    _check_import(store, result, expected, detail)


# ================================================================ 5. query parameters

READ_PARAMS = {
    "doc_letters": {"doc": "abc"},
    "doc_negative": {"doc": "-1"},
    "doc_missing": {"doc": "99999"},
    "doc_too_big_for_sqlite": {"doc": "9" * 40},
    "doc_superscript_digit": {"doc": "²"},
    "doc_arabic_digits": {"doc": "١٢"},
    "doc_script": {"doc": "<script>alert(1)</script>"},
    "start_far_beyond": {"doc": "{a}", "start": "9999999", "end": "10000000"},
    "end_beyond": {"doc": "{a}", "start": "5", "end": "9999999"},
    "start_only": {"doc": "{a}", "start": "9999999"},
    "start_after_end": {"doc": "{a}", "start": "20", "end": "3"},
    "span_huge_numbers": {"doc": "{a}", "start": "9" * 30, "end": "9" * 31},
    "span_superscript": {"doc": "{a}", "start": "¹", "end": "²"},
    "p_script": {"p": "<script>alert(1)</script>"},
}
COMPARE_PARAMS = {
    "base_letters": {"base": "abc"},
    "base_negative": {"base": "-1"},
    "base_and_others_missing": {"base": "99999", "others": "99998"},
    "base_is_other": {"base": "{a}", "others": "{a}"},
    "others_garbage": {"others": "abc,,,-1,<b>"},
    "others_superscript": {"others": "²"},
    "p_script": {"p": "<script>alert(1)</script>"},
    "p_far_beyond": {"p": "99999999"},
    "p_negative": {"p": "-1"},
    "p_huge": {"p": "9" * 50},
    "p_superscript": {"p": "²"},
}


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory):
    """Two small versions, compared once so the Compare page reads the cached alignment."""
    path = tmp_path_factory.mktemp("params") / "w.db"
    with Store(path) as store:
        a = import_document(store, TEXT.encode(), "draft.txt", title="Draft", kind="draft",
                            language="en")
        b = import_document(store, TEXT.replace("thirty", "sixty").encode(), "final.txt",
                            title="Final", kind="final", language="en")
        compare(store, a, [b])
    return path, a


def _fill_params(params: dict, document_id: int) -> dict:
    return {name: value.replace("{a}", str(document_id)) for name, value in params.items()}


def _assert_no_error_elements(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]


@pytest.mark.parametrize("name", list(READ_PARAMS))
def test_read_page_query_parameters(two_documents, monkeypatch, name):
    path, document_id = two_documents
    monkeypatch.setenv("PALIMPSEST_DB", str(path))
    app = AppTest.from_file(str(ROOT / "pages" / "read.py"), default_timeout=60)
    for key, value in _fill_params(READ_PARAMS[name], document_id).items():
        app.query_params[key] = value
    app.run()
    _assert_no_error_elements(app)
    assert app.subheader, "no document is shown"
    if name == "doc_missing":
        assert "not in this workbench" in app.warning[0].value


@pytest.mark.parametrize("name", list(COMPARE_PARAMS))
def test_compare_page_query_parameters(two_documents, monkeypatch, name):
    path, document_id = two_documents
    monkeypatch.setenv("PALIMPSEST_DB", str(path))
    app = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=90)
    app.run()
    app.switch_page("pages/compare.py")
    for key, value in _fill_params(COMPARE_PARAMS[name], document_id).items():
        app.query_params[key] = value
    app.run()
    _assert_no_error_elements(app)
    assert app.title[0].value == "Compare"


# ================================================================ 6. Unicode and long texts

UNICODE_TEXTS = {
    "unicode_heavy": (hostile.UNICODE_HEAVY, ["الجمعية العامة", "האסיפה", "Café", "👩🏽‍⚖️",
                                              "🇨🇭", "𝔄𝔅", "\u202eevil"]),
    "arabic_only": ("المادة ١. تتفق الأطراف على وقف إطلاق النار.\n\n"
                    "المادة ٢. يتم تبادل الأسرى في غضون ثلاثين يومًا.\n",
                    ["وقف إطلاق النار", "الأسرى", "ثلاثين"]),
    "hebrew_with_points": ("סעיף 1. הַצְּדָדִים מַסְכִּימִים.\n\nסעיף 2. שבויים יוחלפו.\n",
                           ["הַצְּדָדִים", "שבויים"]),
    "combining_decomposed": ("Article 1. Le ministre de\u0301cide a\u0300 Gene\u0300ve.\n\n"
                             "Article 2. L'e\u0301te\u0301 fut long.\n",
                             ["décide à Genève", "L'été"]),
    "emoji_everywhere": ("Clause 1 📜 signed 👩🏽‍⚖️ at noon 🕛.\n\nClause 2 🇨🇭🇫🇷 agreed 🤝.\n",
                         ["📜", "👩🏽‍⚖️", "🇨🇭🇫🇷", "agreed 🤝"]),
    "mixed_directions": ("Le traité (המסמך) fut signé (المعاهدة) à Genève.\n",
                         ["(המסמך)", "(المعاهدة) à"]),
    "long_single_line": (hostile.huge_single_line().decode(), ["minutes were read aloud. "]),
    "many_short_lines": ("".join(f"Line {n}: é😀ש\n\n" for n in range(20_000)),
                         ["Line 19999: é😀ש", "Line 0: é"]),
}


def _annotate_phrases(store: Store, document_id: int, phrases: list[str]) -> None:
    text = get_document(store, document_id).text
    for phrase in phrases:
        phrase = unicodedata.normalize("NFC", phrase)
        start = text.rindex(phrase)  # the last occurrence: deep into long texts
        create_annotation(store, document_id, start, start + len(phrase), note=phrase,
                          tags=[phrase], author="Zoë")


def _spans(store: Store) -> list[tuple]:
    return sorted((a.start, a.end, a.exact, a.note, a.anchor_status)
                  for a in list_annotations(store))


@pytest.mark.parametrize("name", list(UNICODE_TEXTS))
def test_unicode_text_round_trips_through_import_store_and_export(store, tmp_path, name):
    text, phrases = UNICODE_TEXTS[name]
    data = text.encode("utf-8")
    document_id = import_document(store, data, f"{name}.txt")
    stored = get_document(store, document_id).text
    assert stored == unicodedata.normalize("NFC", text)
    assert original_bytes(store, document_id)[1] == data
    _annotate_phrases(store, document_id, phrases)
    assert_anchored_quotes_slice(store)
    expected = _spans(store)
    for fmt, export, load in (("csv", export_csv, import_csv),
                              ("jsonld", export_jsonld, import_jsonld)):
        with Store(tmp_path / f"{fmt}.db") as other:
            assert import_document(other, data, f"{name}.txt") == document_id
            assert load(other, export(store), author="Importer") == len(phrases)
            assert _spans(other) == expected, fmt
            assert_anchored_quotes_slice(other)
    _assert_tei_ranges_slice(store, document_id, stored)


def _assert_tei_ranges_slice(store: Store, document_id: int, text: str) -> None:
    tei = "{http://www.tei-c.org/ns/1.0}"
    root = etree.fromstring(export_tei(store, document_id).encode("utf-8"))
    ab = "".join(root.find(f"{tei}text/{tei}body/{tei}ab").itertext())
    assert len(ab) == len(text)
    quotes = {a.exact for a in list_annotations(store, document_id)}
    for element in root.iter(f"{tei}annotation"):
        offset, length = map(int, element.get("target").rstrip(")").split(",")[-2:])
        assert text[offset : offset + length] in quotes


def test_text_with_a_nul_is_refused_as_binary(store):
    result = outcome(store, lambda: import_document(store, b"Minutes\x00 of the meeting.\n",
                                                    "minutes.txt"))
    assert isinstance(result, ImportRefused) and "does not look like text" in str(result)


HOSTILE_ALPHABET = st.sampled_from(
    list("ae é\n\r\t.;") + ["ש", "ع", "😀", "\u0301", "🇨", "🇭", "\u200d", "𝔸", "\u202e", "\u00a0"]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(HOSTILE_ALPHABET, min_size=1, max_size=60), st.data())
def test_any_hostile_text_keeps_offsets_through_csv_and_jsonld(body, data):
    text = "Opening words. " + body + " Closing words."
    raw = text.encode("utf-8")
    with Store(":memory:") as store:
        document_id = import_document(store, raw, "t.txt")
        stored = get_document(store, document_id).text
        start = data.draw(st.integers(0, len(stored) - 1))
        end = data.draw(st.integers(start + 1, len(stored)))
        made = create_annotation(store, document_id, start, end, note=body, tags=[body])
        assert stored[made.start : made.end] == made.exact
        for export, load in ((export_csv, import_csv), (export_jsonld, import_jsonld)):
            with Store(":memory:") as other:
                import_document(other, raw, "t.txt")
                assert load(other, export(store), author="Importer") == 1
                [back] = list_annotations(other)
                assert (back.start, back.end, back.exact) == (start, end, stored[start:end])
                assert (back.note, back.tags) == (made.note, made.tags)
