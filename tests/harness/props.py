"""Property-map helpers that mirror the engine's handling of secrets, unknowns and ignoreChanges.

Values are plain JSON-like Python data. A secret is the RPC wrapper
`{SIG_KEY: SECRET_SIG, "value": ...}` (what `pulumi.runtime.rpc` produces); an unknown is the
string `rpc.UNKNOWN`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.runtime import rpc

SIG_KEY = rpc._special_sig_key
SECRET_SIG = rpc._special_secret_sig
UNKNOWN = rpc.UNKNOWN

PropertyMap = dict[str, Any]


def is_secret(value: Any) -> bool:
    """True for an RPC secret wrapper."""
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG and "value" in value


def make_secret(value: Any) -> dict[str, Any]:
    """Wrap `value` as a secret (idempotent)."""
    return value if is_secret(value) else {SIG_KEY: SECRET_SIG, "value": value}


def strip_secrets(value: Any) -> Any:
    """Deep copy of `value` with every secret wrapper replaced by its plaintext."""
    if is_secret(value):
        return strip_secrets(value["value"])
    if isinstance(value, dict):
        return {k: strip_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strip_secrets(v) for v in value]
    return value


def contains_secrets(value: Any) -> bool:
    """True if `value` is or holds a secret anywhere."""
    if is_secret(value):
        return True
    if isinstance(value, dict):
        return any(contains_secrets(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_secrets(v) for v in value)
    return False


def annotate_secrets(outs: PropertyMap | None, ins: Mapping[str, Any] | None) -> PropertyMap:
    """The engine's `annotateSecrets`: an output is secret when the same-named input held a secret.

    Objects present on both sides are recursed into; anything else becomes wholly secret.
    """
    result: PropertyMap = dict(outs or {})
    for key, in_value in (ins or {}).items():
        if key not in result:
            continue
        out_value = result[key]
        in_plain = in_value["value"] if is_secret(in_value) else in_value
        if (
            isinstance(out_value, dict)
            and not is_secret(out_value)
            and isinstance(in_plain, dict)
            and not is_secret(in_value)
        ):
            result[key] = annotate_secrets(out_value, in_plain)
        elif not is_secret(out_value) and contains_secrets(in_value):
            result[key] = make_secret(out_value)
    return result


def mark_secret_outputs(outs: PropertyMap, names: Iterable[str]) -> PropertyMap:
    """Apply `additionalSecretOutputs` (the engine never makes `id` secret)."""
    result = dict(outs)
    for name in names:
        if name != "id" and name in result:
            result[name] = make_secret(result[name])
    return result


def normalize(value: Any) -> Any:
    """Turn values from `rpc.deserialize_properties` into plain JSON data (Unknown -> UNKNOWN)."""
    from pulumi.output import Unknown

    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def changed_keys(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """Top-level keys whose values differ (secret-ness ignored), as the engine's input diff reports."""
    keys = set(olds) | set(news)
    return sorted(k for k in keys if strip_secrets(olds.get(k)) != strip_secrets(news.get(k)))


_PATH_TOKEN = re.compile(r'\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\.?([^.\[\]]+)')


def parse_path(path: str) -> list[str | int]:
    """Parse a Pulumi property path (`a.b[0]["c.d"]`) into keys and indices."""
    parts: list[str | int] = []
    pos = 0
    while pos < len(path):
        match = _PATH_TOKEN.match(path, pos)
        if match is None:
            raise ValueError(f"invalid property path {path!r}")
        index, quoted, bare = match.groups()
        parts.append(int(index) if index is not None else (quoted if quoted is not None else bare))
        pos = match.end()
    return parts


def _lookup(container: Any, key: str | int) -> tuple[bool, Any]:
    if is_secret(container):
        container = container["value"]
    if isinstance(key, int):
        if isinstance(container, list) and 0 <= key < len(container):
            return True, container[key]
        return False, None
    if isinstance(container, dict) and key in container:
        return True, container[key]
    return False, None


def _reset(old: Any, new: Any, parts: list[str | int]) -> bool:
    """Copy the value at `parts` from `old` into `new` in place; False if a parent is missing."""
    key, rest = parts[0], parts[1:]
    target = new["value"] if is_secret(new) else new
    has_old, old_value = _lookup(old, key)
    if rest:
        has_new, new_value = _lookup(target, key)
        if not has_new:
            return not has_old
        if not has_old:
            return False
        return _reset(old_value, new_value, rest)
    if isinstance(key, int):
        if not isinstance(target, list) or not has_old or key >= len(target):
            return not has_old
        target[key] = copy.deepcopy(old_value)
        return True
    if not isinstance(target, dict):
        return False
    if has_old:
        target[key] = copy.deepcopy(old_value)
    else:
        target.pop(key, None)
    return True


def process_ignore_changes(
    news: Mapping[str, Any], olds: Mapping[str, Any], ignore_changes: Iterable[str]
) -> PropertyMap:
    """The engine's `processIgnoreChanges`: ignored paths keep their old values."""
    result = copy.deepcopy(dict(news))
    invalid = [path for path in ignore_changes if not _reset(dict(olds), result, parse_path(path))]
    if invalid:
        raise ValueError(
            "cannot ignore changes to the following properties because one or more elements of "
            f"the path are missing: {', '.join(repr(p) for p in invalid)}"
        )
    return result
