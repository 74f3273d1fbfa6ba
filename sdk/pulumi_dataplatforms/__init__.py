"""Pulumi resources for Eloq, Ardent, Coherent Spark and Aerostack.

from pulumi_dataplatforms import eloq

Each platform module is imported on first use, so a program pays only for the platforms it uses.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import aerostack, ardent, eloq, spark

__all__ = ["aerostack", "ardent", "eloq", "spark"]


def __getattr__(name: str) -> ModuleType:
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
