"""Who may reach the workbench: loopback only, unless the owner set a password."""

from __future__ import annotations

import hmac
import ipaddress
import os

from sources.errors import PalimpsestError

PASSWORD_VARIABLE = "PALIMPSEST_PASSWORD"


class AccessRefused(PalimpsestError):
    """Serving beyond this machine was asked for without a password."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def configured_password() -> str | None:
    return os.environ.get(PASSWORD_VARIABLE) or None


def check_can_serve(host: str) -> None:
    """Refuse to listen beyond loopback when no password protects the workbench."""
    if not is_loopback(host) and not configured_password():
        raise AccessRefused(
            f"Refusing to serve on {host}: anyone on the network could read and change your "
            f"work. Set a password in the environment variable {PASSWORD_VARIABLE} first, "
            "or keep the default 127.0.0.1."
        )


def password_matches(given: str) -> bool:
    """Constant-time comparison with the configured password; False if none is set."""
    expected = configured_password()
    if expected is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def login_required() -> bool:
    """The workbench asks for the password whenever one is configured."""
    return configured_password() is not None
