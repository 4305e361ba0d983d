"""The Read & annotate page behind a stand-in router, for browser tests.

Serves ``/read`` like the workbench does, without the workbench's other pages.
"""

from pathlib import Path

import streamlit as st

PAGE = Path(__file__).resolve().parents[3] / "pages" / "read.py"


def home() -> None:
    st.write("Stand-in home page.")


st.set_page_config(page_title="Palimpsest", layout="wide")
pages = [st.Page(home, title="Home", default=True),
         st.Page(PAGE, title="Read & annotate", url_path="read")]
st.navigation(pages).run()
