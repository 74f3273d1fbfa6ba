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

from pulumi_dataplatforms_provider.ardent.configuration import CONFIG_MODELS, provider_for
from pulumi_dataplatforms_provider.ardent.connector import ConnectorProvider
from pulumi_dataplatforms_provider.ardent.job import JobProvider

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


@dataclass(kw_only=True)
class CollectionArgs:
    """A MongoDB collection, by name."""

    name: pulumi.Input[str]


@dataclass(kw_only=True)
class DatabaseArgs:
    """A database, by name."""

    name: pulumi.Input[str]


@dataclass(kw_only=True)
class MongoDatabaseArgs:
    """A MongoDB database and its collections."""

    name: pulumi.Input[str]
    collections: pulumi.Input[list[CollectionArgs]]


@dataclass(kw_only=True)
class SupabaseDatabaseArgs:
    """A Supabase database and (optionally) its tables; empty lets Ardent detect them."""

    name: pulumi.Input[str]
    tables: pulumi.Input[list[TableArgs]] | None = None


@dataclass(kw_only=True)
class DatabricksDatabaseArgs:
    """A Databricks database (schema) and its tables."""

    name: pulumi.Input[str]
    tables: pulumi.Input[list[TableArgs]]


@dataclass(kw_only=True)
class CatalogArgs:
    """A Databricks catalog and its databases."""

    name: pulumi.Input[str]
    databases: pulumi.Input[list[DatabricksDatabaseArgs]]


# configuration args -----------------------------------------------------------------------


@dataclass(kw_only=True)
class MongoDbConfigArgs:
    """MongoDB (`mongodb`)."""

    connection_string: pulumi.Input[str]
    """MongoDB URI (`mongodb://` or `mongodb+srv://`; secret)."""
    databases: pulumi.Input[list[MongoDatabaseArgs]]
    """At least one database with its collections."""
    config_id: pulumi.Input[str] | None = None
    """The configuration id; defaults to a UUID generated once. Changing it replaces the resource."""


@dataclass(kw_only=True)
class PostgresConfigArgs:
    """PostgreSQL (`postgreSQL`); sent as `Hostname`/`Port`."""

    hostname: pulumi.Input[str]
    """Server host name, without a scheme."""
    port: pulumi.Input[str]
    """Port as a string, e.g. `"5432"`."""
    username: pulumi.Input[str]
    password: pulumi.Input[str]
    """Password (secret)."""
    databases: pulumi.Input[list[DatabaseArgs]]
    """At least one database."""
    config_id: pulumi.Input[str] | None = None
    """The configuration id; defaults to a UUID generated once. Changing it replaces the resource."""


@dataclass(kw_only=True)
class MySqlConfigArgs:
    """MySQL (`mysql`)."""

    host: pulumi.Input[str]
    port: pulumi.Input[str]
    """Port as a string, e.g. `"3306"`."""
    username: pulumi.Input[str]
    password: pulumi.Input[str]
    """Password (secret)."""
    databases: pulumi.Input[list[DatabaseArgs]]
    config_id: pulumi.Input[str] | None = None


@dataclass(kw_only=True)
class SnowflakeConfigArgs:
    """Snowflake (`snowflake`)."""

    account: pulumi.Input[str]
    """Account identifier, e.g. `xy12345.eu-west-1`."""
    user: pulumi.Input[str]
    password: pulumi.Input[str]
    """Password (secret)."""
    warehouse: pulumi.Input[str]
    databases: pulumi.Input[list[DatabaseArgs]]
    config_id: pulumi.Input[str] | None = None


@dataclass(kw_only=True)
class AzureSqlServerConfigArgs:
    """Azure SQL Server (`azureSQLServer`)."""

    server: pulumi.Input[str]
    """Server host, e.g. `acme.database.windows.net`."""
    username: pulumi.Input[str]
    password: pulumi.Input[str]
    """Password (secret)."""
    version: pulumi.Input[str]
    """ODBC driver version as a string, e.g. `"18"`."""
    databases: pulumi.Input[list[DatabaseArgs]]
    config_id: pulumi.Input[str] | None = None


@dataclass(kw_only=True)
class SupabaseConfigArgs:
    """Supabase (`supabase`)."""

    project_url: pulumi.Input[str]
    """`https://<ref>.supabase.co`."""
    api_key: pulumi.Input[str]
    """Service-role key (secret)."""
    databases: pulumi.Input[list[SupabaseDatabaseArgs]] | None = None
    """Databases and tables; omitted or empty lets Ardent detect them."""
    config_id: pulumi.Input[str] | None = None


@dataclass(kw_only=True)
class AirflowConfigArgs:
    """Apache Airflow (`airflow`) and the repository holding its DAGs."""

    github_token: pulumi.Input[str]
    """GitHub token (secret)."""
    repo: pulumi.Input[str]
    """`owner/name`."""
    dag_path: pulumi.Input[str]
    host: pulumi.Input[str]
    """Airflow web server URL or host."""
    username: pulumi.Input[str]
    password: pulumi.Input[str]
    """Airflow password (secret)."""
    config_id: pulumi.Input[str] | None = None


@dataclass(kw_only=True)
class DatabricksConfigArgs:
    """Databricks SQL (`databricks`): catalogs -> databases -> tables."""

    server_hostname: pulumi.Input[str]
    http_path: pulumi.Input[str]
    access_token: pulumi.Input[str]
    """Personal access token (secret)."""
    catalogs: pulumi.Input[list[CatalogArgs]]
    config_id: pulumi.Input[str] | None = None


