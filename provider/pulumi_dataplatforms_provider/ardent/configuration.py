"""Ardent data-source configurations: ten types served by one handler through a discriminated model.

The id is chosen client-side: `check` generates a UUID once (or takes `configId`) and keeps it
for the life of the resource. `set` is an upsert, so every field change is an in-place update;
a change of `type` or `configId` is a replacement (with a fresh id). Ardent has no read
endpoint for configurations, so `read` returns the recorded state: drift cannot be detected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal, Union

import pydantic
import pydantic.alias_generators
from pulumi.runtime import rpc
from pydantic.json_schema import SkipJsonSchema

from ..base import auto_uuid, with_defaults
from ..checking import field, is_unknown, output_values, validate
from ..dynamic import DynamicProvider
from ..handler import Engine
from ..protocol import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult
from ..spec import ResourceSpec
from .fields import Address, Digits, Host, MongoUrl, NonEmpty, Port, Repo, Secret, Url, UrlOrHost
from .models import CONFIG_TYPES
from .provider_base import ArdentHandler

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"
REPLACE_KEYS = ("type", "configId")

# nested inputs ----------------------------------------------------------------------------


class _Nested(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


class TableArgs(_Nested):
    """A table, by name."""

    name: NonEmpty = field(..., "Table name.", "Give the table's name, e.g. 'orders'.")


class CollectionArgs(_Nested):
    """A MongoDB collection, by name."""

    name: NonEmpty = field(..., "Collection name.", "Give the collection's name, e.g. 'events'.")


class DatabaseArgs(_Nested):
    """A database, by name."""

    name: NonEmpty = field(..., "Database name.", "Give the database's name, e.g. 'analytics'.")


class MongoDatabaseArgs(_Nested):
    """A MongoDB database and the collections Ardent should use."""

    name: NonEmpty = field(..., "Database name.", "Give the database's name, e.g. 'app'.")
    collections: list[CollectionArgs] = field(
        ..., "Collections of this database.", "Give a list such as [{'name': 'events'}] (it may be empty)."
    )


class SupabaseDatabaseArgs(_Nested):
    """A Supabase database and (optionally) its tables."""

    name: NonEmpty = field(..., "Database (schema) name.", "Give the database's name, e.g. 'public'.")
    tables: list[TableArgs] = field([], "Tables; empty lets Ardent detect them.", "Give [{'name': ...}] or [].")


class DatabricksDatabaseArgs(_Nested):
    """A Databricks database (schema) and its tables."""

    name: NonEmpty = field(..., "Database (schema) name.", "Give the schema's name, e.g. 'sales'.")
    tables: list[TableArgs] = field(..., "Tables of this database.", "Give a list such as [{'name': 'orders'}].")


class CatalogArgs(_Nested):
    """A Databricks (Unity) catalog and its databases."""

    name: NonEmpty = field(..., "Catalog name.", "Give the catalog's name, e.g. 'main'.")
    databases: list[DatabricksDatabaseArgs] = field(
        ...,
        "Databases of this catalog.",
        "Give at least one database: [{'name': 'sales', 'tables': [...]}].",
        min_length=1,
    )


# the ten types ----------------------------------------------------------------------------

_DATABASES_FIX = "Give at least one database, e.g. [{'name': 'analytics'}]."


class ConfigInputs(pydantic.BaseModel):
    """What every configuration shares: the type tag and the client-chosen id."""

    model_config = pydantic.ConfigDict(extra="forbid", alias_generator=pydantic.alias_generators.to_camel)

    #: python field name -> wire parameter name, where they differ.
    wire_names: ClassVar[dict[str, str]] = {}
    #: camelCase input names holding secrets.
    secrets: ClassVar[tuple[str, ...]] = ()
    #: The resource (`ardent.<resource_name>`) and what the docs call the data source.
    resource_name: ClassVar[str]
    title: ClassVar[str]
    #: The docstring of the SDK's `<resource_name>Args` (default: "<title> (`<wire type>`).").
    args_description: ClassVar[str | None] = None
    #: Inputs the SDK class also declares as typed output attributes, besides `configId`.
    echoed_inputs: ClassVar[tuple[str, ...]] = ()
    #: A YAML manifest declaring the resource (the schema's and the docs' example).
    example: ClassVar[str]

    @classmethod
    def wire_type(cls) -> str:
        """The `type` tag Ardent knows this kind of configuration by."""
        return str(cls.model_fields["type"].default)

    config_id: str | None = field(
        None,
        "The configuration id sent to Ardent. Defaults to a UUID generated once and kept for the life of the "
        "resource; set it to take over a configuration that already exists. Changing it replaces the resource.",
        "Use 1-128 letters, digits, '_', '.', ':' or '-'.",
        pattern=ID_PATTERN,
    )

    def wire_params(self) -> dict[str, Any]:
        """The type parameters with the wire's exact names, in the official client's order."""
        dumped = self.model_dump(mode="json", exclude={"type", "config_id"})
        by_wire = {self.wire_names.get(k, k): v for k, v in dumped.items()}
        order = CONFIG_TYPES[str(getattr(self, "type"))].params  # noqa: B009 - set by every subclass
        return {k: by_wire[k] for k in order}


class MongoDbConfigInputs(ConfigInputs):
    """MongoDB (`mongodb`)."""

    resource_name = "MongoDbConfig"
    title = "MongoDB"
    echoed_inputs = ("connectionString",)
    example = (
        "kind: ardent/MongoDbConfig\n"
        "name: orders\n"
        "spec:\n"
        "  connectionString: {secret: ordersMongoUri}\n"
        "  databases:\n"
        "    - name: orders\n"
        "      collections:\n"
        "        - name: orders\n"
        "        - name: customers\n"
    )
    secrets = ("connectionString",)
    type: SkipJsonSchema[Literal["mongodb"]] = "mongodb"
    connection_string: MongoUrl = field(
        ..., "MongoDB URI (usually embeds credentials; secret).", "Give a 'mongodb://' or 'mongodb+srv://' URI."
    )
    databases: list[MongoDatabaseArgs] = field(
        ...,
        "Databases and their collections.",
        "Give at least one database: [{'name': 'app', 'collections': [{'name': 'events'}]}].",
        min_length=1,
    )


class PostgresConfigInputs(ConfigInputs):
    """PostgreSQL (`postgreSQL`; the wire capitalises `Hostname` and `Port`)."""

    resource_name = "PostgresConfig"
    title = "PostgreSQL"
    args_description = "PostgreSQL (`postgreSQL`); sent as `Hostname`/`Port`."
    echoed_inputs = ("hostname", "port", "username", "password")
    example = (
        "kind: ardent/PostgresConfig\n"
        "name: warehouse\n"
        "spec:\n"
        "  hostname: db.internal.example.com\n"
        "  port: '5432'\n"
        "  username: ardent\n"
        "  password: {secret: warehousePgPassword}\n"
        "  databases:\n"
        "    - name: analytics\n"
    )
    wire_names = {"hostname": "Hostname", "port": "Port"}
    secrets = ("password",)
    type: SkipJsonSchema[Literal["postgreSQL"]] = "postgreSQL"
    hostname: Host = field(..., "Server host name (wire `Hostname`).", "Give a host such as 'db.example.com'.")
    port: Port = field(..., "Server port as a string (wire `Port`), e.g. `'5432'`.", "Give a port such as '5432'.")
    username: NonEmpty = field(..., "User name.", "Give the database user's name.")
    password: Secret = field(..., "Password (secret).", "Give the password, e.g. config.require_secret(...).")
    databases: list[DatabaseArgs] = field(..., "Databases Ardent should use.", _DATABASES_FIX, min_length=1)


class MySqlConfigInputs(ConfigInputs):
    """MySQL (`mysql`; lower-case `host` and `port` on the wire)."""

    resource_name = "MySqlConfig"
    title = "MySQL"
    echoed_inputs = ("host", "port", "password")
    example = (
        "kind: ardent/MySqlConfig\n"
        "name: shop\n"
        "spec:\n"
        "  host: {config: shopDbHost}\n"
        "  port: '3306'\n"
        "  username: ardent_reader\n"
        "  password: {secret: shopDbPassword}\n"
        "  databases:\n"
        "    - name: shop\n"
    )
    secrets = ("password",)
    type: SkipJsonSchema[Literal["mysql"]] = "mysql"
    host: Host = field(..., "Server host name.", "Give a host such as 'db.example.com'.")
    port: Port = field(..., "Server port as a string, e.g. `'3306'`.", "Give a port such as '3306'.")
    username: NonEmpty = field(..., "User name.", "Give the database user's name.")
    password: Secret = field(..., "Password (secret).", "Give the password, e.g. config.require_secret(...).")
    databases: list[DatabaseArgs] = field(..., "Databases Ardent should use.", _DATABASES_FIX, min_length=1)


class SnowflakeConfigInputs(ConfigInputs):
    """Snowflake (`snowflake`)."""

    resource_name = "SnowflakeConfig"
    title = "Snowflake"
    echoed_inputs = ("account", "warehouse", "password")
    example = (
        "kind: ardent/SnowflakeConfig\n"
        "name: snowflake\n"
        "spec:\n"
        "  account: xy12345.eu-west-1\n"
        "  user: ARDENT\n"
        "  password: {secret: snowflakePassword}\n"
        "  warehouse: ANALYTICS_WH\n"
        "  databases:\n"
        "    - name: RAW\n"
        "    - name: MARTS\n"
    )
    secrets = ("password",)
    type: SkipJsonSchema[Literal["snowflake"]] = "snowflake"
    account: NonEmpty = field(
        ...,
        "Account identifier, e.g. `xy12345.eu-west-1`.",
        "Give the account identifier without a scheme, e.g. 'xy12345.eu-west-1'.",
        pattern=r"^[A-Za-z0-9_.-]+$",
    )
    user: NonEmpty = field(..., "User name.", "Give the Snowflake user's name.")
    password: Secret = field(..., "Password (secret).", "Give the password, e.g. config.require_secret(...).")
    warehouse: NonEmpty = field(..., "Warehouse to run queries in.", "Give a warehouse name, e.g. 'COMPUTE_WH'.")
    databases: list[DatabaseArgs] = field(..., "Databases Ardent should use.", _DATABASES_FIX, min_length=1)


class AzureSqlServerConfigInputs(ConfigInputs):
    """Azure SQL Server (`azureSQLServer`)."""

    resource_name = "AzureSqlServerConfig"
    title = "Azure SQL Server"
    echoed_inputs = ("server", "password")
    example = (
        "kind: ardent/AzureSqlServerConfig\n"
        "name: sales\n"
        "spec:\n"
        "  server: acme.database.windows.net\n"
        "  username: ardent\n"
        "  password: {secret: azureSqlPassword}\n"
        "  version: '18'\n"
        "  databases:\n"
        "    - name: sales\n"
    )
    secrets = ("password",)
    type: SkipJsonSchema[Literal["azureSQLServer"]] = "azureSQLServer"
    server: Host = field(..., "Server host, e.g. `acme.database.windows.net`.", "Give the server's host name.")
    username: NonEmpty = field(..., "User name.", "Give the SQL user's name.")
    password: Secret = field(..., "Password (secret).", "Give the password, e.g. config.require_secret(...).")
    version: Digits = field(..., "ODBC driver version as a string, e.g. `'18'`.", "Give a version such as '18'.")
    databases: list[DatabaseArgs] = field(..., "Databases Ardent should use.", _DATABASES_FIX, min_length=1)


class SupabaseConfigInputs(ConfigInputs):
    """Supabase (`supabase`)."""

    resource_name = "SupabaseConfig"
    title = "Supabase"
    echoed_inputs = ("projectUrl", "apiKey")
    example = (
        "kind: ardent/SupabaseConfig\n"
        "name: app\n"
        "spec:\n"
        "  projectUrl: https://abcdefghijklmnop.supabase.co\n"
        "  apiKey: {env: SUPABASE_SERVICE_ROLE_KEY}\n"
        "  databases:\n"
        "    - name: public\n"
        "      tables:\n"
        "        - name: profiles\n"
        "        - name: orders\n"
    )
    secrets = ("apiKey",)
    type: SkipJsonSchema[Literal["supabase"]] = "supabase"
    project_url: Url = field(..., "Project URL, e.g. `https://abc.supabase.co`.", "Give the https project URL.")
    api_key: Secret = field(..., "Service-role API key (secret).", "Give the key, e.g. config.require_secret(...).")
    databases: list[SupabaseDatabaseArgs] = field(
        [], "Databases and tables; empty (the default) lets Ardent detect them.", "Give [{'name': 'public'}] or []."
    )


class AirflowConfigInputs(ConfigInputs):
    """Apache Airflow (`airflow`) with the GitHub repository holding its DAGs."""

    resource_name = "AirflowConfig"
    title = "Airflow"
    args_description = "Apache Airflow (`airflow`) and the repository holding its DAGs."
    echoed_inputs = ("host", "githubToken", "password")
    example = (
        "kind: ardent/AirflowConfig\n"
        "name: pipelines\n"
        "spec:\n"
        "  githubToken: {secret: githubToken}\n"
        "  repo: acme/data-pipelines\n"
        "  dagPath: dags\n"
        "  host: https://airflow.example.com\n"
        "  username: ardent\n"
        "  password: {secret: airflowPassword}\n"
    )
    secrets = ("githubToken", "password")
    type: SkipJsonSchema[Literal["airflow"]] = "airflow"
    github_token: Secret = field(..., "GitHub token for the DAG repository (secret).", "Give a GitHub token.")
    repo: Repo = field(..., "DAG repository, `owner/name`.", "Give a repository such as 'acme/dags'.")
    dag_path: NonEmpty = field(..., "Folder of the DAGs in the repository.", "Give a path such as 'dags/'.")
    host: UrlOrHost = field(..., "Airflow web server URL or host.", "Give a URL such as 'https://airflow.example.com'.")
    username: NonEmpty = field(..., "Airflow user name.", "Give the Airflow user's name.")
    password: Secret = field(..., "Airflow password (secret).", "Give the password, e.g. config.require_secret(...).")


class DatabricksConfigInputs(ConfigInputs):
    """Databricks SQL (`databricks`): catalogs -> databases -> tables."""

    resource_name = "DatabricksConfig"
    title = "Databricks SQL"
    args_description = "Databricks SQL (`databricks`): catalogs -> databases -> tables."
    echoed_inputs = ("serverHostname", "accessToken")
    example = (
        "kind: ardent/DatabricksConfig\n"
        "name: lakehouse\n"
        "spec:\n"
        "  serverHostname: adb-1234567890123456.7.azuredatabricks.net\n"
        "  httpPath: /sql/1.0/warehouses/1a2b3c4d5e6f7a8b\n"
        "  accessToken: {secret: databricksToken}\n"
        "  catalogs:\n"
        "    - name: main\n"
        "      databases:\n"
        "        - name: sales\n"
        "          tables:\n"
        "            - name: orders\n"
        "            - name: customers\n"
    )
    secrets = ("accessToken",)
    type: SkipJsonSchema[Literal["databricks"]] = "databricks"
    server_hostname: Host = field(
        ..., "Workspace host, e.g. `adb-123.azuredatabricks.net`.", "Give the host name without 'https://'."
    )
    http_path: NonEmpty = field(
        ...,
        "SQL warehouse HTTP path, e.g. `/sql/1.0/warehouses/abc`.",
        "Give the HTTP path starting with '/'.",
        pattern=r"^/\S*$",
    )
    access_token: Secret = field(..., "Personal access token (secret).", "Give the token, e.g. a secret config.")
    catalogs: list[CatalogArgs] = field(
        ...,
        "Catalogs, their databases and tables.",
        "Give at least one catalog: [{'name': 'main', 'databases': [...]}].",
        min_length=1,
    )


class DatabricksJobsConfigInputs(ConfigInputs):
    """Databricks Jobs (`databricksJobs`) with the repository holding the job code."""

    resource_name = "DatabricksJobsConfig"
    title = "Databricks Jobs"
    echoed_inputs = ("workspaceUrl", "accessToken", "githubToken")
    example = (
        "kind: ardent/DatabricksJobsConfig\n"
        "name: jobs\n"
        "spec:\n"
        "  workspaceUrl: https://adb-1234567890123456.7.azuredatabricks.net\n"
        "  accessToken: {secret: databricksToken}\n"
        "  githubToken: {env: GITHUB_TOKEN}\n"
        "  repo: acme/databricks-jobs\n"
        "  repoPath: jobs\n"
    )
    secrets = ("accessToken", "githubToken")
    type: SkipJsonSchema[Literal["databricksJobs"]] = "databricksJobs"
    workspace_url: Url = field(..., "Workspace URL, e.g. `https://adb-123.azuredatabricks.net`.", "Give the URL.")
    access_token: Secret = field(..., "Databricks access token (secret).", "Give the token, e.g. a secret config.")
    github_token: Secret = field(..., "GitHub token for the repository (secret).", "Give a GitHub token.")
    repo: Repo = field(..., "Repository, `owner/name`.", "Give a repository such as 'acme/jobs'.")
    repo_path: NonEmpty = field(..., "Path of the jobs in the repository.", "Give a path such as 'jobs/'.")


class TigerBeetleConfigInputs(ConfigInputs):
    """TigerBeetle (`tigerbeetle`)."""

    resource_name = "TigerBeetleConfig"
    title = "TigerBeetle"
    echoed_inputs = ("clusterId", "replicaAddresses")
    example = (
        "kind: ardent/TigerBeetleConfig\n"
        "name: ledger\n"
        "spec:\n"
        "  clusterId: '0'\n"
        "  replicaAddresses:\n"
        "    - 10.0.0.1:3000\n"
        "    - 10.0.0.2:3000\n"
        "    - 10.0.0.3:3000\n"
    )
    type: SkipJsonSchema[Literal["tigerbeetle"]] = "tigerbeetle"
    cluster_id: Digits = field(..., "Cluster id as a decimal string, e.g. `'0'`.", "Give a cluster id such as '0'.")
    replica_addresses: list[Address] = field(
        ...,
        "Replica addresses, `host:port` or a port, e.g. `['10.0.0.1:3000']`.",
        "Give at least one address such as '10.0.0.1:3000'.",
        min_length=1,
    )


#: Every kind of configuration: each model declares its wire type, names, example and secrets.
MODELS: tuple[type[ConfigInputs], ...] = (
    MongoDbConfigInputs,
    PostgresConfigInputs,
    MySqlConfigInputs,
    SnowflakeConfigInputs,
    AzureSqlServerConfigInputs,
    SupabaseConfigInputs,
    AirflowConfigInputs,
    DatabricksConfigInputs,
    DatabricksJobsConfigInputs,
    TigerBeetleConfigInputs,
)
CONFIG_MODELS: dict[str, type[ConfigInputs]] = {model.wire_type(): model for model in MODELS}
# One model per `type` tag; a static union cannot be spelled from the tuple, hence the ignore.
_ANY_CONFIG: pydantic.TypeAdapter[ConfigInputs] = pydantic.TypeAdapter(
    Annotated[Union[MODELS], pydantic.Field(discriminator="type")]  # type: ignore[arg-type]  # noqa: UP007
)


class ConfigOutputs(pydantic.BaseModel):
    """What a configuration reports besides its inputs."""

    model_config = pydantic.ConfigDict(alias_generator=pydantic.alias_generators.to_camel)

    config_id: str = pydantic.Field(description="The configuration id Ardent knows it by (also the resource id).")


class _Hidden:
    """Stands in for a secret of the wrong type so that check errors never print it."""

    def __repr__(self) -> str:
        return "<secret>"


def parse_config(props: Mapping[str, Any]) -> ConfigInputs:
    """The typed configuration for checked props (the discriminator is `type`)."""
    return _ANY_CONFIG.validate_python(dict(props))


class ConfigurationHandler(ArdentHandler):
    """The handler of every `ardent.*Config` resource."""

    # check ---------------------------------------------------------------------------------
    #: The Ardent `Config.type` this handler class serves (one subclass per SDK class).
    wire_type: ClassVar[str] = ""

    def check(self, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> CheckResult:
        """Validate without any API call; assign the config id once and keep it while the type stays."""
        if self.wire_type:
            news = {**news, "type": self.wire_type}
        wire_type = news.get("type")
        model = CONFIG_MODELS.get(str(wire_type))
        if model is None:
            known = ", ".join(CONFIG_MODELS)
            return CheckResult(news, [CheckFailure("type", f"must be one of {known} (got {wire_type!r})")])
        masked = {
            k: (
                _Hidden()
                if k in model.secrets and v is not None and not is_unknown(v) and not isinstance(v, str)
                else v
            )
            for k, v in news.items()
        }
        _, failures = validate(model, masked)
        # A preview cannot know the id the update's own check will mint; a new type mints a new id.
        mint = {"configId": lambda: rpc.UNKNOWN if engine.preview else auto_uuid(engine, "configId")}
        keep = ("configId",) if olds.get("type") == wire_type else ()
        inputs, chosen = with_defaults(olds, news, mint, engine, keep=keep)
        return self.checked(inputs, failures, chosen)

    # diff ----------------------------------------------------------------------------------
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> DiffResult:
        """Type or id changes replace; everything else is an in-place upsert."""
        keys = set(olds) | set(news)
        changed = sorted(k for k in keys if is_unknown(news.get(k)) or olds.get(k) != news.get(k))
        replaces = [k for k in changed if k in REPLACE_KEYS]
        return DiffResult(changes=bool(changed), replaces=replaces, stables=[] if replaces else ["configId"])

    # create --------------------------------------------------------------------------------
    def create(self, props: dict[str, Any], engine: Engine) -> CreateResult:
        """Set (upsert) under the client-chosen id; retrying it can never duplicate."""
        config = parse_config(props)
        config_id = str(props["configId"])
        self.client().set_config(str(props["type"]), config_id, config.wire_params())
        return CreateResult(config_id, {**props, **output_values(ConfigOutputs, config_id=config_id)})

    # read ----------------------------------------------------------------------------------
    def read(self, id_: str, props: dict[str, Any], engine: Engine) -> ReadResult:
        """No read endpoint exists: return the recorded state unchanged (drift cannot be detected)."""
        return ReadResult(id_, props)

    # update --------------------------------------------------------------------------------
    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> UpdateResult:
        """Set again under the same id: Ardent's set is an upsert."""
        config = parse_config(news)
        self.client().set_config(str(news["type"]), id_, config.wire_params())
        return UpdateResult({**news, **output_values(ConfigOutputs, config_id=id_)})

    # delete --------------------------------------------------------------------------------
    def delete(self, id_: str, _props: dict[str, Any], engine: Engine) -> None:
        """deleteConfig; a configuration that is already gone counts as deleted."""
        self.client().delete_config(id_)


