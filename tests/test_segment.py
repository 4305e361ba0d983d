"""Passages, labels, sentences and pages: unit examples, hypothesis properties, real statutes."""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.model import Page, Passage
from sources.segment import (
    page_at,
    passage_at,
    passage_finder,
    passage_label,
    segment_passages,
    split_sentences,
)
from tests.conftest import CORPORA

OLA = CORPORA / "canada-ola"
# Skipped without the shared corpora; failed under CI=true (tests/conftest.py).
needs_ola = pytest.mark.usefixtures("corpora")

# Text made of the characters that matter here: words, spaces of all kinds, newlines, form feeds.
texty = st.text(
    alphabet=st.sampled_from(
        ["a", "B", "é", "1", ".", "(", ")", " ", "\t", "\n", "\f", "\u00a0", "😀"]
    )
    | st.characters(blacklist_categories=("Cs",)),
    max_size=300,
)


def slices(text: str, spans) -> list[str]:
    return [text[span.start : span.end] for span in spans]


# --- passages ------------------------------------------------------------------------------


def test_passages_are_blank_line_blocks_without_surrounding_whitespace():
    text = "  First line\nsame passage  \n\n\n  Second \n \t \nThird\n\f\nFourth\fstill fourth\n"
    passages = segment_passages(text)
    assert slices(text, passages) == [
        "First line\nsame passage",
        "Second",
        "Third",
        "Fourth\fstill fourth",
    ]
    assert [p.seq for p in passages] == [1, 2, 3, 4]
    assert all(p.kind == "paragraph" for p in passages)


def test_empty_and_blank_texts_have_no_passages():
    assert segment_passages("") == ()
    assert segment_passages(" \n\f\n\t\n") == ()


def test_page_breaks_do_not_split_a_paragraph():
    text = "A sentence that runs\n\fonto the next page.\n\nNew paragraph."
    pages = (Page(1, "1", 0, 22), Page(2, "2", 22, len(text)))
    assert slices(text, segment_passages(text, pages)) == [
        "A sentence that runs\n\fonto the next page.",
        "New paragraph.",
    ]


@settings(max_examples=100, deadline=None)
@given(texty)
def test_passage_properties(text):
    passages = segment_passages(text)
    assert [p.seq for p in passages] == list(range(1, len(passages) + 1))
    previous_end = 0
    for passage in passages:
        piece = text[passage.start : passage.end]
        assert piece and piece == piece.strip()  # non-empty, no surrounding whitespace
        assert passage.start >= previous_end  # in order, no overlap
        assert not re.search(r"\n[^\S\n]*\n", piece)  # no blank line inside
        previous_end = passage.end
    covered = set()
    for passage in passages:
        covered.update(range(passage.start, passage.end))
    assert all(index in covered for index, char in enumerate(text) if not char.isspace())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="ab .\n", min_size=1, max_size=30), max_size=8))
def test_blocks_joined_by_blank_lines_come_back(blocks):
    blocks = [" ".join(block.split()) for block in blocks if block.strip()]
    text = "\n\n".join(blocks)
    assert slices(text, segment_passages(text)) == blocks


# --- labels --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("3 (1) In this Act,", "3 (1)"),
        ("2.1 (1) The President of the Treasury Board", "2.1 (1)"),
        ("2 The purpose of this Act is to", "2"),
        ("(a) ensure respect for English and French", "(a)"),
        ("(b.1) support the development", "(b.1)"),
        ("(iii) a provincial body", "(iii)"),
        ("a) d’assurer le respect du français", "a)"),
        ("c.1) de favoriser", "c.1)"),
        ("§ 12 Geltungsbereich", "§ 12"),
        ("§§ 3 (2) Ausnahmen", "§§ 3 (2)"),
        ("Article 3 Everyone has the right to life", "Article 3"),
        ("Article premier Tous les êtres humains", "Article premier"),
        ("ARTICLE 5", "ARTICLE 5"),
        ("71.02 The Minister may", "71.02"),
        ("PART I Proceedings of Parliament", "PART I"),
        ("PARTIE VII Promotion du français", "PARTIE VII"),
        ("94 to 99 [Amendments]", "94 to 99"),
        ("104 et 105 [Abrogés, L.R. (1985)]", "104 et 105"),
        ("12. The Parties agree", "12."),
        ("IV. Conclusions", "IV."),
        ("  (a) leading spaces", "(a)"),
    ],
)
def test_passage_label_finds_the_printed_number(text, label):
    assert passage_label(text) == label


@pytest.mark.parametrize(
    "text",
    [
        "1986 was a dry year.",
        "In 1986 the talks failed.",
        "(see above) the text",
        "Part of the problem is the quota.",
        "federal institution includes",
        "WHEREAS the Constitution",
        "",
    ],
)
def test_passage_label_is_none_for_prose(text):
    assert passage_label(text) is None


# --- sentences -----------------------------------------------------------------------------


def test_split_sentences_english_with_pysbd():
    text = "Mr. Smith arrived at 3 p.m. on Monday. He left at once!\nThen nothing happened."
    assert slices(text, split_sentences(text, "en")) == [
        "Mr. Smith arrived at 3 p.m. on Monday.",
        "He left at once!",
        "Then nothing happened.",
    ]


def test_split_sentences_french_keeps_guillemets_together():
    text = "Il a dit : « Bonjour ! » Puis il est parti. M. Dupont est resté."
    assert slices(text, split_sentences(text, "fr")) == [
        "Il a dit : « Bonjour ! » Puis il est parti.",
        "M. Dupont est resté.",
    ]


