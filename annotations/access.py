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
import math
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable

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


class SignInThrottle:
    """How long a sign-in must wait after wrong passwords, per session and over all sessions.

    The first ``free`` failures of a session cost nothing; each later one doubles
    the wait (1 s, 2 s, 4 s ... up to ``longest``). All sessions together get
    ``overall_free`` failures before the same growing wait applies to everyone,
    so opening new sessions does not help a guesser. The right password, once
    the wait is over, clears the session's count.

    >>> now = [0.0]
    >>> throttle = SignInThrottle(clock=lambda: now[0], free=2)
    >>> [throttle.failed("a") for _ in range(3)]
    [1, 2, 3]
    >>> throttle.wait("a"), throttle.wait("b")
    (1.0, 0.0)
    >>> now[0] = 1.0
    >>> throttle.wait("a")
    0.0
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, free: int = 5,
                 overall_free: int = 30, longest: float = 300.0) -> None:
        self.clock, self.free, self.overall_free, self.longest = clock, free, overall_free, longest
        self._failures: dict[str, int] = defaultdict(int)
        self._until: dict[str, float] = defaultdict(float)
        self._overall = 0
        self._overall_until = 0.0
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Seconds before ``key`` may try a password again (0: now)."""
        with self._lock:
            until = max(self._until[key], self._overall_until)
        return max(0.0, until - self.clock())

    def failed(self, key: str) -> int:
        """Count a wrong password for ``key``; return the session's number of failures."""
        with self._lock:
            self._failures[key] += 1
            self._overall += 1
            now = self.clock()
            self._until[key] = now + self._delay(self._failures[key] - self.free)
            self._overall_until = now + self._delay(self._overall - self.overall_free)
            return self._failures[key]

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
            self._until.pop(key, None)

    def _delay(self, beyond: int) -> float:
        return 0.0 if beyond <= 0 else min(self.longest, 2.0 ** (beyond - 1))


THROTTLE = SignInThrottle()
SIGNED_IN_SESSIONS: set[str] = set()
"""Ids of the server's sessions that gave the password: only they may upload files."""
SIGN_IN_FIRST = "Sign in to the workbench before uploading files."


def admit_session(session_id: str) -> None:
    SIGNED_IN_SESSIONS.add(session_id)


def may_upload(session_id: str) -> bool:
    """Whether the session ``session_id`` may send files (always, without a password)."""
    return not login_required() or session_id in SIGNED_IN_SESSIONS
"""The workbench server's one throttle (sessions share the process)."""


def wait_sentence(seconds: float) -> str:
    """The sentence shown while a sign-in must wait.

    >>> wait_sentence(0.2)
    'Too many wrong passwords: try again in 1 second.'
    """
    whole = math.ceil(seconds)
    return f"Too many wrong passwords: try again in {whole} second{'s' if whole != 1 else ''}."
