"""The CacheEntry resource: a JSON value under a cache key, with an optional ttl.

Aerostack's cache has `set` and `get` only. Read uses `get`: an expired or vanished entry
drops from state on refresh, a changed value shows as drift and is set again on the next
update. There is no delete endpoint, so delete overwrites the entry with `null` and the
shortest ttl the API allows (`MIN_TTL_SECONDS`), after which it expires.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pulumi
import pydantic

from ..checking import changed_inputs, field, is_unknown, output_values, user_inputs, validate
from ..dynamic import DynamicProvider
from ..handler import Engine
from ..protocol import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult
from ..spec import ResourceSpec
from .provider_base import AerostackHandler

#: The shortest ttl assumed accepted: the real minimum is **unknown** (the client shows none); 1 s is
#: the smallest positive integer, and what the emulator accepts.
MIN_TTL_SECONDS = 1
REPLACE_KEYS = ("key",)


class CacheEntryInputs(pydantic.BaseModel):
    """The inputs of a cache entry."""

    model_config = pydantic.ConfigDict(extra="forbid")

    key: str = field(..., "Cache key. Changing it replaces the entry.", "Give a non-empty key.", min_length=1)
    value: Any = field(
        None,
        "The value: any JSON value (object, array, string, number, bool). Give this or `valueJson`.",
        "Give a JSON-serialisable value (no NaN/Infinity, no assets or resources).",
    )
    value_json: str | None = field(
        None,
        "The value as JSON text, parsed before it is stored. Give this or `value`.",
        'Give valid JSON text, e.g. \'{"theme": "dark"}\'.',
        alias="valueJson",
    )
    ttl: int | None = field(
        None,
        f"Time to live in seconds (at least {MIN_TTL_SECONDS}); none means the entry does not expire.",
        f"Give a whole number of seconds >= {MIN_TTL_SECONDS}, or leave it unset.",
        ge=MIN_TTL_SECONDS,
    )

    @pydantic.field_validator("value")
    @classmethod
    def _json(cls, value: Any) -> Any:
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"is not a JSON value ({exc})") from None
        return value

    @pydantic.field_validator("value_json")
    @classmethod
    def _parses(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                json.loads(value)
            except ValueError as exc:
                raise ValueError(f"is not valid JSON ({exc})") from None
        return value

    def wire_value(self) -> Any:
        return json.loads(self.value_json) if self.value_json is not None else whole_numbers(self.value)


def whole_numbers(value: Any) -> Any:
    """`value` with every integral float made an int: the engine carries all numbers as doubles,
    so the 500 a program wrote arrives as 500.0 and would reach the platform as such."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [whole_numbers(v) for v in value]
    return value


class CacheEntryOutputs(pydantic.BaseModel):
    """What a cache entry reports."""

    expires_at: str | None = pydantic.Field(None, alias="expiresAt", description="When the ttl ends (ISO 8601).")


class CacheEntryHandler(AerostackHandler):
    """The handler of `aerostack.CacheEntry`."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> CheckResult:
        _, failures = validate(CacheEntryInputs, news)
        has_value, has_json = news.get("value") is not None, news.get("valueJson") is not None
        if has_value == has_json and not any(is_unknown(news.get(k)) for k in ("value", "valueJson")):
            failures.append(CheckFailure("value", "give exactly one of value or valueJson"))
        return self.checked(dict(news), failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> DiffResult:
        changed = changed_inputs(olds, news, CacheEntryInputs)
        return DiffResult(changes=bool(changed), replaces=[k for k in changed if k in REPLACE_KEYS])

    def _set(self, props: dict[str, Any]) -> dict[str, Any]:
        inputs = CacheEntryInputs.model_validate(user_inputs(props, CacheEntryInputs))
        self.client().cache_set(inputs.key, inputs.wire_value(), inputs.ttl)
        expires = None
        if inputs.ttl is not None:
            expires = (datetime.now(timezone.utc) + timedelta(seconds=inputs.ttl)).isoformat()
        return {**props, **output_values(CacheEntryOutputs, expires_at=expires)}

    def create(self, props: dict[str, Any], engine: Engine) -> CreateResult:
        return CreateResult(str(props["key"]), self._set(props))

    def read(self, id_: str, props: dict[str, Any], engine: Engine) -> ReadResult:
        """Gone when expired or missing; a changed live value replaces `value` (so the next up sets it back)."""
        live = self.client().cache_get(id_)
        if not live.exists:
            return ReadResult("", {})
        inputs = {"key": id_, **user_inputs(props, CacheEntryInputs)}
        current = json.loads(props["valueJson"]) if props.get("valueJson") is not None else props.get("value")
        if live.value != current:
            inputs.pop("valueJson", None)
            inputs["value"] = live.value
        return ReadResult(id_, {**props, **inputs}, inputs)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> UpdateResult:
        return UpdateResult(self._set(news))

    def delete(self, id_: str, _props: dict[str, Any], engine: Engine) -> None:
        """No delete endpoint: overwrite with null and the shortest ttl, so it expires almost at once."""
        self.client().cache_set(id_, None, MIN_TTL_SECONDS)
        pulumi.log.info(f"aerostack cache entry {id_}: set to null with ttl {MIN_TTL_SECONDS}s (no delete endpoint)")


class CacheEntryProvider(DynamicProvider[CacheEntryHandler]):
    """`aerostack.CacheEntry` as a dynamic provider."""

    handler_class = CacheEntryHandler


SPEC = ResourceSpec(
    token="dataplatforms:aerostack:CacheEntry",
    description=(
        "A JSON value in the Aerostack cache. Refresh detects a changed or expired value. The API has no delete: "
        f"destroy overwrites the entry with null and a ttl of {MIN_TTL_SECONDS}s, the shortest the API allows."
    ),
    inputs=CacheEntryInputs,
    outputs=CacheEntryOutputs,
    provider=CacheEntryProvider,
    readable_by_id=True,
    example=(
        "kind: aerostack/StorageObject\n"
        "name: logo\n"
        "spec:\n"
        "  key: assets/logo.svg\n"
        "  source: assets/logo.svg\n"
        "---\n"
        "kind: aerostack/CacheEntry\n"
        "name: settings\n"
        "spec:\n"
        "  key: 'app:settings'\n"
        "  value:\n"
        "    theme: light\n"
        "    signupsOpen: true\n"
        "    logoUrl: {ref: aerostack/StorageObject/logo.url}\n"
        "  ttl: 86400\n"
    ),
    replace_on_changes=REPLACE_KEYS,
    sdk_args_description="The arguments of a cache entry.",
    sdk_echoed_inputs=("key", "value", "ttl"),
)
