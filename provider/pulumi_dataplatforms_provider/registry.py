"""Every platform and resource this package provides, in one list."""

from __future__ import annotations

from .eloq import SETTINGS as ELOQ_SETTINGS
from .eloq.cluster import SPEC as ELOQ_CLUSTER
from .spark import SETTINGS as SPARK_SETTINGS
from .spark.folder import SPEC as SPARK_FOLDER
from .spark.service import SPEC as SPARK_SERVICE
from .spec import PlatformSpec, ResourceSpec

PLATFORMS: tuple[PlatformSpec, ...] = (
    PlatformSpec("eloq", "Eloq", ELOQ_SETTINGS, (ELOQ_CLUSTER,)),
    PlatformSpec("spark", "Coherent Spark", SPARK_SETTINGS, (SPARK_FOLDER, SPARK_SERVICE)),
)


def resources() -> tuple[ResourceSpec, ...]:
    return tuple(r for p in PLATFORMS for r in p.resources)
