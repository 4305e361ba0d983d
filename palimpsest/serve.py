"""Start the workbench server: ``python -m palimpsest.serve [workbench.py] [streamlit flags]``.

Why not plain ``streamlit run``: the design puts the screens in a folder called
``pages/`` beside ``workbench.py``. Streamlit takes such a folder for an old-style
(v1) multipage app until some script run calls ``st.navigation``; until then, a
first request for ``/sources`` would run ``pages/sources.py`` on its own, without
the router and its login gate. Routing here is always ``st.navigation``'s, so
the v1 mode is switched off before the server starts.

Without a script, the installed one is served (:func:`workbench_script`).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from sources.errors import PalimpsestError

# workbench.py, pages/ and .streamlit/ are installed as this package (pyproject.toml maps
# it onto the top of the repository, so a checkout and a wheel hold the same files).
APP_PACKAGE = "palimpsest_workbench"


class WorkbenchMissing(PalimpsestError):
    """The workbench files are not installed beside the library."""


def workbench_script() -> Path:
    """The router script as installed: in site-packages from a wheel, in the checkout if editable.

    Streamlit reads ``.streamlit/config.toml`` beside it and finds ``pages/`` there.
    """
    spec = importlib.util.find_spec(APP_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        script = Path(folder) / "workbench.py"
        if script.is_file():
            return script
    raise WorkbenchMissing(
        "The workbench files (workbench.py and pages/) are not installed with Palimpsest; "
        "reinstall it (make install in a checkout, or pip install palimpsest)."
    )


def main(argv: list[str] | None = None) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.cli import main as streamlit_main

    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-"):
        argv.insert(0, str(workbench_script()))
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", *argv]
    streamlit_main()


if __name__ == "__main__":
    main()
