"""Request-body helpers shared by the services: bounded JSON parsing and name validation.

JSON is parsed by pydantic-core's parser, which needs valid UTF-8, refuses ``NaN``/``Infinity``
(no JSON response could carry them back) and stops at :data:`MAX_JSON_DEPTH` levels of
nesting, so a deeply nested body is a ``ValueError`` instead of a ``RecursionError``.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

import pydantic_core
from pydantic import AfterValidator

#: The nesting depth pydantic-core's JSON parser accepts (arrays and objects count alike).
MAX_JSON_DEPTH = 200
#: Largest request body by default (413 beyond it); JSON bodies never exceed it.
MAX_BODY_SIZE = 10 * 1024 * 1024
#: Largest body of a file-upload route (Spark workbooks and cover images, Aerostack storage).
#: The platforms' own limits are not documented; this one is the emulator's.
MAX_UPLOAD_SIZE = 100 * 1024 * 1024

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: A number whose exponent has three digits or more: it may overflow to infinity.
_HUGE_EXPONENT = re.compile(rb"[0-9][eE][+]?0*[0-9]{3}")


def parse_json(raw: bytes | str) -> Any:
    """The JSON value of ``raw``; ValueError for bad UTF-8, bad syntax, NaN/Infinity or deep nesting."""
    try:
        value = pydantic_core.from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        raise ValueError(f"the request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ValueError("the request body is nested too deeply") from None
    data = raw.encode("utf-8", "replace") if isinstance(raw, str) else raw
    if _HUGE_EXPONENT.search(data) and not _finite(value):
        raise ValueError("the request body holds a number out of range")
    return value


def _finite(value: Any) -> bool:
    """Whether no float in ``value`` is infinite."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, float) and math.isinf(item):
            return False
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


def has_control_chars(text: str) -> bool:
    """Whether ``text`` holds a C0 control character or DEL."""
    return _CONTROL.search(text) is not None


def _plain_name(text: str) -> str:
    if has_control_chars(text):
        raise ValueError("must not contain control characters")
    if "\ufffd" in text:
        raise ValueError("must be valid UTF-8 (form fields decode invalid bytes to U+FFFD)")
    return text


#: A string naming something (an id, a key, a name): no control characters, no undecodable bytes.
Name = Annotated[str, AfterValidator(_plain_name)]
