"""How much hostile input the tests cover, per category (and, with --run, how much of it holds).

    .venv/bin/python benchmarks/hostile_report.py          # count the cases
    .venv/bin/python benchmarks/hostile_report.py --run    # run them: passed / failed per category

The cases are the test ids of tests/test_hostile_input.py (each parametrized case
is one id), grouped by the test function they belong to, and of the hardening
modules after it (issue 11: silent loss in formats, bounded imports, the server,
restores and database errors), one category each. With ``--run`` the failing ids
are listed: each is a door that lets something hostile through.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULE = "tests/test_hostile_input.py"
MODULES = {  # further modules of hostile cases: one category each
    "tests/test_format_hardening.py": "formats: deep nesting, alt chunks, declared charsets",
    "tests/test_bounded_import.py": "bounded imports: bombs, caps, memory and time limits",
    "tests/e2e/test_bomb_upload.py": "bounded imports: bombs, caps, memory and time limits",
    "tests/test_server_guard.py": "server: Host header, sign-in, metrics, notes",
    "tests/test_login_throttle.py": "server: Host header, sign-in, metrics, notes",
    "tests/e2e/test_note_rendering.py": "server: Host header, sign-in, metrics, notes",
    "tests/test_restore_guard.py": "restore and backup: untrusted files",
    "tests/test_db_errors.py": "database: locked, full, concurrent opening",
    "tests/test_concurrent_open.py": "database: locked, full, concurrent opening",
    "tests/test_cli_output.py": "command line: control and bidi characters",
}
CATEGORIES = (  # (test function name prefix, category)
    ("test_file_", "files: library and command line"),
    ("test_every_hostile_file", "files: library and command line"),
    ("test_text_with_a_nul", "files: library and command line"),
    ("test_hostile_note", "strings: notes and rationale"),
    ("test_hostile_tags", "strings: tags"),
    ("test_hostile_author", "strings: author names"),
    ("test_hostile_title", "strings: titles (import and edit)"),
    ("test_hostile_search", "strings: search queries and filters"),
    ("test_hostile_strings_on_the_read_page", "strings: shown on the Read page"),
    ("test_csv_import", "CSV annotation imports"),
    ("test_formula_cells", "CSV annotation imports"),
    ("test_nul_and_ten_megabyte", "CSV annotation imports"),
    ("test_jsonld_import", "JSON-LD annotation imports"),
    ("test_read_page_query", "query parameters: Read page"),
    ("test_compare_page_query", "query parameters: Compare page"),
    ("test_unicode_text", "Unicode and long texts: import -> store -> export"),
    ("test_any_hostile_text", "Unicode and long texts: import -> store -> export"),
)


def category(test_id: str) -> str:
    module, name = test_id.split("::")[0], test_id.split("::")[-1]
    if module in MODULES:
        return MODULES[module]
    return next((label for prefix, label in CATEGORIES if name.startswith(prefix)), "other")


def modules() -> list[str]:
    return [MODULE, *(module for module in MODULES if (ROOT / module).is_file())]


def collected_ids() -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *modules(), "--collect-only", "-q",
         "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    return [line for line in done.stdout.splitlines() if "::" in line]


def run_ids() -> dict[str, str]:
    """Run the module; outcome ("passed", "failed", "skipped") per test id."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.xml"
        subprocess.run(
            [sys.executable, "-m", "pytest", *modules(), "-q", "-p", "no:cacheprovider",
             "-o", "junit_family=xunit1", f"--junitxml={report}"],
            cwd=ROOT, capture_output=True, text=True,
        )
        outcomes = {}
        for case in ET.parse(report).iter("testcase"):
            test_id = f"{case.get('file')}::{case.get('name')}"
            kinds = {child.tag for child in case}
            outcomes[test_id] = ("failed" if kinds & {"failure", "error"} else
                                 "skipped" if "skipped" in kinds else "passed")
        return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="store_true", help="run the cases, not only count them")
    args = parser.parse_args()
    ids = collected_ids()
    counts = Counter(category(test_id) for test_id in ids)
    outcomes = run_ids() if args.run else {}
    print(f"{'category':<56} {'cases':>5}" + ("  passed failed skipped" if args.run else ""))
    for label in dict.fromkeys([*(label for _, label in CATEGORIES), *MODULES.values()]):
        line = f"{label:<56} {counts.get(label, 0):>5}"
        if args.run:
            mine = Counter(outcomes.get(i, "?") for i in ids if category(i) == label)
            line += f"  {mine['passed']:>6} {mine['failed']:>6} {mine['skipped']:>7}"
        print(line)
    print(f"{'total':<56} {len(ids):>5}")
    failed = sorted(i for i, outcome in outcomes.items() if outcome == "failed")
    if failed:
        print("\nDoors that let something through:")
        for test_id in failed:
            print("  " + test_id.split("::")[-1])


if __name__ == "__main__":
    main()