@dataclass(kw_only=True)
class DatabricksJobsConfigArgs:
    """Databricks Jobs (`databricksJobs`)."""

    workspace_url: pulumi.Input[str]
    access_token: pulumi.Input[str]
    """Databricks token (secret)."""
    github_token: pulumi.Input[str]
    """GitHub token (secret)."""
    repo: pulumi.Input[str]
    repo_path: pulumi.Input[str]
    config_id: pulumi.Input[str] | None = None


@dataclass(kw_only=True)
class TigerBeetleConfigArgs:
    """TigerBeetle (`tigerbeetle`)."""

    cluster_id: pulumi.Input[str]
    """Cluster id as a decimal string, e.g. `"0"`."""
    replica_addresses: pulumi.Input[list[pulumi.Input[str]]]
    """`host:port` (or port) of each replica."""
    config_id: pulumi.Input[str] | None = None


# configuration resources ------------------------------------------------------------------


def _secret(names: tuple[str, ...], opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """`opts` plus additional_secret_outputs for secret *inputs* (their outputs stay secret even if given plain)."""
    secrets = pulumi.ResourceOptions(additional_secret_outputs=list(names))
    return pulumi.ResourceOptions.merge(secrets, opts)


class _Config(DataPlatformResource):
    """Shared plumbing of the ten configuration classes."""

    _wire_type: str = ""

    config_id: pulumi.Output[str]
    """The configuration id Ardent knows it by (also the resource id)."""

    def __init__(
        self, resource_name: str, args: Any, opts: pulumi.ResourceOptions | None, kwargs: dict[str, Any]
    ) -> None:
        secret_inputs = tuple(snake(name) for name in CONFIG_MODELS[self._wire_type].secrets)
        provider = provider_for(self._wire_type)()
        super().__init__(provider, resource_name, args, _secret(secret_inputs, opts), kwargs)


class MongoDbConfig(_Config, module="ardent", name="MongoDbConfig"):
    """An Ardent MongoDB configuration. Field changes update in place. No drift detection (no read endpoint)."""

    _args_type = MongoDbConfigArgs
    _wire_type = "mongodb"
    connection_string: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: MongoDbConfigArgs | None = None, opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(resource_name, args, opts, kwargs)


class PostgresConfig(_Config, module="ardent", name="PostgresConfig"):
    """An Ardent PostgreSQL configuration. Field changes update in place. No drift detection (no read endpoint)."""

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
    """An Ardent MySQL configuration. Field changes update in place. No drift detection (no read endpoint)."""

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
    """An Ardent Snowflake configuration. Field changes update in place. No drift detection (no read endpoint)."""

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
    """An Ardent Azure SQL Server configuration. Field changes update in place. No drift detection."""

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
    """An Ardent Supabase configuration. Field changes update in place. No drift detection (no read endpoint)."""

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
    """An Ardent Airflow configuration. Field changes update in place. No drift detection (no read endpoint)."""

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
    """An Ardent Databricks SQL configuration. Field changes update in place. No drift detection."""

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
    """An Ardent Databricks Jobs configuration. Field changes update in place. No drift detection."""

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
    """An Ardent TigerBeetle configuration. Field changes update in place. No drift detection."""

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
    """How long the create (POST + discover + selection + index) may take."""

    create: pulumi.Input[str | float] | None = None


@dataclass(kw_only=True)
class ConnectorArgs:
    """The arguments of an Ardent connector; every change replaces it."""

    service_name: pulumi.Input[str]
    """e.g. `postgresql`, `snowflake`, `mongodb`, `mysql`, `airflow`."""
    connection_details: pulumi.Input[dict[str, Any]]
    """Free-form connection parameters (stored as a secret)."""
    name: pulumi.Input[str] | None = None
    """Friendly name; defaults to `<resource name>-<7 hex>`."""
    selected_paths: pulumi.Input[list[pulumi.Input[str]]] | None = None
    """Paths to index, e.g. `["public.users"]`."""
    timeouts: pulumi.Input[ConnectorTimeoutsArgs] | None = None


class Connector(DataPlatformResource, module="ardent", name="Connector"):
    """An Ardent connector: create, discover, select and index as one create; any change replaces it.

    A setup failure deletes the half-made connector. No drift detection (no read endpoint).
    """

    _args_type = ConnectorArgs
    _output_names = ("connector_id", "status")

    connector_id: pulumi.Output[str]
    """The server-assigned connector id."""
    status: pulumi.Output[str | None]
    name: pulumi.Output[str]
    connection_details: pulumi.Output[dict[str, Any]]

    def __init__(
        self, resource_name: str, args: ConnectorArgs | None = None, opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(ConnectorProvider(), resource_name, args, _secret(("connection_details",), opts), kwargs)


@dataclass(kw_only=True)
class JobTimeoutsArgs:
    """How long the run may take (default 50 minutes, as the official client)."""

    create: pulumi.Input[str | float] | None = None


@dataclass(kw_only=True)
class JobArgs:
    """The arguments of an Ardent job; a change of message, safe_mode or triggers re-runs it (replace)."""

    message: pulumi.Input[str]
    """The task the job runs once on create."""
    safe_mode: pulumi.Input[bool] | None = None
    triggers: pulumi.Input[Any] | None = None
    """Any values; a change re-runs the job."""
    timeouts: pulumi.Input[JobTimeoutsArgs] | None = None


class Job(DataPlatformResource, module="ardent", name="Job"):
    """An Ardent job, run once on create (createJob + APIChat); delete removes it. No drift detection."""

    _args_type = JobArgs
    _output_names = ("job_id", "files_share_name", "user_id", "response")

    job_id: pulumi.Output[str]
    files_share_name: pulumi.Output[str]
    user_id: pulumi.Output[str | None]
    response: pulumi.Output[Any]
    """The APIChat answer, as returned."""

    def __init__(
        self, resource_name: str, args: JobArgs | None = None, opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(JobProvider(), resource_name, args, opts, kwargs)
