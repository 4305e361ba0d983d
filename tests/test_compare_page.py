"""The Compare page on the demo project (AppTest through the router)."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from annotations.collation import compare
from annotations.demo import load_demo
from annotations.notes import list_annotations
from annotations.store import Store
from tests.test_compare_new import open_compare as open_fresh_compare
from tests.test_compare_new import open_tab


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The demo with its alignment computed once (the page then reads it from the cache)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(path) as store:
        ids = load_demo(store)
        compare(store, ids["draft"], [ids["final"], ids["annex"]])
    return path, ids


@pytest.fixture
def app(demo_db, tmp_path, monkeypatch):
    """A fresh copy of the demo database per test, and a function that opens Compare."""
    path, ids = demo_db
    copy = tmp_path / "demo.db"
    shutil.copyfile(path, copy)
    monkeypatch.setenv("PALIMPSEST_DB", str(copy))

    def open_compare(tab: str | None = None, **params) -> AppTest:
        at = open_fresh_compare(tab, **params)
        assert not at.exception, at.exception
        return at

    return open_compare, ids


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table(at, column: str):
    """The data frame on the page that has ``column`` (the ledger has "first words")."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def view_rows(at, key="collation") -> list[dict]:
    element = next(e for e in at.main if getattr(e, "key", None) == key)
    return json.loads(element.proto.json)["rows"]


def test_summary_counts_the_cut_part_the_move_and_the_edits(app):
    open_compare, _ = app
    counts = metrics(open_compare())
    assert counts["Removed"] == "21"
    assert counts["Moved"] == "1"
    assert counts["Changed"] == "7"  # 3 rewordings, a date, a figure, an obligation, a negation
    assert counts["Found elsewhere"] == "21"
    assert counts["Added"] == "0"


def test_ledger_lists_the_removed_part_with_its_annex_destination_and_pages(app):
    open_compare, _ = app
    ledger = table(open_compare("Omission ledger"), "first words")
    assert len(ledger) == 21
    assert ledger.iloc[0]["first words"].startswith("PARTIE II")
    assert set(ledger["page"]) == {"8", "9", "10"}
    assert (ledger["went to"] == "Annex (English only) — Part II (demo)").all()
    assert ledger.iloc[1]["there"] == "p. 1 § 5 (¶ 4)"
    assert list(ledger["status"][:3]) == ["confirmed"] * 3  # reviewed in the demo
    assert (ledger["status"][3:] == "unreviewed").all()


def test_side_by_side_marks_moves_edits_and_where_cut_text_went(app):
    open_compare, _ = app
    at = open_compare("Side by side")
    at.radio(key="compare_filter").set_value("changes").run()
    rows = view_rows(at)
    assert {r["kind"] for r in rows} == {"changed", "moved", "removed"}
    moved = [r for r in rows if r["kind"] == "moved"]
    assert len(moved) == 1
    assert "now at p. 7" in moved[0]["notes"][0]["text"]
    changed = [r for r in rows if r["kind"] == "changed"]
    assert len(changed) == 7
    assert any(op == -1 for op, _ in changed[0]["a"]["segments"])
    assert any(op == 1 for op, _ in changed[0]["b"]["segments"])
    # the changes of meaning are named under their rows, in words (not colour alone)
    notes = [n["text"] for r in changed for n in r["notes"]]
    assert notes == ["Date changed: “3 mars 2025” → “17 juin 2025”",
                     "Figure changed: “quinze” → “trente”",
                     "Obligation changed: “doit” → “peut”",
                     "Negation changed: “offre” → “n’offre pas”"]
    assert all(n["flagged"] for r in changed for n in r["notes"])  # marked, not only worded


def test_removed_filter_shows_the_translation_beside_the_original(app):
    open_compare, _ = app
    at = open_compare("Side by side")
    at.radio(key="compare_filter").set_value("removed").run()
    rows = view_rows(at)
    assert len(rows) == 21 and {r["kind"] for r in rows} == {"removed"}
    first = rows[1]
    assert first["a"]["segments"][0][1].startswith("5 Les archives")
    assert first["b"]["place"].startswith("Annex (English only)")
    assert first["b"]["segments"][0][1].startswith("5 The journals")
    assert first["notes"][0]["action"]["type"] == "open"


def test_the_view_keeps_its_filter_and_search_while_another_tab_is_open(app):
    open_compare, _ = app
    at = open_compare("Side by side")
    at.radio(key="compare_filter").set_value("removed").run()
    at.text_input(key="compare_search").set_value("archives").run()
    shown = view_rows(at)
    assert shown and {r["kind"] for r in shown} == {"removed"}
    open_tab(at, "Omission ledger")
    assert not [e for e in at.main if getattr(e, "key", None) == "collation"]  # not drawn
    open_tab(at, "Side by side")
    assert at.radio(key="compare_filter").value == "removed"
    assert at.text_input(key="compare_search").value == "archives"
    assert view_rows(at) == shown


def test_search_within_the_comparison(app):
    open_compare, _ = app
    at = open_compare("Side by side")
    at.text_input(key="compare_search").set_value("Yukon").run()
    rows = view_rows(at)
    assert rows and all("Yukon" in json.dumps(r, ensure_ascii=False) for r in rows)


def test_rejecting_a_link_persists_and_shows_in_the_ledger(app):
    open_compare, _ = app
    at = open_compare("Omission ledger")
    at.text_input(key="palimpsest_author_input").set_value("Ada")
    choice = at.selectbox(key="ledger_choice")
    choice.set_value(choice.options[5]).run()
    at.button(key="ledger_reject").click().run()
    assert not at.exception
    assert view_rows(at, "ledger_review_view")[0]["badge"] == "wrong link"  # not a stale row
    with Store(os.environ["PALIMPSEST_DB"]) as store:
        latest = store.db.execute(
            "select decision, author from alignment_decisions order by id desc").fetchone()
    assert latest == ("rejected", "Ada")
    reloaded = open_compare("Omission ledger")
    ledger = table(reloaded, "first words")
    assert ledger.iloc[5]["status"] == "wrong link"
    assert ledger.iloc[5]["went to"] == "not found anywhere"
    assert metrics(reloaded)["Found elsewhere"] == "20"


