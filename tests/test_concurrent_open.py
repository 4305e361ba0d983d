"""Several processes opening one fresh database at the same instant all succeed.

Before issue 11, one run in six failed ("table projects already exists", or a
UNIQUE error on the default project created by two processes at once).
"""

from __future__ import annotations

import multiprocessing

from annotations.documents import DEFAULT_PROJECT, ensure_project
from annotations.store import Store

ROUNDS = 15
PROCESSES = 3


def open_at_once(path: str, barrier, results) -> None:
    barrier.wait()
    try:
        with Store(path) as store:
            results.put(("ok", ensure_project(store)))
    except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
        results.put(("failed", f"{type(error).__name__}: {error}"))


def test_processes_opening_a_fresh_database_together_all_succeed(tmp_path):
    context = multiprocessing.get_context("fork")
    outcomes = []
    for round_ in range(ROUNDS):
        path = str(tmp_path / f"fresh-{round_}.db")
        barrier, results = context.Barrier(PROCESSES), context.Queue()
        workers = [
            context.Process(target=open_at_once, args=(path, barrier, results))
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        outcomes += [results.get(timeout=120) for _ in workers]
        for worker in workers:
            worker.join()
        with Store(path) as store:
            assert [row["name"] for row in store.db["projects"].rows] == [DEFAULT_PROJECT]
    assert [kind for kind, _ in outcomes] == ["ok"] * ROUNDS * PROCESSES, outcomes
    assert {project for _, project in outcomes} == {1}
