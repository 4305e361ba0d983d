"""Paging through a long comparison in the browser (issue 14): two 5,000-passage versions
imported by the test on a fresh database, compared inside the page, then walked page by
page in the side-by-side view. Another page of rows reruns the view alone: the summary
above it is not computed and sent again (no element outside the view goes stale)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.documents import import_document
from annotations.store import Store
from tests.e2e.conftest import open_app, wait_ready
from tests.e2e.test_compare_flow import WIDE, open_tab

pytestmark = pytest.mark.browser

PASSAGES = 5_000
ROWS = "[data-testid=collation-row]"

# Counts how often an element outside the view is marked stale (a full rerun marks every
# element stale until it is drawn again; a fragment rerun leaves the others alone).
WATCH_OUTSIDE_JS = """() => {
    window.staleOutside = 0;
    const outside = [...document.querySelectorAll("[data-testid=stMetric]")]
        .map(m => m.closest("[data-testid=stElementContainer]"));
    window.watchedOutside = outside;
    const observer = new MutationObserver(() => {
        if (outside.some(c => c.getAttribute("data-stale") === "true")) window.staleOutside++;
    });
    outside.forEach(c => observer.observe(c, {attributes: true}));
    return outside.length;
}"""


def paragraph(k: int, revised: bool = False) -> str:
    verb = "finds" if revised else "says"
    return f"Paragraph {k} of the long report {verb} that the mission went on in region {k}."


@pytest.fixture
def long_pair(workbench_db) -> tuple[int, int]:
    base = "\n\n".join(paragraph(k) for k in range(1, PASSAGES + 1))
    final = "\n\n".join(paragraph(k, revised=k % 7 == 0)
                        for k in range(1, PASSAGES + 1) if k % 50)
    with Store(workbench_db) as store:
        return (import_document(store, base.encode(), "draft.txt", language="en"),
                import_document(store, final.encode(), "final.txt", language="en"))


def test_a_5000_passage_comparison_pages_through_without_redrawing_the_page(
        page, workbench, long_pair, page_dialogs):
    draft, final = long_pair
    page.set_viewport_size(WIDE)
    open_app(page, workbench, f"compare?base={draft}&others={final}")
    expect(page.get_by_test_id("stMetric").filter(has_text="Removed")).to_contain_text(
        str(PASSAGES // 50), timeout=120_000)
    panel = open_tab(page, "Side by side")
    panel.get_by_text("All passages", exact=True).click()
    wait_ready(page)
    pages = panel.get_by_label(re.compile(r"^Page of rows \(of 125\)"))
    expect(pages).to_have_value("1")
    rows = panel.locator(ROWS)
    expect(rows).to_have_count(40)
    expect(rows.first).to_contain_text("Paragraph 1 of the long report")

    assert page.evaluate(WATCH_OUTSIDE_JS) >= 5  # the summary's counts
    for number, first in ((2, 41), (3, 81), (125, 4961)):
        pages.fill(str(number))
        pages.press("Enter")
        expect(rows.first).to_contain_text(f"Paragraph {first} of the long report")
        wait_ready(page)
        expect(rows).to_have_count(40)
    expect(rows.filter(has_text="Paragraph 5000 of")).to_contain_text("removed")
    expect(rows.filter(has_text="Paragraph 4998 of")).to_contain_text("finds")
    assert page.evaluate("() => window.staleOutside") == 0, "the whole page was run again"
    assert page.evaluate("() => window.watchedOutside.every(c => c.isConnected)")
    assert page_dialogs == []
