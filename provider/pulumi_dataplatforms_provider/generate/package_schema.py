"""Generate the Pulumi package schema (`schema.json`) from the resource specs.

    python -m pulumi_dataplatforms_provider.generate   # writes it, with the docs and the manifest schema

Property types, descriptions and enums come from each resource's pydantic models; replace
and secret flags from its spec; config variables from the platform settings. Each resource's
description ends with its example manifest, in the shortcodes Pulumi's docs generator reads.
A function's arguments and result come from its spec's models the same way (`functions`, which
the native plugin answers over Invoke); its description ends with its Pulumi YAML example.
"""

from __future__ import annotations

import json
from typing import Any

from ..registry import PLATFORMS
from ..spec import FunctionSpec, ResourceSpec
from .shortcodes import with_example

PACKAGE = "dataplatforms"
VERSION = "0.1.0"
#: The package names of the SDKs generated from the schema (sdks/python, sdks/nodejs).
PYTHON_PACKAGE = "pulumi_dataplatforms_native"
NODEJS_PACKAGE = "@dataplatforms/pulumi"


class _TypeCollector:
    """Turns pydantic JSON schemas into Pulumi property specs, collecting named object and enum types."""

    def __init__(self) -> None:
        self.types: dict[str, Any] = {}

    def property(self, schema: dict[str, Any], defs: dict[str, Any], module: str) -> dict[str, Any]:
        spec = self._type(schema, defs, module)
        if "description" in schema:
            spec["description"] = schema["description"]
        default = schema.get("default")
        if isinstance(default, bool | int | float | str):
            spec["default"] = default
        return spec

    def _type(self, schema: dict[str, Any], defs: dict[str, Any], module: str) -> dict[str, Any]:
        if "$ref" in schema:
            return {"$ref": "#/types/" + self._named(schema["$ref"].rsplit("/", 1)[-1], defs, module)}
        variants = [v for v in schema.get("anyOf", []) if v.get("type") != "null"]
        if len(variants) == 1:
            return self._type(variants[0], defs, module)
        if variants:
            return {"oneOf": [self._type(v, defs, module) for v in variants]}
        kind = schema.get("type")
        if kind == "array":
            return {"type": "array", "items": self._type(schema.get("items", {}), defs, module)}
        if kind == "object":
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return {"type": "object", "additionalProperties": self._type(extra, defs, module)}
            return {"$ref": "pulumi.json#/Any"}
        if kind in ("string", "integer", "number", "boolean"):
            return {"type": kind}
        return {"$ref": "pulumi.json#/Any"}

    def _named(self, name: str, defs: dict[str, Any], module: str) -> str:
        definition = defs[name]
        token = f"{PACKAGE}:{module}:{name}"
        if token in self.types:
            return token
        if "enum" in definition:
            self.types[token] = {
                "type": definition.get("type", "string"),
                "description": definition.get("description", name),
                "enum": [{"value": v} for v in definition["enum"]],
            }
            return token
        self.types[token] = {}
        self.types[token] = {
            "type": "object",
            "description": definition.get("description", name),
            "properties": {
                key: self.property(prop, defs, module) for key, prop in definition.get("properties", {}).items()
            },
            "required": sorted(definition.get("required", [])),
        }
        return token


