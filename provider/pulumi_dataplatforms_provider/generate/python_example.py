"""A Python program equivalent to a manifest example, for the docs.

Each document becomes a resource of its SDK class with snake_case keyword arguments; a nested
mapping becomes the Args dataclass its field's type hint names (through `pulumi.Input`,
`Optional`, unions and sequences), or stays a dict where the field takes any value. Value
sources become what they read: `{secret: k}` -> `config.require_secret("k")`, `{env: N}` ->
`pulumi.Output.secret(os.environ["N"])`, `{config: k}` -> `config.require("k")`, and
`{ref: kind/name.prop}` -> `<variable of name>.<prop in snake_case>`.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import keyword
import re
import typing
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi.output
import yaml

from pulumi_dataplatforms._resource import DataPlatformResource, camel, snake

from .kinds import SOURCE_KEYS, referenced_type

WIDTH = 100
INDENT = "    "
REF = re.compile(r"^(?P<target>[a-z]+/[A-Za-z]+/[A-Za-z0-9][A-Za-z0-9_-]*)\.(?P<property>[A-Za-z][A-Za-z0-9]*)$")
#: `pulumi.Input` is `Union[T, Awaitable[T], "Output[T]"]`; its forward reference resolves with these names.
_INPUT_NAMESPACE = {"Output": pulumi.Output, "T": pulumi.output.T}
_OPTIONS = {
    "protect": "protect",
    "dependsOn": "depends_on",
    "deleteBeforeReplace": "delete_before_replace",
    "ignoreChanges": "ignore_changes",
    "retainOnDelete": "retain_on_delete",
}


@dataclass(frozen=True)
class _Call:
    """`callee(arguments...)`; an argument without a keyword is positional."""

    callee: str
    arguments: list[tuple[str | None, _Node]]


@dataclass(frozen=True)
class _Items:
    """A list (`[...]`) or dict (`{...}`) display."""

    brackets: str
    items: list[tuple[str | None, _Node]]


_Node = _Call | _Items | str


def _parts(node: _Call | _Items) -> tuple[str, str, str, list[tuple[str | None, _Node]]]:
    """Opening, closing, keyword separator and entries of a call or display."""
    if isinstance(node, _Call):
        return f"{node.callee}(", ")", "=", node.arguments
    return node.brackets[0], node.brackets[1], ": ", node.items


def _flat(node: _Node) -> str:
    if isinstance(node, str):
        return node
    opening, closing, separator, entries = _parts(node)
    inner = ", ".join(f"{key}{separator}{_flat(value)}" if key else _flat(value) for key, value in entries)
    return opening + inner + closing


def _format(node: _Node, indent: str, prefix: str) -> str:
    """`node` on one line when it fits after `prefix`, else one argument or item per line."""
    flat = _flat(node)
    if isinstance(node, str) or len(indent + prefix + flat) < WIDTH:  # room for a trailing comma
        return flat
    opening, closing, separator, entries = _parts(node)
    inner = indent + INDENT
    lines = []
    for key, value in entries:
        head = f"{key}{separator}" if key else ""
        lines.append(f"{inner}{head}{_format(value, inner, head)},")
    return "\n".join([opening, *lines, indent + closing])


def _dataclasses_in(hint: Any) -> set[type]:
    """The dataclasses a type hint names, through `pulumi.Input`, `Optional`, unions and sequences."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return {hint}
    found: set[type] = set()
    for argument in typing.get_args(hint):
        found |= _dataclasses_in(argument)
    return found


def _hints(args_type: type) -> dict[str, Any]:
    return typing.get_type_hints(args_type, localns=_INPUT_NAMESPACE)


def args_classes(args_type: type, properties: dict[str, Any], types: dict[str, Any]) -> dict[str, type]:
    """The Args dataclass standing for each object type reachable from `args_type`'s fields, by type token."""
    found: dict[str, type] = {}
    hints = _hints(args_type)
    for item in dataclasses.fields(args_type):
        prop = properties.get(camel(item.name), {})
        token = referenced_type(prop) or referenced_type(prop.get("items", {}))
        classes = _dataclasses_in(hints[item.name])
        if token is not None and len(classes) == 1:
            (cls,) = classes
            found.setdefault(token, cls)
            for nested, nested_cls in args_classes(cls, types[token].get("properties", {}), types).items():
                found.setdefault(nested, nested_cls)
    return found


def sdk_class(kind: str) -> type[DataPlatformResource]:
    """The SDK resource class of a manifest kind (`spark/Service` -> `pulumi_dataplatforms.spark.Service`)."""
    module, name = kind.split("/")
    cls: type[DataPlatformResource] = getattr(importlib.import_module(f"pulumi_dataplatforms.{module}"), name)
    return cls


