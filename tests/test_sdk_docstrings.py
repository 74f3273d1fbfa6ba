"""The SDK's docstrings say what schema.json says (schema.json comes from the provider's models and wins).

Texts are compared paragraph by paragraph with whitespace collapsed, after translating property names
written in backticks from camelCase to snake_case: only names of properties of the resource (or type)
being described, so "Give this or `skuId`." reads "Give this or `sku_id`." while a value such as
`txWithInternalLog` stays as written.

- Args fields: every field has an attribute docstring, equal to its input property's description.
- Nested Args (the dataclasses reachable from Args type hints): each is the schema type its property
  `$ref`s, with the same fields, a class docstring equal to the type's description, and field docstrings
  equal to the property descriptions; a property the schema leaves undescribed still needs a docstring of the SDK's own.
- Outputs: every output-only property is declared and documented on the resource class, and every
  documented attribute (output-only or an input echoed back) equals its property's description.
- Resource class docstring: it begins with the schema description's prose (the part before a Pulumi
  `{{% examples %}}` block, which is docs-site markup), paragraph for paragraph; the SDK may add paragraphs
  of its own after it, so the first sentence is always the schema's.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import json
import re
import textwrap
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pulumi
import pulumi.output
import pytest

from pulumi_dataplatforms._resource import DataPlatformResource, camel, snake
from tests.test_schema import sdk_class

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "schema.json").read_text())
RESOURCES: dict[str, Any] = SCHEMA["resources"]
TYPES: dict[str, Any] = SCHEMA["types"]
TOKENS = sorted(RESOURCES)

# Where a schema description's examples block starts (Pulumi's convention).
EXAMPLES = "{{% examples %}}"

# `pulumi.Input` is `Union[T, Awaitable[T], "Output[T]"]`; its forward reference needs these names to resolve.
_INPUT_NAMESPACE = {"Output": pulumi.Output, "T": pulumi.output.T}


def class_def(cls: type) -> ast.ClassDef:
    """The parsed `class` statement of `cls`."""
    node = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
    assert isinstance(node, ast.ClassDef)
    return node


def class_docstring(cls: type) -> str | None:
    """The docstring written in `cls`'s body (not the signature `dataclass` invents, nor a base's)."""
    return ast.get_docstring(class_def(cls))


def attribute_docstrings(cls: type) -> dict[str, str]:
    """Attribute docstrings in `cls`'s own body: a string literal right after an annotated name."""
    body = class_def(cls).body
    docs: dict[str, str] = {}
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


def output_attributes(cls: type) -> set[str]:
    """Names annotated `pulumi.Output[...]` in the body of `cls` or of a base it shares with no other module."""
    names: set[str] = set()
    for klass in resource_classes(cls):
        for statement in class_def(klass).body:
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and ast.unparse(statement.annotation).startswith("pulumi.Output[")
            ):
                names.add(statement.target.id)
    return names


def resource_classes(cls: type) -> list[type]:
    """`cls` and its SDK bases below `DataPlatformResource`, base first."""
    return [
        klass
        for klass in reversed(cls.__mro__)
        if issubclass(klass, DataPlatformResource) and klass is not DataPlatformResource
    ]


def resource_attribute_docstrings(cls: type) -> dict[str, str]:
    """Attribute docstrings of a resource class, including those its SDK bases declare."""
    docs: dict[str, str] = {}
    for klass in resource_classes(cls):
        docs.update(attribute_docstrings(klass))
    return docs


def prose(description: str) -> str:
    """A schema description without the `{{% examples %}}` block Pulumi's docs generator reads."""
    return description.partition(EXAMPLES)[0].rstrip()


def translate(text: str, names: Iterable[str]) -> str:
    """`text` with each backticked property name among `names` written as the SDK spells it."""
    known = set(names)
    return re.sub(r"`([^`]+)`", lambda m: f"`{snake(m[1])}`" if m[1] in known else m[0], text)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of `text`, each with its whitespace collapsed."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def disagreements(docs: dict[str, str], props: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """(SDK, schema) paragraphs of every documented name whose docstring is not its property's description."""
    found: dict[str, Any] = {}
    for name, doc in docs.items():
        want = paragraphs(translate(props.get(camel(name), {}).get("description", ""), names))
        if paragraphs(doc) != want:
            found[name] = (paragraphs(doc), want)
    return found


def resource_names(token: str) -> set[str]:
    """Every property name of a resource (inputs and outputs)."""
    spec = RESOURCES[token]
    return set(spec["properties"]) | set(spec["inputProperties"])


def dataclasses_in(hint: Any) -> set[type]:
    """The dataclasses a type hint names, through `pulumi.Input`, `Optional`, unions, `Sequence`/`list` and the like."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return {hint}
    found: set[type] = set()
    for arg in typing.get_args(hint):
        found |= dataclasses_in(arg)
    return found


def object_type(prop: dict[str, Any]) -> str | None:
    """The token of the object type a property `$ref`s, directly or as its array items."""
    ref = prop.get("$ref") or prop.get("items", {}).get("$ref") or ""
    token = ref.removeprefix("#/types/")
    return token if ref.startswith("#/types/") and TYPES[token].get("type") == "object" else None


def nested_args(cls: type, props: dict[str, Any], where: str) -> list[tuple[type, str]]:
    """(nested Args dataclass, schema type token) for every dataclass reachable from `cls`'s fields."""
    hints = typing.get_type_hints(cls, localns=_INPUT_NAMESPACE, include_extras=True)
    pairs: list[tuple[type, str]] = []
    for field in dataclasses.fields(cls):
        prop = props[camel(field.name)]
        classes = dataclasses_in(hints[field.name])
        token = object_type(prop)
        if token is None:
            assert not classes, f"{where}.{field.name} takes {classes}, but the schema has no object type there"
            continue
        assert len(classes) == 1, f"{where}.{field.name} must take exactly one Args class for {token}: {classes}"
        (nested,) = classes
        pairs.append((nested, token))
        pairs += nested_args(nested, TYPES[token]["properties"], nested.__name__)
    return pairs


