"""The HTTP core: one request pipeline, a sync client and an async twin over it.

In the style of openai-python's `_base_client`: request building, error mapping, retry
decisions and logging live once in `_Pipeline`; `BaseClient` and `AsyncBaseClient` differ
only in how they send and sleep. A request is rebuilt for every attempt so that signing
schemes see a fresh timestamp.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from .auth import Auth, NoAuth
from .errors import APIConnectionError, APIStatusError, APITimeoutError, ErrorHints, error_class_for
from .retry import RetryPolicy

log = logging.getLogger("pulumi_dataplatforms.http")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id", "x-ms-request-id", "x-amzn-requestid")
USER_AGENT = "pulumi-dataplatforms/0.1.0"


@dataclass(frozen=True)
class ErrorBody:
    """What a platform's error response says: its own code, message and request id."""

    code: str | None
    message: str
    request_id: str | None = None


@dataclass(frozen=True)
class ClientOptions:
    """Where and how a client talks to a platform."""

    base_url: str
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    headers: Mapping[str, str] = field(default_factory=dict)
    #: Named in every error, e.g. `Eloq`.
    platform: str = "API"
    #: The settings errors name as the fix.
    hints: ErrorHints = field(default_factory=ErrorHints)


ErrorParser = Callable[[httpx.Response], ErrorBody]


def request_id_of(response: httpx.Response) -> str | None:
    """The request id the platform put in the response headers, if any."""
    return next((response.headers[h] for h in REQUEST_ID_HEADERS if h in response.headers), None)


def default_error_parser(response: httpx.Response) -> ErrorBody:
    """Read `{code|errorCode|error, message|error_description|detail}` from a JSON body, else the text."""
    request_id = request_id_of(response)
    try:
        body = response.json()
    except ValueError:
        return ErrorBody(None, response.text[:500] or response.reason_phrase, request_id)
    if not isinstance(body, dict):
        return ErrorBody(None, str(body)[:500], request_id)
    code = next((body[k] for k in ("errorCode", "error_code", "code", "error") if body.get(k) is not None), None)
    message = next(
        (body[k] for k in ("message", "error_description", "detail", "error") if body.get(k)),
        response.reason_phrase,
    )
    request_id = request_id or body.get("request_id") or body.get("requestId")
    return ErrorBody(None if code is None else str(code), str(message), request_id)


DEFAULT_PORTS = {"http": 80, "https": 443}
_DNS_FAILURES = ("name or service not known", "nodename nor servname", "temporary failure in name resolution",
                 "no address associated", "getaddrinfo failed")  # fmt: skip


def transport_cause(exc: httpx.TransportError, timeout: float) -> str:
    """What went wrong below HTTP, in words: refused, DNS, TLS, timeout, or the connection closing."""
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if isinstance(exc, httpx.TimeoutException):
        phase = {httpx.ConnectTimeout: "connecting", httpx.ReadTimeout: "waiting for the answer"}.get(type(exc), "")
        return f"timed out after {timeout:g}s{' ' + phase if phase else ''}"
    if "refused" in lowered:
        return "connection refused (nothing listens there)"
    if any(marker in lowered for marker in _DNS_FAILURES):
        return f"the host name could not be resolved (DNS: {text})"
    if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
        return f"TLS failed ({text})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server closed the connection without an answer ({text})"
    return f"{type(exc).__name__}: {text}"


class _Pipeline:
    """Everything about a request that does not depend on sync or async I/O."""

    def __init__(self, options: ClientOptions, auth: Auth | None = None, error_parser: ErrorParser | None = None):
        self.options = options
        self.platform = options.platform
        self.auth = auth or NoAuth()
        self._parse_error = error_parser or default_error_parser
        self._timeout = httpx.Timeout(options.timeout)

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self.options.base_url.rstrip("/") + "/" + path.lstrip("/")

    def build(self, method: str, path: str, **kwargs: Any) -> httpx.Request:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **self.options.headers}
        headers.update(kwargs.pop("headers", None) or {})
        request = httpx.Request(method, self.url(path), headers=headers, **kwargs)
        request.extensions["timeout"] = self._timeout.as_dict()
        self.auth.apply(request)
        return request

    @staticmethod
    def retryable(method: str, idempotent: bool | None) -> bool:
        return idempotent if idempotent is not None else method.upper() in IDEMPOTENT_METHODS

    def status_error(self, request: httpx.Request, response: httpx.Response) -> APIStatusError:
        parsed = self._parse_error(response)
        try:
            body: object = response.json()
        except ValueError:
            body = response.text[:500]
        return error_class_for(response.status_code)(
            parsed.message,
            platform=self.platform,
            status_code=response.status_code,
            code=parsed.code,
            request_id=parsed.request_id,
            method=request.method,
            path=request.url.path,
            body=body,
            hint=self.options.hints.credentials if response.status_code in (401, 403) else None,
        )

    def answer_error(self, response: httpx.Response, message: str, *, status: int, code: str | None) -> APIStatusError:
        """An error the platform reported inside an answer (e.g. HTTP 200 with a failure envelope).

        `status` chooses the error class (409 -> ConflictError, ...); the error shows the HTTP
        status the platform sent when that was itself an error, else `status`.
        """
        request = response.request
        return error_class_for(status)(
            message,
            platform=self.platform,
            status_code=response.status_code if response.is_error else status,
            code=code,
            request_id=request_id_of(response) or request.headers.get("x-request-id"),
            method=request.method,
            path=request.url.path,
        )

    def transport_error(self, request: httpx.Request, exc: httpx.TransportError) -> APIConnectionError:
        kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        url = request.url
        message = (
            f"{self.platform} request {request.method} {url.path} to {url.host}:{url.port or DEFAULT_PORTS[url.scheme]} "
            f"failed: {transport_cause(exc, self.options.timeout)}"
        )
        if self.options.hints.base_url:
            message += f". Check {self.options.hints.base_url}"
        return kind(message, platform=self.platform, method=request.method, path=url.path)

    def log_request(self, request: httpx.Request, attempt: int) -> None:
        if log.isEnabledFor(logging.DEBUG):
            headers = {
                k: ("<redacted>" if k.lower() in self.auth.secret_headers or k.lower() == "authorization" else v)
                for k, v in request.headers.items()
            }
            log.debug(
                "%s %s %s attempt=%d headers=%s", self.platform, request.method, request.url.path, attempt, headers
            )

    def log_response(self, request: httpx.Request, response: httpx.Response, started: float) -> None:
        log.debug(
            "%s %s %s -> %d in %.0f ms",
            self.platform,
            request.method,
            request.url.path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )


