"""The service registry: every emulated platform, one :class:`ServiceSpec` each.

Adding a platform = one package under ``services/`` exporting ``SPEC`` plus one line in
:data:`SERVICES`. Platforms not emulated yet are declared with :func:`declared` so that
``dataplatforms-emulator env`` already prints their base URL and development credentials.
"""

from __future__ import annotations

from .aerostack import SPEC as AEROSTACK
from .ardent import SPEC as ARDENT
from .eloq import SPEC as ELOQ
from .spark import SPEC as SPARK
from .spec import (
    ErrorRenderer,
    RouterFactory,
    ServiceContext,
    ServiceError,
    ServiceSpec,
    render_plain_error,
)

__all__ = [
    "SERVICES",
    "ErrorRenderer",
    "RouterFactory",
    "ServiceContext",
    "ServiceError",
    "ServiceSpec",
    "declared",
    "render_plain_error",
    "service_for_path",
]


def declared(name: str, prefix: str, base_url_var: str, base_path: str, **credentials: str) -> ServiceSpec:
    """A platform whose routes do not exist yet: only its env exports (base URL + credentials)."""

    def exports(root: str) -> dict[str, str]:
        return {base_url_var: root + base_path, **credentials}

    return ServiceSpec(name=name, prefix=prefix, env_exports=exports)


SERVICES: list[ServiceSpec] = [
    ELOQ,
    ARDENT,
    SPARK,
    AEROSTACK,
]


def service_for_path(path: str, services: list[ServiceSpec] | None = None) -> ServiceSpec | None:
    """The service whose prefix contains ``path`` (longest prefix wins)."""
    owners = [s for s in (SERVICES if services is None else services) if s.owns(path)]
    return max(owners, key=lambda s: len(s.prefix), default=None)
