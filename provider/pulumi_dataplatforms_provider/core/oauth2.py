"""OAuth2 client-credentials `Auth`: fetch a token, cache it, refresh it before expiry and after a 401.

Thread-safe: one lock guards the cached token, so concurrent requests share one token fetch.
The token endpoint must answer `{"access_token", "expires_in"?}`; a failure raises
`AuthenticationError` naming the endpoint's status and error code, never the secret.
"""

from __future__ import annotations

import threading
import time

import httpx

from .auth import Auth
from .errors import APIConnectionError, AuthenticationError

#: Refresh this long before the advertised expiry (capped at a quarter of the lifetime).
EXPIRY_LEEWAY_SECONDS = 30.0
DEFAULT_LIFETIME_SECONDS = 300.0


class OAuth2ClientCredentials(Auth):
    """`Authorization: Bearer <access_token>` from a client-credentials grant."""

    secret_headers = frozenset({"authorization"})

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        platform: str = "API",
        scope: str | None = None,
        timeout: float = 30.0,
        http_client: httpx.Client | None = None,
    ) -> None:
        if not client_id or not client_secret:
            raise ValueError("OAuth2 client credentials need both a client id and a client secret")
        self.token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._scope = scope
        self._platform = platform
        self._http = http_client or httpx.Client(timeout=timeout, follow_redirects=False)
        self._lock = threading.Lock()
        self._token: str | None = None
        self._refresh_at = 0.0
        #: How many tokens were fetched (observability for tests and logs).
        self.fetches = 0

    def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {self.token()}"

    def token(self) -> str:
        """The cached access token, fetched again when it is about to expire."""
        with self._lock:
            if self._token is None or time.monotonic() >= self._refresh_at:
                self._fetch()
            assert self._token is not None
            return self._token

    def on_unauthorized(self) -> bool:
        """A 401 means the token was revoked or expired early: drop it and fetch a new one."""
        with self._lock:
            self._token = None
            self._fetch()
            return True

    def invalidate(self) -> None:
        """Forget the cached token; the next request fetches a new one."""
        with self._lock:
            self._token = None

    def _fetch(self) -> None:
        form = {"grant_type": "client_credentials", "client_id": self._client_id, "client_secret": self._client_secret}
        if self._scope:
            form["scope"] = self._scope
        path = httpx.URL(self.token_url).path
        try:
            response = self._http.post(self.token_url, data=form, headers={"Accept": "application/json"})
        except httpx.TransportError as exc:
            raise APIConnectionError(
                f"{self._platform} OAuth2 token request failed: {type(exc).__name__}",
                platform=self._platform,
                method="POST",
                path=path,
            ) from None
        body: object
        try:
            body = response.json()
        except ValueError:
            body = None
        token = body.get("access_token") if isinstance(body, dict) else None
        if not response.is_success or not isinstance(token, str) or not token:
            code = body.get("error") if isinstance(body, dict) else None
            message = (body.get("error_description") if isinstance(body, dict) else None) or "no access_token returned"
            raise AuthenticationError(
                f"OAuth2 token request rejected: {message}",
                platform=self._platform,
                status_code=response.status_code,
                code=None if code is None else str(code),
                request_id=response.headers.get("x-request-id"),
                method="POST",
                path=path,
            )
        lifetime = DEFAULT_LIFETIME_SECONDS
        expires_in = body.get("expires_in") if isinstance(body, dict) else None
        if isinstance(expires_in, int | float) and not isinstance(expires_in, bool) and expires_in > 0:
            lifetime = float(expires_in)
        self._token = token
        self._refresh_at = time.monotonic() + lifetime - min(EXPIRY_LEEWAY_SECONDS, lifetime / 4)
        self.fetches += 1

    def close(self) -> None:
        self._http.close()
