"""Typed variants and cross-language discrepancies (sources.variants, sources.values)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.values import mentions
from sources.variants import FLAGGED, Variant, discrepancies, type_variants


def typed(a: str, b: str, language: str) -> list[tuple[str, str, str]]:
    return [(v.type, v.old, v.new) for v in type_variants(a, b, language)]


@pytest.mark.parametrize("a, b, language, expected", [
    # number: a value changed, in digits or in words
    ("Le délai est de 30 jours.", "Le délai est de 60 jours.", "fr", ("number", "30", "60")),
    ("Un montant de 8 000 $ est versé.", "Un montant de 80 000 $ est versé.", "fr",
     ("number", "8 000", "80 000")),
    ("Un délai de deux mois.", "Un délai de trois mois.", "fr", ("number", "deux", "trois")),
    ("A fee of $8,000 is paid.", "A fee of $8,500 is paid.", "en", ("number", "8,000", "8,500")),
    ("Within thirty days.", "Within sixty days.", "en", ("number", "thirty", "sixty")),
    ("25 % des voix", "35 % des voix", "fr", ("number", "25", "35")),
    # date: a day, a month or a year changed
    ("Entre en vigueur le 1er janvier 1987.", "Entre en vigueur le 1er février 1987.", "fr",
     ("date", "1er janvier 1987", "1er février 1987")),
    ("Adopté en 1986 à Genève.", "Adopté en 1987 à Genève.", "fr", ("date", "1986", "1987")),
    ("In force on July 1, 1989.", "In force on July 2, 1989.", "en",
     ("date", "July 1, 1989", "July 2, 1989")),
    # name: a person, place or organisation replaced
    ("Le siège est à Ottawa.", "Le siège est à Montréal.", "fr", ("name", "Ottawa", "Montréal")),
    ("Le ministre de la Justice dépose le rapport.", "Le ministre des Finances dépose le rapport.",
     "fr", ("name", "de la Justice", "des Finances")),
    ("The report goes to Geneva.", "The report goes to New York.", "en",
     ("name", "Geneva", "New York")),
    # negation added or removed
    ("Le ministre peut transférer les fonds.", "Le ministre ne peut pas transférer les fonds.",
     "fr", ("negation", "peut", "ne peut pas")),
    ("Le ministre est tenu de publier.", "Le ministre n'est pas tenu de publier.", "fr",
     ("negation", "est", "n'est pas")),
    ("The Minister may publish.", "The Minister may not publish.", "en",
     ("negation", "may", "may not")),
    ("Parties can appeal.", "Parties can't appeal.", "en", ("negation", "can", "can't")),
    ("Witnesses were heard with counsel.", "Witnesses were heard without counsel.", "en",
     ("negation", "with", "without")),
    # modality: obligation, permission, prohibition, advice
    ("Le ministre doit publier le rapport.", "Le ministre peut publier le rapport.", "fr",
     ("modality", "doit", "peut")),
    ("Le ministre est tenu de publier le rapport.", "Le ministre peut publier le rapport.", "fr",
     ("modality", "est tenu de", "peut")),
    ("Il est interdit de fumer.", "Il est déconseillé de fumer.", "fr",
     ("modality", "interdit", "déconseillé")),
    ("The Minister shall publish the report.", "The Minister may publish the report.", "en",
     ("modality", "shall", "may")),
    ("The Minister must publish.", "The Minister should publish.", "en",
     ("modality", "must", "should")),
    # lexical: any other word
    ("Le comité examine la plainte.", "Le conseil examine la plainte.", "fr",
     ("lexical", "comité", "conseil")),
    ("The committee shall examine the complaint.", "The committee shall examine the petition.",
     "en", ("lexical", "complaint", "petition")),
])
def test_each_type_in_both_languages(a, b, language, expected):
    assert typed(a, b, language) == [expected]


@pytest.mark.parametrize("a, b, language", [
    ("Un montant de 8 000 $.", "Un montant de 8000 $.", "fr"),
    ("A fee of 8,000 dollars.", "A fee of 8000 dollars.", "en"),
    ("Un délai de soixante jours.", "Un délai de 60 jours.", "fr"),
    ("Within thirty days.", "Within 30 days.", "en"),
    ("25 % des voix", "25% des voix", "fr"),
    ("25 pour cent des voix", "25 % des voix", "fr"),
    ("L’État publie le rapport.", "L'Etat publie le rapport.", "fr"),
    ("Il dit « oui ».", 'Il dit "oui".', "fr"),
    ("Le comité examine la plainte.", "Le comité, examine la plainte.", "fr"),
    ("The Committee examines it.", "The committee examines it.", "en"),
    ("ÉTAT DES LIEUX", "Etat des lieux", "fr"),
    ("Le  comité\nexamine.", "Le comité examine.", "fr"),
])
def test_formal_changes_are_never_flagged(a, b, language):
    variants = type_variants(a, b, language)
    assert variants and {v.type for v in variants} == {"formal"}


def test_neighbouring_differences_are_one_variant_and_distant_ones_are_not():
    a = "Le ministre peut transférer les fonds au Conseil dans un délai de 30 jours."
    b = "Le ministre ne peut pas transférer les fonds au Conseil dans un délai de 60 jours."
    assert typed(a, b, "fr") == [("negation", "peut", "ne peut pas"), ("number", "30", "60")]


def test_spans_are_offsets_into_the_two_texts():
    a = "Premier alinéa. Le délai est de 30 jours."
    b = "Premier alinéa. Le délai est de soixante jours."
    [variant] = type_variants(a, b, "fr")
    assert (a[variant.a.start:variant.a.end], b[variant.b.start:variant.b.end]) == ("30",
                                                                                       "soixante")
    assert Variant.from_dict(variant.as_dict()) == variant
    moved = variant.shifted(100, 7)
    assert (moved.a.start, moved.b.start) == (variant.a.start + 100, variant.b.start + 7)


def test_identical_texts_have_no_variants():
    assert type_variants("Même texte.", "Même texte.", "fr") == []


# --- values -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, language, expected", [
    ("8 000 $", "fr", "8000"), ("8\u202f000,50 €", "fr", "8000.5"), ("$8,000.50", "en", "8000.5"),
    ("1,500", "fr", "1.5"), ("1,500", "en", "1500"), ("1.000.000", "fr", "1000000"),
    ("trente et un", "fr", "31"), ("soixante-dix-huit", "fr", "78"),
    ("two hundred and five", "en", "205"), ("3 millions", "fr", "3000000"),
    ("2.5 billion", "en", "2500000000"),
    ("1er juillet 1989", "fr", "1989-07-01"), ("July 1, 1989", "en", "1989-07-01"),
    ("12 March 1986", "en", "1986-03-12"), ("01/07/1989", "fr", "1989-07-01"),
    ("mai 1990", "fr", "1990-05"), ("en 1986", "fr", "1986"),
])
def test_values_are_read_as_a_scholar_reads_them(text, language, expected):
    assert [m.describe() for m in mentions(text, language)] == [expected]


@pytest.mark.parametrize("text, language", [
    ("un rapport et une note", "fr"), ("one of the reports", "en"),
    ("we may go", "en"), ("in march", "en"),
])
def test_articles_and_words_that_look_like_values_are_not_values(text, language):
    assert mentions(text, language) == []


# --- across languages -------------------------------------------------------------------------

@pytest.mark.parametrize("fr, en", [
    ("Le délai est de trente jours.", "The time limit is 30 days."),
    ("Un montant de 8 000 $.", "An amount of $8,000."),
    ("Entré en vigueur le 1er juillet 1989.", "In force on July 1, 1989."),
    ("Adoptée le 10 décembre 1948 par 48 États.", "Adopted on 10 December 1948 by 48 States."),
    ("Le taux est de 2,5 %.", "The rate is 2.5%."),
])
def test_equal_values_in_two_languages_are_no_discrepancy(fr, en):
    assert discrepancies(fr, en, "fr", "en") == []


def test_a_figure_and_a_date_that_disagree_are_discrepancies():
    fr = "Le délai est de vingt jours à compter du 1er juillet 1989 ; 8 000 $."
    en = "The time limit is 25 days from August 1, 1989; $8,000."
    found = [(v.type, v.old, v.new) for v in discrepancies(fr, en, "fr", "en")]
    assert found == [("number", "vingt", "25"), ("date", "1er juillet 1989", "August 1, 1989")]


def test_ordinals_in_words_and_in_digits_agree():
    fr = "L’ordonnance prend effet le trente et unième jour ouvrable."
    assert discrepancies(fr, "The order takes effect on the 31st business day.", "fr", "en") == []
    assert [v.type for v in discrepancies(fr, "It takes effect on the 30th day.", "fr",
                                          "en")] == ["number"]


def test_a_value_on_one_side_only_has_no_counterpart():
    [variant] = discrepancies("Dans les 30 jours, par écrit.", "In writing.", "fr", "en")
    assert (variant.type, variant.old, variant.b) == ("number", "30", None)


# --- properties -------------------------------------------------------------------------------

WORDS = st.sampled_from(["le", "comité", "examine", "rapport", "the", "report", "Conseil",
                         "publie", "dans", "délai", "of", "and"])
SENTENCE = st.lists(WORDS, min_size=3, max_size=12).map(" ".join)


@given(SENTENCE, SENTENCE)
@settings(max_examples=200, deadline=None)
def test_variants_quote_their_spans(a, b):
    for variant in type_variants(a, b, "fr"):
        assert a[variant.a.start:variant.a.end] == variant.old
        assert b[variant.b.start:variant.b.end] == variant.new


@given(SENTENCE, st.data())
@settings(max_examples=200, deadline=None)
def test_formal_rewriting_is_never_flagged(sentence, data):
    rewritten = sentence.upper() if data.draw(st.booleans()) else sentence.title()
    rewritten = rewritten.replace(" ", data.draw(st.sampled_from([" ", "  ", ", ", " ; "])))
    assert not any(v.flagged for v in type_variants(sentence, rewritten, "fr"))


@given(st.integers(0, 999), st.integers(0, 999), st.sampled_from(["fr", "en"]))
@settings(max_examples=200, deadline=None)
def test_a_changed_figure_is_a_number_variant(old, new, language):
    a, b = f"Le délai est de {old} jours.", f"Le délai est de {new} jours."
    expected = [] if old == new else [("number", str(old), str(new))]
    assert typed(a, b, language) == expected


@given(st.integers(1_000, 9_999_999))
@settings(max_examples=200, deadline=None)
def test_a_figure_in_french_and_english_notation_agrees(amount):
    fr, en = f"Un montant de {amount:,} $.".replace(",", "\u202f"), f"An amount of ${amount:,}."
    assert discrepancies(fr, en, "fr", "en") == []
    other = f"An amount of ${amount + 1:,}."
    assert [v.type for v in discrepancies(fr, other, "fr", "en")] == ["number"]


def test_flagged_types_are_the_meaningful_ones():
    assert FLAGGED == {"number", "date", "name", "negation", "modality"}


@pytest.mark.parametrize("text", [
    "Au titre du paragraphe 41(5) et de l’article 12", "(1) Le ministre", "3) le comité",
    "42 Le ministre du Patrimoine canadien", "16.1 (1) Le délai", "under section 12 of Part 4",
    "[Abrogé, 2023, ch. 15, art. 25]", "under subsection 65(3) or section 66 or 67",
    "aux articles 4 à 7 et 10 à 13",
])
def test_enumerators_and_cross_references_are_not_figures(text):
    assert [m for m in mentions(text, "fr") if m.kind == "number"] == []


def test_a_new_clause_is_a_rewriting_not_a_negation_or_a_name():
    a = "Le ministre consulte les provinces."
    b = ("Le ministre consulte les provinces, ni à la réappropriation ni à la revitalisation "
         "des langues autochtones du Québec et du Nouveau-Brunswick dans les deux langues.")
    assert [v.type for v in type_variants(a, b, "fr")] == ["lexical"]
    c = b.replace("dans les deux langues", "dans les 30 jours")
    assert [v.type for v in type_variants(a, c, "fr")] == ["number"]
