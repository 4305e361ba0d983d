"""The Read page without a mouse, and a highlight that opens its note when clicked.

A fresh database and a text written here. The scholar tabs into the text, selects
the first paragraph with P, walks to the next one with Alt+Down, tabs to the note,
types it and saves, all from the keyboard. Then, with 30 annotations on the
document (the list shows 25 a page), a click on the last highlight opens its
annotation at the head of the list.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.documents import import_document
from annotations.notes import create_annotation, list_annotations
from annotations.store import Store
from tests.e2e.conftest import SELECTOR_ROOT, open_app, wait_ready

pytestmark = pytest.mark.browser

PARAGRAPHS = [f"Paragraph {k}: the committee heard witness number {k} on the events."
              for k in range(1, 31)]
TEXT = "\n\n".join(PARAGRAPHS) + "\n"


@pytest.fixture
def served(served_app, tmp_path):
    db = tmp_path / "keyboard.db"
    with Store(db) as store:
        document = import_document(store, TEXT.encode(), "hearings.txt", language="en",
                                   title="Hearings")
    return served_app("workbench.py", db), db, document


def sign_in(page) -> None:
    name = page.get_by_label("Your name", exact=True)
    name.fill("Ada")
    name.press("Enter")
    page.wait_for_function("() => localStorage.getItem('palimpsest.author') === 'Ada'")
    wait_ready(page)


def quoted(page):
    return page.get_by_test_id("stText")


def test_select_and_annotate_from_the_keyboard(page, served):
    url, db, document = served
    open_app(page, url, f"read?doc={document}")
    sign_in(page)
    text = page.locator(SELECTOR_ROOT)
    text.focus()
    page.keyboard.press("p")
    expect(quoted(page).filter(has_text="Paragraph 1: the committee")).to_be_visible()
    wait_ready(page)
    text.focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(quoted(page).filter(has_text="Paragraph 2: the committee")).to_be_visible()
    wait_ready(page)
    text.focus()
    for _ in range(2):  # the selection grows by words: "Paragraph", "3:"
        page.keyboard.press("Shift+Control+ArrowRight")
    expect(quoted(page).filter(has_text="Paragraph 3:")).to_be_visible()
    wait_ready(page)

    text.focus()
    page.keyboard.press("Tab")  # from the text to the note
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused == "Note (Markdown)"
    page.keyboard.type("Heard from the keyboard.")
    for _ in range(20):  # on to the Save button, without the mouse
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.innerText") == "Save annotation":
            break
    else:
        pytest.fail("Save annotation cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Annotation saved on")).to_be_visible(timeout=15_000)
    with Store(db) as store:
        saved = list_annotations(store, document)
    assert [(a.exact[:12], a.exact[-12:], a.note) for a in saved] == [
        ("Paragraph 2:", "Paragraph 3:", "Heard from the keyboard.")]


def test_clicking_a_highlight_opens_its_annotation_first(page, served):
    url, db, document = served
    with Store(db) as store:
        at = 0
        for k, paragraph in enumerate(PARAGRAPHS, start=1):
            start = TEXT.index(paragraph, at)
            at = start + len(paragraph)
            create_annotation(store, document, start, start + 12, note=f"Note on witness {k}.",
                              author="Ada")
    open_app(page, url, f"read?doc={document}")
    expect(page.get_by_text("Note on witness 30.")).to_have_count(0)  # on the list's page 2
    last = page.locator(f"{SELECTOR_ROOT} [data-hl-ids]").last
    last.scroll_into_view_if_needed()
    last.click()
    opened = page.locator("[class*=st-key-annotation_]").filter(has_text="Opened from the text")
    expect(opened).to_have_count(1, timeout=15_000)
    expect(opened).to_contain_text("Note on witness 30.")
    expect(page.get_by_text("Note on witness 30.")).to_be_in_viewport()
    assert page.get_by_test_id("stText").filter(has_text="Paragraph 30").count() == 0  # no form


def test_compare_rows_are_walked_with_the_keyboard(page, served_app, tmp_path):
    db = tmp_path / "rows.db"
    with Store(db) as store:
        draft = import_document(store, TEXT.encode(), "draft.txt", language="en", kind="draft")
        final = import_document(store, TEXT.replace("witness number 7 ", "witness 7 ").encode(),
                                "final.txt", language="en", kind="final")
    open_app(page, served_app("workbench.py", db), f"compare?base={draft}&others={final}")
    page.get_by_role("tab", name="Side by side").click()
    page.get_by_test_id("stRadio").get_by_text("All passages", exact=True).click()  # every row
    wait_ready(page)
    rows = page.get_by_test_id("collation-row")
    expect(rows).to_have_count(30, timeout=15_000)
    rows.first.focus()
    for key in ("ArrowDown", "ArrowDown", "j", "k", "End", "ArrowUp"):
        page.keyboard.press(key)
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith(
        "same")
    index = page.evaluate("() => [...document.querySelectorAll('[data-testid=collation-row]')]"
                          ".indexOf(document.activeElement)")
    assert index == 28  # End (29), then up one
    page.keyboard.press("Home")
    for _ in range(6):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith(
        "changed")  # paragraph 7, the one the final edits


def test_the_text_comes_back_after_leaving_the_page(page, served):
    """Leaving the Read page and coming back shows the text again, offsets right."""
    url, db, document = served
    open_app(page, url, f"read?doc={document}")
    expect(page.locator(SELECTOR_ROOT)).to_contain_text("Paragraph 30: the committee")
    sign_in(page)  # a rerun: the text is still shown
    expect(page.locator(SELECTOR_ROOT)).to_contain_text("Paragraph 30: the committee")
    page.get_by_role("link", name="Search").click()
    wait_ready(page)
    page.get_by_role("link", name="Read & annotate").click()
    wait_ready(page)
    expect(page.locator(SELECTOR_ROOT)).to_contain_text("Paragraph 30: the committee",
                                                        timeout=15_000)
    expect(page.locator(SELECTOR_ROOT)).to_have_count(1)
    text = page.locator(SELECTOR_ROOT)
    text.focus()
    page.keyboard.press("p")  # and it works: offsets are right
    expect(quoted(page).filter(has_text="Paragraph 1: the committee")).to_be_visible()
