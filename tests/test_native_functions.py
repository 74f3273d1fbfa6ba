"""The package's functions: in the schema, answered by the native plugin's Invoke, agreeing with the SDK's.

These call `DataPlatformsProvider.invoke` directly (no engine), against the emulator;
tests/test_cli_native_functions.py calls the same functions from Pulumi YAML on the real CLI.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path
from typing import Any, Literal

import pytest
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import CheckRequest, InvokeRequest, InvokeResponse

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider import registry
from pulumi_dataplatforms_provider.core import AuthenticationError
from pulumi_dataplatforms_provider.eloq.client import EloqClient
from pulumi_dataplatforms_provider.eloq.skus import GET_SKUS, SkuQuery
from pulumi_dataplatforms_provider.generate.functions import PublicFunction, public_functions
from pulumi_dataplatforms_provider.generate.native_functions import check_agreement
from pulumi_dataplatforms_provider.native import config
from pulumi_dataplatforms_provider.native.provider import DataPlatformsProvider
from pulumi_dataplatforms_provider.native.values import UNKNOWN, plain_map
from scripts.cli_stack import package_config

SCHEMA: dict[str, Any] = json.loads((Path(__file__).resolve().parent.parent / "schema.json").read_text())
PLATFORM_VARIABLES = ("ELOQ_", "ARDENT_", "CSPARK_", "AEROSTACK_")


@pytest.fixture(autouse=True)
def no_platform_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from the provider's configuration alone, as the engine gives them."""
    for name in [n for n in os.environ if n.startswith(PLATFORM_VARIABLES)]:
        monkeypatch.delenv(name)


def provider_for(settings: dict[str, str]) -> DataPlatformsProvider:
    """A provider configured as the engine configures one with these `eloq:` settings."""
    provider = DataPlatformsProvider()
    provider._settings = config.ProviderConfig(settings)
    return provider


def emulator_settings(emulator: EmulatorProcess) -> dict[str, str]:
    """Every platform's settings for the emulator, as a provider configured with them holds them."""
    plain, secret = package_config(emulator.env())
    return config.settings_values({key.removeprefix("dataplatforms:"): v for key, v in {**plain, **secret}.items()})


def invoke(provider: DataPlatformsProvider, token: str, args: dict[str, PropertyValue]) -> InvokeResponse:
    return asyncio.run(provider.invoke(InvokeRequest(token, args)))


def skus_held(emulator: EmulatorProcess, query: SkuQuery) -> list[dict[str, Any]]:
    """What the emulator lists for `query`, through the project's client."""
    env = emulator.env()
    client = EloqClient(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"])
    try:
        skus = client.list_skus(query.type.value, query.module.value, query.cloud.value)
        return [sku.model_dump(mode="json", by_alias=True) for sku in skus]
    finally:
        client.close()


def sku_requests(emulator: EmulatorProcess) -> int:
    routes: dict[str, int] = emulator.admin.request_counts()["routes"]
    return sum(n for route, n in routes.items() if "skus-by-args" in route)


def test_the_schema_lists_every_registered_function() -> None:
    assert sorted(SCHEMA["functions"]) == sorted(f.token for f in registry.functions())
    assert "dataplatforms:eloq:getSkus" in SCHEMA["functions"]


@pytest.mark.parametrize("token", sorted(SCHEMA["functions"]))
def test_the_plugin_answers_each_schema_function_with_its_declared_result(
    token: str, emulator: EmulatorProcess
) -> None:
    """Called with the schema's defaults, each function answers every required result property."""
    function = SCHEMA["functions"][token]
    defaults = {k: PropertyValue(p["default"]) for k, p in function["inputs"]["properties"].items() if "default" in p}
    response = invoke(provider_for(emulator_settings(emulator)), token, defaults)
    assert response.failures == []
    assert set(function["outputs"]["required"]) <= set(response.return_value or {})


@pytest.mark.parametrize(
    "arguments",
    [{}, {"type": "dedicated", "module": "eloqdoc", "cloud": "gcp"}, {"module": "eloqdoc"}, {"cloud": "gcp"}],
)
def test_get_skus_answers_what_the_emulator_holds(arguments: dict[str, str], emulator: EmulatorProcess) -> None:
    response = invoke(
        provider_for(emulator_settings(emulator)),
        "dataplatforms:eloq:getSkus",
        {k: PropertyValue(v) for k, v in arguments.items()},
    )
    expected = skus_held(emulator, SkuQuery.model_validate(arguments))
    assert expected, "the emulator offers SKUs for every combination"
    result = plain_map(response.return_value or {})
    assert result == {"skus": [{k: float(v) if isinstance(v, int) else v for k, v in s.items()} for s in expected]}
    assert not any(value.is_secret for value in (response.return_value or {}).values())


@pytest.mark.parametrize(
    ("arguments", "failure"),
    [
        ({"type": "large"}, ("type", "'serverless' or 'dedicated'", "Use 'serverless' or 'dedicated'.")),
        ({"module": "redis"}, ("module", "'eloqkv' or 'eloqdoc'", "Use 'eloqkv' or 'eloqdoc'.")),
        ({"clouds": "aws"}, ("clouds", "is not a known property", "known here: type, module, cloud")),
        ({"cloud": 3.0}, ("cloud", "'aws' or 'gcp'", "Use 'aws' or 'gcp'.")),
        ({"cloud": UNKNOWN}, ("cloud", "is not known yet", "")),
    ],
)
def test_bad_arguments_fail_naming_the_argument_and_its_fix_before_any_request(
    arguments: dict[str, Any], failure: tuple[str, str, str], emulator: EmulatorProcess
) -> None:
    emulator.admin.reset_counts()
    response = invoke(
        provider_for(emulator_settings(emulator)),
        "dataplatforms:eloq:getSkus",
        {k: PropertyValue(v) for k, v in arguments.items()},
    )
    prop, problem, fix = failure
    assert response.return_value is None
    assert [f.property for f in response.failures] == [prop]
    assert problem in response.failures[0].reason and fix in response.failures[0].reason
    assert sku_requests(emulator) == 0


def test_a_secret_argument_makes_the_result_secret(emulator: EmulatorProcess) -> None:
    response = invoke(
        provider_for(emulator_settings(emulator)),
        "dataplatforms:eloq:getSkus",
        {"type": PropertyValue("dedicated").with_secret(True)},
    )
    result = response.return_value or {}
    assert result["skus"].is_secret
    assert plain_map(result)["skus"], "the secret result still holds the SKUs"


def test_the_provider_own_api_key_is_used_and_a_refused_one_fails_in_the_project_error_format(
    emulator: EmulatorProcess,
) -> None:
    """Two providers, two keys: the one Eloq refuses fails with the API error; the other answers."""
    settings = emulator_settings(emulator)
    refused = provider_for({**settings, "eloq:apiKey": "not-a-key"})
    with pytest.raises(config.PluginError) as raised:
        invoke(refused, "dataplatforms:eloq:getSkus", {})
    # The project's error, its settings named as the plugin takes them (not the dynamic path's `eloq:apiKey`).
    assert isinstance(raised.value.__context__, AuthenticationError)
    assert re.search(
        r"Eloq API error 401 .*on GET .*skus-by-args.*Check dataplatforms:eloqApiKey \(ELOQ_API_KEY\)",
        str(raised.value),
    ), raised.value
    assert "eloq:apiKey" not in str(raised.value)
    assert plain_map(invoke(provider_for(settings), "dataplatforms:eloq:getSkus", {}).return_value or {})["skus"]


def test_a_provider_without_an_api_key_fails_naming_the_provider_setting(emulator: EmulatorProcess) -> None:
    emulator.admin.reset_counts()
    provider = provider_for({"eloq:baseUrl": emulator.env()["ELOQ_BASE_URL"]})
    with pytest.raises(ValueError, match=r"dataplatforms:eloq:getSkus: eloqApiKey is not set") as raised:
        invoke(provider, "dataplatforms:eloq:getSkus", {})
    assert "pulumi config set --secret dataplatforms:eloqApiKey" in str(raised.value)
    assert "ELOQ_API_KEY" in str(raised.value)
    assert sku_requests(emulator) == 0


def test_an_unknown_function_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="dataplatforms:eloq:getSkus"):
        invoke(DataPlatformsProvider(), "dataplatforms:eloq:getPlans", {})


