"""All versions at once: the table aligned through the base, its TEI and JSON exports,
and the Compare page's "All versions" tab, on a fresh database.

Darwin's chapter 1 in six editions (``../shared/corpora/darwin``) is checked against
its gold paragraph table.
"""

from __future__ import annotations

import csv
import json

import pytest
from lxml import etree

from annotations.apparatus import witnesses_tei
from annotations.collation import compare
from annotations.documents import import_document
from annotations.store import Store
from annotations.witnesses import table_json, witness_table
from sources.variation import words
from tests.conftest import ROOT
from tests.test_compare_new import open_compare

TEI = "{http://www.tei-c.org/ns/1.0}"
BASE = """The Committee met in Geneva from 3 to 14 March.

The delegations examined the testimony gathered in the camps.

Thirteen pages describe summary executions in three provinces.

The Committee recommends that the inquiry continue."""
SECOND = """The Committee met in Geneva from 3 to 14 March.

The delegations briefly examined the testimony gathered.

Thirteen pages describe summary executions in three provinces.

A note on sources was added by the secretariat in the second version.

The Committee recommends that the inquiry continue."""
THIRD = """The Committee met in Geneva from 3 to 14 March.

The delegations briefly examined the testimony gathered in the refugee camps.

A note on sources was added by the secretariat in the second version!

The Committee recommends that the inquiry continue."""


@pytest.fixture
def three(tmp_path, monkeypatch):
    path = tmp_path / "three.db"
    monkeypatch.setenv("PALIMPSEST_DB", str(path))
    with Store(path) as store:
        ids = [import_document(store, text.encode(), f"v{k}.txt", kind=kind, language="en",
                               title=f"Report v{k}")
               for k, (text, kind) in enumerate(((BASE, "draft"), (SECOND, "draft"),
                                                 (THIRD, "final")), start=1)]
    return path, ids


def statuses(table):
    return [(row.base.seq if row.base else None, [c.status for c in row.cells])
            for row in table.rows]


def test_rows_follow_the_base_and_one_addition_shared_by_two_versions_is_one_row(three):
    path, ids = three
    with Store(path) as store:
        table = witness_table(compare(store, ids[0], ids[1:]))
    assert table.sigla == ("A", "B", "C")
    assert statuses(table) == [
        (1, ["equal", "equal", "equal"]),
        (2, ["equal", "changed", "changed"]),
        (3, ["equal", "equal", "absent"]),
        (None, ["absent", "added", "added"]),  # "…second version." and "…version!" alike
        (4, ["equal", "equal", "equal"]),
    ]
    assert [row.differing for row in table.rows] == [0, 2, 1, 2, 0]


def test_json_export_names_every_witness_and_cell(three):
    path, ids = three
    with Store(path) as store:
        data = json.loads(json.dumps(table_json(witness_table(compare(store, ids[0], ids[1:])))))
    assert [w["siglum"] for w in data["witnesses"]] == ["A", "B", "C"]
    assert [w["document_id"] for w in data["witnesses"]] == ids
    row = data["rows"][1]
    assert row["cells"]["C"]["status"] == "changed"
    assert row["cells"]["C"]["text"].endswith("in the refugee camps.")
    assert data["rows"][2]["cells"]["C"] == {"status": "absent", "passages": [], "place": None,
                                             "text": ""}


def readings_by_witness(tei: str, sigla) -> dict[str, list[str]]:
    """Each witness's text of every <ab>, rebuilt from the shared text and its readings."""
    root = etree.fromstring(tei.encode())
    rebuilt = {s: [] for s in sigla}
    for block in root.iter(f"{TEI}ab"):
        parts = {s: [block.text or ""] for s in sigla}
        for app in block.findall(f"{TEI}app"):
            seen = []
            for rdg in app.findall(f"{TEI}rdg"):
                for wit in rdg.get("wit").split():
                    siglum = wit.lstrip("#")
                    seen.append(siglum)
                    parts[siglum].append(rdg.text or "")
            assert sorted(seen) == sorted(set(seen))  # each witness in one reading at most
            for s in sigla:
                parts[s].append(app.tail or "")
        for s in sigla:
            rebuilt[s].append(" ".join(words(" ".join(parts[s]))))
    return rebuilt


def test_tei_apparatus_is_well_formed_and_gives_each_witness_back(three):
    path, ids = three
    with Store(path) as store:
        table = witness_table(compare(store, ids[0], ids[1:]))
    tei = witnesses_tei(table)
    root = etree.fromstring(tei.encode())
    assert [w.get("{http://www.w3.org/XML/1998/namespace}id")
            for w in root.iter(f"{TEI}witness")] == ["A", "B", "C"]
    rebuilt = readings_by_witness(tei, table.sigla)
    for k, siglum in enumerate(table.sigla):
        expected = [" ".join(words(row.cells[k].text)) for row in table.rows]
        assert rebuilt[siglum] == expected
    changed = root.findall(f".//{TEI}ab[@n='2']/{TEI}app")
    assert [[(r.get("wit"), r.text) for r in app] for app in changed][0] == [
        ("#A", None), ("#B #C", "briefly")]
    for app in root.iter(f"{TEI}app"):  # every witness of the row is in exactly one reading
        wits = [w for rdg in app for w in rdg.get("wit").split()]
        assert sorted(wits) == ["#A", "#B", "#C"]


