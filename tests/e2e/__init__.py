"""End-to-end tests: real Streamlit servers driven by a real headless Chromium."""