class ConfigurationProvider(DynamicProvider[ConfigurationHandler]):
    """Every `ardent.*Config` as a dynamic provider (the type from the inputs; `PROVIDERS` has one per type)."""

    handler_class = ConfigurationHandler


def provider_for(wire_type: str) -> type[ConfigurationProvider]:
    """The provider class of one configuration type (its handler class serves that type; it survives pickling)."""
    return PROVIDERS[wire_type]


def _spec(model: type[ConfigInputs]) -> ResourceSpec:
    wire_type = model.wire_type()
    return ResourceSpec(
        token=f"dataplatforms:ardent:{model.resource_name}",
        description=(
            f"An Ardent {model.title} data-source configuration (`{wire_type}`). The id is chosen client-side "
            "once and kept; every field change is an in-place update (Ardent's set is an upsert)."
        ),
        inputs=model,
        outputs=ConfigOutputs,
        provider=provider_for(wire_type),
        example=model.example,
        replace_on_changes=("configId",),
        secret_inputs=model.secrets,
        drift_detection=False,
        mints_identity=True,
        sdk_args_description=model.args_description or f"{model.title} (`{wire_type}`).",
        sdk_echoed_inputs=("configId", *model.echoed_inputs),
    )


HANDLERS: dict[str, type[ConfigurationHandler]] = {
    model.wire_type(): type(
        f"{model.resource_name}Handler",
        (ConfigurationHandler,),
        {"wire_type": model.wire_type(), "__module__": __name__},
    )
    for model in MODELS
}
PROVIDERS: dict[str, type[ConfigurationProvider]] = {
    model.wire_type(): type(
        f"{model.resource_name}Provider",
        (ConfigurationProvider,),
        {"handler_class": HANDLERS[model.wire_type()], "__module__": __name__},
    )
    for model in MODELS
}
# Importable by name: the adapters for unpickling (old stack states name them), the handlers alike.
globals().update({cls.__name__: cls for cls in (*HANDLERS.values(), *PROVIDERS.values())})

SPECS: tuple[ResourceSpec, ...] = tuple(_spec(model) for model in MODELS)