def test_split_sentences_fallback_for_unknown_language_and_none():
    text = "Dr. Jones came. The vote was 12 to 3. (It passed.) Next item? yes"
    for language in (None, "sw"):
        assert slices(text, split_sentences(text, language)) == [
            "Dr. Jones came.",
            "The vote was 12 to 3.",
            "(It passed.)",
            "Next item? yes",
        ]


def test_sentences_never_cross_a_blank_line():
    text = "No final stop here\n\nA new passage. Two sentences."
    assert slices(text, split_sentences(text, "en")) == [
        "No final stop here",
        "A new passage.",
        "Two sentences.",
    ]


def sentence_properties(text: str, language: str | None) -> None:
    spans = split_sentences(text, language)
    previous_end = 0
    for span in spans:
        piece = text[span.start : span.end]
        assert piece and piece == piece.strip()
        assert span.start >= previous_end
        previous_end = span.end
    covered = set()
    for span in spans:
        covered.update(range(span.start, span.end))
    assert all(index in covered for index, char in enumerate(text) if not char.isspace())


@settings(max_examples=100, deadline=None)
@given(texty)
def test_sentence_properties_fallback(text):
    sentence_properties(text, None)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(list("Ab. !?\n«»’é1(") + ["Mr.", " e.g. ", "\n\n"]), max_size=40))
def test_sentence_properties_pysbd(pieces):
    text = "".join(pieces)
    sentence_properties(text, "en")
    sentence_properties(text, "fr")


# --- pages ---------------------------------------------------------------------------------

PAGES = (
    Page(1, "i", 0, 10),
    Page(2, "ii", 10, 10),  # a blank leaf
    Page(3, "1", 10, 25),
)


@pytest.mark.parametrize(
    ("offset", "label"),
    [(0, "i"), (9, "i"), (10, "1"), (24, "1"), (25, "1"), (26, None), (-1, None)],
)
def test_page_at(offset, label):
    page = page_at(offset, PAGES)
    assert (page.label if page else None) == label


def test_page_at_without_pages():
    assert page_at(0, ()) is None


# --- real statutes -------------------------------------------------------------------------


def ola_passages(name: str) -> list[str]:
    text = (OLA / "text" / f"{name}.txt").read_text(encoding="utf-8")
    return slices(text, segment_passages(text))


@needs_ola
def test_passages_match_the_corpus_paragraphs():
    for name in ("en_2025", "fr_2025"):
        text = (OLA / "text" / f"{name}.txt").read_text(encoding="utf-8")
        assert ola_passages(name) == text.rstrip("\n").split("\n\n")


@needs_ola
@pytest.mark.parametrize(
    ("name", "start", "label"),
    [
        ("en_2025", "3 (1) In this Act,", "3 (1)"),
        ("en_2025", "(a) ensure respect for English and French", "(a)"),
        ("en_2025", "2.1 (1) The President of the Treasury Board", "2.1 (1)"),
        ("en_2025", "PART I Proceedings of Parliament", "PART I"),
        ("fr_2025", "a) d’assurer le respect du français", "a)"),
        ("fr_2025", "3 (1) Les définitions qui suivent", "3 (1)"),
        ("fr_2025", "PARTIE I Débats et travaux parlementaires", "PARTIE I"),
    ],
)
def test_labels_on_the_official_languages_act(name, start, label):
    matching = [passage for passage in ola_passages(name) if passage.startswith(start)]
    assert matching, f"{start!r} not found in {name}"
    assert passage_label(matching[0]) == label


@needs_ola
@pytest.mark.parametrize("name", ["en_2017", "fr_2017", "en_2025", "fr_2025"])
def test_labels_agree_with_the_gold_provision_table(name):
    """Gold labels are printed labels ("(1)"); ours may carry the section too ("3 (1)")."""
    with open(OLA / "gold" / f"provisions_{name}.tsv", encoding="utf-8") as handle:
        gold = [row["label"] for row in csv.DictReader(handle, delimiter="\t")]
    ours = [passage_label(passage) for passage in ola_passages(name)]
    assert len(ours) == len(gold)
    agree = sum(
        (label is None) if not expected else bool(label and label.endswith(expected))
        for expected, label in zip(gold, ours, strict=True)
    )
    print(f"{name}: {agree}/{len(gold)} labels agree with the gold table")
    assert agree == len(gold)


@st.composite
def passages_and_offsets(draw):
    """Passages in order with gaps (blank lines) between them, and offsets anywhere."""
    passages, at = [], draw(st.integers(0, 5))
    for seq in range(1, draw(st.integers(0, 30)) + 1):
        length = draw(st.integers(1, 40))
        passages.append(Passage(seq, at, at + length))
        at += length + draw(st.integers(0, 3))
    offsets = draw(st.lists(st.integers(-2, at + 5), max_size=40))
    return tuple(passages), offsets


@settings(max_examples=200, deadline=None)
@given(passages_and_offsets())
def test_the_passage_finder_finds_what_passage_at_finds(case):
    """One rule for "which passage holds this offset": the many-lookup finder agrees with
    passage_at, which holds the rule (in its passage, else the one before; none before the
    first)."""
    passages, offsets = case
    find = passage_finder(passages)
    for offset in offsets:
        found = passage_at(passages, offset)
        assert find(offset) == found
        inside = [p for p in passages if p.start <= offset < p.end]
        if inside:
            assert found == inside[0]
        elif found is not None:
            assert found.end <= offset and all(p.start > offset for p in passages
                                               if p.seq > found.seq)
        else:
            assert not passages or offset < passages[0].start
