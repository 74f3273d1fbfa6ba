"""PropertyValue (the experimental provider SDK's wire values) to plain Python and back.

Handlers see plain values, as the dynamic-provider host gives them: numbers are floats, an
unknown (a preview's not-yet-known value) is the SDK's `rpc.UNKNOWN` string, and secrets are
unwrapped. The secretness is not lost: `secret_keys` names the top-level properties that held a
secret, and `to_properties` marks them (and the resource's declared secret properties) again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import pulumi
from pulumi.output import Unknown
from pulumi.provider.experimental.property_value import Computed, PropertyValue, ResourceReference
from pulumi.runtime import rpc

UNKNOWN = rpc.UNKNOWN


def to_plain(value: PropertyValue) -> Any:
    """`value` as plain Python: None, bool, float, str, list, dict, an asset/archive, or `UNKNOWN`."""
    inner = value.value
    if isinstance(inner, Computed):
        return UNKNOWN
    if isinstance(inner, ResourceReference):
        return to_plain(inner.resource_id) if inner.resource_id is not None else inner.urn
    if isinstance(inner, Mapping):
        return {k: to_plain(v) for k, v in inner.items()}
    if isinstance(inner, Sequence) and not isinstance(inner, str):
        return [to_plain(v) for v in inner]
    return inner


def plain_map(values: Mapping[str, PropertyValue]) -> dict[str, Any]:
    """A property map as a plain dict."""
    return {k: to_plain(v) for k, v in values.items()}


def secret_keys(values: Mapping[str, PropertyValue]) -> frozenset[str]:
    """The top-level properties of `values` that are or contain a secret."""
    return frozenset(k for k, v in values.items() if v.contains_secret())


def from_plain(value: Any, secret: bool = False) -> PropertyValue:
    """Plain Python (as handlers answer) as a PropertyValue; `secret` marks the whole value."""
    if isinstance(value, PropertyValue):
        return value.with_secret(True) if secret else value
    if isinstance(value, Unknown):
        converted = PropertyValue(UNKNOWN)
    elif value is None or isinstance(value, bool | str | pulumi.Asset | pulumi.Archive):
        converted = PropertyValue(value)
    elif isinstance(value, int | float):
        converted = PropertyValue(float(value))
    elif isinstance(value, Mapping):
        converted = PropertyValue({str(k): from_plain(v) for k, v in value.items()})
    elif isinstance(value, Sequence | set | frozenset):
        converted = PropertyValue([from_plain(v) for v in value])
    else:
        raise TypeError(f"cannot send a {type(value).__name__} to the engine: {value!r}")
    return converted.with_secret(True) if secret else converted


def to_properties(values: Mapping[str, Any], secrets: Collection[str] = ()) -> dict[str, PropertyValue]:
    """A plain dict as a property map; the top-level properties named in `secrets` become secrets."""
    return {k: from_plain(v, secret=k in secrets and v is not None) for k, v in values.items()}
