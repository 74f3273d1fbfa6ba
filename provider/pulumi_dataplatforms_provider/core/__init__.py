"""One HTTP core shared by every platform client: auth seam, retries, typed errors."""

from .auth import Auth, BearerAuth, HeaderKeyAuth, NoAuth
from .client import AsyncBaseClient, BaseClient, ClientOptions, ErrorBody
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConflictError,
    ErrorHints,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from .retry import RetryPolicy

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncBaseClient",
    "Auth",
    "AuthenticationError",
    "BaseClient",
    "BearerAuth",
    "ClientOptions",
    "ConflictError",
    "ErrorBody",
    "ErrorHints",
    "HeaderKeyAuth",
    "NoAuth",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "ValidationError",
]
