"""Typed API errors: one base, one subclass per status family.

Every error carries the platform, HTTP status, the platform's own error code, its message
and the request id, so a failed deployment names all four. Messages never contain
credentials: they are built from the response body and the request's method and path only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorHints:
    """The settings that fix what an error reports, as users write them: `eloq:apiKey (ELOQ_API_KEY)`."""

    #: Where the platform is: named by connection errors.
    base_url: str | None = None
    #: Who the caller is: named by 401 and 403 answers.
    credentials: str | None = None


class APIError(Exception):
    """Base of every error raised by a platform client."""

    def __init__(self, message: str, *, platform: str, method: str = "", path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.platform = platform
        self.method = method
        self.path = path


class APIConnectionError(APIError):
    """The server could not be reached, or the connection dropped before a response."""


class APITimeoutError(APIConnectionError):
    """The request did not complete within its timeout."""


class APIStatusError(APIError):
    """The server answered with a non-success status."""

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        platform: str,
        status_code: int,
        code: str | None = None,
        request_id: str | None = None,
        method: str = "",
        path: str = "",
        body: object = None,
        hint: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.code = code
        self.request_id = request_id
        self.body = body
        detail = f"{platform} API error {status_code}"
        if code and code != str(status_code):
            detail += f" [{code}]"
        detail += f" on {method} {path}: {message}"
        detail += f" (request id: {request_id or 'none'})"
        if hint:
            detail += f". Check {hint}"
        super().__init__(detail, platform=platform, method=method, path=path)
        self.message = message


class ValidationError(APIStatusError):
    """400: the platform rejected the request's content."""


class AuthenticationError(APIStatusError):
    """401: missing, unknown or expired credentials."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials may not do this, or the resource is not in a state that allows it."""


class NotFoundError(APIStatusError):
    """404: the resource does not exist (or belongs to someone else)."""


class ConflictError(APIStatusError):
    """409: the resource already exists or changed concurrently."""


class RateLimitError(APIStatusError):
    """429: too many requests."""


class ServerError(APIStatusError):
    """5xx: the platform failed."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitError,
}


def error_class_for(status_code: int) -> type[APIStatusError]:
    """The error class for an HTTP status."""
    if status_code >= 500:
        return ServerError
    return _BY_STATUS.get(status_code, APIStatusError)
