"""The service registry: every emulated platform, one :class:`ServiceSpec` each.

Adding a platform = one package under ``services/`` exporting ``SPEC`` plus one line in
:data:`SERVICES`.
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
    "render_plain_error",
]

SERVICES: list[ServiceSpec] = [
    ELOQ,
    ARDENT,
    SPARK,
    AEROSTACK,
]
