"""Re-anchoring quotes in edited texts, and carrying annotations to a new version."""

from __future__ import annotations

import csv
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.anchoring import Anchor, OffsetMap, carry_annotations, reanchor
from annotations.model import TextQuoteSelector, quote_selector
from annotations.notes import (
    annotation_history,
    create_annotation,
    delete_annotation,
    get_annotation,
    list_annotations,
    review_queue,
)
from annotations.store import Store
from sources.errors import InvalidInput
from tests.test_annotations import add_document

TEXT = (
    "Article 1. The Soviet delegation declared that all troops would withdraw within nine "
    "months. The Afghan side reserved its position on the border question.\n\n"
    "Article 2. Both parties agreed to meet again in Geneva before the end of the year, "
    "and to exchange prisoners under the supervision of the Red Cross."
)
QUOTE = "all troops would withdraw within nine months"


def selector_for(text: str, quote: str) -> tuple[TextQuoteSelector, int]:
    start = text.index(quote)
    return quote_selector(text, start, start + len(quote)), start


def found(anchor: Anchor | None, text: str) -> str | None:
    return None if anchor is None else text[anchor.start : anchor.end]


# ---------------------------------------------------------------- reanchor: the four cases

def test_same_text_is_exact_with_full_confidence():
    selector, start = selector_for(TEXT, QUOTE)
    assert reanchor(selector, start, TEXT) == Anchor(start, start + len(QUOTE), 1.0, "exact")


def test_shifted_text_is_found_exactly_even_with_a_stale_hint():
    selector, start = selector_for(TEXT, QUOTE)
    new = "PREAMBLE. The High Contracting Parties, desiring peace, agree as follows.\n\n" + TEXT
    anchor = reanchor(selector, start, new)
    assert found(anchor, new) == QUOTE and anchor.confidence == 1.0 and anchor.method == "exact"


@pytest.mark.parametrize("old, new", [
    ("would withdraw", "shall withdraw"),
    ("nine months", "ten months"),
    ("all troops", "most troops"),
    ("all troops", "troops"),
])
def test_lightly_edited_quote_is_found_with_its_new_wording(old, new):
    selector, start = selector_for(TEXT, QUOTE)
    edited = TEXT.replace(old, new)
    anchor = reanchor(selector, start, edited)
    assert found(anchor, edited) == QUOTE.replace(old, new)
    assert 0.75 <= anchor.confidence < 1.0 and anchor.method in ("position", "fuzzy")


def test_edited_quote_is_found_when_the_hint_is_stale_too():
    selector, start = selector_for(TEXT, QUOTE)
    edited = "A long new preamble was added here by the drafters. " * 3 + TEXT.replace(
        "would", "shall")
    anchor = reanchor(selector, start, edited)
    assert found(anchor, edited) == QUOTE.replace("would", "shall")
    assert anchor.method == "fuzzy" and anchor.confidence >= 0.75


def test_edited_context_around_an_unchanged_quote_keeps_exact_offsets():
    selector, start = selector_for(TEXT, QUOTE)
    edited = TEXT.replace("declared that", "announced on 3 May that")
    anchor = reanchor(selector, start, edited)
    assert found(anchor, edited) == QUOTE and anchor.confidence >= 0.75


@pytest.mark.parametrize("removed", [QUOTE, "declared that " + QUOTE + "."])
def test_deleted_quote_is_not_found(removed):
    selector, start = selector_for(TEXT, QUOTE)
    assert reanchor(selector, start, TEXT.replace(removed, "")) is None


def test_confidence_ranks_exact_then_edited_then_rewritten():
    selector, start = selector_for(TEXT, QUOTE)
    light = reanchor(selector, start, TEXT.replace("would", "shall"))
    heavy = reanchor(selector, start, TEXT.replace("would withdraw", "might pull back"))
    assert reanchor(selector, start, TEXT).confidence == 1.0
    assert 1.0 > light.confidence > heavy.confidence
    assert heavy.confidence < 0.9


# ---------------------------------------------------------------- ambiguity

AMBIGUOUS = ("Report of the first meeting: the parties agree to continue talks. "
             + "Unrelated filler sentence number one goes here. " * 3
             + "Report of the second meeting: the parties agree to continue talks. "
             + "Unrelated filler sentence number two goes here. " * 3)


