"""The login gate shown when the owner set a password (serving beyond loopback).

Wrong passwords are throttled (annotations.access.SignInThrottle: per session and
over all sessions) and each one is logged with the time and the client's address.
"""

from __future__ import annotations

import logging
import uuid

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from annotations import access

log = logging.getLogger("palimpsest.login")


def signed_in() -> bool:
    """Whether this session may see the work: no password is set, or it was given."""
    return not access.login_required() or bool(st.session_state.get("authenticated"))


def require_login() -> None:
    """Stop the script at a login form until the right password was given."""
    if signed_in():
        return
    key = st.session_state.setdefault("login_key", uuid.uuid4().hex)
    st.title("Palimpsest")
    st.write("This workbench is protected. Enter the password its owner set.")
    with st.form("login"):
        given = st.text_input("Password", type="password")
        if st.form_submit_button("Sign in"):
            _try(key, given)
    st.stop()


def _try(key: str, given: str) -> None:
    throttle = access.THROTTLE
    waiting = throttle.wait(key)
    if waiting > 0:
        st.error(access.wait_sentence(waiting))
        return
    if access.password_matches(given):
        throttle.succeeded(key)
        st.session_state["authenticated"] = True
        context = get_script_run_ctx()
        if context is not None:  # the server's own id of this session, used by uploads
            access.admit_session(context.session_id)
        st.rerun()
    failures = throttle.failed(key)
    log.warning("wrong password from %s (session %s, failure %d)",
                getattr(st.context, "ip_address", None) or "an unknown address", key[:8], failures)
    st.error("That password is not right.")
