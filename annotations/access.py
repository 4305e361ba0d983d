"""Who may reach the workbench: loopback only, unless the owner set a password.

Host names are checked on every request (DNS rebinding: a web page on
attacker.example whose name is made to point at 127.0.0.1 would otherwise read
the workbench through the visitor's browser). IP addresses and ``localhost``
are always accepted, as rebinding needs a name; other names only when listed in
``PALIMPSEST_ALLOWED_HOSTS`` (comma-separated).

>>> [host_allowed(h) for h in ("localhost:8501", "127.0.0.1", "[::1]:8501", "10.0.0.5:80")]
[True, True, True, True]
>>> host_allowed("attacker.example"), host_allowed(""), host_allowed("localhost.attacker.example")
(False, False, False)
"""

from __future__ import annotations

import hmac
import ipaddress
import os

from sources.errors import PalimpsestError

PASSWORD_VARIABLE = "PALIMPSEST_PASSWORD"
HOSTS_VARIABLE = "PALIMPSEST_ALLOWED_HOSTS"
FORBIDDEN_HOST = (
    "This workbench answers only to localhost, IP addresses and the names listed in "
    f"{HOSTS_VARIABLE}."
)


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


def host_allowed(host_header: str) -> bool:
    """Whether a request naming ``host_header`` (``name[:port]``) may be answered."""
    name = _host_name(host_header.strip().lower())
    if not name:
        return False
    if name == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    listed = os.environ.get(HOSTS_VARIABLE, "")
    return name in {entry.strip().lower() for entry in listed.split(",") if entry.strip()}


def _host_name(host: str) -> str:
    if host.startswith("["):  # [::1]:8501
        return host[1 : host.find("]")] if "]" in host else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