@dataclass
class _Program:
    """What the program needs while its statements are rendered."""

    variables: dict[str, str]
    modules: set[str] = field(default_factory=set)
    uses_pulumi: bool = False
    uses_os: bool = False
    uses_config: bool = False

    def value(self, value: Any, hint: Any) -> _Node:
        """The expression for a manifest value given to a field of type `hint`."""
        if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in SOURCE_KEYS:
            ((origin, text),) = value.items()
            return self._source(origin, str(text))
        if isinstance(value, dict):
            classes = _dataclasses_in(hint)
            if len(classes) == 1:
                return self.call(classes.pop(), value)
            return _Items("{}", [(json.dumps(str(k)), self.value(v, Any)) for k, v in value.items()])
        if isinstance(value, list):
            return _Items("[]", [(None, self.value(item, hint)) for item in value])
        if isinstance(value, bool | int | float) or value is None:
            return repr(value)
        return json.dumps(str(value), ensure_ascii=False)

    def call(self, args_type: type, spec: dict[str, Any]) -> _Call:
        """`module.ArgsClass(field=value, ...)` for a nested mapping."""
        hints = _hints(args_type)
        module = args_type.__module__.rsplit(".", 1)[-1]
        self.modules.add(module)
        arguments: list[tuple[str | None, _Node]] = [
            (snake(k), self.value(v, hints[snake(k)])) for k, v in spec.items()
        ]
        return _Call(f"{module}.{args_type.__name__}", arguments)

    def _source(self, origin: str, text: str) -> str:
        """What a value source reads, as an expression."""
        if origin == "ref":
            match = REF.match(text)
            if match is None:
                raise ValueError(f"invalid reference {text!r} in a manifest example")
            return f"{self.variables[match['target']]}.{snake(match['property'])}"
        if origin == "env":
            self.uses_pulumi = self.uses_os = True
            return f"pulumi.Output.secret(os.environ[{json.dumps(text)}])"
        self.uses_pulumi = True
        method = "require_secret" if origin == "secret" else "require"
        namespace, _, key = text.rpartition(":")
        if namespace:
            return f"pulumi.Config({json.dumps(namespace)}).{method}({json.dumps(key)})"
        self.uses_config = True
        return f"config.{method}({json.dumps(key)})"

    def options(self, options: dict[str, Any]) -> _Call:
        """`pulumi.ResourceOptions(...)` for a document's `options`."""
        self.uses_pulumi = True
        arguments: list[tuple[str | None, _Node]] = []
        for key, value in options.items():
            if key == "dependsOn":
                node: _Node = _Items("[]", [(None, self.variables[str(target)]) for target in value])
            elif key == "ignoreChanges":
                paths = [".".join(snake(part) for part in str(path).split(".")) for path in value]
                node = _Items("[]", [(None, json.dumps(path)) for path in paths])
            else:
                node = repr(value)
            arguments.append((_OPTIONS[key], node))
        return _Call("pulumi.ResourceOptions", arguments)


def _variable(kind: str, name: str, taken: set[str]) -> str:
    """A Python name for the resource `name`, unique in the program."""
    candidate = snake(re.sub(r"\W", "_", name))
    if not candidate.isidentifier() or keyword.iskeyword(candidate) or candidate in taken:
        candidate = f"{snake(kind.split('/')[1])}_{candidate}"
    while candidate in taken:
        candidate += "_"
    return candidate


def python_program(manifest: str) -> str:
    """The Python program that declares what the manifest declares."""
    documents = [document for document in yaml.safe_load_all(manifest) if document]
    taken = {"os", "pulumi", "config", *(str(d["kind"]).split("/")[0] for d in documents)}
    variables: dict[str, str] = {}
    for document in documents:
        key = f"{document['kind']}/{document['name']}"
        variables[key] = _variable(str(document["kind"]), str(document["name"]), taken)
        taken.add(variables[key])
    program = _Program(variables)
    statements = []
    for document in documents:
        kind = str(document["kind"])
        cls = sdk_class(kind)
        module = kind.split("/")[0]
        program.modules.add(module)
        hints = _hints(cls._args_type)
        arguments: list[tuple[str | None, _Node]] = [(None, json.dumps(str(document["name"])))]
        for key, value in (document.get("spec") or {}).items():
            arguments.append((snake(key), program.value(value, hints[snake(key)])))
        if document.get("options"):
            arguments.append(("opts", program.options(document["options"])))
        variable = variables[f"{kind}/{document['name']}"]
        statements.append(f"{variable} = {_format(_Call(f'{module}.{cls.__name__}', arguments), '', variable + ' = ')}")
    imports = ["import os", ""] if program.uses_os else []
    imports += ["import pulumi"] if program.uses_pulumi else []
    imports.append(f"from pulumi_dataplatforms import {', '.join(sorted(program.modules))}")
    preamble = ["", "config = pulumi.Config()"] if program.uses_config else []
    return "\n".join([*imports, *preamble, "", "\n\n".join(statements)]) + "\n"