def test_all_versions_tab_shows_the_sigla_the_rows_and_the_counts(three):
    _, ids = three
    at = open_compare("All versions", base=ids[0], others=",".join(map(str, ids[1:])))
    assert not at.exception
    tab = next(t for t in at.tabs if t.label == "All versions")
    text = " ".join(m.value for m in tab.markdown)
    assert "Report v1" in text and "Report v3" in text
    captions = " ".join(c.value for c in tab.caption)
    assert "5 passages; 3 differ in at least one version, 2 in all 2." in captions
    shown = [m.value for m in tab.markdown]
    assert "**C** · absent" in shown
    assert "**A** · base" in shown
    assert any("~~in the camps~~" in m for m in shown)  # B's dropped words struck through
    assert any("**:orange-background[refugee]**" in m for m in shown)  # C's added word
    assert "**¶ 1**" not in " ".join(shown)  # equal everywhere: hidden by default
    tab.toggle[0].set_value(False).run()
    tab = next(t for t in at.tabs if t.label == "All versions")
    assert any(m.value.startswith("**¶ 1**") for m in tab.markdown)


def test_a_page_past_the_last_after_the_toggle_goes_back_to_the_first(tmp_path, monkeypatch):
    path = tmp_path / "many.db"
    monkeypatch.setenv("PALIMPSEST_DB", str(path))
    paragraphs = [f"Paragraph {k} of the report." for k in range(1, 31)]
    with Store(path) as store:
        base = import_document(store, "\n\n".join(paragraphs).encode(), "a.txt", language="en")
        other = import_document(store, "\n\n".join(
            p.replace("report", "final report") if k % 10 == 0 else p
            for k, p in enumerate(paragraphs)).encode(), "b.txt", language="en")
    at = open_compare("All versions", base=base, others=other)
    tab = next(t for t in at.tabs if t.label == "All versions")
    tab.toggle[0].set_value(False).run()  # all 30 rows: 3 pages
    tab = next(t for t in at.tabs if t.label == "All versions")
    tab.number_input(key="witness_page").set_value(3).run()
    tab = next(t for t in at.tabs if t.label == "All versions")
    tab.toggle[0].set_value(True).run()  # 3 differing rows: one page
    assert not at.exception
    tab = next(t for t in at.tabs if t.label == "All versions")
    assert [m.value for m in tab.markdown if m.value.startswith("**¶")] == [
        "**¶ 1** · 1 of 1 versions differ", "**¶ 11** · 1 of 1 versions differ",
        "**¶ 21** · 1 of 1 versions differ"]


@pytest.mark.usefixtures("corpora")
def test_darwin_six_editions_match_the_gold_paragraph_table(tmp_path):
    folder = ROOT.parent / "shared" / "corpora" / "darwin"
    years = ("1859", "1860", "1861", "1866", "1869", "1872")
    with Store(tmp_path / "darwin.db") as store:
        ids = [import_document(store, (folder / "editions" / f"{y}.txt").read_bytes(),
                               f"{y}.txt", title=f"Origin ({y})", date=y, language="en",
                               kind="edition") for y in years]
        table = witness_table(compare(store, ids[0], ids[1:]))
        tei = witnesses_tei(table)
    with open(folder / "gold" / "paragraphs.tsv", encoding="utf-8") as handle:
        gold = [tuple(row[f"para_{y}"] for y in years)
                for row in csv.DictReader(handle, delimiter="\t")]
    found = [tuple(",".join(str(p.seq) for p in cell.passages) or "-" for cell in row.cells)
             for row in table.rows]
    assert found == gold  # 47 rows, the four paragraphs added in 1869 each one row
    rebuilt = readings_by_witness(tei, table.sigla)
    assert rebuilt["F"] == [" ".join(words(row.cells[5].text)) for row in table.rows]


def test_what_matters_counts_the_compared_version_only(tmp_path):
    """A third version's own changes are not credited to the version compared side by side."""
    changed = BASE.replace("from 3 to 14 March", "from 3 to 21 March")
    with Store(tmp_path / "meaning.db") as store:
        base, second, third = (
            import_document(store, text.encode(), f"{name}.txt", language="en", kind="draft")
            for name, text in (("base", BASE), ("second", BASE + "\n\nEnd."),
                               ("third", changed)))
        both = compare(store, base, [second, third])
        alone = compare(store, base, [third])
    assert [(v.type, v.old, v.new) for _, v in alone.flagged()] == [("date", "14 March",
                                                                      "21 March")]
    assert both.flagged() == []
    assert witness_table(both).rows[0].cells[2].status == "changed"  # shown there instead
