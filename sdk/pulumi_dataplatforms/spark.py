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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, overload

import pulumi
from pulumi.runtime.config import get_config

from pulumi_dataplatforms_provider.spark import SETTINGS

from ._resource import DataPlatformResource

if TYPE_CHECKING:
    from pulumi_dataplatforms_provider.spark.client import SparkClient

__all__ = [
    "Folder",
    "FolderArgs",
    "FolderTimeoutsArgs",
    "Service",
    "ServiceArgs",
    "ServiceTimeoutsArgs",
    "client",
    "execute",
]


@dataclass(kw_only=True)
class FolderTimeoutsArgs:
    """How long creating a Spark folder may take before the provider gives up."""

    create: pulumi.Input[str | float] | None = None
    """The create, including the retries and the look-ups that make it happen exactly once. A duration such as
    '2m' or a number of seconds; default 2m."""


@dataclass(kw_only=True)
class ServiceTimeoutsArgs:
    """How long each operation on a Spark service may take before the provider gives up."""

    create: pulumi.Input[str | float] | None = None
    """Upload, compile and publish of the first version. A duration such as '10m' or a number of seconds; default
    10m."""
    update: pulumi.Input[str | float] | None = None
    """Upload, compile and publish of a changed workbook as a new version. A duration such as '10m' or a number of
    seconds; default 10m."""


#: The name of `ServiceTimeoutsArgs` before folders and services had timeouts types of their own.
TimeoutsArgs = ServiceTimeoutsArgs


@dataclass(kw_only=True)
class FolderArgs:
    """The arguments of a Spark folder."""

    name: pulumi.Input[str] | None = None
    """Folder name, unique in the tenant. Defaults to `<resource name>-<7 hex>`. Changing it replaces the folder."""
    description: pulumi.Input[str] | None = None
    """Description; updated in place."""
    category: pulumi.Input[str] | None = None
    """Category (see the tenant's categories); updated in place."""
    start_date: pulumi.Input[str] | None = None
    """Start date (ISO 8601); updated in place."""
    launch_date: pulumi.Input[str] | None = None
    """Launch date (ISO 8601); updated in place."""
    cover_image: pulumi.Input[str] | None = None
    """Path of a cover image file; a changed file is uploaded again."""
    adopt_existing: pulumi.Input[bool] | None = None
    """Manage a folder that already has this name instead of failing."""
    timeouts: pulumi.Input[FolderTimeoutsArgs] | None = None
    """Operation timeouts (`create`)."""


class Folder(DataPlatformResource, module="spark", name="Folder"):
    """A Coherent Spark folder. The name replaces; description, category, dates and cover image update in place.
    Deleting a folder deletes all its services. An existing folder is adopted only with adoptExisting.
    """

    _args_type = FolderArgs
    _name_input = "name"
    _output_names = ("folder_id", "status", "created_at", "cover_image_path", "cover_image_hash")

    name: pulumi.Output[str]
    description: pulumi.Output[str]
    category: pulumi.Output[str]
    folder_id: pulumi.Output[str]
    """The folder's uuid."""
    status: pulumi.Output[str | None]
    """Folder status (set at creation, `Design`)."""
    created_at: pulumi.Output[str | None]
    """Creation time."""
    cover_image_path: pulumi.Output[str | None]
    """Where Spark keeps the cover image."""
    cover_image_hash: pulumi.Output[str | None]
    """SHA-256 of the cover image (computed)."""

    def __init__(
        self,
        resource_name: str,
        args: FolderArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        from pulumi_dataplatforms_provider.spark.folder import FolderProvider

        super().__init__(FolderProvider(), resource_name, args, opts, kwargs)


@dataclass(kw_only=True)
class ServiceArgs:
    """The arguments of a Spark service."""

    folder: pulumi.Input[str]
    """Name of the folder holding the service. Changing it replaces the service."""
    file: pulumi.Input[str]
    """Path of the Excel workbook (.xlsx). A changed file publishes a new version."""
    name: pulumi.Input[str] | None = None
    """Service name. Defaults to `<resource name>-<7 hex>`. Changing it replaces the service."""
    versioning: pulumi.Input[Literal["major", "minor", "patch"]] | None = None
    """Which part of the semantic version a new workbook bumps."""
    label: pulumi.Input[str] | None = None
    """Version label of versions published from now on."""
    release_notes: pulumi.Input[str] | None = None
    """Release notes of versions published from now on."""
    tags: pulumi.Input[list[str]] | None = None
    """Tags of versions published from now on."""
    effective_start_date: pulumi.Input[str] | None = None
    """Effective start of versions published from now on (ISO 8601)."""
    effective_end_date: pulumi.Input[str] | None = None
    """Effective end of versions published from now on (ISO 8601)."""
    adopt_existing: pulumi.Input[bool] | None = None
    """Publish onto a service that already exists instead of failing."""
    timeouts: pulumi.Input[ServiceTimeoutsArgs] | None = None
    """Operation timeouts (upload + compile + publish for create and update)."""


class Service(DataPlatformResource, module="spark", name="Service"):
    """A Coherent Spark service: an Excel workbook (Xinput_/Xoutput_ names) uploaded, compiled and published.
    Folder and name replace; a changed workbook publishes a new version of the same service. Create is
    transactional; refresh detects a service deleted or re-published outside Pulumi.
    """

    _args_type = ServiceArgs
    _name_input = "name"
    _output_names = (
        "file_hash",
        "service_id",
        "version_id",
        "version",
        "versions",
        "version_count",
        "input_names",
        "output_names",
        "execute_url",
    )

    folder: pulumi.Output[str]
    name: pulumi.Output[str]
    file_hash: pulumi.Output[str]
    """SHA-256 of the workbook (computed from `file`)."""
    service_id: pulumi.Output[str]
    """The service's uuid."""
    version_id: pulumi.Output[str]
    """The latest version's uuid."""
    version: pulumi.Output[str]
    """The latest semantic version, e.g. `0.2.0`."""
    versions: pulumi.Output[list[dict[str, Any]]]
    """Every version, newest first: {id, version, createdAt, label}."""
    version_count: pulumi.Output[int]
    """Number of versions."""
    input_names: pulumi.Output[list[str]]
    """The model's inputs (Xinput_ names)."""
    output_names: pulumi.Output[list[str]]
    """The model's outputs (Xoutput_ names)."""
    execute_url: pulumi.Output[str]
    """The v3 execute endpoint of the service."""

    def __init__(
        self,
        resource_name: str,
        args: ServiceArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        from pulumi_dataplatforms_provider.spark.service import ServiceProvider

        super().__init__(ServiceProvider(), resource_name, args, opts, kwargs)


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
