"""After an undo, the next selection opens the annotation form (the load test lost it)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SELECTOR_ROOT, open_app, range_select, wait_ready
from tests.e2e.test_annotate_flow import served_read  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_a_selection_made_after_an_undo_is_kept(page, served_read):  # noqa: F811
    url, document_id = served_read
    open_app(page, url, f"read?doc={document_id}")
    name = page.get_by_label("Your name", exact=True)
    name.fill("Ada")
    name.press("Enter")
    page.wait_for_function("() => localStorage.getItem('palimpsest.author') === 'Ada'")
    wait_ready(page)
    range_select(page, "décidé à Genève")
    expect(page.get_by_test_id("stText").filter(has_text="décidé à Genève")).to_be_visible()
    page.get_by_label("Note (Markdown)", exact=True).fill("first")
    page.get_by_role("button", name="Save annotation").click()
    expect(page.get_by_text("Annotation saved on “décidé à Genève”")).to_be_visible()
    wait_ready(page)
    page.get_by_role("button", name="↶ Undo my last change").click()
    expect(page.get_by_text("Removed the annotation on “décidé à Genève”")).to_be_visible()
    wait_ready(page)
    expect(page.locator(SELECTOR_ROOT)).to_have_count(1)  # one copy of the text, not two
    range_select(page, "les ministres")
    expect(page.get_by_test_id("stText").filter(has_text="les ministres")).to_be_visible(
        timeout=15_000)
