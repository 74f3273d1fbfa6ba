"""Every platform, resource and function this package provides, in one list."""

from __future__ import annotations

from .aerostack import SETTINGS as AEROSTACK_SETTINGS
from .aerostack.cache_entry import SPEC as AEROSTACK_CACHE_ENTRY
from .aerostack.sql_migration import SPEC as AEROSTACK_SQL_MIGRATION
from .aerostack.storage_object import SPEC as AEROSTACK_STORAGE_OBJECT
from .ardent import SETTINGS as ARDENT_SETTINGS
from .ardent.configuration import SPECS as ARDENT_CONFIGS
from .ardent.connector import SPEC as ARDENT_CONNECTOR
from .ardent.job import SPEC as ARDENT_JOB
from .eloq import SETTINGS as ELOQ_SETTINGS
from .eloq.cluster import SPEC as ELOQ_CLUSTER
from .eloq.skus import GET_SKUS as ELOQ_GET_SKUS
from .spark import SETTINGS as SPARK_SETTINGS
from .spark.folder import SPEC as SPARK_FOLDER
from .spark.service import SPEC as SPARK_SERVICE
from .spec import FunctionSpec, PlatformSpec, ResourceSpec

PLATFORMS: tuple[PlatformSpec, ...] = (
    PlatformSpec("eloq", "Eloq", ELOQ_SETTINGS, (ELOQ_CLUSTER,), (ELOQ_GET_SKUS,)),
    PlatformSpec("ardent", "Ardent", ARDENT_SETTINGS, (*ARDENT_CONFIGS, ARDENT_CONNECTOR, ARDENT_JOB)),
    PlatformSpec("spark", "Coherent Spark", SPARK_SETTINGS, (SPARK_FOLDER, SPARK_SERVICE)),
    PlatformSpec(
        "aerostack",
        "Aerostack",
        AEROSTACK_SETTINGS,
        (AEROSTACK_SQL_MIGRATION, AEROSTACK_CACHE_ENTRY, AEROSTACK_STORAGE_OBJECT),
    ),
)


def resources() -> tuple[ResourceSpec, ...]:
    return tuple(r for p in PLATFORMS for r in p.resources)


def functions() -> tuple[FunctionSpec, ...]:
    """Every platform's functions (the native plugin answers them over Invoke)."""
    return tuple(f for p in PLATFORMS for f in p.functions)