def sdk_function(name: str) -> PublicFunction:
    return next(f for f in public_functions() if f.qualified == name)


def test_the_sdk_function_agrees_with_the_function_inputs() -> None:
    """`eloq.get_skus` has the inputs' parameters, defaults, values and descriptions; a drift stops the generator."""
    check_agreement(GET_SKUS, sdk_function("eloq.get_skus"))

    def get_skus(
        type: Literal["serverless", "dedicated"] = "serverless",
        module: Literal["eloqkv", "eloqdoc"] = "eloqkv",
        cloud: Literal["aws", "gcp"] = "aws",
    ) -> list[Any]:
        """Drifted.

        Args:
            type: Serverless or dedicated capacity.
            module: The engine: EloqKV (Redis-compatible) or EloqDoc (MongoDB-compatible).
            cloud: The cloud the SKUs run in.
        """
        return []

    with pytest.raises(ValueError, match=r"Args says cloud is 'The cloud the SKUs run in\.'"):
        check_agreement(GET_SKUS, PublicFunction("eloq", "get_skus", get_skus))


def test_a_resource_check_without_a_key_names_the_provider_setting_not_the_dynamic_config_key() -> None:
    """Check reports the missing key as the plugin's default provider reads it, before any request."""
    provider = DataPlatformsProvider()
    urn = "urn:pulumi:dev::proj::dataplatforms:eloq:Cluster::cache"
    news = {"name": PropertyValue("cache-1"), "region": PropertyValue("us-west-1"), "skuId": PropertyValue(101.0)}
    checked = asyncio.run(provider.check(CheckRequest(urn, {}, news, b"")))
    (failure,) = checked.failures
    assert failure.property == "eloqApiKey"
    assert "pulumi config set --secret dataplatforms:eloqApiKey <value>" in failure.reason, failure.reason
    assert "ELOQ_API_KEY" in failure.reason and "eloq:apiKey" not in failure.reason


def test_setting_names_are_rewritten_whole_and_other_tokens_are_left_alone() -> None:
    text = "Check ardent:publicKey + ardent:secretKey or ardent:apiKey; dataplatforms:eloq:getSkus; eloq:apiKeys"
    assert config.with_native_names(text) == (
        "Check dataplatforms:ardentPublicKey + dataplatforms:ardentSecretKey or dataplatforms:ardentApiKey; "
        "dataplatforms:eloq:getSkus; eloq:apiKeys"
    )
