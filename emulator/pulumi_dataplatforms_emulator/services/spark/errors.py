"""Spark's two error envelopes: api/v1 (`status/data/message/errorCode`) and v3/v4 (`error{...}`)."""

from __future__ import annotations

from typing import Literal

from starlette.responses import JSONResponse, Response

from ..spec import ServiceError

Family = Literal["v1", "v3"]


class SparkFailure(ServiceError):
    """An error answered in the envelope of the API family the route belongs to."""

    def __init__(self, status: int, code: str, message: str, family: Family = "v1") -> None:
        super().__init__(status, message)
        self.code = code
        self.family = family

    def response(self) -> Response:
        return envelope(self.status, self.code, self.message, self.family)


def envelope(status: int, code: str, message: str, family: Family) -> Response:
    if family == "v1":
        body: dict[str, object] = {"status": "Error", "data": None, "message": message, "errorCode": code}
    else:
        category = "access_error" if status in (401, 403) else "application_error"
        body = {
            "status": "Error",
            "response_data": None,
            "response_meta": None,
            "error": {
                "error_category": category,
                "error_type": f"error.{code}" if category == "access_error" else "error.application_error",
                "message": code,
                "additional_details": message,
            },
        }
    return JSONResponse(body, status_code=status)


_CODES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT",
          413: "PAYLOAD_TOO_LARGE", 429: "TOO_MANY_REQUESTS", 503: "SERVICE_UNAVAILABLE"}  # fmt: skip


def render_error(status: int, message: str) -> Response:
    """Injected faults and request-validation errors: the v1 envelope (both families read no error keys)."""
    return envelope(status, _CODES.get(status, "ERROR" if status < 500 else "INTERNAL_SERVER_ERROR"), message, "v1")


def unauthorized(
    family: Family, code: str = "UNAUTHORIZED", message: str = "missing or invalid credentials"
) -> SparkFailure:
    return SparkFailure(401, code, message, family)


def not_found(family: Family, what: str) -> SparkFailure:
    return SparkFailure(404, "NOT_FOUND" if family == "v1" else "ENTITY_NOT_FOUND", f"{what} not found", family)


def bad_request(family: Family, message: str, code: str = "BAD_REQUEST") -> SparkFailure:
    return SparkFailure(400, code, message, family)