def test_the_occurrence_with_matching_context_wins_even_when_farther():
    second = AMBIGUOUS.index("second meeting: the parties agree") + len("second meeting: ")
    selector = quote_selector(AMBIGUOUS, second, second + len("the parties agree"))
    anchor = reanchor(selector, 0, AMBIGUOUS)  # the hint points at the first occurrence
    assert (anchor.start, anchor.method) == (second, "exact") and anchor.confidence >= 0.75


def test_identical_occurrences_go_to_the_one_nearest_the_old_position():
    text = "Whereas the parties agree. " * 4
    quote = "the parties agree"
    starts = [m.start() for m in re.finditer(quote, text)]
    selector = quote_selector(text, starts[2], starts[2] + len(quote))
    assert reanchor(selector, starts[2], text).start == starts[2]
    assert reanchor(selector, starts[2], text).confidence == 1.0  # exactly where it was
    shifted = reanchor(selector, starts[2] + 5, text)
    assert shifted.start == starts[2] and shifted.confidence <= 0.7  # cannot be told apart


def test_a_short_quote_in_a_changed_context_needs_review():
    selector, start = selector_for(TEXT, "the border")
    rewritten = "Nobody spoke of the border at all; the talks turned to trade."
    anchor = reanchor(selector, start, rewritten)
    assert anchor.start == rewritten.index("the border") and anchor.confidence < 0.75


def test_long_quotes_are_found_piecewise():
    paragraph = TEXT.split("\n\n")[1]
    selector, start = selector_for(TEXT, paragraph)
    edited = ("New opening paragraph. " * 40 + "\n\n"
              + TEXT.replace("Geneva", "Vienna").replace("prisoners", "all prisoners"))
    anchor = reanchor(selector, start, edited)
    assert found(anchor, edited) == paragraph.replace("Geneva", "Vienna").replace(
        "prisoners", "all prisoners")
    assert anchor.confidence >= 0.9


def test_empty_inputs_are_never_found():
    assert reanchor(TextQuoteSelector(""), 0, TEXT) is None
    assert reanchor(TextQuoteSelector("x"), 0, "") is None


@settings(max_examples=80, deadline=None)
@given(
    words=st.lists(st.text("abcdefghij", min_size=3, max_size=8), min_size=8, max_size=40),
    data=st.data(),
)
def test_insertions_before_a_unique_quote_shift_it_exactly(words, data):
    text = " ".join(f"{word}{index}" for index, word in enumerate(words))  # unique words
    first = data.draw(st.integers(0, len(words) - 2))
    last = data.draw(st.integers(first + 1, len(words) - 1))
    quote = " ".join(f"{word}{index}" for index, word in enumerate(words))
    quote = " ".join(quote.split(" ")[first : last + 1])
    start = text.index(quote)
    inserted = data.draw(st.text("XYZ .", max_size=50))
    new = inserted + text
    anchor = reanchor(quote_selector(text, start, start + len(quote)), start, new)
    assert (anchor.start, anchor.end) == (start + len(inserted), start + len(inserted) + len(quote))


def test_offset_map_is_exact_in_unchanged_lines():
    old = "one\ntwo\nthree\nfour"
    new = "zero\none\ntwo!\nthree\nfour"
    offsets = OffsetMap(old, new)
    assert new[offsets(old.index("three")) :].startswith("three")
    assert new[offsets(old.index("one")) :].startswith("one")
    assert offsets(len(old)) == len(new)


# ---------------------------------------------------------------- carrying to a new version

@pytest.fixture
def store():
    with Store(":memory:") as opened:
        yield opened


