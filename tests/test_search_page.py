"""The Search page through the router (AppTest), on real documents and annotations."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from annotations.documents import import_document
from annotations.notes import create_annotation
from annotations.store import Store
from sources.model import Passage
from tests.conftest import ROOT
from ui.annotate import escape_markdown
from ui.search import RESULT_LIMIT, passage_label

TREATY = (
    "Article 1. Les parties conviennent de ce qui suit.\n\n"
    "Article 2. Le traité fut signé à Genève par les ministres.\f\n\n"
    "Article 3. La crédibilité des témoins reste douteuse.\n"
)
DECREE = "Decree on the harbour.\n\nThe harbour master keeps the register of ships.\n"
HOSTILE = ['"', '""', "AND", "NEAR(", "*", "<script>alert(1)</script>", ")(", "a OR b NOT",
           '"unbalanced phrase', "-", "'; drop table annotations; --", "^", "treaty:*", "💥"]


@pytest.fixture
def project(db_path):
    """Two documents; one annotation with a distinctive note word, one graded and tagged."""
    with Store(db_path) as store:
        treaty = import_document(store, TREATY.encode(), "traite.txt", title="Traité <b>A</b>",
                                 kind="final", language="fr")
        decree = import_document(store, DECREE.encode(), "decree.txt", title="Harbour decree",
                                 kind="draft", language="en")
        start = TREATY.index("crédibilité")
        witness = create_annotation(store, treaty, start, start + len("crédibilité"),
                                    note="Compare the *palimpseste* testimony.", author="Ada",
                                    tags=["Témoins"], reliability="B", credibility=2)
        harbour = create_annotation(store, decree, DECREE.index("register"),
                                    DECREE.index("register") + 8, note="Ledger lost in 1850.",
                                    author="Bob", tags=["ships"], reliability="D")
    return {"treaty": treaty, "decree": decree, "witness": witness, "harbour": harbour,
            "start": start}


def open_search(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/search.py")
    for name, value in params.items():
        at.query_params[name] = str(value)
    at.run()
    assert not at.exception, at.exception
    return at


def links(at: AppTest) -> list[dict[str, str]]:
    """Query parameters of every link to the Read page, in page order."""
    found = []
    for node in _walk(at.main):
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "PageLink" and proto.page.endswith("read"):
            found.append({k: v[0] for k, v in parse_qs(proto.query_string).items()})
    return found


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def test_a_note_word_finds_the_annotation_with_title_place_snippet_and_link(project):
    at = open_search(q="palimpseste")
    assert at.text_input(key="search_query").value == "palimpseste"
    assert subheaders(at) == ["Annotations (1)"]
    assert "Compare the *palimpseste* testimony." in [t.value for t in at.text]
    assert any(m.value == r"**Traité \<b\>A\</b\>**" for m in at.markdown)
    assert escape_markdown("p. 2 · ¶ 3") in [c.value for c in at.caption]
    start = project["start"]
    assert links(at) == [{"doc": str(project["treaty"]), "start": str(start),
                          "end": str(start + len("crédibilité"))}]


def test_a_word_of_the_text_only_finds_the_document_at_its_first_match(project):
    at = open_search(q="genève")
    assert subheaders(at) == ["Document texts (1)"]
    [snippet] = [t.value for t in at.text]
    assert "Le traité fut signé à Genève" in snippet
    start = TREATY.index("Genève")
    assert links(at) == [{"doc": str(project["treaty"]), "start": str(start),
                          "end": str(start + 6)}]
    assert escape_markdown("p. 1 · ¶ 2") in [c.value for c in at.caption]


def test_accents_and_case_are_ignored_and_both_kinds_are_listed(project):
    at = open_search(q="CREDIBILITE")
    assert subheaders(at) == ["Annotations (1)", "Document texts (1)"]


def test_typing_a_query_puts_it_in_the_address(project):
    at = open_search()
    assert not at.subheader
    at.text_input(key="search_query").input("harbour").run()
    assert at.query_params["q"] == "harbour"
    assert subheaders(at) == ["Document texts (1)"]
    at.text_input(key="search_query").input("").run()
    assert "q" not in at.query_params


def test_filters_list_only_matching_annotations(project):
    at = open_search()
    at.selectbox(key="search_reliability").set_value("D").run()
    assert subheaders(at) == ["Annotations (1)"]
    assert links(at)[0]["doc"] == str(project["decree"])
    at.selectbox(key="search_reliability").set_value(None)
    at.text_input(key="search_tag").input("témoins").run()  # tags compare casefolded
    assert links(at)[0]["doc"] == str(project["treaty"])
    at.text_input(key="search_author").input("Bob").run()
    assert at.info[0].value == "No annotation passes these filters."


def test_a_document_filter_keeps_hits_of_that_document(project):
    at = open_search(q="the")
    assert {link["doc"] for link in links(at)} == {str(project["treaty"]),
                                                    str(project["decree"])}
    at.selectbox(key="search_document").set_value(project["decree"]).run()
    assert {link["doc"] for link in links(at)} == {str(project["decree"])}


def test_nothing_found_says_so_with_the_query_as_text(project):
    at = open_search(q="zanzibar")
    assert at.info[0].value == "Nothing matches “zanzibar”."


def test_hostile_queries_never_error(project):
    at = open_search()
    for query in HOSTILE:
        at.text_input(key="search_query").input(query).run()
        assert not at.exception, (query, at.exception)
        assert not at.error, (query, at.error[0].value)
        # Operators are searched as words, and none of these words is in the project.
        assert [i.value for i in at.info] == [f"Nothing matches “{escape_markdown(query)}”."]
    at = open_search(q="<script>alert(1)</script>")
    assert not at.exception


def test_without_documents_the_page_says_where_to_import(db_path):
    at = open_search()
    assert "Sources page" in at.info[0].value


def test_passage_label_prefers_the_printed_label_and_counts_blank_lines_before():
    passages = (Passage(1, 0, 10), Passage(2, 12, 20, label="§ 4"))
    assert passage_label(passages, 0) == "¶ 1"
    assert passage_label(passages, 11) == "¶ 1"
    assert passage_label(passages, 15) == "§ 4 (¶ 2)"
    assert passage_label((), 3) is None



def test_many_hits_are_cut_at_the_limit_and_say_so(project, db_path):
    with Store(db_path) as store:
        for number in range(RESULT_LIMIT):
            create_annotation(store, project["decree"], number, number + 1,
                              note=f"walrus {number}", author="Ada")
    at = open_search(q="walrus")
    assert subheaders(at) == [f"Annotations ({RESULT_LIMIT})"]
    assert at.caption[1].value.startswith(f"Only the first {RESULT_LIMIT} hits are shown")
