"""Document text that looks like HTML or script is shown as text, never run, on every page.

Two versions of a short document carry an ``<img onerror>``, a ``<script>``, a
``javascript:`` URL and a Markdown link to one, with edits right next to them and
one passage cut, so that they reach the browser through every path the Compare
and Read pages have: unchanged cells, inline diff segments, a removed row, the
text selector. The titles carry the same strings, since titles are shown in
selects, tables, banners and captions.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.collation import compare
from annotations.documents import import_document
from annotations.store import Store
from tests.e2e.conftest import SELECTOR_ROOT, ServedApps, open_app

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
JS_URL = "javascript:alert(3)"
MD_LINK = "[cliquez ici](javascript:alert(4))"
TITLE = "Traité <img src=x onerror=alert(5)> [titre](javascript:alert(6))"

OLD = (
    f"Article 1. Le texte {IMG} reste du texte ordinaire.\n\n"
    f"Article 2. Le greffier écrivit {SCRIPT} dans le registre.\n\n"
    f"Article 3. Une adresse {JS_URL} figure dans la note, avec {MD_LINK}.\n\n"
    f"Article 4. Ce passage {IMG} sera retiré {SCRIPT} de la version finale.\n"
)
NEW = (
    f"Article 1. Le texte {IMG} demeure du texte ordinaire.\n\n"
    f"Article 2. Le secrétaire écrivit {SCRIPT} dans le registre.\n\n"
    f"Article 3. Une adresse {JS_URL} figurait dans la note, avec {MD_LINK}.\n"
)
LITERALS = (IMG, SCRIPT, JS_URL, MD_LINK)

_RAN_JS = """() => ({
  imgs: [...document.querySelectorAll("img")].filter(
    (img) => img.hasAttribute("onerror") || img.getAttribute("src") === "x").length,
  scripts: [...document.querySelectorAll("script")].filter(
    (script) => script.textContent.includes("alert(")).length,
  links: [...document.querySelectorAll("a[href]")].filter(
    (a) => a.getAttribute("href").trim().toLowerCase().startsWith("javascript")).length,
  handlers: [...document.querySelectorAll("*")].filter(
    (node) => [...node.attributes].some((at) => at.name.startsWith("on")
                                               && at.value.includes("alert("))).length,
})"""


@pytest.fixture(scope="module")
def hostile(chromium_path, tmp_path_factory):
    """A workbench serving the two versions, their comparison computed."""
    workdir = tmp_path_factory.mktemp("hostile_render")
    db = workdir / "hostile.db"
    with Store(db) as store:
        old = import_document(store, OLD.encode(), "old.txt", title=TITLE, kind="draft",
                              language="fr")
        new = import_document(store, NEW.encode(), "new.txt", title=f"{TITLE} (final)",
                              kind="final", language="fr", version_of=old)
        compare(store, old, [new])
    apps = ServedApps(workdir)
    yield apps.start("workbench.py", db), old, new
    apps.stop_all()


def assert_nothing_ran(page, page_dialogs) -> None:
    page.wait_for_timeout(300)  # an onerror fires as soon as the image fails to load
    assert page.evaluate(_RAN_JS) == {"imgs": 0, "scripts": 0, "links": 0, "handlers": 0}
    assert page_dialogs == []


def test_compare_shows_hostile_text_as_text(page, hostile, page_dialogs):
    url, old, new = hostile
    open_app(page, url)  # through the router first (see test_compare_flow)
    open_app(page, url, f"compare?base={old}&others={new}")
    page.get_by_role("tab", name="Side by side").click()  # Compare opens on "What matters"
    page.get_by_test_id("stRadio").get_by_text("All passages", exact=True).click()
    view = page.get_by_role("tabpanel", name="Side by side").get_by_test_id("collation-view")
    expect(view.get_by_test_id("collation-row")).to_have_count(4)
    expect(view.locator("[data-testid=collation-row][data-kind=removed]")).to_have_count(1)
    for literal in LITERALS:
        expect(view.get_by_text(literal).first).to_be_visible()
    expect(view.locator("ins, del").first).to_be_attached()
    expect(page.get_by_text(TITLE).first).to_be_attached()
    assert_nothing_ran(page, page_dialogs)


def test_compare_ledger_and_banner_show_the_title_as_text(page, hostile, page_dialogs):
    url, old, new = hostile
    open_app(page, url)
    open_app(page, url, f"compare?base={old}&others={new}")
    page.get_by_role("tab", name="Omission ledger").click()
    panel = page.get_by_role("tabpanel", name="Omission ledger")
    expect(panel.get_by_test_id("collation-row")).to_have_count(1)
    expect(panel.get_by_test_id("collation-row").get_by_text(IMG).first).to_be_visible()
    assert_nothing_ran(page, page_dialogs)
    markdown = page.locator("[data-testid=stMarkdownContainer], [data-testid=stCaptionContainer]")
    sentences = markdown.filter(has_text=re.compile(r"passages? of “Traité"))
    naming = sentences.all_inner_texts()
    assert len(naming) == 2, naming  # the banner above the tabs and the ledger's caption
    for sentence in naming:
        assert TITLE in sentence, f"the title was rendered as Markdown: {sentence!r}"


def test_read_shows_hostile_text_as_text(page, hostile, page_dialogs):
    url, old, _ = hostile
    open_app(page, url, f"read?doc={old}")
    text = page.locator(SELECTOR_ROOT)
    expect(text).to_have_attribute("data-ready", "1")
    for literal in LITERALS:
        expect(text.get_by_text(literal).first).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE, exact=True)).to_be_visible()
    assert_nothing_ran(page, page_dialogs)
