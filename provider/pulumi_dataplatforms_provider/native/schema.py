"""The package schema the plugin serves from GetSchema: the shipped `schema.json`."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path


@functools.cache
def package_schema_text() -> str:
    """`schema.json` as the wheel ships it (in `pulumi_dataplatforms`), else the checkout's generated file."""
    try:
        packaged = resources.files("pulumi_dataplatforms").joinpath("schema.json")
        if packaged.is_file():
            return packaged.read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pass
    return (Path(__file__).resolve().parents[3] / "schema.json").read_text(encoding="utf-8")
