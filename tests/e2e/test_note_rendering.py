"""A note is shown to a colleague without fetching anything and without covering the page.

Before issue 11 an image in a note was fetched when the Read page opened (a
tracking beacon) and ``$\\rule{1000em}{1000em}$`` drew a 19,000-pixel box over the text.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.documents import import_document
from annotations.notes import create_annotation
from annotations.store import Store
from tests.e2e.conftest import open_app

pytestmark = pytest.mark.browser

NOTE = (
    "Compare the map ![map](http://tracker.example/beacon.png) and "
    "$\\rule{1000em}{1000em}$, a cost of $5 to $10."
)


def test_a_note_fetches_no_image_and_draws_no_math(page, served_app, workbench_db):
    with Store(workbench_db) as store:
        document_id = import_document(store, b"The delegates met in Geneva.\n", "a.txt")
        create_annotation(store, document_id, 4, 13, note=NOTE, author="Ada")
    url = served_app("workbench.py", workbench_db)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    open_app(page, url, f"read?doc={document_id}")
    note = page.get_by_text("Compare the map")
    expect(note).to_have_text(
        "Compare the map !map and $\\rule{1000em}{1000em}$, a cost of $5 to $10."
    )
    expect(note.get_by_role("link", name="map")).to_have_attribute(
        "href", "http://tracker.example/beacon.png"
    )
    assert page.locator("img[src*='tracker.example'], .katex").count() == 0
    assert [url for url in requested if "tracker.example" in url] == []
