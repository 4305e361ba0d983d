"""Annotating in a real browser: select with the mouse, fill the form, save, reload, see it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.documents import import_document
from annotations.notes import list_annotations
from annotations.store import Store
from tests.e2e.conftest import SELECTOR_ROOT, drag_select, open_app, wait_ready

pytestmark = pytest.mark.browser

TEXT = (
    "Article 1. Les parties 🤝 conviennent de ce qui suit.\n\n"
    "Article 2. Le traité fut décidé à Genève, en été, par les ministres.\n\n"
    "Article 3. <script>alert('doc')</script> reste du texte.\n"
)
PHRASE = "décidé à Genève"
NOTE = "Voir *l'annexe* <img src=x onerror=alert(1)> [lien](javascript:alert(2))"


@pytest.fixture
def served_read(served_app, workbench_db):
    with Store(workbench_db) as store:
        document_id = import_document(store, TEXT.encode(), "traite.txt", title="Traité",
                                      kind="final", language="fr")
    return served_app("workbench.py", workbench_db), document_id


def choose(page, label: str, option: str) -> None:
    page.locator("[data-testid=stSelectbox]").filter(has_text=label).locator("input").click()
    page.get_by_role("option", name=option).click()


def test_select_annotate_save_reload(page, served_read, workbench_db, page_dialogs):
    url, document_id = served_read
    open_app(page, url, f"read?doc={document_id}")
    name = page.get_by_label("Your name", exact=True)
    name.fill("Ada")
    name.press("Enter")
    wait_ready(page)

    drag_select(page, PHRASE)
    expect(page.get_by_text("New annotation on")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("stText").filter(has_text=PHRASE)).to_have_text(PHRASE)
    page.get_by_label("Note (Markdown)", exact=True).fill(NOTE)
    page.get_by_label("Tags (separate with ;)", exact=True).fill("Genève; traité")
    choose(page, "Information credibility", "2 – Probably true")
    page.get_by_role("button", name="Save annotation").click()
    expect(page.get_by_text("Annotation saved")).to_be_visible(timeout=15_000)

    with Store(workbench_db) as store:
        [saved] = list_annotations(store, document_id)
    start = TEXT.index(PHRASE)
    assert (saved.start, saved.end, saved.exact) == (start, start + len(PHRASE), PHRASE)
    assert (saved.note, saved.tags, saved.credibility) == (NOTE, ("Genève", "traité"), 2)
    assert saved.author == "Ada"

    page.reload()
    wait_ready(page)
    highlight = page.locator(f"{SELECTOR_ROOT} [data-hl-ids~='{saved.id}']")
    expect(highlight).to_have_count(1)
    expect(highlight).to_have_text(PHRASE)
    card = page.locator(f".st-key-annotation_{saved.id}")
    expect(card).to_contain_text("Voir l'annexe")
    expect(card).to_contain_text("<img src=x onerror=alert(1)>")
    assert card.locator("img, script").count() == 0
    assert card.locator("a[href^='javascript']").count() == 0
    assert page_dialogs == []


def test_span_link_scrolls_to_and_marks_the_span(page, served_app, workbench_db):
    paragraphs = [f"Paragraphe {n}. Texte ordinaire du document, sans rien de notable." for n in
                  range(1, 400)]
    paragraphs[350] = "Paragraphe 351. Ici le ministre a décidé 😀 à Genève."
    text = "\n\n".join(paragraphs) + "\n"
    with Store(workbench_db) as store:
        document_id = import_document(store, text.encode(), "long.txt", title="Long")
    url = served_app("workbench.py", workbench_db)
    start = text.index("décidé 😀 à Genève")
    end = start + len("décidé 😀 à Genève")
    open_app(page, url, f"read?doc={document_id}&start={start}&end={end}")
    expect(page.get_by_test_id("stText").filter(has_text="Genève")).to_have_text(
        "décidé 😀 à Genève")
    marked_and_in_view = """(sel) => {
      const mark = CSS.highlights.get('palimpsest-mark');
      if (!mark || mark.size !== 1) return false;
      const [range] = mark;
      const box = document.querySelector(sel).getBoundingClientRect();
      const r = range.getBoundingClientRect();
      const inside = r.top >= box.top && r.bottom <= box.bottom;
      return range.toString() === 'décidé 😀 à Genève' && inside;
    }"""
    page.wait_for_function(marked_and_in_view, arg=SELECTOR_ROOT, timeout=10_000)


def test_opening_the_page_url_directly_still_asks_for_the_password(
    page, served_app, workbench_db, monkeypatch
):
    monkeypatch.setenv("PALIMPSEST_PASSWORD", "s3cret")
    with Store(workbench_db) as store:
        document_id = import_document(store, TEXT.encode(), "traite.txt", title="Traité")
    open_app(page, served_app("workbench.py", workbench_db), f"read?doc={document_id}")
    expect(page.get_by_text("This workbench is protected")).to_be_visible()
    expect(page.locator(SELECTOR_ROOT)).to_have_count(0)
