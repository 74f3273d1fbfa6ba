"""schema.json: valid Pulumi package schema, regenerated output identical, and in agreement with the SDK."""

from __future__ import annotations

import dataclasses
import importlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pulumi_dataplatforms._resource import DataPlatformResource, camel
from pulumi_dataplatforms_provider import registry
from pulumi_dataplatforms_provider.generate import package_schema as schema

ROOT = Path(__file__).resolve().parent.parent
METASCHEMA = ROOT.parent / "shared" / "pulumi" / "package-metaschema.json"
SCHEMA = json.loads((ROOT / "schema.json").read_text())


def sdk_class(token: str) -> type[DataPlatformResource]:
    _, module, name = token.split(":")
    cls: type[DataPlatformResource] = getattr(importlib.import_module(f"pulumi_dataplatforms.{module}"), name)
    assert issubclass(cls, DataPlatformResource)
    return cls


def test_schema_is_valid_against_the_pulumi_metaschema() -> None:
    assert METASCHEMA.is_file(), (
        f"the Pulumi package metaschema is missing: expected {METASCHEMA} (the shared Pulumi files beside the project)"
    )
    metaschema: Any = json.loads(METASCHEMA.read_text().replace("(?<", "(?P<"))
    jsonschema.Draft202012Validator(metaschema).validate(SCHEMA)


def test_schema_json_is_up_to_date() -> None:
    assert (ROOT / "schema.json").read_text() == schema.render(), "run `make schema` and commit schema.json"


@pytest.mark.parametrize("token", sorted(SCHEMA["resources"]))
def test_sdk_class_agrees_with_schema(token: str) -> None:
    spec = SCHEMA["resources"][token]
    cls = sdk_class(token)
    args = {camel(f.name) for f in dataclasses.fields(cls._args_type)}
    assert args == set(spec["inputProperties"]), "Args fields must be the schema's input properties"
    required = {camel(f.name) for f in dataclasses.fields(cls._args_type) if f.default is dataclasses.MISSING}
    assert required == set(spec["requiredInputs"])
    outputs = {camel(name) for name in cls._output_names}
    assert outputs == set(spec["properties"]) - set(spec["inputProperties"])
    assert cls._resource_type_name == f"dynamic/{token.split(':')[1]}:{token.split(':')[2]}"


@pytest.mark.parametrize("token", sorted(SCHEMA["resources"]))
def test_every_property_is_described(token: str) -> None:
    spec = SCHEMA["resources"][token]
    undocumented = [k for k, v in spec["properties"].items() if not v.get("description")]
    assert not undocumented


def test_every_registered_resource_is_in_the_schema_and_config_has_env_fallbacks() -> None:
    assert {r.token for r in registry.resources()} == set(SCHEMA["resources"])
    for platform in registry.PLATFORMS:
        for setting in platform.settings:
            variable = SCHEMA["config"]["variables"][setting.provider_property]
            assert variable["defaultInfo"]["environment"] == [setting.env]
            assert variable.get("secret", False) == setting.secret
            assert SCHEMA["provider"]["inputProperties"][setting.provider_property] == variable
    native = {s.provider_property for p in registry.PLATFORMS for s in p.settings}
    assert set(SCHEMA["config"]["variables"]) == set(SCHEMA["provider"]["inputProperties"]) == native