def test_carry_copies_every_annotation_and_never_drops_one(store):
    old = add_document(store, TEXT, title="Draft")
    edited = TEXT.replace("would", "shall").replace("Geneva", "Vienna")
    edited = edited.replace(" The Afghan side reserved its position on the border question.", "")
    new = add_document(store, "Preamble added.\n\n" + edited, title="Final")
    spans = {q: TEXT.index(q) for q in (QUOTE, "exchange prisoners", "border question")}
    made = {q: create_annotation(store, old, s, s + len(q), note=q, tags=["t"], author="Ada",
                                 reliability="B") for q, s in spans.items()}
    gone = create_annotation(store, old, 0, 7, author="Ada")
    delete_annotation(store, gone.id, author="Ada")

    counts = carry_annotations(store, old, new)

    assert counts == {"anchored": 2, "review": 1, "skipped": 0}
    carried = {a.note: a for a in list_annotations(store, new)}
    new_text = store.db["documents"].get(new)["text"]
    moved = carried[QUOTE]
    assert moved.exact == QUOTE.replace("would", "shall") == new_text[moved.start : moved.end]
    assert (moved.tags, moved.author, moved.reliability) == (("t",), "Ada", "B")
    assert moved.created_at == made[QUOTE].created_at and moved.id != made[QUOTE].id
    lost = carried["border question"]
    assert lost.anchor_status == "review" and lost.exact == "border question"
    assert [a.id for a in review_queue(store)] == [lost.id]
    assert len(list_annotations(store, old)) == 3  # copied, not moved
    assert get_annotation(store, made[QUOTE].id).document_id == old
    history = annotation_history(store, moved.id)
    assert history[0]["action"] == "carry" and history[0]["before"]["id"] == made[QUOTE].id


def test_carry_twice_skips_what_was_carried(store):
    old = add_document(store, TEXT, title="Draft")
    new = add_document(store, TEXT + " Annex follows.", title="Final")
    create_annotation(store, old, 0, 10)
    assert carry_annotations(store, old, new) == {"anchored": 1, "review": 0, "skipped": 0}
    assert carry_annotations(store, old, new) == {"anchored": 0, "review": 0, "skipped": 1}
    assert len(list_annotations(store, new)) == 1


def test_carry_needs_two_versions(store):
    old = add_document(store, TEXT)
    with pytest.raises(InvalidInput, match="two different versions"):
        carry_annotations(store, old, old)


def test_carry_puts_unfound_annotations_at_zero_with_the_old_quote(store):
    old = add_document(store, TEXT, title="Draft")
    new = add_document(store, "Completely different wording of everything.", title="Final")
    create_annotation(store, old, 0, 10)
    assert carry_annotations(store, old, new) == {"anchored": 0, "review": 1, "skipped": 0}
    lost = list_annotations(store, new)[0]
    assert (lost.start, lost.end, lost.exact, lost.anchor_confidence) == (0, 0, "Article 1.", 0.0)


# ---------------------------------------------------------------- corpus evaluation

def _spans(cell: str):
    if cell == "-":
        return None
    return [tuple(map(int, part.split("-"))) for part in cell.split(":")[1].split(",")]


def _gold_offsets(path, old: str, new: str, witness_a: str, witness_b: str) -> dict[int, int]:
    """Old -> new offsets for characters in apparatus entries both witnesses read identically."""
    mapping = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            a, b = _spans(row[witness_a]), _spans(row[witness_b])
            if not a or not b or len(a) != 1 or len(b) != 1:
                continue
            (a_start, a_end), (b_start, b_end) = a[0], b[0]
            if old[a_start:a_end] == new[b_start:b_end]:
                mapping.update((a_start + k, b_start + k) for k in range(a_end - a_start))
    return mapping


@pytest.mark.parametrize("witness", ["f1823", "f1831"])
def test_frankenstein_annotations_carry_to_later_editions(corpora, witness):
    folder = corpora / "frankenstein"
    old = (folder / "witnesses" / "f1818.txt").read_text(encoding="utf-8")
    new = (folder / "witnesses" / f"{witness}.txt").read_text(encoding="utf-8")
    gold = _gold_offsets(folder / "gold" / "apparatus.tsv", old, new, "f1818", witness)
    starts = [m.start() for m in re.finditer(r"\b\w", old)]
    rng = random.Random(7)
    offsets = OffsetMap(old, new)
    stable = exact = wrong = 0
    for _ in range(400):
        first = rng.randrange(len(starts) - 40)
        start, end = starts[first], starts[first + rng.randint(1, 30)] - 1
        anchor = reanchor(quote_selector(old, start, end), offsets(start), new)
        unchanged = start in gold and end - 1 in gold
        if unchanged and new[gold[start] : gold[end - 1] + 1] == old[start:end]:
            stable += 1
            if anchor and anchor.confidence >= 0.75:
                hit = (anchor.start, anchor.end) == (gold[start], gold[end - 1] + 1)
                exact, wrong = exact + hit, wrong + (not hit)
    print(f"{witness}: {exact}/{stable} unchanged passages re-anchored exactly, {wrong} wrongly")
    assert wrong == 0 and exact == stable > 200
