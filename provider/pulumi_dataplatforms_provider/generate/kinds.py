"""What the generators share: manifest kinds, type names, value sources and the shape of property specs."""

from __future__ import annotations

import re
from typing import Any

# The manifests own kinds and value sources; the generators describe them.
from pulumi_dataplatforms.manifests._kinds import ANY as ANY
from pulumi_dataplatforms.manifests._kinds import SOURCE_KEYS as SOURCE_KEYS
from pulumi_dataplatforms.manifests._kinds import kind_of as kind_of
from pulumi_dataplatforms.manifests._kinds import takes_string as takes_string

TYPE_PREFIX = "#/types/"


def type_name(token: str) -> str:
    """`dataplatforms:eloq:SkuSelector` -> `SkuSelector`."""
    return token.rsplit(":", 1)[-1]


def referenced_type(prop: dict[str, Any]) -> str | None:
    """The token of the named type a property spec `$ref`s, or None."""
    ref = str(prop.get("$ref", ""))
    return ref.removeprefix(TYPE_PREFIX) if ref.startswith(TYPE_PREFIX) else None


def first_sentence(text: str) -> str:
    """The first sentence of a description (an abbreviation such as `e.g.` does not end one)."""
    match = re.match(r"(.+?(?<!\be\.g)(?<!\bi\.e)\.)(?:\s|$)", text, re.S)
    return " ".join((match[1] if match else text).split())
