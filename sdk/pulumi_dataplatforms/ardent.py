"""Ardent data-source configurations (ten typed classes), connectors and jobs.

    from pulumi_dataplatforms import ardent
    cfg = pulumi.Config()
    pg = ardent.PostgresConfig(
        "warehouse",
        hostname="db.example.com",
        port="5432",
        username="ardent",
        password=cfg.require_secret("pgPassword"),
        databases=[ardent.DatabaseArgs(name="analytics")],
    )

Credentials come from stack config `ardent:publicKey` + `ardent:secretKey` (HMAC signing; the
only generation that serves configurations) and/or `ardent:apiKey` (bearer `sk-ard_...`, used
for connectors and jobs when set), plus `ardent:baseUrl`; or the environment variables
`ARDENT_PUBLIC_KEY`, `ARDENT_SECRET_KEY`, `ARDENT_API_KEY`, `ARDENT_BASE_URL`.

Ardent has no read endpoint for configurations, connectors or jobs: `pulumi refresh` keeps the
recorded state and cannot detect drift, and `pulumi import` is impossible. A configuration's
id is chosen client-side; to take over one that already exists, pass its id as `config_id`
(set is an upsert, so the first `up` overwrites it with the declared values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from ._resource import DataPlatformResource, snake

__all__ = [
    "AirflowConfig",
    "AirflowConfigArgs",
    "AzureSqlServerConfig",
    "AzureSqlServerConfigArgs",
    "CatalogArgs",
    "CollectionArgs",
    "Connector",
    "ConnectorArgs",
    "ConnectorTimeoutsArgs",
    "DatabaseArgs",
    "DatabricksConfig",
    "DatabricksConfigArgs",
    "DatabricksDatabaseArgs",
    "DatabricksJobsConfig",
    "DatabricksJobsConfigArgs",
    "Job",
    "JobArgs",
    "JobTimeoutsArgs",
    "MongoDatabaseArgs",
    "MongoDbConfig",
    "MongoDbConfigArgs",
    "MySqlConfig",
    "MySqlConfigArgs",
    "PostgresConfig",
    "PostgresConfigArgs",
    "SnowflakeConfig",
    "SnowflakeConfigArgs",
    "SupabaseConfig",
    "SupabaseConfigArgs",
    "SupabaseDatabaseArgs",
    "TableArgs",
    "TigerBeetleConfig",
    "TigerBeetleConfigArgs",
]

NO_DRIFT = "Ardent has no read endpoint: refresh keeps the recorded state and drift cannot be detected."

# nested inputs ----------------------------------------------------------------------------


@dataclass(kw_only=True)
class TableArgs:
    """A table, by name."""

    name: pulumi.Input[str]
    """Table name."""


@dataclass(kw_only=True)
class CollectionArgs:
    """A MongoDB collection, by name."""

    name: pulumi.Input[str]
    """Collection name."""


@dataclass(kw_only=True)
class DatabaseArgs:
    """A database, by name."""

    name: pulumi.Input[str]
    """Database name."""


@dataclass(kw_only=True)
class MongoDatabaseArgs:
    """A MongoDB database and the collections Ardent should use."""

    name: pulumi.Input[str]
    """Database name."""
    collections: pulumi.Input[list[CollectionArgs]]
    """Collections of this database."""


@dataclass(kw_only=True)
class SupabaseDatabaseArgs:
    """A Supabase database and (optionally) its tables."""

    name: pulumi.Input[str]
    """Database (schema) name."""
    tables: pulumi.Input[list[TableArgs]] | None = None
    """Tables; empty lets Ardent detect them."""


@dataclass(kw_only=True)
class DatabricksDatabaseArgs:
    """A Databricks database (schema) and its tables."""

    name: pulumi.Input[str]
    """Database (schema) name."""
    tables: pulumi.Input[list[TableArgs]]
    """Tables of this database."""


@dataclass(kw_only=True)
class CatalogArgs:
    """A Databricks (Unity) catalog and its databases."""

    name: pulumi.Input[str]
    """Catalog name."""
    databases: pulumi.Input[list[DatabricksDatabaseArgs]]
    """Databases of this catalog."""


# configuration args -----------------------------------------------------------------------


@dataclass(kw_only=True)
class MongoDbConfigArgs:
    """MongoDB (`mongodb`)."""

    connection_string: pulumi.Input[str]
    """MongoDB URI (usually embeds credentials; secret)."""
    databases: pulumi.Input[list[MongoDatabaseArgs]]
    """Databases and their collections."""
    config_id: pulumi.Input[str] | None = None
    """The configuration id sent to Ardent. Defaults to a UUID generated once and kept for the life of the resource;
    set it to take over a configuration that already exists. Changing it replaces the resource."""


@dataclass(kw_only=True)
class PostgresConfigArgs:
    """PostgreSQL (`postgreSQL`); sent as `Hostname`/`Port`."""

    hostname: pulumi.Input[str]
    """Server host name (wire `Hostname`)."""
    port: pulumi.Input[str]
    """Server port as a string (wire `Port`), e.g. `'5432'`."""
    username: pulumi.Input[str]
    """User name."""
    password: pulumi.Input[str]
    """Password (secret)."""
    databases: pulumi.Input[list[DatabaseArgs]]
    """Databases Ardent should use."""
    config_id: pulumi.Input[str] | None = None
    """The configuration id sent to Ardent. Defaults to a UUID generated once and kept for the life of the resource;
    set it to take over a configuration that already exists. Changing it replaces the resource."""


@dataclass(kw_only=True)
class MySqlConfigArgs:
    """MySQL (`mysql`)."""

    host: pulumi.Input[str]
    """Server host name."""
    port: pulumi.Input[str]
    """Server port as a string, e.g. `'3306'`."""
    username: pulumi.Input[str]
    """User name."""
    password: pulumi.Input[str]
    """Password (secret)."""
    databases: pulumi.Input[list[DatabaseArgs]]
    """Databases Ardent should use."""
    config_id: pulumi.Input[str] | None = None
    """The configuration id sent to Ardent. Defaults to a UUID generated once and kept for the life of the resource;
    set it to take over a configuration that already exists. Changing it replaces the resource."""


@dataclass(kw_only=True)
class SnowflakeConfigArgs:
    """Snowflake (`snowflake`)."""

    account: pulumi.Input[str]
    """Account identifier, e.g. `xy12345.eu-west-1`."""
    user: pulumi.Input[str]
    """User name."""
    password: pulumi.Input[str]
    """Password (secret)."""
    warehouse: pulumi.Input[str]
    """Warehouse to run queries in."""
    databases: pulumi.Input[list[DatabaseArgs]]
    """Databases Ardent should use."""
    config_id: pulumi.Input[str] | None = None
    """The configuration id sent to Ardent. Defaults to a UUID generated once and kept for the life of the resource;
    set it to take over a configuration that already exists. Changing it replaces the resource."""


@dataclass(kw_only=True)
class AzureSqlServerConfigArgs:
    """Azure SQL Server (`azureSQLServer`)."""

    server: pulumi.Input[str]
    """Server host, e.g. `acme.database.windows.net`."""
    username: pulumi.Input[str]
    """User name."""
    password: pulumi.Input[str]
    """Password (secret)."""
    version: pulumi.Input[str]
    """ODBC driver version as a string, e.g. `'18'`."""
    databases: pulumi.Input[list[DatabaseArgs]]
    """Databases Ardent should use."""
    config_id: pulumi.Input[str] | None = None
    """The configuration id sent to Ardent. Defaults to a UUID generated once and kept for the life of the resource;
    set it to take over a configuration that already exists. Changing it replaces the resource."""


@dataclass(kw_only=True)
class SupabaseConfigArgs:
    """Supabase (`supabase`)."""

    project_url: pulumi.Input[str]
    """Project URL, e.g. `https://abc.supabase.co`."""
    api_key: pulumi.Input[str]
    """Service-role API key (secret)."""
    databases: pulumi.Input[list[SupabaseDatabaseArgs]] | None = None
    """Databases and tables; empty (the default) lets Ardent detect them."""
    config_id: pulumi.Input[str] | None = None
    """The configuration id sent to Ardent. Defaults to a UUID generated once and kept for the life of the resource;
    set it to take over a configuration that already exists. Changing it replaces the resource."""


@dataclass(kw_only=True)
class AirflowConfigArgs:
    """Apache Airflow (`airflow`) and the repository holding its DAGs."""

    github_token: pulumi.Input[str]
    """GitHub token for the DAG repository (secret)."""
    repo: pulumi.Input[str]
    """DAG repository, `owner/name`."""
    dag_path: pulumi.Input[str]
    """Folder of the DAGs in the repository."""
    host: pulumi.Input[str]
    """Airflow web server URL or host."""
    username: pulumi.Input[str]
    """Airflow user name."""
    password: pulumi.Input[str]
    """Airflow password (secret)."""
    config_id: pulumi.Input[str] | None = None
    """The configuration id sent to Ardent. Defaults to a UUID generated once and kept for the life of the resource;
    set it to take over a configuration that already exists. Changing it replaces the resource."""


@dataclass(kw_only=True)
class DatabricksConfigArgs:
    """Databricks SQL (`databricks`): catalogs -> databases -> tables."""

    server_hostname: pulumi.Input[str]
    """Workspace host, e.g. `adb-123.azuredatabricks.net`."""
    http_path: pulumi.Input[str]
    """SQL warehouse HTTP path, e.g. `/sql/1.0/warehouses/abc`."""
    access_token: pulumi.Input[str]
    """Personal access token (secret)."""
    catalogs: pulumi.Input[list[CatalogArgs]]
    """Catalogs, their databases and tables."""
    config_id: pulumi.Input[str] | None = None
    """The configuration id sent to Ardent. Defaults to a UUID generated once and kept for the life of the resource;
    set it to take over a configuration that already exists. Changing it replaces the resource."""


@dataclass(kw_only=True)
class DatabricksJobsConfigArgs:
    """Databricks Jobs (`databricksJobs`)."""

    workspace_url: pulumi.Input[str]
    """Workspace URL, e.g. `https://adb-123.azuredatabricks.net`."""
    access_token: pulumi.Input[str]
    """Databricks access token (secret)."""
    github_token: pulumi.Input[str]
    """GitHub token for the repository (secret)."""
    repo: pulumi.Input[str]
    """Repository, `owner/name`."""
    repo_path: pulumi.Input[str]
    """Path of the jobs in the repository."""
    config_id: pulumi.Input[str] | None = None
    """The configuration id sent to Ardent. Defaults to a UUID generated once and kept for the life of the resource;
    set it to take over a configuration that already exists. Changing it replaces the resource."""


@dataclass(kw_only=True)
class TigerBeetleConfigArgs:
    """TigerBeetle (`tigerbeetle`)."""

    cluster_id: pulumi.Input[str]
    """Cluster id as a decimal string, e.g. `'0'`."""
    replica_addresses: pulumi.Input[list[pulumi.Input[str]]]
    """Replica addresses, `host:port` or a port, e.g. `['10.0.0.1:3000']`."""
    config_id: pulumi.Input[str] | None = None
    """The configuration id sent to Ardent. Defaults to a UUID generated once and kept for the life of the resource;
    set it to take over a configuration that already exists. Changing it replaces the resource."""


# configuration resources ------------------------------------------------------------------


class _Config(DataPlatformResource):
    """Shared plumbing of the ten configuration classes."""

    _wire_type: str = ""
    _mints_identity = True

    config_id: pulumi.Output[str]
    """The configuration id Ardent knows it by (also the resource id)."""

    def __init__(
        self, resource_name: str, args: Any, opts: pulumi.ResourceOptions | None, kwargs: dict[str, Any]
    ) -> None:
        from pulumi_dataplatforms_provider.ardent.configuration import CONFIG_MODELS, provider_for

        secret_inputs = tuple(snake(name) for name in CONFIG_MODELS[self._wire_type].secrets)
        super().__init__(provider_for(self._wire_type)(), resource_name, args, opts, kwargs, secret_inputs)


class MongoDbConfig(_Config, module="ardent", name="MongoDbConfig"):
    """An Ardent MongoDB data-source configuration (`mongodb`). The id is chosen client-side once and kept; every field
    change is an in-place update (Ardent's set is an upsert).

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = MongoDbConfigArgs
    _wire_type = "mongodb"
    connection_string: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: MongoDbConfigArgs | None = None, opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(resource_name, args, opts, kwargs)


class PostgresConfig(_Config, module="ardent", name="PostgresConfig"):
    """An Ardent PostgreSQL data-source configuration (`postgreSQL`). The id is chosen client-side once and kept; every
    field change is an in-place update (Ardent's set is an upsert).

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = PostgresConfigArgs
    _wire_type = "postgreSQL"
    hostname: pulumi.Output[str]
    port: pulumi.Output[str]
    username: pulumi.Output[str]
    password: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: PostgresConfigArgs | None = None, opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(resource_name, args, opts, kwargs)


class MySqlConfig(_Config, module="ardent", name="MySqlConfig"):
    """An Ardent MySQL data-source configuration (`mysql`). The id is chosen client-side once and kept; every field
    change is an in-place update (Ardent's set is an upsert).

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = MySqlConfigArgs
    _wire_type = "mysql"
    host: pulumi.Output[str]
    port: pulumi.Output[str]
    password: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: MySqlConfigArgs | None = None, opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(resource_name, args, opts, kwargs)


class SnowflakeConfig(_Config, module="ardent", name="SnowflakeConfig"):
    """An Ardent Snowflake data-source configuration (`snowflake`). The id is chosen client-side once and kept; every
    field change is an in-place update (Ardent's set is an upsert).

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = SnowflakeConfigArgs
    _wire_type = "snowflake"
    account: pulumi.Output[str]
    warehouse: pulumi.Output[str]
    password: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: SnowflakeConfigArgs | None = None, opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(resource_name, args, opts, kwargs)


class AzureSqlServerConfig(_Config, module="ardent", name="AzureSqlServerConfig"):
    """An Ardent Azure SQL Server data-source configuration (`azureSQLServer`). The id is chosen client-side once and
    kept; every field change is an in-place update (Ardent's set is an upsert).

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = AzureSqlServerConfigArgs
    _wire_type = "azureSQLServer"
    server: pulumi.Output[str]
    password: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: AzureSqlServerConfigArgs | None = None,
        opts: pulumi.ResourceOptions | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(resource_name, args, opts, kwargs)


class SupabaseConfig(_Config, module="ardent", name="SupabaseConfig"):
    """An Ardent Supabase data-source configuration (`supabase`). The id is chosen client-side once and kept; every
    field change is an in-place update (Ardent's set is an upsert).

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = SupabaseConfigArgs
    _wire_type = "supabase"
    project_url: pulumi.Output[str]
    api_key: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: SupabaseConfigArgs | None = None, opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(resource_name, args, opts, kwargs)


class AirflowConfig(_Config, module="ardent", name="AirflowConfig"):
    """An Ardent Airflow data-source configuration (`airflow`). The id is chosen client-side once and kept; every field
    change is an in-place update (Ardent's set is an upsert).

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = AirflowConfigArgs
    _wire_type = "airflow"
    host: pulumi.Output[str]
    github_token: pulumi.Output[str]
    password: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: AirflowConfigArgs | None = None, opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(resource_name, args, opts, kwargs)


class DatabricksConfig(_Config, module="ardent", name="DatabricksConfig"):
    """An Ardent Databricks SQL data-source configuration (`databricks`). The id is chosen client-side once and kept;
    every field change is an in-place update (Ardent's set is an upsert).

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = DatabricksConfigArgs
    _wire_type = "databricks"
    server_hostname: pulumi.Output[str]
    access_token: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: DatabricksConfigArgs | None = None,
        opts: pulumi.ResourceOptions | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(resource_name, args, opts, kwargs)


class DatabricksJobsConfig(_Config, module="ardent", name="DatabricksJobsConfig"):
    """An Ardent Databricks Jobs data-source configuration (`databricksJobs`). The id is chosen client-side once and
    kept; every field change is an in-place update (Ardent's set is an upsert).

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = DatabricksJobsConfigArgs
    _wire_type = "databricksJobs"
    workspace_url: pulumi.Output[str]
    access_token: pulumi.Output[str]
    github_token: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: DatabricksJobsConfigArgs | None = None,
        opts: pulumi.ResourceOptions | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(resource_name, args, opts, kwargs)


class TigerBeetleConfig(_Config, module="ardent", name="TigerBeetleConfig"):
    """An Ardent TigerBeetle data-source configuration (`tigerbeetle`). The id is chosen client-side once and kept;
    every field change is an in-place update (Ardent's set is an upsert).

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = TigerBeetleConfigArgs
    _wire_type = "tigerbeetle"
    cluster_id: pulumi.Output[str]
    replica_addresses: pulumi.Output[list[str]]

    def __init__(
        self, resource_name: str, args: TigerBeetleConfigArgs | None = None,
        opts: pulumi.ResourceOptions | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(resource_name, args, opts, kwargs)


# connectors and jobs ----------------------------------------------------------------------


@dataclass(kw_only=True)
class ConnectorTimeoutsArgs:
    """How long creating an Ardent connector may take before the provider gives up."""

    create: pulumi.Input[str | float] | None = None
    """The whole create: POST, discovery, path selection and indexing. A duration such as '10m' or a number of
    seconds; default 10m."""


@dataclass(kw_only=True)
class ConnectorArgs:
    """The arguments of an Ardent connector; every change replaces it."""

    service_name: pulumi.Input[str]
    """Service kind, e.g. `postgresql`, `snowflake`, `mongodb`, `mysql`, `airflow`. Changing it replaces."""
    connection_details: pulumi.Input[dict[str, Any]]
    """Connection parameters for the service (free-form, e.g. host, port, database, username, password); stored as
    a secret. Changing it replaces."""
    name: pulumi.Input[str] | None = None
    """Friendly name. Defaults to `<resource name>-<7 hex>`, which also identifies an interrupted create. Changing it
    replaces."""
    selected_paths: pulumi.Input[list[pulumi.Input[str]]] | None = None
    """Paths to index, e.g. `['public.users']`; omitted indexes what discovery finds. Changing it replaces."""
    timeouts: pulumi.Input[ConnectorTimeoutsArgs] | None = None
    """Operation timeouts (`create`)."""


class Connector(DataPlatformResource, module="ardent", name="Connector"):
    """An Ardent connector (the newer API): create, discover, select paths and index as one create. Any change
    replaces it (there is no update endpoint); a failed setup deletes the half-made connector. Drift cannot be
    detected.

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = ConnectorArgs
    _output_names = ("connector_id", "status")

    connector_id: pulumi.Output[str]
    """The server-assigned connector id (also the resource id)."""
    status: pulumi.Output[str | None]
    """The status the create answer reported, if any."""
    name: pulumi.Output[str]
    connection_details: pulumi.Output[dict[str, Any]]

    def __init__(
        self, resource_name: str, args: ConnectorArgs | None = None, opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        from pulumi_dataplatforms_provider.ardent.connector import ConnectorProvider

        super().__init__(ConnectorProvider(), resource_name, args, opts, kwargs, ("connection_details",))


@dataclass(kw_only=True)
class JobTimeoutsArgs:
    """How long an Ardent job's run may take before the provider gives up."""

    create: pulumi.Input[str | float] | None = None
    """The whole run of the job's `message`. A duration such as '50m' or a number of seconds; default 50m."""


@dataclass(kw_only=True)
class JobArgs:
    """The arguments of an Ardent job; a change of message, safe_mode or triggers re-runs it (replace)."""

    message: pulumi.Input[str]
    """The message (task) the job runs once on create. Changing it re-runs (replaces) the job."""
    safe_mode: pulumi.Input[bool] | None = None
    """Run in Ardent's safe mode. Changing it re-runs (replaces) the job."""
    triggers: pulumi.Input[Any] | None = None
    """Any values; when they change the job is re-run (replaced)."""
    timeouts: pulumi.Input[JobTimeoutsArgs] | None = None
    """Operation timeouts (`create`)."""


class Job(DataPlatformResource, module="ardent", name="Job"):
    """An Ardent job: runs its message once on create (createJob + APIChat) and keeps the answer. Changing
    `message`, `safe_mode` or `triggers` re-runs it by replacement; delete removes the job. Drift cannot be detected.

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = JobArgs
    _output_names = ("job_id", "files_share_name", "user_id", "response")

    job_id: pulumi.Output[str]
    """The server-assigned job id (also the resource id)."""
    files_share_name: pulumi.Output[str]
    """The job's file share."""
    user_id: pulumi.Output[str | None]
    """The user the job belongs to."""
    response: pulumi.Output[Any]
    """The APIChat answer of the run, as returned."""

    def __init__(
        self, resource_name: str, args: JobArgs | None = None, opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        from pulumi_dataplatforms_provider.ardent.job import JobProvider

        super().__init__(JobProvider(), resource_name, args, opts, kwargs)
