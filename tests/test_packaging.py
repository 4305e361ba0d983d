"""How Palimpsest is started: ``make run`` (its database and port) and an installed wheel.

The wheel is built once per run from a copy of the working tree (building in place
would leave ``build/`` in the checkout); pip fetches the build backend
(setuptools) like any ``pip install .``. The last test installs the wheel into a
fresh virtual environment and serves it (about ten seconds).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

APP = "palimpsest_workbench"
PACKAGES = ("annotations", "palimpsest", "sources", "ui")
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
    ".hypothesis", ".ruff_cache", "tests", "benchmarks", "*.db", "*.db-*", "*.bak",
)


# ---------------------------------------------------------------- make run


def make_run(tmp_path, *arguments: str, **environment: str) -> str:
    """The command ``make run`` would run (``make -n``), with only ``environment`` set."""
    env = {name: value for name, value in os.environ.items()
           if name not in {"DB", "PORT", "PALIMPSEST_DB", "MAKEFLAGS", "MAKELEVEL"}}
    env.update(HOME=str(tmp_path), **environment)
    printed = subprocess.run(["make", "-n", "run", *arguments], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True, timeout=60).stdout
    (command,) = [line for line in printed.splitlines() if "palimpsest run" in line]
    return command


def test_make_run_uses_the_default_database_and_port(tmp_path):
    assert make_run(tmp_path) == (
        f'.venv/bin/palimpsest run --db "{tmp_path}/.palimpsest/workbench.db" --port 8501')


def test_make_run_honours_palimpsest_db_and_port(tmp_path):
    command = make_run(tmp_path, PALIMPSEST_DB="/data/project.db", PORT="8600")
    assert command == '.venv/bin/palimpsest run --db "/data/project.db" --port 8600'


def test_make_run_db_on_the_command_line_wins(tmp_path):
    command = make_run(tmp_path, "DB=/data/other.db", "PORT=8700",
                       PALIMPSEST_DB="/data/project.db", PORT="8600")
    assert command == '.venv/bin/palimpsest run --db "/data/other.db" --port 8700'


# ---------------------------------------------------------------- the wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    source = folder / "source"
    shutil.copytree(ROOT, source, ignore=COPY_IGNORE)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir",
         str(folder / "dist"), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (path,) = (folder / "dist").glob("palimpsest-*.whl")
    return path


@pytest.fixture(scope="module")
def unpacked(wheel, tmp_path_factory) -> Path:
    """The wheel's files as pip lays them out in site-packages."""
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def test_wheel_holds_the_workbench_its_pages_config_and_demo(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"{APP}/workbench.py", f"{APP}/.streamlit/config.toml"}
    expected |= {f"{APP}/pages/{page.name}" for page in (ROOT / "pages").glob("*.py")}
    expected |= {f"annotations/demo_data/{data.name}"
                 for data in (ROOT / "annotations" / "demo_data").iterdir()}
    expected |= {path.relative_to(ROOT).as_posix() for package in PACKAGES
                 for path in (ROOT / package).rglob("*.py") if "__pycache__" not in path.parts}
    assert expected - names == set()
    assert len(expected) > 40
    top_level = {name.split("/")[0] for name in names if ".dist-info/" not in name}
    assert top_level == {*PACKAGES, APP}  # no tests/, no stray top-level pages/


def test_serve_finds_the_installed_script_from_anywhere(unpacked, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(unpacked))
    found = subprocess.run(
        [sys.executable, "-c",
         "from palimpsest.serve import workbench_script; print(workbench_script())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()
    assert Path(found) == unpacked / APP / "workbench.py"
    assert (Path(found).parent / ".streamlit" / "config.toml").is_file()  # read beside it


# ---------------------------------------------------------------- installed and served (slow)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def fresh_venv(folder: Path, wheel: Path) -> Path:
    """A new virtual environment with the wheel installed; the dependencies are this one's.

    (A ``.pth`` line makes this interpreter's site-packages importable there, after
    the venv's own, so nothing is downloaded and the wheel's files win.)
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True,
                   timeout=120)
    python = folder / "bin" / "python"
    ask = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = subprocess.run([python, "-c", ask], capture_output=True, text=True, check=True,
                          timeout=60).stdout.strip()
    Path(site, "palimpsest_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", str(wheel)], check=True, timeout=300)
    return folder / "bin"


@pytest.mark.slow
def test_installed_wheel_serves_the_workbench_with_the_demo(wheel, tmp_path):
    """Slow (~10 s): pip install the wheel into a new venv, palimpsest run, /_stcore/health."""
    bin_folder = fresh_venv(tmp_path / "venv", wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {name: value for name, value in os.environ.items()
           if name not in {"PYTHONPATH", "PALIMPSEST_DB", "PALIMPSEST_PASSWORD", "VIRTUAL_ENV"}}
    database = tmp_path / "served.db"
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [bin_folder / "palimpsest", "run", "--port", str(port), "--db", str(database)],
        cwd=elsewhere, env={**env, "STREAMLIT_SERVER_HEADLESS": "true"}, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not healthy(f"http://127.0.0.1:{port}") and server.poll() is None:
            assert time.monotonic() < deadline, "the workbench did not answer in 90 s"
            time.sleep(0.3)
        output = (tmp_path / "serve.log").read_text(errors="replace")
        assert server.poll() is None, output
        assert f"Palimpsest on http://127.0.0.1:{port}" in output
        # The installed router runs and finds its pages beside it, on the demo loaded by run.
        rendered = subprocess.run(
            [bin_folder / "python", "-c", RENDER_HOME], cwd=elsewhere,
            env={**env, "PALIMPSEST_DB": str(database)}, capture_output=True, text=True,
            timeout=120,
        )
        assert rendered.returncode == 0, rendered.stderr[-3000:]
        script, titles = rendered.stdout.strip().split("\n", 1)
        assert Path(script).is_relative_to(tmp_path / "venv")
        assert "Demo: the cut Part (Official Languages Act)" in titles.replace("\\", "")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
        log.close()


RENDER_HOME = """
from streamlit.testing.v1 import AppTest
from palimpsest.serve import workbench_script
script = workbench_script()
at = AppTest.from_file(str(script), default_timeout=90).run()
assert not at.exception, at.exception
print(script)
print(at.subheader.values)
"""
