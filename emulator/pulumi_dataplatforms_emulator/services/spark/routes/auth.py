"""Health check and the OAuth2 client-credentials token endpoint (both need no credentials)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import JSONResponse

from ..backend import SparkBackend
from ..errors import SparkFailure
from .models import TokenForm


def add_auth_routes(router: APIRouter, backend: SparkBackend) -> None:
    """``GET /health`` and ``POST /auth/realms/{realm}/protocol/openid-connect/token``."""

    @router.get("/health", summary="Health check")
    def health() -> dict[str, str]:
        return {"status": "UP"}

    @router.post("/auth/realms/{realm}/protocol/openid-connect/token", summary="OAuth2 client-credentials token")
    def token(realm: str, form: Annotated[TokenForm, Form()]) -> JSONResponse:
        try:
            issued = backend.issue_token(realm, form.client_id, form.client_secret, form.grant_type)
        except SparkFailure as failure:
            return JSONResponse({"error": failure.code, "error_description": failure.message}, status_code=400)
        return JSONResponse(issued)
