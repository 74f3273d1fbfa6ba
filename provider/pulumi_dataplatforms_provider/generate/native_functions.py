"""The package's functions (the native plugin answers them over Invoke) on the pages of the SDK functions.

A `FunctionSpec` names the SDK functions answering the same look-up in the program's process
(`sdk_functions`); each of their pages gets a section on calling the function from Pulumi YAML
(`fn::invoke`), with its arguments and result as the package schema describes them. The first of
those SDK functions must agree with the spec's models: its parameters are the inputs' properties, with
the same defaults, allowed values and descriptions (its docstring's `Args:`), and it returns the
outputs' only property; the generator stops otherwise, so the two descriptions cannot drift apart.
"""

from __future__ import annotations

import enum
import json
import typing
from typing import Any

from ..registry import PLATFORMS
from ..spec import FunctionSpec
from .functions import PublicFunction, parse_docstring, signature_of
from .kinds import ANY, referenced_type, type_name
from .markdown import anchor, table


def native_function(function: PublicFunction) -> FunctionSpec | None:
    """The package function answering the same look-up as the SDK function, if any."""
    platform = next((p for p in PLATFORMS if p.name == function.module), None)
    specs = platform.functions if platform else ()
    return next((spec for spec in specs if function.name in spec.sdk_functions), None)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _allowed(annotation: Any) -> tuple[Any, ...] | None:
    """The values a `Literal[...]` or an Enum allows, or None for other types."""
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return tuple(member.value for member in annotation)
    return None


def check_agreement(spec: FunctionSpec, function: PublicFunction) -> None:
    """Raises ValueError where the SDK function's signature or `Args:` differ from the spec's models."""
    where = f"{function.qualified} and {spec.token}"
    signature = signature_of(function.function)
    args = parse_docstring(function.function).args
    fields = {info.alias or name: info for name, info in spec.inputs.model_fields.items()}
    if list(signature.parameters) != list(fields):
        raise ValueError(f"{where}: parameters {list(signature.parameters)} are not the inputs {list(fields)}")
    for name, parameter in signature.parameters.items():
        info = fields[name]
        default = parameter.default if parameter.default is not parameter.empty else ...
        if default != _plain(info.default):
            raise ValueError(f"{where}: {name} defaults to {default!r}, the input to {_plain(info.default)!r}")
        if _allowed(parameter.annotation) != _allowed(info.annotation):
            raise ValueError(
                f"{where}: {name} allows {_allowed(parameter.annotation)}, the input {_allowed(info.annotation)}"
            )
        if args.get(name) != info.description:
            raise ValueError(f"{where}: Args says {name} is {args.get(name)!r}, the input {info.description!r}")
    (result,) = spec.outputs.model_fields.values()
    if signature.return_annotation != result.annotation:
        raise ValueError(f"{where}: returns {signature.return_annotation}, the output holds {result.annotation}")


def _type_text(prop: dict[str, Any], types: dict[str, Any]) -> str:
    """`string`, `list of [Sku](#sku)`, or an enum's values: `"aws"` or `"gcp"`."""
    if prop.get("$ref") == ANY:
        return "any"
    token = referenced_type(prop)
    if token is not None:
        named = types[token]
        if "enum" in named:
            return " or ".join(f"`{json.dumps(item['value'])}`" for item in named["enum"])
        return f"[{type_name(token)}](#{anchor(type_name(token))})"
    if prop.get("type") == "array":
        return "list of " + _type_text(prop.get("items", {"$ref": ANY}), types)
    return str(prop.get("type", "any"))


def invoke_section(spec: FunctionSpec, package_schema: dict[str, Any]) -> str:
    """The page section on calling `spec` from Pulumi YAML through the native plugin."""
    schema = package_schema["functions"][spec.token]
    types: dict[str, Any] = package_schema.get("types", {})
    platform = next(p for p in PLATFORMS if p.name == spec.platform)
    keys = ", ".join(f"`dataplatforms:{s.provider_property}`" for s in platform.settings)
    arguments = [
        [
            f"`{name}`",
            _type_text(prop, types),
            f"`{json.dumps(prop['default'])}`" if "default" in prop else "required",
            prop.get("description", ""),
        ]
        for name, prop in schema["inputs"]["properties"].items()
    ]
    results = [
        [f"`{name}`", _type_text(prop, types), prop.get("description", "")]
        for name, prop in schema["outputs"]["properties"].items()
    ]
    example = spec.example if spec.example.endswith("\n") else spec.example + "\n"
    return "\n\n".join(
        [
            "## Pulumi YAML and other languages",
            f"The native provider plugin (`pulumi-resource-dataplatforms`) answers the same look-up as the function "
            f"`{spec.token}` of the package's schema, which a Pulumi program calls through the engine's Invoke. The "
            f"plugin runs it with the settings of the provider that serves it: the default provider's stack config "
            f"({keys}, each falling back to its environment variable), or the explicit provider given as the "
            "`provider` option. The plugin checks the arguments before any request: one that is not among the values "
            "below fails the call, naming the argument. In Pulumi YAML, `fn::invoke` calls it:",
            f"```yaml\n{example}```",
            table(["Argument", "Type", "Default", "Description"], arguments),
            table(["Result property", "Type", "Description"], results),
        ]
    )


def check_sdk_functions(functions: list[PublicFunction]) -> None:
    """Checks each package function against the first SDK function it names (ValueError when missing or different)."""
    found = {(f.module, f.name): f for f in functions}
    for platform in PLATFORMS:
        for spec in platform.functions:
            if not spec.sdk_functions:
                continue
            first = found.get((platform.name, spec.sdk_functions[0]))
            if first is None:
                raise ValueError(f"{spec.token}: pulumi_dataplatforms.{platform.name} has no {spec.sdk_functions[0]}")
            check_agreement(spec, first)
