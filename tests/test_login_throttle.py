"""Wrong passwords slow the next try down, per session and overall, and are logged.

Before issue 11, 100 wrong passwords went through in 7.6 s on one connection,
with no lockout and no log. The throttle's clock is replaced by one the test
moves, so no test waits.
"""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from annotations import access


def gate() -> None:
    """The login gate as workbench.py uses it, before any page."""
    import streamlit as st

    from ui.login import require_login

    require_login()
    st.write("The work is shown.")


def open_gate() -> AppTest:
    return AppTest.from_function(gate, default_timeout=30).run()

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch, db_path):
    monkeypatch.setenv("PALIMPSEST_PASSWORD", PASSWORD)
    moved = Clock()
    monkeypatch.setattr(access, "THROTTLE", access.SignInThrottle(clock=moved))
    return moved


def sign_in(app: AppTest, password: str) -> AppTest:
    app.text_input[0].input(password)
    app.button[0].click()
    return app.run()


def said(app: AppTest) -> list[str]:
    return [error.value for error in app.error]


def test_after_five_wrong_passwords_even_the_right_one_waits(clock, caplog):
    app = open_gate()
    caplog.set_level(logging.WARNING, logger="palimpsest.login")
    for _ in range(6):
        assert said(sign_in(app, "guess")) == ["That password is not right."]
    assert said(sign_in(app, PASSWORD)) == ["Too many wrong passwords: try again in 1 second."]
    assert "authenticated" not in app.session_state
    logged = [r.getMessage() for r in caplog.records if r.name == "palimpsest.login"]
    assert len(logged) == 6
    assert logged[-1].startswith("wrong password from ") and logged[-1].endswith("failure 6)")
    clock.now += 1
    sign_in(app, PASSWORD)
    assert app.session_state["authenticated"] is True
    assert not app.error and [m.value for m in app.markdown] == ["The work is shown."]


def test_new_sessions_do_not_escape_the_overall_count(clock):
    for _ in range(access.THROTTLE.overall_free):  # thirty sessions, one wrong guess each
        app = open_gate()
        assert said(sign_in(app, "guess")) == ["That password is not right."]
    fresh = open_gate()
    assert said(sign_in(fresh, "guess")) == ["That password is not right."]
    assert said(sign_in(fresh, PASSWORD)) == ["Too many wrong passwords: try again in 1 second."]
