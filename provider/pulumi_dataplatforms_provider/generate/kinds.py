"""What the generators share: manifest kinds, type names, value sources and the shape of property specs."""

from __future__ import annotations

import re
from typing import Any

ANY = "pulumi.json#/Any"
TYPE_PREFIX = "#/types/"
#: The keys of the one-key mappings that stand for a value in a manifest.
SOURCE_KEYS = ("secret", "env", "config", "ref")


def kind_of(token: str) -> str:
    """`dataplatforms:eloq:Cluster` -> `eloq/Cluster`."""
    _, module, name = token.split(":")
    return f"{module}/{name}"


def type_name(token: str) -> str:
    """`dataplatforms:eloq:SkuSelector` -> `SkuSelector`."""
    return token.rsplit(":", 1)[-1]


def takes_string(prop: dict[str, Any]) -> bool:
    """Whether a string fits the property: `{secret|env|config: ...}` sources give strings."""
    if prop.get("$ref") == ANY:
        return True
    if "oneOf" in prop:
        return any(takes_string(variant) for variant in prop["oneOf"])
    return prop.get("type") == "string"


def referenced_type(prop: dict[str, Any]) -> str | None:
    """The token of the named type a property spec `$ref`s, or None."""
    ref = str(prop.get("$ref", ""))
    return ref.removeprefix(TYPE_PREFIX) if ref.startswith(TYPE_PREFIX) else None


def first_sentence(text: str) -> str:
    """The first sentence of a description (an abbreviation such as `e.g.` does not end one)."""
    match = re.match(r"(.+?(?<!\be\.g)(?<!\bi\.e)\.)(?:\s|$)", text, re.S)
    return " ".join((match[1] if match else text).split())