def test_deep_link_focuses_the_passage(app):
    open_compare, ids = app
    at = open_compare(base=ids["draft"], others=f"{ids['final']},{ids['annex']}", p=100)
    focused = [r for r in view_rows(at) if r["focus"]]
    assert len(focused) == 1
    assert focused[0]["a"]["place"].endswith("(¶ 100)")


def test_annotating_a_cut_passage_and_its_translation(app):
    open_compare, ids = app
    at = open_compare("Omission ledger")
    at.text_input(key="palimpsest_author_input").set_value("Ada")
    seq = 77  # "(2) Les actes qui procèdent de la prérogative …", found in the annex
    at.selectbox(key="ledger_choice").set_value(seq).run()
    at.text_area(key=f"pair_{seq}_note").set_value("The English text drops a qualifier.")
    at.text_input(key=f"pair_{seq}_tags").set_value("translation; check")
    at.button(key=f"pair_{seq}_save").click().run()
    assert not at.exception
    with Store(os.environ["PALIMPSEST_DB"]) as store:
        saved = [a for a in list_annotations(store, ids["draft"]) if a.author == "Ada"]
    assert len(saved) == 1
    (annotation,) = saved
    assert annotation.note == "The English text drops a qualifier."
    assert annotation.tags == ("translation", "check")
    assert annotation.target_document_id == ids["annex"]
    assert [link.link_type for link in annotation.links] == ["translation-of"]
    assert annotation.links[0].target_start == annotation.target_start


def test_what_matters_lists_the_demos_changes_of_meaning_first(app):
    at = app[0]()
    rows = table(at, "type")
    assert list(zip(rows["type"], rows["old"], rows["new"], strict=True)) == [
        ("figure", "quinze", "trente"),
        ("figure", "(nothing)", "30"),  # the English annex: "within 30 days", the French not
        ("date", "3 mars 2025", "17 juin 2025"),
        ("negation", "offre", "n’offre pas"),
        ("obligation", "doit", "peut"),
    ]
    assert list(rows["in"])[:2] == ["Rapport final — Loi sur les langues officielles (démo)",
                                    "Annex (English only) — Part II (demo)"]
    [banner] = [w.value.replace("\\", "") for w in at.warning if "See What matters" in w.value]
    assert ("1 figure changed, 1 date changed, 1 negation, 1 change of obligation." in banner
            and "disagree on 1 figure or date" in banner)
    assert not any("first words" in frame.value.columns for frame in at.dataframe)  # closed
    ledger = table(open_tab(at, "Omission ledger"), "first words")
    assert [d for d in ledger["disagrees on"] if d] == ["figure: (nothing) → 30"]


@pytest.mark.parametrize("choice", ["all", "changes", "removed", "moved", "translated"])
@pytest.mark.parametrize("query", ["", "archives", "YUKON", "the journals", "juin 2025", "zzz"])
def test_the_view_filters_links_as_it_would_filter_the_built_rows(demo_db, choice, query):
    """Only the rows of the page shown are built (their word-level diff is the costly part);
    the filter and the search find the same rows without building them."""
    from ui.compare import build_rows, filter_links

    path, ids = demo_db
    with Store(path) as store:
        comparison = compare(store, ids["draft"], [ids["final"], ids["annex"]])
    links = comparison.pair_links()
    kept = filter_links(comparison, choice, query)
    shown = {row.key: " ".join("".join(text for _, text in cell.segments)
                               for cell in (row.a, row.b) if cell)
             for row in build_rows(comparison)}
    unfiltered = [row.key for row in build_rows(comparison, filter_links(comparison, choice, ""))]
    expected = [key for key in unfiltered if query.casefold() in shown[key].casefold()]
    assert [row.key for row in build_rows(comparison, kept)] == expected
    if choice == "all" and not query:
        assert len(kept) == len(links)
    if query == "archives" and choice in ("all", "removed"):
        assert kept  # the demo's cut part speaks of archives
    if query == "juin 2025" and choice in ("all", "changes"):
        assert kept  # "3 mars 2025" became "17 juin 2025": found across the diff's pieces


def banner(at) -> str:
    return next(w.value for w in at.warning if "See the Omission ledger" in w.value)


def test_the_omissions_banner_names_the_pages_of_the_cut(app):
    assert "(pages 8, 9, 10) are not in" in banner(app[0]())


def test_a_cut_on_one_page_is_on_page_not_pages(tmp_path, monkeypatch):
    from annotations.documents import import_document
    from tests.journey_samples import docx_with_breaks

    paragraphs = ["Rapport sur la province.", "Quinze villages furent détruits.",
                  "Les témoins décrivent des exécutions sommaires.", "Fin du rapport."]
    path = tmp_path / "one.db"
    monkeypatch.setenv("PALIMPSEST_DB", str(path))
    with Store(path) as store:
        draft = import_document(store, docx_with_breaks(paragraphs, {2: "explicit"}),
                                "projet.docx", language="fr", kind="draft")
        final = import_document(store, "\n\n".join(paragraphs[:2] + paragraphs[3:]).encode(),
                                "final.txt", language="fr", kind="final")
    at = open_fresh_compare(base=draft, others=final)
    assert not at.exception, at.exception
    assert "(page 2) is not in" in banner(at)
