"""The JSON Schema of manifest documents (`manifest.schema.json`), for editors and checks.

Draft-07, the newest draft the YAML language server (VS Code's YAML extension) validates fully.
A document is one of the kinds, told apart by `kind`; its `spec` takes the kind's input
properties. Wherever a value goes, a value source may stand instead: `{secret|env|config: ...}`
where a string fits, `{ref: ...}` anywhere; a secret input takes `{secret: ...}`, `{env: ...}` or a
`{ref: ...}`, never a written value.
`description` is the schema's text, `markdownDescription` (shown on hover) adds the flags.
"""

from __future__ import annotations

import json
from typing import Any

from .kinds import ANY, SOURCE_KEYS, kind_of, referenced_type, takes_string, type_name
from .shortcodes import split_description

DRAFT = "http://json-schema.org/draft-07/schema#"
NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_-]*$"
CONFIG_KEY_PATTERN = "^(?:[A-Za-z0-9_.-]+:)?[A-Za-z0-9_.-]+$"
ENV_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$"
TARGET_PATTERN = "^[a-z]+/[A-Za-z]+/[A-Za-z0-9][A-Za-z0-9_-]*$"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/definitions/{name}"}


def _source(key: str, description: str, snippet: str, pattern: str, message: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": {key: {"type": "string", "pattern": pattern, "patternErrorMessage": message}},
        "required": [key],
        "additionalProperties": False,
        "defaultSnippets": [{"label": f"{{{key}: ...}}", "body": {key: snippet}}],
    }


def _ref_pattern(resources: dict[str, Any]) -> str:
    """`<kind>/<name>.<property>` for the properties each kind really has."""
    alternatives = [
        f"{kind_of(token)}/[A-Za-z0-9][A-Za-z0-9_-]*\\.(?:{'|'.join(sorted(spec['properties']))})"
        for token, spec in sorted(resources.items())
    ]
    return f"^(?:{'|'.join(alternatives)})$"


def _sources(resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "secretValue": _source(
            "secret",
            "A secret stack config value: `key` in the project's namespace or `namespace:key` "
            "(set with `pulumi config set --secret`). Stays secret.",
            "${1:configKey}",
            CONFIG_KEY_PATTERN,
            "a config key: `key` or `namespace:key`",
        ),
        "envValue": _source(
            "env",
            "An environment variable of the process that runs the program; treated as a secret.",
            "${1:NAME}",
            ENV_PATTERN,
            "an environment variable name",
        ),
        "configValue": _source(
            "config",
            "A plain (not secret) stack config value: `key` or `namespace:key`.",
            "${1:configKey}",
            CONFIG_KEY_PATTERN,
            "a config key: `key` or `namespace:key`",
        ),
        "refValue": _source(
            "ref",
            "An output property of another resource in the manifests, `<kind>/<name>.<property>`; "
            "the resource is created first.",
            "${1:spark/Folder/pricing.name}",
            _ref_pattern(resources),
            "`<kind>/<name>.<property>` naming a kind and one of its properties, e.g. `spark/Folder/pricing.name`",
        ),
        "secretSource": {"oneOf": [_ref("secretValue"), _ref("envValue"), _ref("refValue")]},
        "valueSource": {
            "oneOf": [_ref("secretValue"), _ref("envValue"), _ref("configValue"), _ref("refValue")],
        },
        "anyValue": {
            "description": "Any value; a one-key mapping of `secret`, `env`, `config` or `ref` at any depth is a source.",
            "if": {
                "type": "object",
                "minProperties": 1,
                "maxProperties": 1,
                "anyOf": [{"required": [key]} for key in SOURCE_KEYS],
            },
            "then": _ref("valueSource"),
            "else": {
                "anyOf": [
                    {"type": ["string", "number", "boolean", "null"]},
                    {"type": "array", "items": _ref("anyValue")},
                    {"type": "object", "additionalProperties": _ref("anyValue")},
                ],
            },
        },
    }