def all_nested_args() -> dict[type, set[str]]:
    """Every nested Args dataclass of the SDK and the schema types it stands for."""
    found: dict[type, set[str]] = {}
    for token in TOKENS:
        cls = sdk_class(token)
        for nested, type_token in nested_args(cls._args_type, RESOURCES[token]["inputProperties"], token):
            found.setdefault(nested, set()).add(type_token)
    return found


@pytest.mark.parametrize("token", TOKENS)
def test_args_field_docstrings_are_the_schema_descriptions(token: str) -> None:
    """Every Args field is documented, with its input property's description."""
    args = sdk_class(token)._args_type
    inputs = RESOURCES[token]["inputProperties"]
    docs = attribute_docstrings(args)
    names = resource_names(token)
    undocumented = [f.name for f in dataclasses.fields(args) if f.name not in docs]
    assert not undocumented, f"{args.__name__} fields without a docstring"
    assert disagreements(docs, inputs, names) == {}, f"{args.__name__}: (SDK, schema) of fields that disagree"


def test_every_nested_args_class_stands_for_one_schema_object_type() -> None:
    """A nested Args class is used for a single schema type, and every object type an input uses has one."""
    found = all_nested_args()
    assert {cls.__name__: tokens for cls, tokens in found.items() if len(tokens) > 1} == {}
    used = {token for tokens in found.values() for token in tokens}
    assert used == {t for t, spec in TYPES.items() if spec.get("type") == "object"}


@pytest.mark.parametrize("token", TOKENS)
def test_nested_args_match_their_schema_types(token: str) -> None:
    """Nested Args: the schema type's fields, its description as class docstring, its property descriptions."""
    problems: list[str] = []
    for nested, type_token in nested_args(sdk_class(token)._args_type, RESOURCES[token]["inputProperties"], token):
        spec = TYPES[type_token]
        props: dict[str, Any] = spec["properties"]
        where = f"{nested.__name__} ({type_token})"
        fields = {camel(f.name) for f in dataclasses.fields(nested)}
        if fields != set(props):
            problems.append(f"{where}: fields {sorted(fields)} != schema properties {sorted(props)}")
        if paragraphs(class_docstring(nested) or "") != paragraphs(translate(spec["description"], props)):
            problems.append(f"{where}: class docstring {class_docstring(nested)!r} != {spec['description']!r}")
        docs = attribute_docstrings(nested)
        for field in dataclasses.fields(nested):
            doc = docs.get(field.name)
            description = props.get(camel(field.name), {}).get("description")
            if not doc:
                problems.append(f"{where}.{field.name}: no docstring (schema: {description!r})")
            elif description is not None and paragraphs(doc) != paragraphs(translate(description, props)):
                problems.append(f"{where}.{field.name}: {doc!r} != {description!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("token", TOKENS)
def test_outputs_are_documented_with_the_schema_descriptions(token: str) -> None:
    """Every output-only property is declared and documented; every documented attribute says what the schema says."""
    spec = RESOURCES[token]
    cls = sdk_class(token)
    names = resource_names(token)
    declared = output_attributes(cls)
    assert {camel(n) for n in declared} <= set(spec["properties"]), "outputs the schema does not have"
    docs = resource_attribute_docstrings(cls)
    output_only = {snake(k) for k in spec["properties"]} - {snake(k) for k in spec["inputProperties"]}
    assert sorted(output_only - declared) == [], f"{cls.__name__}: output-only properties not declared"
    assert sorted(output_only - set(docs)) == [], f"{cls.__name__}: output-only properties without a docstring"
    wrong = disagreements(docs, spec["properties"], names)
    assert wrong == {}, f"{cls.__name__}: (SDK, schema) of attributes that disagree"


@pytest.mark.parametrize("token", TOKENS)
def test_resource_class_docstring_begins_with_the_schema_description(token: str) -> None:
    """The class docstring opens with the schema description, paragraph for paragraph (SDK notes may follow)."""
    cls = sdk_class(token)
    sdk = paragraphs(class_docstring(cls) or "")
    schema = paragraphs(translate(prose(RESOURCES[token]["description"]), resource_names(token)))
    assert sdk[: len(schema)] == schema, f"{cls.__name__}: {sdk} does not begin with {schema}"


def test_translation_touches_only_property_names() -> None:
    """Backticked property names become snake_case; other backticked text (values, wire names) stays."""
    names = {"skuId", "deployMode"}
    assert translate("Give this or `skuId`.", names) == "Give this or `sku_id`."
    assert translate("e.g. `txWithInternalLog`, `us-west-1`", names) == "e.g. `txWithInternalLog`, `us-west-1`"
    assert paragraphs("One\n  two.\n\n Three. ") == ["One two.", "Three."]
    assert prose("A thing.\n\n{{% examples %}}\n## Example Usage\n{{% /examples %}}") == "A thing."
