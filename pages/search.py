"""Search (being built)."""

import streamlit as st

st.title("Search")
