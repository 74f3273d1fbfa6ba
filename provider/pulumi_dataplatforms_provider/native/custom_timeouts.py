"""Pulumi's `customTimeouts` (the request's `timeout`, in seconds) handed to a handler as its `timeouts` input.

Handlers bound their operations by a `timeouts` input (`timeouts.OperationTimeouts`), since
dynamic providers never see `customTimeouts`. A native provider does: for the one call, the
adapter sets `timeouts.<operation>` to `"<n>s"` in the inputs it passes, when the resource's
input model has a `timeouts` field whose model names that operation. The recorded state keeps
the program's own `timeouts` (see `restore`), so a customTimeout never shows up as a change.
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Mapping
from typing import Any

import pydantic

from ..timeouts import OperationTimeouts

TIMEOUTS_KEY = "timeouts"


def timeouts_model(inputs: type[pydantic.BaseModel]) -> type[OperationTimeouts] | None:
    """The `OperationTimeouts` model of the `timeouts` input of `inputs`, or None."""
    for name, info in inputs.model_fields.items():
        if (info.alias or name) != TIMEOUTS_KEY:
            continue
        annotation = info.annotation
        union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
        candidates = typing.get_args(annotation) if union else (annotation,)
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, OperationTimeouts):
                return candidate
    return None


def bounds(inputs: type[pydantic.BaseModel], operation: str) -> bool:
    """Whether the resource's `timeouts` input knows `operation` (`create`, `update` or `delete`)."""
    model = timeouts_model(inputs)
    return model is not None and operation in model.model_fields


def duration(seconds: float) -> str:
    """`seconds` as the duration a `timeouts` field takes: `"600s"` (whole seconds, rounded up)."""
    return f"{math.ceil(seconds)}s"


def apply(props: Mapping[str, Any], inputs: type[pydantic.BaseModel], operation: str, seconds: float) -> dict[str, Any]:
    """`props` with `timeouts.<operation>` set from a customTimeout of `seconds` (0: none given, unchanged)."""
    result = dict(props)
    if seconds <= 0 or not bounds(inputs, operation):
        return result
    given = props.get(TIMEOUTS_KEY)
    current = dict(given) if isinstance(given, Mapping) else {}
    result[TIMEOUTS_KEY] = {**current, operation: duration(seconds)}
    return result


def restore(outs: Mapping[str, Any], original: Mapping[str, Any]) -> dict[str, Any]:
    """`outs` with the `timeouts` input as `original` had it (removed if it had none)."""
    result = dict(outs)
    if TIMEOUTS_KEY in original:
        if TIMEOUTS_KEY in result:
            result[TIMEOUTS_KEY] = original[TIMEOUTS_KEY]
    else:
        result.pop(TIMEOUTS_KEY, None)
    return result
