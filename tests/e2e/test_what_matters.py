"""What may change the meaning, in a real browser, on documents made here.

A fresh database, two French versions written by the test (a figure, a date, a
negation and an obligation changed, an apostrophe retyped), nothing computed
before the page opens. Compare opens on "What matters"; the scholar re-types the
negation as a mere wording, and after a reload it is still so.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.documents import import_document
from annotations.store import Store
from tests.e2e.conftest import open_app, wait_ready
from tests.e2e.test_compare_flow import WIDE, grid_rows
from tests.test_meaning import DRAFT, FINAL

pytestmark = pytest.mark.browser


def meaning_rows(page) -> list[tuple[str, str, str]]:
    panel = page.get_by_role("tabpanel", name="What matters")
    rows = grid_rows(panel.get_by_test_id("stDataFrame"))
    return [(row["type"], row["old"], row["new"]) for row in rows]


def pick(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)  # typing opens the list on the matching option, even after a rerun
    page.get_by_role("option", name=re.compile("^" + re.escape(option))).first.click()
    wait_ready(page)


def test_a_retyped_variant_stays_retyped_after_a_reload(page, served_app, tmp_path,
                                                         page_dialogs):
    db = tmp_path / "meaning.db"
    with Store(db) as store:
        draft = import_document(store, DRAFT.encode(), "draft.txt", language="fr", kind="draft")
        final = import_document(store, FINAL.encode(), "final.txt", language="fr", kind="final")
    page.set_viewport_size(WIDE)
    open_app(page, served_app("workbench.py", db), f"compare?base={draft}&others={final}")

    expect(page.get_by_role("tabpanel", name="What matters")).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(r"1 figure changed, 1 date changed, 1 negation, "
                                       r"1 change of obligation")).first).to_be_visible()
    assert meaning_rows(page) == [
        ("figure", "30", "60"), ("date", "1er mars 1986", "1er avril 1986"),
        ("negation", "peut", "ne peut pas"), ("obligation", "doit", "peut")]

    name = page.get_by_label("Your name", exact=True)
    name.fill("Ada")
    name.press("Enter")
    page.wait_for_function("() => localStorage.getItem('palimpsest.author') === 'Ada'")
    wait_ready(page)
    pick(page, "Variant", "#3 negation: peut → ne peut pas")
    pick(page, "Type", "wording")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("is now wording")).to_be_visible(timeout=15_000)

    page.reload()
    wait_ready(page)
    expect(page.get_by_role("tabpanel", name="What matters")).to_be_visible()
    assert meaning_rows(page) == [
        ("figure", "30", "60"), ("date", "1er mars 1986", "1er avril 1986"),
        ("obligation", "doit", "peut")]
    with Store(db) as store:
        decisions = store.db.execute(
            "select old, new, type, author from variant_decisions").fetchall()
    assert decisions == [("peut", "ne peut pas", "lexical", "Ada")]
    # side by side, each change of meaning is named under its row, in words and in colour
    page.get_by_role("tab", name="Side by side").click()
    flagged = page.locator(".pal-note.pal-flagged")
    expect(flagged.first).to_be_visible()
    assert "Figure changed: “30” → “60”" in flagged.all_inner_texts()
    assert page_dialogs == []
