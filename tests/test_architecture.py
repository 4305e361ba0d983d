"""The shape of the code: layers import one way, pages stay thin, no unsafe HTML."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["sources", "annotations", "ui", "pages"]  # each may import only those before it
SQL = re.compile(r"\b(select\s.+\sfrom|insert\s+into|update\s+\w+\s+set|delete\s+from)\b", re.I)


def python_files(folder: str) -> list[Path]:
    found = sorted((ROOT / folder).rglob("*.py"))
    assert found, f"no Python files in {folder}/: the check would pass on nothing"
    return found


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_go_one_way(layer):
    forbidden = set(LAYERS[LAYERS.index(layer) + 1 :]) | {"palimpsest"}
    if layer in ("sources", "annotations"):
        forbidden.add("streamlit")
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & forbidden)
        for path in python_files(layer)
        if imported_modules(path) & forbidden
    }
    assert offenders == {}


def test_pages_contain_no_sql():
    offenders = [
        str(path.relative_to(ROOT))
        for path in python_files("pages") + [ROOT / "workbench.py"]
        if SQL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_unsafe_html_outside_tests():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("sources", "annotations", "ui", "pages", "palimpsest")
        for path in python_files(folder)
        if re.search(r"unsafe_allow_html\s*=\s*True", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_router_lists_every_page():
    router = (ROOT / "workbench.py").read_text(encoding="utf-8")
    missing = [p.name for p in python_files("pages") if f"pages/{p.name}" not in router]
    assert missing == []


def full_imports(path: Path) -> set[str]:
    """Every module a file imports, by its dotted name, at any depth of the file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_of_annotations_imports_one_that_imports_it():
    """No import cycle inside annotations/, not even one hidden inside a function (documents
    and collation used to import each other that way)."""
    modules = {f"annotations.{p.stem}": full_imports(p) for p in python_files("annotations")}
    cycles = sorted((a, b) for a, found in modules.items() for b in found
                    if b in modules and a in modules[b] and a < b)
    assert cycles == []
