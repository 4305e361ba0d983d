"""What part of a cut passage its translation carries over (sources.carried), and the
ledger that says it (annotations.collation, ui.compare), on texts made here."""

from __future__ import annotations

import pytest

from annotations.collation import compare
from annotations.documents import import_document
from sources.carried import Carried, carried_over
from sources.model import Span
from ui.compare import ledger_export, ledger_table

pytestmark = pytest.mark.usefixtures("embedder")  # the real encoder; failed under CI=true

FR = ("Le secrétariat tient les procès-verbaux des séances du comité. "
      "Il les transmet à chaque membre dans un délai d’un mois. "
      "Les procès-verbaux sont conservés aux archives pendant dix ans.")
EN_ALL = ("The secretariat keeps the minutes of the committee's meetings. "
          "It sends them to each member within one month. "
          "The minutes are kept in the archives for ten years.")
EN_PART = ("The secretariat keeps the minutes of the committee's meetings. "
           "The minutes are kept in the archives for ten years.")


def test_a_full_translation_carries_every_sentence():
    found = carried_over(FR, EN_ALL, "fr", "en")
    assert (found.sentences, found.missing, found.status) == (3, (), "all")


def test_a_sentence_the_translation_leaves_out_is_named():
    found = carried_over(FR, EN_PART, "fr", "en")
    assert found.status == "partly"
    assert [s.slice(FR) for s in found.missing] == [
        "Il les transmet à chaque membre dans un délai d’un mois."]


def test_two_sentences_translated_as_one_are_both_carried():
    fr = ("Les actes qui procèdent de la prérogative et sont de nature publique et générale sont "
          "établis dans les deux langues officielles. Leur impression et leur publication "
          "éventuelles se font dans les deux langues officielles.")
    en = ("All instruments made in the exercise of a prerogative that are of a public and general "
          "nature shall be made in both official languages and, if printed and published, shall "
          "be printed and published in both official languages.")
    assert carried_over(fr, en, "fr", "en").status == "all"  # "partly" without the merge test


def test_a_provision_number_is_not_a_sentence():
    found = carried_over(f"Article 2. {FR}", f"Article 2. {EN_PART}", "fr", "en")
    assert (found.sentences, found.status) == (3, "partly")


def test_one_sentence_is_all_or_nothing_and_the_record_round_trips():
    assert carried_over("Une seule phrase ici.", "Only one sentence here.", "fr",
                        "en").status == "all"
    record = Carried(3, (Span(5, 9),)).shifted(10)
    assert Carried.from_dict(record.as_dict()) == record == Carried(3, (Span(15, 19),))
    assert (record.status, Carried(2, (Span(0, 1), Span(2, 3))).status) == ("partly", "none")


def test_the_ledger_says_what_part_of_a_cut_passage_the_annex_carries(store):
    keep = "Article 1. Le comité se réunit deux fois par an dans la capitale fédérale."
    draft = import_document(store, f"{keep}\n\nArticle 2. {FR}\n".encode(), "draft.txt",
                            language="fr", kind="draft")
    final = import_document(store, f"{keep}\n".encode(), "final.txt", language="fr",
                            kind="final")
    annex = import_document(store, f"Annex A\n\nArticle 2. {EN_PART}\n".encode(), "annex.txt",
                            language="en", kind="annex")
    comparison = compare(store, draft, [final, annex])
    [row] = ledger_table(comparison)
    assert (row["went to"], row["carried over"]) == ("Annex A", "partly")  # title: first line
    [exported] = ledger_export(comparison)
    assert exported["missing sentences"] == (
        "Il les transmet à chaque membre dans un délai d’un mois.")
