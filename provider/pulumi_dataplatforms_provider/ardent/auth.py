"""Ardent's two authentication generations as `core.auth.Auth` schemes.

HMAC (clients 0.2.x-0.5.0): `X-API-Key`, `X-Timestamp`, `X-Session-ID` and `X-Signature =
hex(HMAC_SHA256(secret, timestamp + METHOD + PATH + BODY))`, where PATH is the API path
without the base URL's own path prefix and without the query string, and BODY is exactly
the bytes on the wire (the client serialises JSON itself, so signed bytes == sent bytes).
Bearer (0.8.0): `Authorization: Bearer sk-ard_...`.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from collections.abc import Callable

import httpx

from ..core import Auth

BEARER_PREFIX = "sk-ard_"


def string_to_sign(timestamp: str, method: str, path: str, body: str) -> str:
    """Plain concatenation, no separators, as every official HMAC client does."""
    return f"{timestamp}{method.upper()}{path}{body}"


def signature(secret_key: str, message: str) -> str:
    """Lower-case hex HMAC-SHA256 of `message` under `secret_key` (both UTF-8)."""
    return hmac.new(secret_key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


class HmacAuth(Auth):
    """Signs each attempt afresh (new timestamp); one session id per client, as the official client."""

    secret_headers = frozenset({"x-signature"})

    def __init__(
        self, public_key: str, secret_key: str, base_path: str = "", clock: Callable[[], float] = time.time
    ) -> None:
        if not public_key or not secret_key:
            raise ValueError("Ardent HMAC signing needs both a public key and a secret key")
        self._public_key = public_key
        self._secret_key = secret_key
        self._base_path = base_path.rstrip("/")
        self._clock = clock
        self.session_id = str(uuid.uuid4())

    def api_path(self, request: httpx.Request) -> str:
        """The signed path: the request path minus the base URL's path prefix."""
        path = request.url.path
        if self._base_path and path.startswith(self._base_path + "/"):
            path = path[len(self._base_path) :]
        return path

    def apply(self, request: httpx.Request) -> None:
        timestamp = str(int(self._clock()))
        body = request.content.decode("utf-8")
        message = string_to_sign(timestamp, request.method, self.api_path(request), body)
        request.headers["X-API-Key"] = self._public_key
        request.headers["X-Timestamp"] = timestamp
        request.headers["X-Session-ID"] = self.session_id
        request.headers["X-Signature"] = signature(self._secret_key, message)


class BearerKeyAuth(Auth):
    """`Authorization: Bearer sk-ard_...` plus the client's session id."""

    secret_headers = frozenset({"authorization"})

    def __init__(self, api_key: str) -> None:
        if not api_key.startswith(BEARER_PREFIX):
            raise ValueError("an Ardent API key must start with 'sk-ard_' (e.g. sk-ard_live_...)")
        self._api_key = api_key
        self.session_id = str(uuid.uuid4())

    def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {self._api_key}"
        request.headers["X-Session-ID"] = self.session_id
