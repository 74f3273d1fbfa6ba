"""Input checking shared by every resource: pydantic validation turned into Pulumi CheckFailures.

`check` must make no API call, must name each bad property with its fix, and must let
preview unknowns (values not known until another resource is created) pass unvalidated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic
from pulumi.output import Unknown
from pulumi.runtime import rpc

from .protocol import CheckFailure

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)


def input_keys(model: type[pydantic.BaseModel]) -> tuple[str, ...]:
    """The property names a program gives `model`'s resource (the fields' wire aliases)."""
    return tuple(info.alias or name for name, info in model.model_fields.items())


def user_inputs(props: Mapping[str, Any], model: type[pydantic.BaseModel]) -> dict[str, Any]:
    """The program's inputs among `props` (a resource's state, outputs included): `model`'s set properties."""
    return {k: props[k] for k in input_keys(model) if props.get(k) is not None}


def changed_inputs(olds: Mapping[str, Any], news: Mapping[str, Any], model: type[pydantic.BaseModel]) -> list[str]:
    """`model`'s properties whose new value differs from the old one or is not known yet (a preview)."""
    return [k for k in input_keys(model) if is_unknown(news.get(k)) or olds.get(k) != news.get(k)]


def output_values(model: type[pydantic.BaseModel], **values: Any) -> dict[str, Any]:
    """Outputs under the names `model` (a resource's output model) declares, from values given by field name.

    The values are not validated: a platform answering null where it usually sends a value must
    not fail a create whose work is done.
    """
    unknown = set(values) - set(model.model_fields)
    if unknown:
        raise TypeError(f"{model.__name__} has no output {sorted(unknown)}")
    return {info.alias or name: values[name] for name, info in model.model_fields.items() if name in values}


def field(default: Any, description: str, fix: str, **kwargs: Any) -> Any:
    """A pydantic field with a description (for the schema) and a `fix` hint (for CheckFailures)."""
    return pydantic.Field(default, description=description, json_schema_extra={"fix": fix}, **kwargs)


def is_unknown(value: object) -> bool:
    """True for a preview unknown, in either form the Python SDK produces."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == rpc.UNKNOWN)


def unknown_paths(value: object, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every unknown inside `value`."""
    if is_unknown(value):
        return [path]
    if isinstance(value, Mapping):
        return [p for k, v in value.items() for p in unknown_paths(v, (*path, k))]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in unknown_paths(v, (*path, i))]
    return []


def _replace_unknowns(value: object) -> object:
    if is_unknown(value):
        return None
    if isinstance(value, Mapping):
        return {k: _replace_unknowns(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_replace_unknowns(v) for v in value]
    return value


def property_path(loc: tuple[int | str, ...]) -> str:
    """Pulumi's property-path syntax: `databases[0].name`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _field_fix(model: type[pydantic.BaseModel], loc: tuple[int | str, ...]) -> str | None:
    """The `fix` hint declared on the field at `loc`, walking nested models."""
    return _walk(model, loc)[1]


def _known_properties(model: type[pydantic.BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The property names the model holding the last part of `loc` accepts."""
    holder = _walk(model, loc[:-1])[0] if len(loc) > 1 else model
    fields = getattr(holder, "model_fields", None) or {}
    return [f.alias or n for n, f in fields.items()]


def _walk(model: type[pydantic.BaseModel], loc: tuple[int | str, ...]) -> tuple[Any, str | None]:
    """The model reached by following `loc` through nested models, and the last `fix` hint on the way."""
    current: Any = model
    fix = None
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields:
            break
        field = next((f for n, f in fields.items() if n == part or f.alias == part), None)
        if field is None:
            current = None
            break
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        fix = extra.get("fix", fix)
        annotation = field.annotation
        args = getattr(annotation, "__args__", ()) or ()
        nested = [a for a in (annotation, *args) if isinstance(a, type) and issubclass(a, pydantic.BaseModel)]
        nested += [
            b
            for a in args
            for b in getattr(a, "__args__", ())
            if isinstance(b, type) and issubclass(b, pydantic.BaseModel)
        ]
        current = nested[0] if nested else None
    return current, str(fix) if fix else None


def _reason(error: Any, model: type[pydantic.BaseModel]) -> str:
    message = re.sub(r"^Value error, ", "", str(error["msg"]))
    if error["type"] == "missing":
        message = "is required"
    elif error["type"] == "extra_forbidden":
        known = _known_properties(model, tuple(error["loc"]))
        message = "is not a known property; remove it or check its spelling" + (
            f" (known here: {', '.join(known)})" if known else ""
        )
    elif "input" in error and error["type"] not in ("value_error", "assertion_error"):
        message += f" (got {error['input']!r})"
    fix = _field_fix(model, tuple(error["loc"]))
    return f"{message}. {fix}" if fix and error["type"] != "extra_forbidden" else message


def validate(model: type[ModelT], news: Mapping[str, Any]) -> tuple[ModelT | None, list[CheckFailure]]:
    """Validate `news` against `model`; unknown values are skipped.

    Returns the model (None when unknowns were present or validation failed) and one
    CheckFailure per bad property.
    """
    user = dict(news)
    unknown = unknown_paths(user)
    try:
        # By published name only: a Python field name (`start_date`) is an unknown property, as the
        # handlers read camelCase and would silently drop it.
        parsed = model.model_validate(_replace_unknowns(user), by_alias=True, by_name=False)
    except pydantic.ValidationError as exc:
        failures = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            if any(loc[: len(p)] == p for p in unknown) or (unknown and not loc):
                continue
            failures.append(CheckFailure(property_path(loc) or "(resource)", _reason(error, model)))
        return None, failures
    return (None if unknown else parsed), []
