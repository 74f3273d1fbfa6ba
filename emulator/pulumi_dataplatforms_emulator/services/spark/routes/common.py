"""What every Spark route module shares: the route class, the success envelopes and the caller check.

``caller`` is the single place where a route authenticates its request and settles its tenant;
api/v1 routes read the tenant from ``x-tenant-name``, v3/v4 routes pass the one in their path.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.responses import JSONResponse, Response

from ..backend import Caller, SparkBackend
from ..errors import Family, SparkFailure

#: Path prefix of the v3 routes, and of the v3 routes naming one service by folder and name.
V3 = "/{tenant}/api/v3"
LOC = V3 + "/folders/{folder}/services/{service}"


class SparkRoute(APIRoute):
    """Renders SparkFailure in its family's envelope and echoes `x-request-id`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                response = await original(request)
            except SparkFailure as failure:
                response = failure.response()
            request_id = request.headers.get("x-request-id")
            if request_id:
                response.headers["x-request-id"] = request_id
            return response

        return handler


def ok(data: Any = None, **extra: Any) -> JSONResponse:
    """The api/v1 success envelope."""
    return JSONResponse({"status": "Success", "data": data, "message": None, "errorCode": None, **extra})


def v3(body: dict[str, Any]) -> JSONResponse:
    """The v3 success envelope around ``body`` (``response_data``, ``response_meta``)."""
    return JSONResponse({"status": "Success", "error": None, **body})


def caller(backend: SparkBackend, request: Request, family: Family, tenant: str | None = None) -> tuple[Caller, str]:
    """The authenticated caller and its tenant: ``tenant`` (a v3 path's) or else ``x-tenant-name``."""
    who = backend.authenticate(request.headers.get("x-synthetic-key"), request.headers.get("authorization"), family)
    wanted = tenant if tenant is not None else request.headers.get("x-tenant-name")
    return who, backend.check_tenant(who, wanted, family)


def spark_url(request: Request) -> str:
    """The emulated Spark base URL (``<root>/spark``) as the request reached it."""
    return str(request.base_url).rstrip("/") + "/spark"
