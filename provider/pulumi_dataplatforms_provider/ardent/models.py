"""Ardent wire facts: the ten configuration types and the connector and job responses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict


@dataclass(frozen=True)
class ConfigType:
    """One `set_config` type: its exact `Config.type`, endpoint and required wire parameters (in order)."""

    wire_type: str
    path: str
    params: tuple[str, ...]
    #: Other paths the same type was served on by other client versions (the emulator serves them too).
    alternate_paths: tuple[str, ...] = ()


CONFIG_TYPES: dict[str, ConfigType] = {
    t.wire_type: t
    for t in (
        ConfigType("mongodb", "/v1/configs/setMDBConfig", ("connection_string", "databases")),
        ConfigType(
            "postgreSQL", "/v1/configs/setpostgreSQLConfig", ("Hostname", "Port", "username", "password", "databases")
        ),
        ConfigType("supabase", "/v1/configs/setSupabaseConfig", ("project_url", "api_key", "databases")),
        ConfigType(
            "airflow",
            "/v1/configs/setAirflowConfig",
            ("github_token", "repo", "dag_path", "host", "username", "password"),
        ),
        ConfigType(
            "azureSQLServer",
            "/v1/configs/setAzureSQLConfig",
            ("server", "username", "password", "version", "databases"),
            alternate_paths=("/v1/configs/setAzureSQLServerConfig",),
        ),
        ConfigType(
            "snowflake", "/v1/configs/setSnowflakeConfig", ("account", "user", "password", "warehouse", "databases")
        ),
        ConfigType(
            "databricks",
            "/v1/configs/setDatabricksConfig",
            ("server_hostname", "http_path", "access_token", "catalogs"),
        ),
        ConfigType("mysql", "/v1/configs/setMySQLConfig", ("host", "port", "username", "password", "databases")),
        ConfigType(
            "databricksJobs",
            "/v1/configs/setDatabricksJobsConfig",
            ("workspace_url", "access_token", "github_token", "repo", "repo_path"),
        ),
        ConfigType("tigerbeetle", "/v1/configs/setTigerBeetleConfig", ("cluster_id", "replica_addresses")),
    )
}

DELETE_CONFIG_PATH = "/v1/configs/deleteConfig"
CREATE_JOB_PATH = "/v1/jobs/createJob"
EXECUTE_JOB_PATH = "/v1/jobs/APIChat"
DELETE_JOB_PATH = "/v1/jobs/deleteJob"
CONNECTORS_PATH = "/v1/connectors"


class Connector(BaseModel):
    """What connector create (and the emulator's list) returns; only `id` is guaranteed."""

    model_config = ConfigDict(extra="allow")

    id: str
    name: str | None = None
    service_name: str | None = None
    status: str | None = None

    def __repr__(self) -> str:  # never render connection_details
        return f"Connector(id={self.id!r}, name={self.name!r})"

    __str__ = __repr__


class Job(BaseModel):
    """createJob's answer: `{"id", "files_share_name", "userID"}`."""

    model_config = ConfigDict(extra="allow")

    id: str
    files_share_name: str = ""
    userID: str | None = None


def as_object(value: Any) -> dict[str, Any]:
    """A JSON answer as an object (non-objects are wrapped as `{"value": ...}`)."""
    return value if isinstance(value, dict) else {"value": value}
