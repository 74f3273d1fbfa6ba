"""Authentication seam: an `Auth` decorates each outgoing request just before it is sent.

Credentials live only in `Auth` objects inside the process that makes the calls; they are
never pickled (`__reduce__` refuses) and never rendered (`repr` hides them). Schemes that
sign the body (HMAC) or fetch tokens (OAuth2) implement the same two hooks.
"""

from __future__ import annotations

from typing import NoReturn

import httpx


class Auth:
    """Base class: adds nothing. Subclasses override `apply`."""

    #: Header names whose values are credentials and must be redacted in logs.
    secret_headers: frozenset[str] = frozenset()

    def apply(self, request: httpx.Request) -> None:
        """Add credentials to `request` (headers, signature) in place."""

    def on_unauthorized(self) -> bool:
        """Called after a 401; return True when new credentials were obtained and a retry may help."""
        return False

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"

    def __reduce__(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} holds credentials and must not be pickled")


class NoAuth(Auth):
    """Public endpoints."""


class HeaderKeyAuth(Auth):
    """A raw key in one header (Eloq's `Authorization`, Aerostack's `X-Aerostack-Key`, Spark's `x-synthetic-key`)."""

    def __init__(self, header: str, key: str) -> None:
        if not key:
            raise ValueError(f"an API key is required for the {header} header")
        self._header = header
        self._key = key
        self.secret_headers = frozenset({header.lower()})

    def apply(self, request: httpx.Request) -> None:
        request.headers[self._header] = self._key


class BearerAuth(Auth):
    """`Authorization: Bearer <token>`."""

    secret_headers = frozenset({"authorization"})

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("a bearer token is required")
        self._token = token

    def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {self._token}"
