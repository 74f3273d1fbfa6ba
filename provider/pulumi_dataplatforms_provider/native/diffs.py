"""A handler's `DiffResult` as the engine's detailed diff: one entry per changed input property.

The handler says whether anything changed and which properties replace; the detailed diff names
each input property (of the resource's input model) whose recorded value differs from the new
one, as an add, delete or update, and as a replacement where the handler says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pydantic
from pulumi.provider.experimental.provider import DiffResponse, PropertyDiff, PropertyDiffKind

from ..checking import changed_inputs
from ..protocol import DiffResult

_KINDS = {
    # (how, replaces) -> kind
    ("add", False): PropertyDiffKind.ADD,
    ("add", True): PropertyDiffKind.ADD_REPLACE,
    ("delete", False): PropertyDiffKind.DELETE,
    ("delete", True): PropertyDiffKind.DELETE_REPLACE,
    ("update", False): PropertyDiffKind.UPDATE,
    ("update", True): PropertyDiffKind.UPDATE_REPLACE,
}


def _top(path: str) -> str:
    """The top-level property of a dotted or indexed path (`sku.type` -> `sku`)."""
    return path.split(".", 1)[0].split("[", 1)[0]


def kind_of(old: Any, new: Any, replaces: bool) -> PropertyDiffKind:
    """How one property changed, given its old and new value."""
    how = "add" if old is None else "delete" if new is None else "update"
    return _KINDS[(how, replaces)]


def detailed(
    result: DiffResult, olds: Mapping[str, Any], news: Mapping[str, Any], inputs: type[pydantic.BaseModel]
) -> DiffResponse:
    """The engine's answer to Diff from the handler's `result` over the recorded state and the new inputs."""
    if result.changes is False:
        return DiffResponse(changes=False, stables=list(result.stables or []))
    replaces = list(result.replaces or [])
    replaced_tops = {_top(path) for path in replaces}
    changed = changed_inputs(olds, news, inputs)
    details: dict[str, PropertyDiff] = {}
    for key in changed:
        old, new = olds.get(key), news.get(key)
        details[key] = PropertyDiff(kind_of(old, new, key in replaced_tops), input_diff=True)
    for path in replaces:
        if _top(path) not in details:
            details[path] = PropertyDiff(PropertyDiffKind.UPDATE_REPLACE, input_diff=True)
    changes = result.changes if result.changes is not None else (bool(details) or None)
    return DiffResponse(
        changes=changes,
        replaces=replaces,
        stables=list(result.stables or []),
        delete_before_replace=bool(result.delete_before_replace),
        diffs=sorted({_top(key) for key in details}),
        detailed_diff=details,
    )
