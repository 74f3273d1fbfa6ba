"""The native provider's adapter without the engine: values, customTimeouts, diffs, config, concurrency."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pydantic
import pytest
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckRequest,
    CreateRequest,
    DiffRequest,
    GetSchemaRequest,
    PropertyDiffKind,
    ReadRequest,
)
from pulumi.runtime.proto import provider_pb2

from pulumi_dataplatforms_provider.dynamic import DynamicProvider
from pulumi_dataplatforms_provider.eloq.cluster import SPEC as CLUSTER
from pulumi_dataplatforms_provider.eloq.cluster import ClusterInputs
from pulumi_dataplatforms_provider.handler import Engine, Handler
from pulumi_dataplatforms_provider.native import config, custom_timeouts, diffs
from pulumi_dataplatforms_provider.native.provider import DataPlatformsProvider, logical_name, resource_type
from pulumi_dataplatforms_provider.native.values import UNKNOWN, plain_map, secret_keys, to_properties
from pulumi_dataplatforms_provider.protocol import CreateResult, DiffResult
from pulumi_dataplatforms_provider.spec import ResourceSpec

URN = "urn:pulumi:dev::proj::pulumi:pulumi:Stack$dataplatforms:test:Slow::slow"


def test_values_keep_secrets_unknowns_and_nesting() -> None:
    wire = {
        "name": PropertyValue("a"),
        "count": PropertyValue(3.0),
        "password": PropertyValue("p").with_secret(True),
        "nested": PropertyValue({"inner": PropertyValue([PropertyValue("x").with_secret(True)])}),
        "later": PropertyValue(UNKNOWN),
    }
    plain = plain_map(wire)
    assert plain == {"name": "a", "count": 3.0, "password": "p", "nested": {"inner": ["x"]}, "later": UNKNOWN}
    assert secret_keys(wire) == {"password", "nested"}
    back = to_properties({**plain, "port": 6379}, {"password", "missing"})
    assert back["password"].is_secret and not back["name"].is_secret
    assert back["port"] == PropertyValue(6379.0)
    assert back["later"] == PropertyValue(UNKNOWN)


def test_urns_name_the_type_and_the_logical_name() -> None:
    assert resource_type(URN) == "dataplatforms:test:Slow"
    assert logical_name(URN) == "slow"


def test_custom_timeouts_set_only_the_operations_a_resource_bounds() -> None:
    given = {"region": "us-west-1", "timeouts": {"delete": "5m"}}
    assert custom_timeouts.apply(given, ClusterInputs, "create", 89.5) == {
        "region": "us-west-1",
        "timeouts": {"delete": "5m", "create": "90s"},
    }
    assert custom_timeouts.apply(given, ClusterInputs, "update", 60) == given  # ClusterTimeouts has no update
    assert custom_timeouts.apply(given, ClusterInputs, "create", 0) == given  # 0: no customTimeout given
    assert custom_timeouts.restore({"timeouts": {"create": "90s"}, "host": "h"}, {}) == {"host": "h"}
    assert custom_timeouts.restore({"timeouts": {"create": "90s"}}, given) == {"timeouts": {"delete": "5m"}}


def test_diffs_detail_each_changed_input_and_its_replacement() -> None:
    olds = {"name": "a", "region": "us-west-1", "skuId": 1, "adoptExisting": True, "host": "h"}
    news = {"name": "a", "region": "eu-west-1", "skuId": 1, "zone": "eu-west-1a"}
    result = DiffResult(changes=True, replaces=["region", "zone"], delete_before_replace=True)
    response = diffs.detailed(result, olds, news, ClusterInputs)
    kinds = {k: v.kind for k, v in response.detailed_diff.items()}
    assert kinds == {
        "region": PropertyDiffKind.UPDATE_REPLACE,
        "zone": PropertyDiffKind.ADD_REPLACE,
        "adoptExisting": PropertyDiffKind.DELETE,
    }
    assert response.changes and response.delete_before_replace
    assert diffs.detailed(DiffResult(changes=False), olds, olds, ClusterInputs).detailed_diff == {}


def test_provider_properties_are_the_settings_in_camel_case() -> None:
    names = {s.provider_property for s in config.all_settings()}
    assert {"eloqApiKey", "eloqBaseUrl", "ardentSecretKey", "sparkClientId", "aerostackServerUrl"} <= names
    assert config.settings_values({"eloqApiKey": "k", "eloqBaseUrl": ""}) == {"eloq:apiKey": "k"}
    assert config.unknown_properties({"eloqApiKey": "k", "version": "1", "eloq:apiKey": "k"}) == ["eloq:apiKey"]


def test_diff_config_sends_a_changed_setting_as_diff_some_and_an_unchanged_one_as_diff_none() -> None:
    """The SDK's DiffConfig passes `changes` to the wire unconverted, so the provider gives the enum's value."""
    urn = "urn:pulumi:dev::proj::pulumi:providers:dataplatforms::org"
    old = {"eloqApiKey": PropertyValue("key-1").with_secret(True)}

    def diff(new_key: str) -> Any:
        new = {"eloqApiKey": PropertyValue(new_key).with_secret(True)}
        return asyncio.run(DataPlatformsProvider().diff_config(DiffRequest(urn, "", old, new, [])))

    changed, same = diff("key-2"), diff("key-1")
    assert (changed.changes, changed.diffs) == (provider_pb2.DiffResponse.DIFF_SOME, ["eloqApiKey"])
    assert (same.changes, same.diffs) == (provider_pb2.DiffResponse.DIFF_NONE, [])


class SlowInputs(pydantic.BaseModel):
    """A test resource's inputs."""

    value: str = ""


