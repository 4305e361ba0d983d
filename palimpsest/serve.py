"""Start the workbench server: ``python -m palimpsest.serve workbench.py [streamlit flags]``.

Why not plain ``streamlit run``: the design puts the screens in a folder called
``pages/`` beside ``workbench.py``. Streamlit takes such a folder for an old-style
(v1) multipage app until some script run calls ``st.navigation``; until then, a
first request for ``/sources`` would run ``pages/sources.py`` on its own, without
the router and its login gate. Routing here is always ``st.navigation``'s, so
the v1 mode is switched off before the server starts.
"""

from __future__ import annotations

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.cli import main as streamlit_main


def main(argv: list[str] | None = None) -> None:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", *(sys.argv[1:] if argv is None else argv)]
    streamlit_main()


if __name__ == "__main__":
    main()