class _Builder:
    """Turns Pulumi property specs into JSON Schemas that also accept value sources."""

    def __init__(self, types: dict[str, Any]) -> None:
        self.types = types
        self.definitions: dict[str, Any] = {}

    def value(self, prop: dict[str, Any]) -> dict[str, Any]:
        """A value position: the property's type, or a value source that fits it."""
        if prop.get("$ref") == ANY:
            return _ref("anyValue")
        typed = self._typed(prop)
        source = "valueSource" if takes_string(prop) else "refValue"
        return {"anyOf": [typed, _ref(source)]}

    def _typed(self, prop: dict[str, Any]) -> dict[str, Any]:
        if prop.get("$ref") == ANY:
            return _ref("anyValue")
        token = referenced_type(prop)
        if token is not None:
            return _ref(self._named(token))
        if "oneOf" in prop:
            return {"anyOf": [self._typed(variant) for variant in prop["oneOf"]]}
        kind = prop.get("type")
        if kind == "array":
            return {"type": "array", "items": self.value(prop.get("items", {"$ref": ANY}))}
        if kind == "object":
            return {
                "type": "object",
                "additionalProperties": self.value(prop.get("additionalProperties", {"$ref": ANY})),
            }
        return {"type": kind}

    def _named(self, token: str) -> str:
        name = "type." + token.split(":", 1)[1].replace(":", ".")
        if name in self.definitions:
            return name
        spec = self.types[token]
        if "enum" in spec:
            self.definitions[name] = {
                "type": spec.get("type", "string"),
                "description": spec.get("description", type_name(token)),
                "enum": [item["value"] for item in spec["enum"]],
            }
            return name
        self.definitions[name] = {}  # placed first, so a type that refers to itself ends here
        self.definitions[name] = self.object(
            spec.get("properties", {}), spec.get("required", []), spec.get("description", type_name(token))
        )
        return name

    def object(
        self, properties: dict[str, Any], required: list[str], description: str, secret: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """A mapping of exactly these properties."""
        schema: dict[str, Any] = {
            "type": "object",
            "description": description,
            "properties": {
                key: self.property(prop, key in required, key in secret) for key, prop in properties.items()
            },
            "additionalProperties": False,
        }
        if required:
            schema["required"] = sorted(required)
        return schema

    def property(self, prop: dict[str, Any], required: bool, secret: bool) -> dict[str, Any]:
        """One property: its value schema with its description, default and flags."""
        description = str(prop.get("description", ""))
        notes = []
        if required:
            notes.append("Required.")
        if "default" in prop:
            notes.append(f"Default: `{json.dumps(prop['default'])}`.")
        if prop.get("replaceOnChanges") and "replace" not in description.lower():
            notes.append("Changing it replaces the resource.")
        if secret:
            notes.append(
                "Secret: give `{secret: <config key>}`, `{env: NAME}` or a `{ref: ...}`, never the value itself."
            )
        schema: dict[str, Any] = {"description": description}
        if notes:
            schema["markdownDescription"] = "\n\n".join(filter(None, [description, " ".join(notes)]))
        if "default" in prop:
            schema["default"] = prop["default"]
        if secret and prop.get("$ref") == ANY:  # free-form: a source, or a mapping whose secret parts are sources
            mapping = {"type": "object", "minProperties": 1, "additionalProperties": _ref("anyValue")}
            schema["anyOf"] = [_ref("secretSource"), mapping]
        elif secret and takes_string(prop):
            schema["allOf"] = [_ref("secretSource")]
        else:
            schema.update(self.value(prop))
        return schema


def _options(inputs: list[str]) -> dict[str, Any]:
    names = "|".join(inputs)
    return {
        "type": "object",
        "description": "Pulumi resource options.",
        "properties": {
            "protect": {"type": "boolean", "description": "Refuse to delete the resource (`pulumi destroy` fails)."},
            "dependsOn": {
                "type": "array",
                "description": "Other resources of the manifests, `<kind>/<name>`, to create before this one.",
                "items": {"type": "string", "pattern": TARGET_PATTERN, "patternErrorMessage": "`<kind>/<name>`"},
            },
            "deleteBeforeReplace": {
                "type": "boolean",
                "description": "On replacement, delete the old resource before creating the new one.",
            },
            "ignoreChanges": {
                "type": "array",
                "description": "Input properties whose changes are ignored after creation; dotted paths (`sku.type`) "
                "name nested values.",
                "items": {"type": "string", "anyOf": [{"enum": inputs}, {"pattern": f"^(?:{names})[.\\[].+$"}]},
            },
            "retainOnDelete": {
                "type": "boolean",
                "description": "Keep the resource on the platform when Pulumi deletes it from the stack.",
            },
        },
        "additionalProperties": False,
    }


def _document(kind: str, spec_name: str, options_name: str, resource: dict[str, Any]) -> dict[str, Any]:
    description = split_description(resource["description"])[0]
    required = ["kind", "name"] + (["spec"] if resource["requiredInputs"] else [])
    return {
        "type": "object",
        "description": description,
        "properties": {
            "kind": {"const": kind, "description": description},
            "name": _ref("name"),
            "spec": _ref(spec_name),
            "options": _ref(options_name),
        },
        "required": required,
        "additionalProperties": False,
    }


def manifest_schema(package_schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema one manifest document must satisfy."""
    resources: dict[str, Any] = package_schema["resources"]
    builder = _Builder(package_schema.get("types", {}))
    documents: dict[str, Any] = {}
    for token, resource in resources.items():
        kind = kind_of(token)
        inputs = resource["inputProperties"]
        secret = frozenset(key for key, prop in inputs.items() if prop.get("secret"))
        spec_name, options_name = f"spec.{kind.replace('/', '.')}", f"options.{kind.replace('/', '.')}"
        description = f"The inputs of {kind}."
        builder.definitions[spec_name] = builder.object(inputs, resource["requiredInputs"], description, secret)
        builder.definitions[options_name] = _options(list(inputs))
        documents[f"document.{kind.replace('/', '.')}"] = _document(kind, spec_name, options_name, resource)
    kinds = [kind_of(token) for token in resources]
    return {
        "$schema": DRAFT,
        "title": "pulumi-dataplatforms manifest",
        "description": "One resource: its `kind`, Pulumi `name`, inputs (`spec`) and resource `options`.",
        "type": "object",
        "properties": {
            "kind": {
                "type": "string",
                "description": "The resource kind, `<platform>/<Name>`.",
                "enum": kinds,
                "markdownEnumDescriptions": [
                    split_description(resources[token]["description"])[0] for token in resources
                ],
            },
            "name": _ref("name"),
        },
        "required": ["kind", "name"],
        "oneOf": [_ref(name) for name in documents],
        "definitions": {
            "name": {
                "type": "string",
                "description": "The Pulumi resource name, unique per kind; refs and `dependsOn` use it.",
                "pattern": NAME_PATTERN,
                "maxLength": 100,
                "patternErrorMessage": "1-100 letters, digits, `-` or `_`, starting with a letter or digit",
            },
            **_sources(resources),
            **documents,
            **dict(sorted(builder.definitions.items())),
        },
    }
