"""The Compare page in a real browser, on the demo project.

One workbench is served for the module on a freshly loaded demo (its
comparison computed by ``load_demo``); each test has its own browser session. Facts
pinned here come from the demo (see ``tests/test_compare_page.py``): ¶ 74
"5 Les archives" of the draft was cut from the final text and is § 5 (¶ 4) on
p. 1 of the English annex; ¶¶ 73-75 are reviewed in the demo, the rest not.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from annotations.access import PASSWORD_VARIABLE
from annotations.demo import load_demo
from annotations.documents import get_document, import_document
from annotations.store import Store
from tests.e2e.conftest import SELECTOR_ROOT, ServedApps, open_app, wait_ready

pytestmark = pytest.mark.browser

ANNEX_TITLE = "Annex (English only) — Part II (demo)"
FINAL_TITLE = "Rapport final — Loi sur les langues officielles (démo)"
DRAFT_TITLE = "Projet de rapport — Loi sur les langues officielles (démo)"
ROW_OF_74 = "#pal-row-74-x"
REJECTED_SEQ = 78  # unreviewed in the demo; no other test looks at it
# Wide enough for every column of a table to be in view.
WIDE = {"width": 2400, "height": 1000}

_GRID_JS = """
(root) => {
  const table = root.querySelector("table[role=grid]");
  if (!table) return null;
  const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
  const body = [...table.querySelectorAll("tbody tr")];
  if (heads.length < Number(table.getAttribute("aria-colcount")) || !body.length) return null;
  return body.map((tr) => {
    const row = {};
    tr.querySelectorAll("td").forEach((td) => {
      row[heads[Number(td.getAttribute("aria-colindex")) - 1]] = td.textContent;
    });
    return row;
  });
}
"""


@pytest.fixture(scope="module")
def demo(browser, tmp_path_factory):
    """URL of a workbench serving the demo, the demo's document ids by kind, its annex text.

    The home page is opened once first: until the router has run, Streamlit serves
    files of ``pages/`` by their URL without it (see the last test).
    """
    workdir = tmp_path_factory.mktemp("compare_flow")
    db = workdir / "demo.db"
    with Store(db) as store:
        ids = load_demo(store)
        annex = get_document(store, ids["annex"]).text
    apps = ServedApps(workdir)
    url = apps.start("workbench.py", db)
    context = browser.new_context()
    open_app(context.new_page(), url)
    context.close()
    yield url, ids, annex
    apps.stop_all()


def compare_path(ids, **extra) -> str:
    query = f"base={ids['draft']}&others={ids['final']},{ids['annex']}"
    return "compare?" + query + "".join(f"&{k}={v}" for k, v in extra.items())


def open_tab(page, name: str):
    """Click a tab of the Compare page and wait for its content (only the open tab is
    drawn: a click reruns the page)."""
    page.get_by_role("tab", name=name).click()
    panel = page.get_by_role("tabpanel", name=name)
    expect(panel).to_be_visible()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")
    wait_ready(page)
    return panel


def grid_rows(dataframe) -> list[dict]:
    """The rows of an ``st.dataframe`` as its grid exposes them to assistive technology.

    The grid paints on a canvas; only the cells in view are in its accessible
    table, hence the wide viewport; this waits until every column is there.
    """
    expect(dataframe.locator("table[role=grid] tbody tr").first).to_be_attached()
    handle = dataframe.element_handle()
    return dataframe.page.wait_for_function(_GRID_JS, arg=handle, timeout=10_000).json_value()


def ledger_rows(page) -> list[dict]:
    panel = page.get_by_role("tabpanel", name="Omission ledger")
    return grid_rows(panel.get_by_test_id("stDataFrame"))


def ledger_row(page, seq: int) -> dict:
    rows = {row.get("¶"): row for row in ledger_rows(page)}
    assert str(seq) in rows, f"¶ {seq} is not in the ledger: {sorted(rows)}"
    return rows[str(seq)]


def test_sidebar_opens_compare_with_the_demo_witnesses_and_the_ledger(page, demo):
    url, ids, _ = demo
    page.set_viewport_size(WIDE)
    open_app(page, url)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/compare\b"))
    expect(page.get_by_role("heading", name="Compare")).to_be_visible()
    wait_ready(page)

    base = page.get_by_role("combobox", name="Base")
    expect(base).to_have_value(re.compile("^" + re.escape(DRAFT_TITLE)))
    witnesses = page.get_by_test_id("stMultiSelect").filter(has_text="Compared with")
    chosen = witnesses.get_by_role("group", name="Selected values")
    tags = chosen.locator("[data-tag]")
    expect(tags).to_have_count(2)
    expect(tags.nth(0)).to_have_attribute("aria-label", re.compile("^" + re.escape(FINAL_TITLE)))
    expect(tags.nth(1)).to_have_attribute("aria-label", re.compile("^" + re.escape(ANNEX_TITLE)))
    expect(page).to_have_url(re.compile(rf"base={ids['draft']}&others={ids['final']}%2C"
                                        rf"{ids['annex']}"))

    open_tab(page, "Omission ledger")
    row = ledger_row(page, 74)
    assert row["first words"].startswith("5 Les archives")
    assert (row["page"], row["went to"], row["there"]) == ("8", ANNEX_TITLE, "p. 1 § 5 (¶ 4)")
    assert row["status"] == "confirmed"


def test_removed_passage_sits_beside_its_translation_and_opens_there(page, demo, page_dialogs):
    url, ids, annex = demo
    open_app(page, url, compare_path(ids))
    open_tab(page, "Side by side")  # Compare opens on "What matters"
    page.get_by_test_id("stRadio").get_by_text("Removed", exact=True).click()
    row = page.locator(ROW_OF_74)
    expect(row).to_have_attribute("data-kind", "removed")
    wait_ready(page)
    rows = page.get_by_role("tabpanel", name="Side by side").get_by_test_id("collation-row")
    expect(rows).to_have_count(21)
    expect(row.locator(".pal-cell").nth(0)).to_contain_text("5 Les archives")
    expect(row.locator(".pal-cell").nth(1)).to_contain_text(ANNEX_TITLE)
    expect(row.locator(".pal-cell").nth(1)).to_contain_text("5 The journals")

    row.get_by_role("button", name="open there").click()
    expect(page).to_have_url(re.compile(rf"/read\?(.*&)?doc={ids['annex']}&start=\d+&end=\d+"))
    wait_ready(page)
    expect(page.get_by_role("heading", name="Read & annotate")).to_be_visible()
    query = parse_qs(urlsplit(page.url).query)
    start, end = int(query["start"][0]), int(query["end"][0])
    assert annex[start:end].startswith("5 The journals and other records")
    shown = page.locator(SELECTOR_ROOT).get_by_text("5 The journals and other records")
    expect(shown.first).to_be_in_viewport()
    assert page_dialogs == []


def test_wrong_link_survives_a_reload(page, demo):
    url, ids, _ = demo
    page.set_viewport_size(WIDE)
    open_app(page, url, compare_path(ids))
    panel = open_tab(page, "Omission ledger")
    assert ledger_row(page, REJECTED_SEQ)["status"] == "unreviewed"

    chooser = panel.get_by_role("combobox", name="Removed passage")
    chooser.click()
    chooser.fill(f"¶ {REJECTED_SEQ} ")
    page.get_by_role("option", name=re.compile(rf"^¶ {REJECTED_SEQ} ")).click()
    review = panel.locator(f"#pal-row-review-{REJECTED_SEQ}")
    expect(review).to_be_attached()
    wait_ready(page)
    panel.get_by_role("button", name="Wrong link").click()
    # The review row's badge is the status: wait for the rerun that saved it.
    expect(review.locator(".pal-kind")).to_have_text("wrong link", timeout=30_000)
    wait_ready(page)

    page.reload()
    wait_ready(page)
    open_tab(page, "Omission ledger")
    row = ledger_row(page, REJECTED_SEQ)
    assert (row["status"], row["went to"]) == ("wrong link", "not found anywhere")


def test_deep_link_marks_and_shows_the_passage(page, demo):
    url, ids, _ = demo
    open_app(page, url, compare_path(ids, p=100))
    focused = page.locator("[data-testid=collation-row].pal-focus")
    expect(focused).to_have_count(1)
    expect(focused).to_have_id(re.compile(r"^pal-row-100-"))
    expect(focused).to_contain_text("(¶ 100)")
    expect(focused).to_be_in_viewport()


def test_first_visit_by_deep_link_still_asks_for_the_password(page, served_app, tmp_path,
                                                               monkeypatch):
    """A bookmarked Compare link opened right after the workbench starts.

    Streamlit runs a file of ``pages/`` directly when its URL is the first one a
    freshly started server sees, so the router's login gate must not be the only one.
    """
    db = tmp_path / "two.db"
    with Store(db) as store:
        first, second = (import_document(store, f"Article 1. Version {n}.\n".encode(), f"v{n}.txt")
                         for n in (1, 2))
    monkeypatch.setenv(PASSWORD_VARIABLE, "correct horse")
    url = served_app("workbench.py", db)
    open_app(page, url, f"compare?base={first}&others={second}")
    expect(page.get_by_text("This workbench is protected")).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Compare")).to_have_count(0)
    assert page.get_by_test_id("collation-row").count() == 0
