"""Variant typing on real provisions, scored by ``benchmarks/variant_quality.py``.

The evaluation plants one change of known type into each French and English
provision of the Official Languages Act and the UDHR (see that script). The floors
are the issue's targets, a little under what was measured (all 1.00 but names
0.95 precision and translations flagged 0.002), so a regression fails.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("corpora")  # skipped without them; failed under CI=true

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("variant_quality",
                                                  ROOT / "benchmarks" / "variant_quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["variant_quality"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pairs(quality):
    return quality.corpus_pairs()


def test_each_type_is_found_and_given_rightly(quality, pairs):
    scores = quality.score_types(quality.build_cases([p for v in pairs.values() for p in v]))
    for kind, floor in quality.TARGETS.items():
        assert scores[kind]["cases"] >= 40, kind
        assert scores[kind]["recall"] >= floor, (kind, scores[kind])
        assert scores[kind]["precision"] >= 0.90, (kind, scores[kind])
    assert scores["formal flagged"] <= 0.05


@pytest.mark.parametrize("corpus", ["Official Languages Act", "UDHR"])
def test_translations_that_agree_are_not_flagged_and_planted_disagreements_are(quality, pairs,
                                                                               corpus):
    across = quality.score_languages(pairs[corpus])
    assert across["real pairs flagged"] <= 0.05 and across["equal values flagged"] <= 0.05
    assert across["disagreement recall"] >= 0.90 and across["disagreement precision"] >= 0.90
