"""The text selector in a real Chromium: what the mouse selects is what Python gets.

Offsets are checked in code points against the app's own text, with emoji
(astral, ZWJ sequences, flags), a combining accent that has no precomposed form,
and precomposed accented words before and inside the selection.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SELECTOR_ROOT, ServedApps, drag_select, open_app, range_select

pytestmark = pytest.mark.browser

APP = Path(__file__).parent / "apps" / "selection_app.py"


def _app_text() -> str:
    spec = importlib.util.spec_from_file_location("selection_app", APP)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TEXT


TEXT = _app_text()


@pytest.fixture(scope="module")
def selection_url(chromium_path, tmp_path_factory):
    apps = ServedApps(tmp_path_factory.mktemp("selection_app"))
    yield apps.start(APP, apps.workdir / "unused.db")
    apps.stop_all()


@pytest.fixture
def app(page, selection_url):
    open_app(page, selection_url)
    page.wait_for_selector(f"{SELECTOR_ROOT}[data-ready='1']")
    return page


def received(page) -> dict | None:
    """What the Python side says it received (waits for the rerun to show it)."""
    code = page.get_by_test_id("stCode").first
    expect(code).not_to_have_text("none", timeout=15_000)
    return json.loads(code.inner_text())


def expected(phrase: str, occurrence: int = 0) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(phrase, start + 1)
    return {"start": start, "end": start + len(phrase), "text": phrase}


def test_mouse_drag_over_accented_words_gives_code_point_offsets(app):
    phrase = "décide, en été"
    assert TEXT.index(phrase) > TEXT.index("😀")  # an astral character comes before it
    drag_select(app, phrase)
    assert received(app) == expected(phrase)


def test_drag_starting_on_a_combining_accent(app):
    phrase = "q\u0303uo décide"  # q + COMBINING TILDE: no precomposed form, stays 2 code points
    drag_select(app, phrase)
    assert received(app) == expected(phrase)


@pytest.mark.parametrize("phrase", ["ici", "du document", "des parties", "parties.\n\nArticle 1"])
def test_offsets_after_emoji_and_across_decorations(app, phrase):
    range_select(app, phrase)
    assert received(app) == expected(phrase)


def test_highlight_covers_exactly_its_characters(app):
    note = app.locator(f"{SELECTOR_ROOT} [data-hl-ids~='n1']")
    expect(note).to_have_text("des")
    assert "pl-k-note" in note.get_attribute("class")


def test_passage_labels_and_page_markers_are_not_text(app):
    shown = app.evaluate(
        "(sel) => { const r = document.createRange();"
        " r.selectNodeContents(document.querySelector(sel)); return r.toString(); }",
        SELECTOR_ROOT,
    )
    assert shown == TEXT
    labels = app.locator(f"{SELECTOR_ROOT} .pl-passage")
    expect(labels).to_have_count(2)
    assert labels.first.get_attribute("data-label") == "1"


def test_hostile_text_is_shown_as_text_and_runs_nothing(app, page_dialogs):
    root = app.locator(SELECTOR_ROOT)
    expect(root).to_contain_text("<img src=x onerror=alert(1)> et <script>alert(2)</script>")
    assert root.locator("img, script, b").count() == 0
    assert app.locator(f"{SELECTOR_ROOT} [data-hl-ids~='c1']").get_attribute("title") == (
        "<b>title</b>"
    )
    range_select(app, "<script>alert(2)</script>")
    assert received(app) == expected("<script>alert(2)</script>")
    assert page_dialogs == []


def test_kept_selection_is_marked_until_cleared(app):
    mark_size = "() => CSS.highlights.get('palimpsest-mark')?.size ?? 0"
    range_select(app, "sans délai")
    assert received(app) == expected("sans délai")
    app.get_by_role("heading", name="Selection test").click()  # the browser selection goes
    assert app.evaluate("() => getSelection().isCollapsed")
    assert app.evaluate(mark_size) == 1
    assert received(app) == expected("sans délai")
    app.get_by_role("button", name="Clear selection").click()
    expect(app.get_by_test_id("stCode").first).to_have_text("none")
    app.wait_for_function(f"({mark_size})() === 0")


# The text as the reader sees it: each run of characters with the highlights over it.
SHOWN_JS = """root => {
  const pieces = [];
  const walker = document.createTreeWalker(document.querySelector(root), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const span = node.parentElement.closest(".pl-hl");
    const look = span ? JSON.stringify([
      (span.getAttribute("data-hl-ids") || "").split(" ").sort(),
      [...span.classList].sort(), (span.title || "").split("\\n").sort()]) : "";
    const last = pieces[pieces.length - 1];
    if (last && last[1] === look) last[0] += node.data; else pieces.push([node.data, look]);
  }
  return pieces;
}"""


def test_highlights_added_in_place_show_what_a_fresh_page_shows(page, selection_url):
    """A saved annotation's highlight is wrapped around its words where they are (the text
    is not built anew) and the text then looks exactly as on a page that had it from the
    start: overlaps, a highlight inside another, one over a page break."""
    open_app(page, selection_url, "?extra=1")
    page.wait_for_selector(f"{SELECTOR_ROOT}[data-ready='1']")
    fresh = page.evaluate(SHOWN_JS, SELECTOR_ROOT)
    assert any("x1" in look and "n1" in look for _, look in fresh)  # they do overlap

    open_app(page, selection_url)
    page.wait_for_selector(f"{SELECTOR_ROOT}[data-ready='1']")
    root = page.locator(SELECTOR_ROOT)
    assert page.evaluate(SHOWN_JS, SELECTOR_ROOT) != fresh
    page.get_by_role("button", name="Add highlights").click()
    expect(root).to_have_attribute("data-patched", "1", timeout=15_000)
    assert root.get_attribute("data-built") == "1"
    assert page.evaluate(SHOWN_JS, SELECTOR_ROOT) == fresh
    assert "".join(text for text, _ in fresh) == TEXT
    drag_select(page, "ministre")  # offsets still right after the text nodes were split
    assert received(page) == expected("ministre")
