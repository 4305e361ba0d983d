"""Review queue (being built)."""

import streamlit as st

st.title("Review queue")
