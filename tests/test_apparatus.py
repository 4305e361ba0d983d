"""The comparison as a TEI critical apparatus (annotations.apparatus): well-formed,
every reading with the right witness, both witnesses' texts recoverable from it."""

from __future__ import annotations

import pytest
from lxml import etree

from annotations.apparatus import comparison_tei
from annotations.collation import compare
from annotations.demo import load_demo
from annotations.documents import get_document, import_document
from annotations.meaning import decide_variant
from sources.variants import VARIANT_TYPES
from tests.test_meaning import DRAFT, FINAL

TEI = {"t": "http://www.tei-c.org/ns/1.0"}
PASSAGE_TYPES = ("equal", "changed", "moved", "removed", "added")


def reading(block, witness: str) -> str:
    """The text of ``block`` as ``witness`` reads it: common text plus its readings."""
    parts = [block.text or ""]
    for child in block:
        if child.tag == f"{{{TEI['t']}}}app" and child.get("ana") != "#discrepancy":
            parts += [r.text or "" for r in child.findall("t:rdg", TEI)
                      if r.get("wit") == f"#{witness}"]
        parts.append(child.tail or "")
    return "".join(parts)


@pytest.fixture
def apparatus(store):
    draft = import_document(store, DRAFT.encode(), "draft.txt", language="fr", kind="draft")
    final = import_document(store, FINAL.encode(), "final.txt", language="fr", kind="final")
    comparison = compare(store, draft, [final])
    [negation] = [v for _, v in comparison.flagged() if v.type == "negation"]
    decide_variant(store, draft, final, negation.variant, significant=False)
    xml = comparison_tei(compare(store, draft, [final]))
    return store, draft, final, etree.fromstring(xml.encode("utf-8"))


def test_the_apparatus_is_well_formed_tei_with_its_witnesses(apparatus):
    _, _, _, root = apparatus
    assert root.tag == f"{{{TEI['t']}}}TEI"
    assert [w.get("{http://www.w3.org/XML/1998/namespace}id")
            for w in root.findall(".//t:listWit/t:witness", TEI)] == ["A", "B"]
    assert root.find(".//t:variantEncoding", TEI).get("method") == "parallel-segmentation"


def test_each_place_has_one_reading_per_witness_and_a_type_from_the_vocabulary(apparatus):
    _, _, _, root = apparatus
    apps = root.findall(".//t:app", TEI)
    assert [a.get("type") for a in apps] == ["modality", "number", "date", "formal", "negation"]
    for app in apps:
        assert app.get("type") in VARIANT_TYPES
        assert [r.get("wit") for r in app.findall("t:rdg", TEI)] == ["#A", "#B"]
    negation = next(a for a in apps if a.get("type") == "negation")
    assert negation.get("ana") == "#not-significant"
    assert [r.text for r in negation] == ["peut", "ne peut pas"]


def test_each_witness_reads_its_own_text_back(apparatus):
    store, draft, final, root = apparatus
    blocks = root.findall(".//t:body/t:ab", TEI)
    assert {b.get("type") for b in blocks} <= set(PASSAGE_TYPES)
    texts = [get_document(store, d) for d in (draft, final)]
    for witness, doc in zip("AB", texts, strict=True):
        read = [reading(b, witness) for b in blocks]
        assert [t for t in read if t] == [doc.text[p.start:p.end] for p in doc.passages]


def test_the_demo_apparatus_carries_the_cut_part_and_its_disagreement(store):
    ids = load_demo(store)
    root = etree.fromstring(comparison_tei(
        compare(store, ids["draft"], [ids["final"], ids["annex"]])).encode("utf-8"))
    removed = root.findall(".//t:app[@type='removed']", TEI)
    assert len(removed) == 21
    assert all(r.find("t:rdg[@type='translation']", TEI) is not None for r in removed)
    [disagreement] = root.findall(".//t:app[@ana='#discrepancy']", TEI)
    assert (disagreement.get("type"), [r.text or "" for r in disagreement]) == ("number",
                                                                                ["", "30"])
    assert [r.get("wit") for r in disagreement] == ["#A", "#C"]
    blocks = root.findall(".//t:body/t:ab", TEI)
    for witness, kind in (("A", "draft"), ("B", "final")):
        doc = get_document(store, ids[kind])
        read = sorted(t for t in (reading(b, witness) for b in blocks) if t)
        assert read == sorted(doc.text[p.start:p.end] for p in doc.passages)