class _Attempts:
    """The retry decisions for one logical request, shared by the sync and async loops."""

    def __init__(self, pipeline: _Pipeline, method: str, idempotent: bool | None) -> None:
        self._pipeline = pipeline
        self._policy = pipeline.options.retry
        self._retryable = pipeline.retryable(method, idempotent)
        self._started = time.monotonic()
        self._sent = self._started
        self._attempt = 0
        self._reauthed = False

    def sending(self, request: httpx.Request) -> None:
        self._pipeline.log_request(request, self._attempt)
        self._sent = time.monotonic()

    def _retry_in(self, wait: float) -> float:
        self._attempt += 1
        return wait

    def after_transport_error(self, request: httpx.Request, exc: httpx.TransportError) -> float:
        """Seconds to wait before the next attempt, or raise the final connection error."""
        wait = self._policy.delay(self._attempt)
        if self._retryable and self._policy.allows(self._attempt, self._started, wait):
            return self._retry_in(wait)
        raise self._pipeline.transport_error(request, exc) from None

    def after_response(self, request: httpx.Request, response: httpx.Response) -> float | None:
        """None when `response` is final success; else seconds to wait, or raise the typed error.

        429 is retried for every method: a rate-limited request was not processed.
        """
        self._pipeline.log_response(request, response, self._sent)
        if response.is_success:
            return None
        if response.status_code == 401 and not self._reauthed and self._pipeline.auth.on_unauthorized():
            self._reauthed = True
            return 0.0
        wait = self._policy.delay(self._attempt, response)
        may_retry = self._retryable or response.status_code == 429
        if (
            may_retry
            and self._policy.should_retry_status(response.status_code)
            and self._policy.allows(self._attempt, self._started, wait)
        ):
            return self._retry_in(wait)
        raise self._pipeline.status_error(request, response)


class BaseClient(_Pipeline):
    """Synchronous client; safe to share between threads (httpx.Client is)."""

    def __init__(
        self,
        options: ClientOptions,
        auth: Auth | None = None,
        error_parser: ErrorParser | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(options, auth, error_parser)
        self._http = http_client or httpx.Client(follow_redirects=False)

    def request(self, method: str, path: str, *, idempotent: bool | None = None, **kwargs: Any) -> httpx.Response:
        """Send with retries; return a 2xx response or raise a typed `APIError`."""
        attempts = _Attempts(self, method, idempotent)
        while True:
            request = self.build(method, path, **kwargs)
            attempts.sending(request)
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                wait = attempts.after_transport_error(request, exc)
            else:
                outcome = attempts.after_response(request, response)
                if outcome is None:
                    return response
                wait = outcome
            time.sleep(wait)

    def close(self) -> None:
        self._http.close()


class AsyncBaseClient(_Pipeline):
    """Asynchronous twin of `BaseClient` over the same pipeline."""

    def __init__(
        self,
        options: ClientOptions,
        auth: Auth | None = None,
        error_parser: ErrorParser | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(options, auth, error_parser)
        self._http = http_client or httpx.AsyncClient(follow_redirects=False)

    async def request(self, method: str, path: str, *, idempotent: bool | None = None, **kwargs: Any) -> httpx.Response:
        """Send with retries; return a 2xx response or raise a typed `APIError`."""
        attempts = _Attempts(self, method, idempotent)
        while True:
            request = self.build(method, path, **kwargs)
            attempts.sending(request)
            try:
                response = await self._http.send(request)
            except httpx.TransportError as exc:
                wait = attempts.after_transport_error(request, exc)
            else:
                outcome = attempts.after_response(request, response)
                if outcome is None:
                    return response
                wait = outcome
            await asyncio.sleep(wait)

    async def aclose(self) -> None:
        await self._http.aclose()
