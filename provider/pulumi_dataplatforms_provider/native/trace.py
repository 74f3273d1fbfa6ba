"""An optional record of what the engine sent, for tests and investigation (never secret values).

When `PULUMI_DATAPLATFORMS_NATIVE_TRACE` names a file, each request the provider serves appends
one JSON line: the method, the resource type, and the shape of what arrived (property names,
which were secret, the timeout, the preview flag, whether a Read had any state) and when it
arrived (`at`, seconds since the epoch). Values are written only for engine-side fields (ids,
timeouts) and never for properties.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Mapping
from typing import Any

from pulumi.provider.experimental.property_value import PropertyValue

TRACE_ENV = "PULUMI_DATAPLATFORMS_NATIVE_TRACE"
_lock = threading.Lock()


def shape(values: Mapping[str, PropertyValue]) -> dict[str, str]:
    """Property name -> `secret` or `plain` (no values)."""
    return {k: "secret" if v.contains_secret() else "plain" for k, v in sorted(values.items())}


def record(method: str, **fields: Any) -> None:
    """Append one line for `method` to the trace file, if one is configured."""
    path = os.environ.get(TRACE_ENV)
    if not path:
        return
    line = json.dumps({"method": method, "pid": os.getpid(), "at": time.time(), **fields}, sort_keys=True, default=str)
    with _lock, open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")
