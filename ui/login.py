"""The login gate shown when the owner set a password (serving beyond loopback)."""

from __future__ import annotations

import streamlit as st

from annotations.access import login_required, password_matches


def require_login() -> None:
    """Stop the script at a login form until the right password was given."""
    if not login_required() or st.session_state.get("authenticated"):
        return
    st.title("Palimpsest")
    st.write("This workbench is protected. Enter the password its owner set.")
    with st.form("login"):
        given = st.text_input("Password", type="password")
        if st.form_submit_button("Sign in"):
            if password_matches(given):
                st.session_state["authenticated"] = True
                st.rerun()
            st.error("That password is not right.")
    st.stop()