CONCURRENT = 12
arrived = threading.Barrier(CONCURRENT, timeout=10)
checked = threading.Event()


class SlowHandler(Handler[None]):
    """Blocks in create, as a handler waiting on a platform does: until all creates run and a check answered."""

    def create(self, inputs: dict[str, Any], engine: Engine) -> CreateResult:
        arrived.wait()  # BrokenBarrierError unless CONCURRENT creates run at once
        if not checked.wait(timeout=10):
            raise TimeoutError("no check was answered while the creates ran")
        return CreateResult(engine.logical_name, dict(inputs))


class SlowProvider(DynamicProvider[SlowHandler]):
    handler_class = SlowHandler


SLOW = ResourceSpec("dataplatforms:test:Slow", "", SlowInputs, SlowInputs, SlowProvider, "")


def test_blocking_creates_run_at_once_and_a_check_is_answered_meanwhile() -> None:
    """Twelve creates waiting on the platform all run at once, and a check does not wait behind them."""
    provider = DataPlatformsProvider([SLOW])

    async def creates_and_a_check() -> list[Any]:
        names = [f"slow{i:02d}" for i in range(CONCURRENT)]
        creates = [
            asyncio.ensure_future(provider.create(CreateRequest(URN.replace("::slow", f"::{n}"), {}, 0, False)))
            for n in names
        ]
        await asyncio.sleep(0.2)
        await provider.check(CheckRequest(URN, {}, {}, b""))
        checked.set()
        return list(await asyncio.gather(*creates))

    responses = asyncio.run(creates_and_a_check())
    assert sorted(r.resource_id for r in responses) == [f"slow{i:02d}" for i in range(CONCURRENT)]


def test_get_schema_serves_the_package_schema() -> None:
    schema = asyncio.run(DataPlatformsProvider().get_schema(GetSchemaRequest(0))).schema or ""
    assert json.loads(schema)["name"] == "dataplatforms"


def test_a_resource_not_readable_by_id_cannot_be_imported() -> None:
    provider = DataPlatformsProvider([SLOW, CLUSTER])
    with pytest.raises(ValueError, match="cannot be read from its id alone"):
        asyncio.run(provider.read(ReadRequest(URN, "some-id", {}, {})))