def _resource(spec: ResourceSpec, types: _TypeCollector) -> dict[str, Any]:
    inputs = spec.inputs.model_json_schema(by_alias=True)
    outputs = spec.outputs.model_json_schema(by_alias=True)
    defs = {**inputs.get("$defs", {}), **outputs.get("$defs", {})}
    input_props = {k: types.property(v, defs, spec.platform) for k, v in inputs["properties"].items()}
    output_props = {k: types.property(v, defs, spec.platform) for k, v in outputs["properties"].items()}
    computed = {key: input_props.pop(key) for key in spec.computed_inputs}
    for key in spec.replace_on_changes:
        input_props[key]["replaceOnChanges"] = True
        input_props[key]["willReplaceOnChanges"] = True
    for key in spec.secret_inputs:
        input_props[key]["secret"] = True
    for key in spec.secret_outputs:
        output_props[key]["secret"] = True
    description = spec.description
    if not spec.drift_detection:
        description += (
            "\n\nDrift detection: none. The platform has no read endpoint, so refresh keeps the recorded state."
        )
    return {
        "description": with_example(description, f"{spec.name} in a YAML manifest", spec.example),
        "inputProperties": input_props,
        "requiredInputs": sorted(set(inputs.get("required", [])) - set(computed)),
        "properties": {**{k: dict(v) for k, v in input_props.items()}, **computed, **output_props},
        "required": sorted(
            set(outputs.get("required", []))
            | set(inputs.get("required", [])) - set(computed)
            | set(spec.always_present)
        ),
    }


def _function(spec: FunctionSpec, types: _TypeCollector) -> dict[str, Any]:
    inputs = spec.inputs.model_json_schema(by_alias=True)
    outputs = spec.outputs.model_json_schema(by_alias=True)
    defs = {**inputs.get("$defs", {}), **outputs.get("$defs", {})}
    output_props = {k: types.property(v, defs, spec.platform) for k, v in outputs["properties"].items()}
    for key in spec.secret_outputs:
        output_props[key]["secret"] = True
    return {
        "description": with_example(spec.description, f"{spec.name} in Pulumi YAML", spec.example),
        "inputs": {
            "properties": {k: types.property(v, defs, spec.platform) for k, v in inputs["properties"].items()},
            "required": sorted(inputs.get("required", [])),
        },
        "outputs": {"properties": output_props, "required": sorted(outputs.get("required", []))},
    }


def build_schema() -> dict[str, Any]:
    """The whole package schema."""
    types = _TypeCollector()
    resources: dict[str, Any] = {}
    functions: dict[str, Any] = {}
    variables: dict[str, Any] = {}
    for platform in PLATFORMS:
        for setting in platform.settings:
            variable: dict[str, Any] = {
                "type": "string",
                "description": setting.description,
                "defaultInfo": {"environment": [setting.env]},
            }
            if setting.secret:
                variable["secret"] = True
            if setting.default:
                variable["default"] = setting.default
            variables[setting.provider_property] = variable
        for spec in platform.resources:
            resources[spec.token] = _resource(spec, types)
        for function in platform.functions:
            functions[function.token] = _function(function, types)
    return {
        "name": PACKAGE,
        "displayName": "Data Platforms",
        "version": VERSION,
        "description": "Eloq clusters, Ardent data-source configurations, Coherent Spark services and Aerostack "
        "resources, as Pulumi dynamic resources or through the native provider plugin.",
        "keywords": ["pulumi", "eloq", "ardent", "coherent-spark", "aerostack", "category/database"],
        "license": "Apache-2.0",
        "publisher": "pulumi-dataplatforms",
        "meta": {"moduleFormat": "(.*)"},
        # The package's config (`dataplatforms:eloqApiKey`), which the native plugin's default provider
        # takes; explicit providers take the same properties. The dynamic providers read `eloq:apiKey`.
        "config": {"variables": variables},
        "provider": {
            "description": "The dataplatforms provider (native plugin): every platform's settings, "
            "each falling back to its environment variable.",
            "inputProperties": variables,
        },
        "types": dict(sorted(types.types.items())),
        "resources": resources,
        "functions": functions,
        # The SDKs `pulumi package gen-sdk` generates from this schema (`make sdks`, sdks/): their
        # package names differ from the hand-written dynamic-provider SDK's (`pulumi_dataplatforms`).
        "language": {
            "nodejs": {"packageName": NODEJS_PACKAGE, "respectSchemaVersion": True},
            "python": {
                "packageName": PYTHON_PACKAGE,
                "respectSchemaVersion": True,
                "pyproject": {"enabled": True},
            },
        },
    }


def render() -> str:
    return json.dumps(build_schema(), indent=2) + "\n"
