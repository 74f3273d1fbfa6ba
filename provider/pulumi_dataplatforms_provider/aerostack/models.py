"""Aerostack wire models, field for field as the official `aerostack` 0.1.2 client parses them.

Every response field is optional there and unknown keys are ignored; we do the same.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Wire(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")


class ErrorCode(str, Enum):
    """The `code` enum of `ErrorResponse`."""

    AUTH_INVALID_KEY = "AUTH_INVALID_KEY"
    AUTH_INVALID_CREDENTIALS = "AUTH_INVALID_CREDENTIALS"
    DB_QUERY_FAILED = "DB_QUERY_FAILED"
    RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED"
    VALIDATION_ERROR = "VALIDATION_ERROR"
    INTERNAL_ERROR = "INTERNAL_ERROR"


class ErrorResponse(_Wire):
    code: ErrorCode
    message: str
    details: dict[str, Any] | None = None


class ChatMessage(_Wire):
    content: str | None = None
    role: Literal["system", "user", "assistant"] | None = None


class ChatResult(_Wire):
    response: str | None = None


class User(_Wire):
    id: str | None = None
    email: str | None = None
    name: str | None = None
    created_at: datetime | None = Field(None, alias="createdAt")
    metadata: dict[str, Any] | None = None


class AuthResult(_Wire):
    """A session: the JWT is a secret and its repr never shows it."""

    token: str | None = Field(None, repr=False)
    expires_at: datetime | None = Field(None, alias="expiresAt")
    user: User | None = None


class CacheGetResult(_Wire):
    exists: bool | None = None
    value: Any = None


class CacheSetResult(_Wire):
    success: bool | None = None


class DbQueryResult(_Wire):
    results: list[dict[str, Any]] = Field(default_factory=list)
    count: int | None = None


class EnqueueResult(_Wire):
    job_id: str | None = Field(None, alias="jobId")
    success: bool | None = None


class InvokeResult(_Wire):
    result: Any = None
    success: bool | None = None


class UploadResult(_Wire):
    url: str | None = None
