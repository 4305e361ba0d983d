"""Annotating a long text in a real browser: saving keeps the scholar's place, and the
scholar's name is remembered by the browser (reload, new tab)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.documents import import_document
from annotations.notes import list_annotations
from annotations.store import Store
from tests.e2e.conftest import SELECTOR_ROOT, drag_select, open_app, wait_ready

pytestmark = pytest.mark.browser

PHRASE = "le ministre a signé"
PARAGRAPHS = [f"Paragraphe {n}. Texte ordinaire du document, sans rien de notable." for n in
              range(1, 300)]
PARAGRAPHS[240] = f"Paragraphe 241. Ici {PHRASE} la convention à Genève."
TEXT = "\n\n".join(PARAGRAPHS) + "\n"

SCROLL_TOP = f"() => document.querySelector('{SELECTOR_ROOT}').scrollTop"
IN_VIEW = """([root, id]) => {
  const box = document.querySelector(root).getBoundingClientRect();
  const mark = document.querySelector(`${root} [data-hl-ids~='${id}']`);
  if (!mark) return false;
  const r = mark.getBoundingClientRect();
  return r.top >= box.top && r.bottom <= box.bottom;
}"""


@pytest.fixture
def long_document(served_app, workbench_db):
    with Store(workbench_db) as store:
        document_id = import_document(store, TEXT.encode(), "long.txt", title="Long",
                                      language="fr")
    return served_app("workbench.py", workbench_db), document_id


def sign_in_as(page, name: str) -> None:
    """Type ``name`` in the sidebar and wait until this browser has stored it (or forgotten it)."""
    field = page.get_by_label("Your name", exact=True)
    field.fill(name)
    field.press("Enter")
    page.wait_for_function("(name) => (localStorage.getItem('palimpsest.author') ?? '') === name",
                           arg=name, timeout=30_000)
    wait_ready(page)


def test_saving_keeps_the_text_where_it_was(page, long_document, workbench_db):
    url, document_id = long_document
    open_app(page, url, f"read?doc={document_id}")
    sign_in_as(page, "Ada")
    drag_select(page, PHRASE)  # scrolls the text down to paragraph 241
    expect(page.get_by_text("New annotation on")).to_be_visible(timeout=15_000)
    before = page.evaluate(SCROLL_TOP)
    assert before > 2_000  # far down a long text
    root = page.locator(SELECTOR_ROOT)
    built = root.get_attribute("data-built")

    page.get_by_role("button", name="Save annotation").click()
    expect(page.get_by_text("Annotation saved")).to_be_visible(timeout=15_000)
    wait_ready(page)

    with Store(workbench_db) as store:
        [saved] = list_annotations(store, document_id)
    assert saved.exact == PHRASE
    page.wait_for_function(IN_VIEW, arg=[SELECTOR_ROOT, saved.id], timeout=10_000)
    assert abs(page.evaluate(SCROLL_TOP) - before) < 200
    # The new highlight was wrapped around its words in place: the text was not built anew.
    assert root.get_attribute("data-built") == built
    assert root.get_attribute("data-patched") == "1"
    marked = page.evaluate("([root, id]) => [...document.querySelectorAll("
                           "`${root} [data-hl-ids~='${id}']`)].map(e => e.textContent).join('')",
                           [SELECTOR_ROOT, saved.id])
    assert marked == PHRASE


def test_the_browser_remembers_the_scholars_name(page, long_document):
    url, document_id = long_document
    open_app(page, url, f"read?doc={document_id}")
    sign_in_as(page, "Ada Lovelace")

    page.reload()
    wait_ready(page)
    expect(page.get_by_label("Your name", exact=True)).to_have_value("Ada Lovelace",
                                                                     timeout=15_000)

    other_tab = page.context.new_page()
    open_app(other_tab, url, "compare")
    expect(other_tab.get_by_label("Your name", exact=True)).to_have_value("Ada Lovelace",
                                                                          timeout=15_000)
    other_tab.close()


def test_a_name_cleared_on_purpose_stays_cleared(page, long_document):
    url, document_id = long_document
    open_app(page, url, f"read?doc={document_id}")
    sign_in_as(page, "Ada")
    sign_in_as(page, "")
    page.reload()
    wait_ready(page)
    page.wait_for_timeout(1_000)  # room for a wrongly restored name to arrive
    expect(page.get_by_label("Your name", exact=True)).to_have_value("")
