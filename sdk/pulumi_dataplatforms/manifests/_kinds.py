"""The manifest kinds: one per resource in the package schema (`schema.json`).

A kind `eloq/Cluster` is the schema token `dataplatforms:eloq:Cluster` and the SDK class
`pulumi_dataplatforms.eloq.Cluster`; its `spec` is the token's input properties.
"""

from __future__ import annotations

import functools
import importlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, cast

import pulumi

from .._resource import DataPlatformResource


class ResourceClass(Protocol):
    """An SDK resource class, as the manifests call it."""

    _args_type: type

    def __call__(self, resource_name: str, args: Any, opts: pulumi.ResourceOptions | None) -> DataPlatformResource: ...


def shipped(name: str) -> str:
    """A file the wheel ships in the package (`schema.json`, `manifest.schema.json`).

    In a checkout (an editable install) it is the generated file at the repository root.
    """
    packaged = resources.files("pulumi_dataplatforms").joinpath(name)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[3] / name).read_text(encoding="utf-8")


@functools.cache
def package_schema() -> dict[str, Any]:
    """The package schema (`schema.json`)."""
    return cast(dict[str, Any], json.loads(shipped("schema.json")))


ANY = "pulumi.json#/Any"
#: The keys of the one-key mappings that stand for a value in a manifest.
SOURCE_KEYS = ("secret", "env", "config", "ref")


def takes_string(prop: dict[str, Any]) -> bool:
    """Whether a string fits the property: `{secret|env|config: ...}` sources give strings."""
    if prop.get("$ref") == ANY:
        return True
    if "oneOf" in prop:
        return any(takes_string(variant) for variant in prop["oneOf"])
    return prop.get("type") == "string"


def kind_of(token: str) -> str:
    """`dataplatforms:eloq:Cluster` -> `eloq/Cluster`."""
    _, module, name = token.split(":")
    return f"{module}/{name}"


@dataclass(frozen=True)
class Kind:
    """One resource kind as the manifests see it."""

    name: str
    token: str
    description: str
    inputs: dict[str, Any]
    required: frozenset[str]
    outputs: dict[str, Any]

    @property
    def secret_inputs(self) -> frozenset[str]:
        return frozenset(key for key, spec in self.inputs.items() if spec.get("secret"))

    def sdk_class(self) -> ResourceClass:
        """The SDK resource class this kind registers."""
        _, module, name = self.token.split(":")
        return cast(ResourceClass, getattr(importlib.import_module(f"pulumi_dataplatforms.{module}"), name))


@functools.cache
def kinds() -> dict[str, Kind]:
    """Every kind, by name."""
    result: dict[str, Kind] = {}
    for token, spec in package_schema()["resources"].items():
        name = kind_of(token)
        result[name] = Kind(
            name=name,
            token=token,
            description=spec["description"],
            inputs=spec["inputProperties"],
            required=frozenset(spec["requiredInputs"]),
            outputs=spec["properties"],
        )
    return result


def schema_type(ref: str) -> dict[str, Any] | None:
    """The object or enum type a `#/types/...` reference names."""
    types: dict[str, Any] = package_schema()["types"]
    return types.get(ref.removeprefix("#/types/"))
