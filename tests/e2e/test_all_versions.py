"""Darwin's six editions side by side in a real browser, from a fresh database.

The editions (``../shared/corpora/darwin``) are imported, nothing is compared
beforehand; the scholar opens Compare with the 1859 text as base and the five
later editions, goes to "All versions", reads the heat map's count, pages to
the paragraph added in 1869, and downloads the TEI apparatus and the JSON.
"""

from __future__ import annotations

import json
import re

import pytest
from lxml import etree
from playwright.sync_api import expect

from annotations.documents import import_document
from annotations.store import Store
from tests.conftest import ROOT
from tests.e2e.conftest import open_app, wait_ready, watch_most
from tests.e2e.test_compare_flow import WIDE, open_tab

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("corpora")]
YEARS = ("1859", "1860", "1861", "1866", "1869", "1872")


def test_darwin_editions_all_at_once(page, served_app, tmp_path, page_dialogs):
    folder = ROOT.parent / "shared" / "corpora" / "darwin" / "editions"
    db = tmp_path / "darwin.db"
    with Store(db) as store:
        ids = [import_document(store, (folder / f"{y}.txt").read_bytes(), f"{y}.txt",
                               title=f"Origin, chapter I ({y})", date=y, language="en",
                               kind="edition") for y in YEARS]
        assert store.count("alignment_runs") == 0
    page.set_viewport_size(WIDE)
    others = ",".join(map(str, ids[1:]))
    open_app(page, served_app("workbench.py", db), f"compare?base={ids[0]}&others={others}")
    panel = open_tab(page, "All versions")
    wait_ready(page)
    expect(panel.get_by_text("F: Origin, chapter I (1872)")).to_be_visible()
    expect(panel.get_by_text(re.compile(r"47 passages; 46 differ in at least one version, "
                                        r"\d+ in all 5\."))).to_be_visible()
    expect(panel.locator("[data-testid=stVegaLiteChart]")).to_be_visible()  # the heat map

    # the first row: 1866 and later open with a heading the 1859 text lacks
    first = panel.locator("[class*=st-key-witness_row_]").first
    expect(first).to_contain_text("¶ 1")
    expect(first.locator("strong", has_text="Causes of Variability.").first).to_be_visible()

    # page 5 holds the paragraph added in 1869 (E and F) that no earlier edition has
    most_buttons = watch_most(page, "[data-testid=stDownloadButton]")
    shown = most_buttons()
    pages = panel.get_by_label(re.compile(r"^Page \(of 5\)"))
    pages.fill("5")
    pages.press("Enter")
    wait_ready(page)
    added = panel.locator("[class*=st-key-witness_row_]", has_text="Not in the base")
    expect(added.first).to_contain_text("2 of 5 versions differ")
    assert most_buttons() == shown  # the downloads kept their place: never drawn twice
    expect(added.first).to_contain_text("E · added")
    expect(added.first).to_contain_text("D · absent")

    with page.expect_download() as info:
        panel.get_by_role("button", name="Download all versions (JSON)").click()
    data = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert [w["siglum"] for w in data["witnesses"]] == list("ABCDEF")
    assert len(data["rows"]) == 47
    assert sum(r["base_passage"] is None for r in data["rows"]) == 4  # added in 1869

    with page.expect_download() as info:
        panel.get_by_role("button", name="Download all versions (TEI critical apparatus)").click()
    root = etree.parse(info.value.path()).getroot()
    tei = "{http://www.tei-c.org/ns/1.0}"
    assert len(root.findall(f".//{tei}ab")) == 47
    witnesses = {w for rdg in root.iter(f"{tei}rdg") for w in rdg.get("wit").split()}
    assert witnesses == {f"#{s}" for s in "ABCDEF"}
    assert page_dialogs == []
