"""A worker that writes to a Palimpsest database until it is killed (used by tests/test_faults.py).

Usage: ``python tests/fault_worker.py MODE DB_PATH SEED``; MODE is one of
``import`` (import large documents in a loop), ``compare`` (re-run the aligner
on a large pair in a loop), ``annotate`` (create, edit and delete annotations in
a loop) or ``migrate`` (a schema upgrade that stops half-way).

It speaks on stdout, one line per event, each written whole in one ``write`` and
flushed at once, so that the parent knows what was committed before the kill:

* ``started`` -- set-up done, the writing loop begins;
* ``begin`` / ``commit`` -- a store transaction took the write lock / committed;
* ``imported ID``, ``run ID``, ``saved ID``, ``edited ID NOTE``, ``deleted ID`` --
  printed only after the change was committed.

It stops by itself after :data:`MAX_SECONDS`, in case nobody kills it.
"""

from __future__ import annotations

import contextlib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotations import migrations  # noqa: E402
from annotations.collation import compare  # noqa: E402
from annotations.documents import import_document  # noqa: E402
from annotations.notes import create_annotation, delete_annotation, update_annotation  # noqa: E402
from annotations.store import Store  # noqa: E402

MAX_SECONDS = 60
WORDS = (
    "the parties agree to a ceasefire prisoners are exchanged within thirty days council "
    "resolution article minister delegation treaty annex signed Genève été 😀 الجمعية"
).split()


def emit(*parts) -> None:
    """Write one event line in a single ``write``.

    ``print(*parts)`` writes each part and separator on its own (stdout is
    unbuffered here); a kill between two of them left half a line for the parent.
    """
    sys.stdout.write(" ".join(map(str, parts)) + "\n")
    sys.stdout.flush()


def traced(store: Store) -> Store:
    """Make ``store.transaction`` announce when it holds the lock and when it committed."""
    plain = store.transaction

    @contextlib.contextmanager
    def transaction():
        with plain() as db:
            emit("begin")
            yield db
        emit("commit")

    store.transaction = transaction
    return store


def document_text(seed: int, paragraphs: int) -> str:
    """A long text of numbered paragraphs, different for every seed."""
    generator = random.Random(seed)
    return "\n\n".join(
        f"Article {n}. " + " ".join(generator.choice(WORDS) for _ in range(40)) + "."
        for n in range(1, paragraphs + 1)
    ) + "\n"


def edited_version(text: str, seed: int) -> str:
    """The same text with paragraphs changed, removed and moved."""
    generator = random.Random(seed)
    paragraphs = text.split("\n\n")
    for index in range(0, len(paragraphs), 7):
        paragraphs[index] = paragraphs[index].replace(" the ", " THE ")
    del paragraphs[len(paragraphs) // 3 : len(paragraphs) // 3 + 20]
    paragraphs.insert(5, paragraphs.pop(generator.randrange(30, len(paragraphs))))
    return "\n\n".join(paragraphs)


def _until_deadline():
    deadline = time.monotonic() + MAX_SECONDS
    number = 0
    while time.monotonic() < deadline:
        number += 1
        yield number


def run_import(store: Store, seed: int) -> None:
    emit("started")
    for number in _until_deadline():
        text = document_text(seed * 100_000 + number, 3000)
        document_id = import_document(store, text.encode(), f"minutes-{number}.txt")
        emit("imported", document_id)


def run_compare(store: Store, seed: int) -> None:
    base = document_text(seed, 600)
    a = import_document(store, base.encode(), "draft.txt", kind="draft")
    b = import_document(store, edited_version(base, seed).encode(), "final.txt", kind="final")
    emit("started")
    for _ in _until_deadline():
        comparison = compare(store, a, [b], refresh=True)
        emit("run", comparison.run_id)


def run_annotate(store: Store, seed: int) -> None:
    text = document_text(seed, 200)
    document_id = import_document(store, text.encode(), "annotated.txt")
    generator = random.Random(seed)
    saved: list[str] = []
    emit("started")
    for number in _until_deadline():
        start = generator.randrange(len(text) - 50)
        made = create_annotation(store, document_id, start, start + generator.randint(1, 40),
                                 note=f"note {number} 😀", tags=["fault"], author="worker")
        emit("saved", made.id)
        saved.append(made.id)
        if number % 5 == 0:
            update_annotation(store, saved[-2], note=f"edited {number}", author="worker")
            emit("edited", saved[-2], f"edited {number}")
        if number % 7 == 0:
            delete_annotation(store, saved[-3], author="worker")
            emit("deleted", saved[-3])


def m999_slow(db) -> None:
    """A migration that changes the schema, then takes forever (the kill comes first)."""
    db["projects"].add_column("colour", str)
    db.execute("update projects set colour = 'red'")
    emit("started")
    time.sleep(MAX_SECONDS)


def run_migrate(path: str) -> None:
    migrations.MIGRATIONS.append(("m999_slow", m999_slow))
    Store(path)


MODES = {"import": run_import, "compare": run_compare, "annotate": run_annotate}


def main(mode: str, path: str, seed: int) -> None:
    if mode == "migrate":
        run_migrate(path)
        return
    with Store(path) as store:
        MODES[mode](traced(store), seed)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
