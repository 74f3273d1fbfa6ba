"""Coherent Spark folders and services (Excel models compiled and published as versions).

    from pulumi_dataplatforms import spark
    pricing = spark.Folder("pricing", name="pricing", description="Pricing models", category="Finance")
    quote = spark.Service("quote", folder=pricing.name, file="models/quote.xlsx", versioning="minor")
    pulumi.export("version", quote.version)

Settings: stack config `spark:baseUrl`, `spark:tenant`, `spark:env`, and one of `spark:apiKey`,
`spark:token`, `spark:clientId` + `spark:clientSecret` (secrets), or the environment variables
`CSPARK_BASE_URL`, `CSPARK_TENANT`, `CSPARK_API_KEY`, `CSPARK_BEARER_TOKEN`, `CSPARK_CLIENT_ID`,
`CSPARK_CLIENT_SECRET`. `execute(...)` calls a published service with the same settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from pulumi.runtime.config import get_config

from pulumi_dataplatforms_provider.spark import SETTINGS

# The resource classes and their Args, generated from the package schema (`make schema`).
from ._generated.spark import *  # noqa: F403
from ._generated.spark import ServiceTimeoutsArgs
from ._generated.spark import __all__ as _generated_names

if TYPE_CHECKING:
    from pulumi_dataplatforms_provider.spark.client import SparkClient

__all__ = [
    *_generated_names,
    "client",
    "execute",
]

#: The name of `ServiceTimeoutsArgs` before folders and services had timeouts types of their own.
TimeoutsArgs = ServiceTimeoutsArgs


def client() -> SparkClient:
    """A Spark client from the stack config, then the environment (as the provider resolves them).

    The client covers folders, services, versions and execution; close it with `close()` when done. Creating
    it sends no request: OAuth2 client credentials fetch their token on the first call.

    Returns:
        A new `SparkClient` for the configured endpoint, tenant and credentials (OAuth2 client credentials,
        else the API key, else the bearer token).

    Raises:
        SparkConfigError: The settings name no endpoint (`spark:baseUrl`, or `spark:env` with `spark:tenant`),
            no tenant, a base URL that is not http(s), or no credentials.

    Example:
        from pulumi_dataplatforms import spark

        api = spark.client()
        try:
            folders = [folder.name for folder in api.find_folders()]
        finally:
            api.close()
    """
    from pulumi_dataplatforms_provider.spark.client import SparkClient, choose_auth, resolve_endpoint

    stack_config: dict[str, str] = {}
    for setting in SETTINGS:
        try:
            value = get_config(setting.key)
        except Exception:  # outside a Pulumi program there is no config
            value = None
        if value is not None:
            stack_config[setting.key] = value
    values = {s.key: s.resolve(stack_config) for s in SETTINGS}
    endpoint = resolve_endpoint(values["spark:baseUrl"], values["spark:tenant"], values["spark:env"])
    auth = choose_auth(
        endpoint, values["spark:apiKey"], values["spark:token"], values["spark:clientId"], values["spark:clientSecret"]
    )
    return SparkClient(endpoint, auth)


@overload
def execute(
    folder: str,
    service: str,
    inputs: dict[str, Any] | None = None,
    *,
    version: str | None = None,
    version_id: str | None = None,
) -> dict[str, Any]: ...
@overload
def execute(
    folder: str,
    service: str,
    inputs: list[dict[str, Any]],
    *,
    version: str | None = None,
    version_id: str | None = None,
) -> list[dict[str, Any]]: ...
def execute(
    folder: str,
    service: str,
    inputs: dict[str, Any] | list[dict[str, Any]] | None = None,
    *,
    version: str | None = None,
    version_id: str | None = None,
) -> dict[str, Any] | list[dict[str, Any]]:
    """Call a published service: a dict of inputs gives its outputs; a list of records gives a list (v4 batch).

    Inside a program, call it from `apply` once the service exists, e.g.
    `quote.version.apply(lambda _: spark.execute("pricing", "quote", {"qty": 3}))`.

    Args:
        folder: The folder that holds the service.
        service: The service's name.
        inputs: A dict runs one record on the v3 API: inputs by name (the workbook's `Xinput_` names), those
            left out taking the workbook's values. A list of such dicts runs every record in one v4 batch call.
            None runs one record with the workbook's values.
        version: The semantic version to run, e.g. `0.2.0`; the latest when unset. A batch ignores it.
        version_id: The uuid of the version to run (a service's `version_id` output); the latest when unset.

    Returns:
        For a dict of inputs (or None): the record's outputs by name (the workbook's `Xoutput_` names).
        For a list: one such dict per record, in the order of the records.

    Raises:
        SparkConfigError: The settings name no endpoint, no tenant or no credentials (as for `client()`).
        NotFoundError: The folder, the service or the version does not exist (404).
        APIStatusError: Spark answered with another error status, e.g. inputs it rejects.
        APIConnectionError: Spark could not be reached at `spark:baseUrl`, after retries.

    Example:
        import pulumi
        from pulumi_dataplatforms import spark

        quote = spark.Service("quote", folder="pricing", file="models/quote.xlsx")
        net = quote.version_id.apply(lambda v: spark.execute("pricing", "quote", {"qty": 40}, version_id=v)["net"])
        pulumi.export("net", net)
    """
    spark = client()
    try:
        if isinstance(inputs, list):
            return spark.execute_batch(folder, service, inputs, version_id=version_id)
        return spark.execute(folder, service, inputs, version=version, version_id=version_id).outputs
    finally:
        spark.close()
