"""Every platform and resource this package provides, in one list."""

from __future__ import annotations

from .eloq import SETTINGS as ELOQ_SETTINGS
from .eloq.cluster import SPEC as ELOQ_CLUSTER
from .spec import PlatformSpec, ResourceSpec

PLATFORMS: tuple[PlatformSpec, ...] = (PlatformSpec("eloq", "Eloq", ELOQ_SETTINGS, (ELOQ_CLUSTER,)),)


def resources() -> tuple[ResourceSpec, ...]:
    return tuple(r for p in PLATFORMS for r in p.resources)
