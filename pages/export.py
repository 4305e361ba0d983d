"""Export & backup (being built)."""

import streamlit as st

st.title("Export & backup")
