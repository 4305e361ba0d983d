"""Places of variation among several witnesses (sources.variation)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sources.variation import variation_places, words

TEXT = st.lists(st.sampled_from(["a", "b", "c", "d", "the", "cat"]), max_size=12).map(" ".join)


def reading_of(segments, k):
    parts = [s.text if s.text is not None else s.readings[k] for s in segments]
    return " ".join(p for p in parts if p)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.lists(TEXT, min_size=1, max_size=5))
def test_each_witness_is_the_shared_text_with_its_readings(base, readings):
    segments = variation_places(base, readings)
    for k, text in enumerate(readings):
        assert reading_of(segments, k) == " ".join(words(text))


@settings(max_examples=200, deadline=None)
@given(TEXT, st.lists(TEXT, min_size=1, max_size=5))
def test_places_are_real_differences_and_never_touch(base, readings):
    segments = variation_places(base, readings)
    for segment in segments:
        assert (segment.text is None) != (segment.readings is None)
        if segment.readings is not None:
            assert any(r != segment.lemma for r in segment.readings)  # a place differs
    kinds = [s.text is None for s in segments]
    assert not any(a and b for a, b in zip(kinds, kinds[1:], strict=False))


def test_a_witness_without_the_passage_reads_nothing_and_the_passage_is_one_place():
    segments = variation_places("a b c", ["a b c", None, "a x c"])
    assert [(s.text, s.readings) for s in segments] == [(None, ("a b c", None, "a x c"))]


def test_darwin_like_revision():
    base = "When we look to the individuals of the same variety"
    later = "When we compare the individuals of the same variety or sub-variety"
    segments = variation_places(base, [base, base, later])
    places = [s.readings for s in segments if s.readings]
    assert places == [("look to", "look to", "compare"), ("", "", "or sub-variety")]
