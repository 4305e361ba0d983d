"""Streamlit helpers shared by the pages: the store per run, widgets, components."""
