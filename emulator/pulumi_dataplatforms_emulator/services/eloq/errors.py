"""Eloq error envelope: HTTP status plus ``{"code": <status>, "message": str, "data": null}``."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from ..spec import ServiceError


class EloqError(ServiceError):
    """An Eloq API error; its HTTP status is repeated as the envelope ``code``."""


def render_error(status: int, message: str) -> Response:
    """The envelope the official client parses (it reads ``message``)."""
    return JSONResponse({"code": status, "message": message, "data": None}, status_code=status)


def invalid_token() -> EloqError:
    """401 for a missing or unknown ``Authorization`` key (the client looks for "invalid token")."""
    return EloqError(401, "invalid token")


def not_found(what: str) -> EloqError:
    """404 ``<what> not found``."""
    return EloqError(404, f"{what} not found")


def bad_request(message: str) -> EloqError:
    """400 validation error."""
    return EloqError(400, message)


def conflict(message: str) -> EloqError:
    """409, e.g. a duplicate cluster name."""
    return EloqError(409, message)


def forbidden(message: str) -> EloqError:
    """403, e.g. deleting a cluster that is not ``available``."""
    return EloqError(403, message)
