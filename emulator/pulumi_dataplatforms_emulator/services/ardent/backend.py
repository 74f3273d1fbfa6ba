"""Ardent behaviour over the shared store: configurations, connectors, jobs, credits and scopes."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from ..spec import ServiceContext, ServiceError
from .auth import Principal

SERVICE = "ardent"
CONFIGS, CONNECTORS, JOBS, IDEMPOTENCY, ACCOUNT = "configs", "connectors", "jobs", "idempotency", "account"
ALL_SCOPES = ("config:write", "job:execute", "job:delete", "connectors.delete")

#: set_config endpoint -> (Config.type, required params with their top-level JSON type)
CONFIG_ENDPOINTS: dict[str, tuple[str, dict[str, type]]] = {
    "setMDBConfig": ("mongodb", {"connection_string": str, "databases": list}),
    "setpostgreSQLConfig": (
        "postgreSQL",
        {"Hostname": str, "Port": str, "username": str, "password": str, "databases": list},
    ),
    "setSupabaseConfig": ("supabase", {"project_url": str, "api_key": str, "databases": list}),
    "setAirflowConfig": (
        "airflow",
        {"github_token": str, "repo": str, "dag_path": str, "host": str, "username": str, "password": str},
    ),
    "setAzureSQLConfig": (
        "azureSQLServer",
        {"server": str, "username": str, "password": str, "version": str, "databases": list},
    ),
    "setSnowflakeConfig": (
        "snowflake",
        {"account": str, "user": str, "password": str, "warehouse": str, "databases": list},
    ),
    "setDatabricksConfig": (
        "databricks",
        {"server_hostname": str, "http_path": str, "access_token": str, "catalogs": list},
    ),
    "setMySQLConfig": ("mysql", {"host": str, "port": str, "username": str, "password": str, "databases": list}),
    "setDatabricksJobsConfig": (
        "databricksJobs",
        {"workspace_url": str, "access_token": str, "github_token": str, "repo": str, "repo_path": str},
    ),
    "setTigerBeetleConfig": ("tigerbeetle", {"cluster_id": str, "replica_addresses": list}),
}
# 0.3.0 moved Azure SQL to a new path; both are served.
CONFIG_ENDPOINTS["setAzureSQLServerConfig"] = CONFIG_ENDPOINTS["setAzureSQLConfig"]


def bad_request(message: str) -> ServiceError:
    return ServiceError(400, message)


def not_found(message: str) -> ServiceError:
    return ServiceError(404, message)


class ArdentBackend:
    """All Ardent state lives in the store under service `ardent`."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.store = ctx.store

    # account ------------------------------------------------------------------------------
    def account(self) -> dict[str, Any]:
        return self.store.get(SERVICE, ACCOUNT, "default") or {"credits": None, "scopes": list(ALL_SCOPES)}

    def set_account(self, credits: int | None, scopes: list[str] | None) -> dict[str, Any]:
        account = {"credits": credits, "scopes": list(ALL_SCOPES) if scopes is None else scopes}
        self.store.put(SERVICE, ACCOUNT, "default", account)
        return account

    def require_scope(self, scope: str, message: str) -> None:
        if scope not in self.account()["scopes"]:
            raise ServiceError(403, message)

    # idempotency --------------------------------------------------------------------------
    def replay(self, principal: Principal, route: str, key: str | None) -> dict[str, Any] | None:
        if not key:
            return None
        return self.store.get(SERVICE, IDEMPOTENCY, f"{principal.key}:{route}:{key}")

    def remember(self, principal: Principal, route: str, key: str | None, status: int, body: Any) -> None:
        if key:
            doc = {"status": status, "body": body}
            self.store.insert(SERVICE, IDEMPOTENCY, f"{principal.key}:{route}:{key}", doc)

    # configurations -----------------------------------------------------------------------
    def set_config(self, endpoint: str, body: Any) -> dict[str, Any]:
        """Validate like the official clients and upsert by the client-chosen id."""
        spec = CONFIG_ENDPOINTS.get(endpoint)
        if spec is None:
            raise not_found(f"Unknown configuration endpoint {endpoint}")
        wire_type, required = spec
        config = body.get("Config") if isinstance(body, dict) else None
        if not isinstance(config, dict):
            raise bad_request('Body must be {"Config": {...}}')
        if config.get("type") != wire_type:
            raise bad_request(f"Config.type must be {wire_type!r} on /v1/configs/{endpoint}")
        config_id = config.get("id")
        if not isinstance(config_id, str) or not config_id:
            raise bad_request("Config.id must be a non-empty string")
        missing = [p for p in required if p not in config]
        if missing:
            raise bad_request(f"Missing required parameters for {wire_type}: {', '.join(missing)}")
        wrong = [p for p, kind in required.items() if not isinstance(config[p], kind)]
        if wrong:
            raise bad_request(f"Invalid type for parameters: {', '.join(wrong)}")
        with self.store.transaction():
            existing = self.store.get(SERVICE, CONFIGS, config_id)
            # Unknown on the real server; the emulator refuses to silently change a config's type.
            if existing is not None and existing["type"] != wire_type:
                raise ServiceError(409, f"Configuration {config_id} exists with type {existing['type']}")
            now = self.ctx.clock()
            doc = {
                "id": config_id,
                "type": wire_type,
                "endpoint": endpoint,
                "config": config,
                "created_at": existing["created_at"] if existing else now,
                "updated_at": now,
                "revision": (existing["revision"] + 1) if existing else 1,
            }
            self.store.put(SERVICE, CONFIGS, config_id, doc)
        return {"id": config_id, "status": "success", "updated": existing is not None}

    def delete_config(self, body: Any) -> dict[str, Any]:
        self.require_scope("config:write", "Missing required scope: config:write")
        config_id = body.get("id") if isinstance(body, dict) else None
        if not isinstance(config_id, str) or not config_id:
            raise bad_request('Body must be {"id": "<config id>"}')
        if not self.store.delete(SERVICE, CONFIGS, config_id):
            raise not_found("Configuration not found")
        return {"id": config_id, "status": "deleted"}

    # connectors ---------------------------------------------------------------------------
    def create_connector(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("service_name"), str) or not body["service_name"]:
            raise bad_request("service_name is required")
        details = body.get("connection_details")
        if not isinstance(details, dict):
            raise bad_request("connection_details must be an object")
        name = body.get("name")
        connector_id = f"conn_{uuid.uuid4().hex[:20]}"
        doc = {
            "id": connector_id,
            "name": name if isinstance(name, str) and name else None,
            "service_name": body["service_name"],
            "connection_details": details,
            "status": "created",
            "selected_paths": [],
            "created_at": self.ctx.clock(),
        }
        self.store.put(SERVICE, CONNECTORS, connector_id, doc)
        return public_connector(doc)

    def connector(self, connector_id: str) -> dict[str, Any]:
        doc = self.store.get(SERVICE, CONNECTORS, connector_id)
        if doc is None:
            raise not_found("Connector not found")
        return doc

    def connector_step(self, connector_id: str, step: str, body: Any) -> dict[str, Any]:
        with self.store.transaction():
            doc = self.connector(connector_id)
            if step == "discover":
                doc["status"] = "discovered"
                doc["discovered_paths"] = ["public.users", "public.orders"]
            elif step == "selection":
                paths = body.get("selected_paths") if isinstance(body, dict) else None
                if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                    raise bad_request("selected_paths must be a list of strings")
                doc["selected_paths"] = paths
            else:
                if doc["status"] == "created":
                    raise ServiceError(409, "Connector must be discovered before it is indexed")
                doc["status"] = "indexed"
            self.store.put(SERVICE, CONNECTORS, connector_id, doc)
        return {"id": connector_id, "status": doc["status"]}

    def list_connectors(self) -> list[dict[str, Any]]:
        return [public_connector(r.doc) for r in self.store.page(SERVICE, CONNECTORS).items]

    def delete_connector(self, connector_id: str) -> None:
        self.require_scope("connectors.delete", "Missing required scope: connectors.delete")
        if not self.store.delete(SERVICE, CONNECTORS, connector_id):
            raise not_found("Connector not found")

    # jobs ---------------------------------------------------------------------------------
    def create_job(self, principal: Principal, body: Any) -> dict[str, Any]:
        message = body.get("userMessage") if isinstance(body, dict) else None
        if not isinstance(message, str) or not message:
            raise bad_request("userMessage is required")
        job_id = str(uuid.uuid4())
        job = {"id": job_id, "files_share_name": f"share-{secrets.token_hex(6)}", "userID": principal.user_id}
        self.store.put(
            SERVICE, JOBS, job_id, {**job, "userMessage": message, "runs": 0, "created_at": self.ctx.clock()}
        )
        return job

    def execute_job(self, body: Any) -> dict[str, Any]:
        self.require_scope("job:execute", "Missing required scope: job:execute")
        if not isinstance(body, dict) or not isinstance(body.get("jobID"), str):
            raise bad_request("jobID is required")
        with self.store.transaction():
            job = self.store.get(SERVICE, JOBS, body["jobID"])
            if job is None:
                raise not_found("Job not found")
            account = self.account()
            if account["credits"] is not None:
                if account["credits"] <= 0:
                    raise ServiceError(402, "Out of credits")
                self.set_account(account["credits"] - 1, account["scopes"])
            job["runs"] += 1
            self.store.put(SERVICE, JOBS, job["id"], job)
        message = str(body.get("userMessage", ""))
        return {"jobID": job["id"], "status": "completed", "response": f"Completed: {message}", "run": job["runs"]}

    def job_files(self, job_id: str) -> dict[str, Any]:
        job = self.store.get(SERVICE, JOBS, job_id)
        if job is None:
            raise not_found("Job not found")
        return {"jobID": job_id, "files_share_name": job["files_share_name"], "files": []}

    def delete_job(self, body: Any) -> None:
        self.require_scope("job:delete", "Missing required scope: job:delete or cannot delete jobs for different user")
        job_id = body.get("jobID") if isinstance(body, dict) else None
        if not isinstance(job_id, str) or not self.store.delete(SERVICE, JOBS, job_id):
            raise not_found("Job not found")

    def dump(self) -> dict[str, Any]:
        """Admin view (includes stored secrets: the admin API is for tests only)."""
        return {
            "configs": {r.key: r.doc for r in self.store.page(SERVICE, CONFIGS).items},
            "connectors": {r.key: r.doc for r in self.store.page(SERVICE, CONNECTORS).items},
            "jobs": {r.key: r.doc for r in self.store.page(SERVICE, JOBS).items},
            "account": self.account(),
        }


def public_connector(doc: dict[str, Any]) -> dict[str, Any]:
    """A connector as the API shows it: never its connection details."""
    return {k: doc.get(k) for k in ("id", "name", "service_name", "status", "selected_paths", "created_at")}
