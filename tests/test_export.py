"""Export and import: Excel-safe CSV, W3C Web Annotation JSON-LD, TEI stand-off, the CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from defusedxml import ElementTree as SafeET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.export import (
    CSV_COLUMNS,
    export_csv,
    export_jsonld,
    export_tei,
    import_csv,
    import_jsonld,
)
from annotations.model import LINK_TYPES, AnnotationLink
from annotations.notes import create_annotation, delete_annotation, list_annotations
from annotations.safe_csv import neutralise, read_csv, restore, write_csv
from annotations.store import Store
from palimpsest.export_command import export
from sources.errors import InvalidInput
from tests.test_annotations import add_document

TEXT = (
    "Article 1. The parties agree to a ceasefire.\n\n"
    "Article 2. Prisoners shall be exchanged within thirty days. 😀 Café\n\n"
    "Article 3. A commission will verify compliance."
)
FRENCH = "Article 1. Les parties conviennent d'un cessez-le-feu."
TEI = "{http://www.tei-c.org/ns/1.0}"


def documents(store: Store) -> tuple[int, int]:
    """The same two documents, with the same ids, in every store."""
    first = add_document(store, TEXT, title="Accord (final)",
                         pages=[("1", 0, 46), ("2", 46, len(TEXT))],
                         passages=[("Art. 1", 0, 44), ("Art. 2", 46, 112)])
    second = add_document(store, FRENCH, title="Accord (FR)", language="fr")
    return first, second


@pytest.fixture
def store():
    with Store(":memory:") as opened:
        yield opened


@pytest.fixture
def docs(store):
    return documents(store)


def fresh_store_like(store_docs=True) -> Store:
    fresh = Store(":memory:")
    if store_docs:
        documents(fresh)
    return fresh


def rows_of(data: bytes) -> list[dict]:
    return read_csv(data)[1]


# ---------------------------------------------------------------- safe CSV

@pytest.mark.parametrize("cell", ["=1+1", "+41", "-2", "@SUM(A1)", "\tx", "\rx", "'quoted", "'=x"])
def test_neutralise_and_restore_are_inverse(cell):
    assert neutralise(cell).startswith("'") and restore(neutralise(cell)) == cell


def test_plain_cells_are_left_alone():
    assert neutralise("Article 1") == "Article 1"
    assert neutralise(None) == "" and neutralise(3) == "3"


@settings(max_examples=100)
@given(st.lists(st.lists(st.text(), min_size=2, max_size=2), max_size=5))
def test_csv_writer_round_trips_any_text(rows):
    header, read = read_csv(write_csv(["a", "b"], rows))
    expected = [r for r in rows if any(c.replace("\r\n", "\n") for c in r)]
    assert header == ["a", "b"]
    assert [[row["a"], row["b"]] for row in read] == [[a, b] for a, b in expected]


def test_csv_has_bom_and_crlf():
    data = write_csv(["a"], [["x"]])
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")


# ---------------------------------------------------------------- CSV export / import

def test_csv_export_has_one_row_per_live_annotation_with_labels(store, docs):
    first, second = docs
    start = TEXT.index("Prisoners")
    made = create_annotation(store, first, start, start + 9, note="who?", tags=["a", "b"],
                             reliability="C", credibility=3, author="Ada",
                             links=[AnnotationLink("translation-of", second, 0, 10)])
    gone = create_annotation(store, first, 0, 7)
    delete_annotation(store, gone.id, author="Ada")
    rows = rows_of(export_csv(store))
    assert len(rows) == 1 and list(rows[0]) == list(CSV_COLUMNS)
    row = rows[0]
    assert (row["id"], row["document_title"], row["page"], row["passage"]) == (
        made.id, "Accord (final)", "2", "Art. 2")
    assert (row["exact"], row["tags"], row["reliability"], row["credibility"]) == (
        "Prisoners", "a;b", "C", "3")
    assert json.loads(row["links"])[0]["link_type"] == "translation-of"


def test_formula_cells_are_neutralised_in_the_file_and_restored_on_import(store, docs):
    note = '=HYPERLINK("http://x","y")'
    create_annotation(store, docs[0], 0, 7, note=note, tags=["@risk", "-minus"], rationale="+1")
    data = export_csv(store)
    assert b'\'=HYPERLINK(""http://x"",""y"")' in data
    assert b",=HYPERLINK" not in data and b',"=HYPERLINK' not in data
    fresh = fresh_store_like()
    assert import_csv(fresh, data, author="Bob") == 1
    back = list_annotations(fresh)[0]
    assert (back.note, back.tags, back.rationale) == (note, ("@risk", "-minus"), "+1")


def test_reimporting_the_same_file_adds_nothing(store, docs):
    create_annotation(store, docs[0], 0, 7)
    data = export_csv(store)
    assert import_csv(store, data, author="Ada") == 0
    assert store.count("annotations") == 1


def test_import_matches_documents_by_title_when_ids_differ(store, docs):
    create_annotation(store, docs[1], 0, 10, note="fr")
    data = export_csv(store, [docs[1]])
    other = Store(":memory:")
    add_document(other, "padding document", title="Something else")
    add_document(other, "more padding", title="And another")
    fr = add_document(other, FRENCH, title="Accord (FR)")
    assert import_csv(other, data, author="Bob") == 1
    assert list_annotations(other)[0].document_id == fr


def test_import_reanchors_when_the_text_changed(store, docs):
    start = TEXT.index("thirty days")
    create_annotation(store, docs[0], start, start + 11)
    data = export_csv(store)
    other = Store(":memory:")
    changed = add_document(other, "New preamble.\n\n" + TEXT, title="Accord (final)")
    assert import_csv(other, data, author="Bob") == 1
    back = list_annotations(other)[0]
    assert (back.document_id, back.exact, back.anchor_status) == (changed, "thirty days",
                                                                  "anchored")
    assert back.start == start + len("New preamble.\n\n")


@pytest.mark.parametrize("data, words", [
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"", "empty"),
    (b"a,b\r\n1,2\r\n", "not an annotation export"),
    (b"document_id,start,end\r\n1,0,7,extra\r\n", "Row 2"),
    (b"document_id,start,end\r\n99,0,7\r\n", "Row 2 of the CSV file: Document 99"),
    (b"document_title,start,end\r\nNope,0,7\r\n", "“Nope” is not in this workbench"),
    (b"document_id,start,end,credibility\r\n1,0,7,9\r\n", "1 to 6"),
    (b"document_id,start,end\r\n1,zero,7\r\n", "whole number"),
    (b"document_id,start,end\r\n1,0,100000\r\n", "outside the document"),
    (b"document_id,start,end,links\r\n1,0,7,{oops\r\n", "not valid JSON"),
    (b"document_id,start,end,created_at\r\n1,0,7,yesterday\r\n", "ISO 8601"),
])
def test_bad_csv_files_are_refused_in_plain_words(store, docs, data, words):
    with pytest.raises(InvalidInput, match=words):
        import_csv(store, data, author="Ada")
    assert store.count("annotations") == 0


def test_csv_import_is_all_or_nothing(store, docs):
    data = b"document_id,start,end\r\n1,0,7\r\n1,0,100000\r\n"
    with pytest.raises(InvalidInput, match="Row 3"):
        import_csv(store, data, author="Ada")
    assert store.count("annotations") == 0 and store.count("annotation_history") == 0


def test_a_hand_made_csv_with_offsets_only_is_quoted_from_the_text(store, docs):
    assert import_csv(store, b"document_id,start,end,note\r\n1,0,10,hi\r\n",
                      author="Ada") == 1
    made = list_annotations(store)[0]
    assert (made.exact, made.author, made.note) == ("Article 1.", "Ada", "hi")


# ---------------------------------------------------------------- round trips (properties)

notes = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
                max_size=40)
tag_lists = st.lists(st.text("abcé =+-@'\"", min_size=1, max_size=6), max_size=3)


@st.composite
def annotation_specs(draw):
    on_second = draw(st.booleans())
    text = FRENCH if on_second else TEXT
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 40)))
    links = draw(st.lists(st.builds(
        lambda kind, s: AnnotationLink(kind, 2, s, s + 3),
        st.sampled_from(LINK_TYPES), st.integers(0, len(FRENCH) - 3)), max_size=2))
    return dict(
        second=on_second, start=start, end=end, note=draw(notes), tags=draw(tag_lists),
        reliability=draw(st.sampled_from([None, "A", "F"])),
        credibility=draw(st.sampled_from([None, 1, 6])), rationale=draw(notes),
        author=draw(st.sampled_from(["", "Ada", "=cmd|' /C calc'!A0", "Zoë"])), links=links,
        target=draw(st.sampled_from([None, (2, 0, 5)])),
    )


def _fill(store: Store, specs: list[dict]) -> None:
    first, second = documents(store)
    for spec in specs:
        spec = dict(spec)
        doc = second if spec.pop("second") else first
        create_annotation(store, doc, spec.pop("start"), spec.pop("end"), **spec)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(annotation_specs(), max_size=6))
def test_csv_export_import_export_is_identical(specs):
    with Store(":memory:") as source, fresh_store_like() as target:
        _fill(source, specs)
        first = export_csv(source)
        assert import_csv(target, first, author="Importer") == len(specs)
        assert export_csv(target) == first


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(annotation_specs(), max_size=6))
def test_jsonld_export_import_export_is_identical(specs):
    with Store(":memory:") as source, fresh_store_like() as target:
        _fill(source, specs)
        first = export_jsonld(source)
        assert import_jsonld(target, first, author="Importer") == len(specs)
        assert export_jsonld(target) == first


def test_review_annotations_survive_the_round_trip(store, docs):
    made = create_annotation(store, docs[0], 0, 7)
    with store.transaction() as db:
        db["annotations"].update(made.id, {"anchor_status": "review", "start": 0, "end": 0,
                                           "exact": "a quote from an older version",
                                           "anchor_confidence": 0.25})
    for exporter, importer in ((export_csv, import_csv), (export_jsonld, import_jsonld)):
        with fresh_store_like() as target:
            importer(target, exporter(store), author="Bob")
            back = list_annotations(target)[0]
            assert (back.anchor_status, back.exact, back.anchor_confidence) == (
                "review", "a quote from an older version", 0.25)


# ---------------------------------------------------------------- JSON-LD shape

def test_jsonld_follows_the_web_annotation_model(store, docs):
    start = TEXT.index("Prisoners")
    made = create_annotation(store, docs[0], start, start + 9, note="*who*?", tags=["x"],
                             reliability="B", credibility=2, rationale="two witnesses",
                             author="Ada", target=(docs[1], 0, 10),
                             links=[AnnotationLink("quotes", docs[1], 0, 10)])
    data = json.loads(export_jsonld(store))
    assert data["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 1
    item = data["first"]["items"][0]
    assert item["id"] == f"urn:uuid:{made.id}" and item["type"] == "Annotation"
    assert item["motivation"] == "commenting" and item["creator"]["name"] == "Ada"
    assert item["body"] == [
        {"type": "TextualBody", "purpose": "commenting", "format": "text/markdown",
         "value": "*who*?"},
        {"type": "TextualBody", "purpose": "tagging", "value": "x"},
    ]
    main, second = item["target"]
    assert main["source"]["id"] == f"urn:palimpsest:document:{docs[0]}"
    quote, position = main["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == "Prisoners"
    assert position == {"type": "TextPositionSelector", "start": start, "end": start + 9}
    assert second["selector"]["start"] == 0 and second["source"]["language"] == "fr"
    assert (item["palimpsest:reliability"], item["palimpsest:credibility"]) == ("B", 2)
    assert item["palimpsest:links"][0]["palimpsest:linkType"] == "quotes"


def test_jsonld_from_another_tool_is_anchored_by_its_quote(store, docs):
    foreign = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://hypothes.is/a/abc123", "type": "Annotation",
        "body": {"type": "TextualBody", "value": "Interesting"},
        "target": {"source": "urn:palimpsest:document:1",
                   "selector": {"type": "TextQuoteSelector", "exact": "thirty days",
                                "prefix": "exchanged within ", "suffix": ". "}},
    }
    assert import_jsonld(store, json.dumps(foreign), author="Ada") == 1
    made = list_annotations(store)[0]
    assert TEXT[made.start : made.end] == "thirty days" and made.note == "Interesting"
    assert made.author == "" and made.anchor_status == "anchored"  # no creator: unknown


@pytest.mark.parametrize("text, words", [
    ("{not json", "not valid JSON"),
    ('{"type": "Person"}', "no Web Annotations"),
    ('{"type": "AnnotationCollection", "first": "https://x/page1"}', "separate pages"),
    ('[{"type": "Annotation"}]', "Annotation 1 of the file: This annotation has no target"),
    ('[{"type": "Annotation", "target": {"source": "https://elsewhere.org/doc"}}]',
     "“https://elsewhere.org/doc” is not in this workbench"),
    ('[{"type": "Annotation", "target": {"source": "urn:palimpsest:document:1"}}]',
     "start and an end, or a quote"),
    ('[{"type": "Annotation", "target": {"selector": []}}]', "which document"),
])
def test_bad_jsonld_is_refused(store, docs, text, words):
    with pytest.raises(InvalidInput, match=words):
        import_jsonld(store, text, author="Ada")


# ---------------------------------------------------------------- TEI

def _parse(xml: str):
    return SafeET.fromstring(xml.encode("utf-8"))


def test_tei_is_well_formed_and_string_ranges_point_at_the_quotes(store, docs):
    quotes = ["Prisoners", "😀 Café", "verify"]
    for quote in quotes:
        start = TEXT.index(quote)
        create_annotation(store, docs[0], start, start + len(quote),
                          note="<b>&amp;</b> \"quoted\" \x0b", tags=["a<b"])
    root = _parse(export_tei(store, docs[0]))
    ab = root.find(f"{TEI}text/{TEI}body/{TEI}ab")
    text = "".join(ab.itertext())
    assert text == TEXT and len(ab.findall(f"{TEI}pb")) == 2
    annotations = root.findall(f"{TEI}standOff/{TEI}listAnnotation/{TEI}annotation")
    assert len(annotations) == 3
    for element in annotations:
        target = element.get("target")
        assert target.startswith("#string-range(//ab[@xml:id='doc-1'],")
        offset, length = map(int, target.rstrip(")").split(",")[-2:])
        assert text[offset : offset + length] in quotes
        note = element.find(f"{TEI}note[@type='comment']").text
        assert note == "<b>&amp;</b> \"quoted\" \ufffd"


def test_tei_links_point_into_other_documents_and_annotations(store, docs):
    first, second = docs
    other = create_annotation(store, second, 0, 8)
    create_annotation(store, first, 0, 7, target=(second, 11, 18), links=[
        AnnotationLink("translation-of", second, 11, 18),
        AnnotationLink("corroborates", target_annotation_id=other.id),
        AnnotationLink("quotes", first),
    ])
    element = _parse(export_tei(store, first)).find(
        f"{TEI}standOff/{TEI}listAnnotation/{TEI}annotation")
    assert element.get("target").split(" ") == [
        "#string-range(//ab[@xml:id='doc-1'],0,7)",
        "doc-2.xml#string-range(//ab[@xml:id='doc-2'],11,7)",
    ]
    assert [(p.get("type"), p.get("target")) for p in element.findall(f"{TEI}ptr")] == [
        ("translation-of", "doc-2.xml#string-range(//ab[@xml:id='doc-2'],11,7)"),
        ("corroborates", f"doc-2.xml#ann-{other.id}"),
        ("quotes", "#doc-1"),
    ]


def test_tei_without_annotations_has_no_empty_list(store, docs):
    root = _parse(export_tei(store, docs[1]))
    assert root.find(f"{TEI}standOff") is None
    assert root.find(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}titleStmt/{TEI}title").text == (
        "Accord (FR)")


# ---------------------------------------------------------------- command line

@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "workbench.db"
    with Store(path) as store:
        first, _ = documents(store)
        create_annotation(store, first, 0, 10, note="=1+1", author="Ada")
    return path


@pytest.mark.parametrize("fmt, marker", [("csv", b"\xef\xbb\xbfid,document_id"),
                                         ("jsonld", b'"AnnotationCollection"')])
def test_cli_exports_to_stdout(db_file, fmt, marker):
    result = CliRunner().invoke(export, ["--format", fmt, "--db", str(db_file)])
    assert result.exit_code == 0, result.output
    assert marker in result.stdout_bytes


def test_cli_writes_a_file_and_filters_documents(db_file, tmp_path):
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(export, ["--db", str(db_file), "--document", "2",
                                         "--output", str(out)])
    assert result.exit_code == 0 and "Wrote" in result.output
    assert rows_of(out.read_bytes()) == []


def test_cli_tei_needs_exactly_one_document(db_file):
    result = CliRunner().invoke(export, ["--format", "tei", "--db", str(db_file)])
    assert result.exit_code == 2 and "exactly one --document" in result.output
    ok = CliRunner().invoke(export, ["--format", "tei", "--document", "1", "--db", str(db_file)])
    assert ok.exit_code == 0 and b"<listAnnotation>" in ok.stdout_bytes


def test_cli_reports_errors_in_plain_words(db_file, tmp_path):
    missing = CliRunner().invoke(export, ["--db", str(tmp_path / "nope.db")])
    assert missing.exit_code == 1 and "no workbench database" in missing.output
    assert not (tmp_path / "nope.db").exists()
    unknown = CliRunner().invoke(export, ["--db", str(db_file), "--document", "42"])
    assert unknown.exit_code == 1 and "no document with the id 42" in unknown.output


def test_cli_uses_the_default_database(db_file, monkeypatch):
    monkeypatch.setenv("PALIMPSEST_DB", str(db_file))
    result = CliRunner().invoke(export, ["--format", "csv"])
    assert result.exit_code == 0 and b"'=1+1" in result.stdout_bytes
