"""What a service module hands the emulator: a :class:`ServiceSpec`."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from starlette.responses import JSONResponse, Response

from ..settings import Settings
from ..store import Store


@dataclass
class ServiceContext:
    """What a service's routers may use: the shared store, the live settings and a clock."""

    store: Store
    settings: Settings
    clock: Callable[[], float] = time.time


class ServiceError(Exception):
    """An error a service raises from a handler; rendered with the service's error renderer."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


ErrorRenderer = Callable[[int, str], Response]
RouterFactory = Callable[[ServiceContext], APIRouter]
EnvExports = Callable[[str], dict[str, str]]
StateDump = Callable[[ServiceContext], Any]


def render_plain_error(status: int, message: str) -> Response:
    """Fallback error body ``{"message": ...}`` for services without their own envelope."""
    return JSONResponse({"message": message}, status_code=status)


@dataclass(frozen=True)
class ServiceSpec:
    """One emulated platform.

    ``prefix`` is the mount point (``/eloq/api/v1``); ``env_exports(root_url)`` gives the
    ``NAME=value`` pairs a client needs (base URL and development credentials);
    ``render_error(status, message)`` builds the platform's error response, used for service
    errors, request validation errors, unknown routes under the prefix and injected faults.
    ``router_factory`` is None for a platform that is declared but not emulated yet.
    ``admin_router_factory`` routes are mounted under ``/_admin/<name>``. ``dump_state``
    defaults to the raw store contents of the service.
    """

    name: str
    prefix: str
    env_exports: EnvExports
    render_error: ErrorRenderer = render_plain_error
    router_factory: RouterFactory | None = None
    admin_router_factory: RouterFactory | None = None
    dump_state: StateDump | None = None
    validation_status: int = 400
    description: str = ""

    @property
    def implemented(self) -> bool:
        """Whether the platform's routes exist."""
        return self.router_factory is not None

    def owns(self, path: str) -> bool:
        """Whether ``path`` is under this service's prefix."""
        return path == self.prefix or path.startswith(self.prefix + "/")

    def state(self, ctx: ServiceContext) -> Any:
        """This service's state for ``GET /_admin/state``."""
        if self.dump_state is not None:
            return self.dump_state(ctx)
        return ctx.store.dump(self.name)
