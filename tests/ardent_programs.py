"""Pulumi programs for the Ardent tests: all ten configuration types, and a connector plus a job."""

from __future__ import annotations

import textwrap
from pathlib import Path

ALL_TYPES = """
import pulumi
from pulumi_dataplatforms import ardent as a

cfg = pulumi.Config()
v = cfg.get("variant") or "1"          # changing it edits one field of every configuration
s = lambda key: cfg.require_secret(key)  # noqa: E731

a.MongoDbConfig("mongo", connection_string=s("mongoUri"),
    databases=[a.MongoDatabaseArgs(name="app", collections=[a.CollectionArgs(name="events" + v)])])
a.PostgresConfig("pg", hostname="pg.internal", port="543" + v, username="u", password=s("pgPassword"),
    databases=[a.DatabaseArgs(name="analytics")])
a.MySqlConfig("mysql", host="mysql.internal", port="330" + v, username="u", password=s("mysqlPassword"),
    databases=[a.DatabaseArgs(name="shop")])
a.SnowflakeConfig("snow", account="xy12345", user="ARDENT", password=s("snowPassword"), warehouse="WH" + v,
    databases=[a.DatabaseArgs(name="ANALYTICS")])
a.AzureSqlServerConfig("azure", server="acme.database.windows.net", username="u", password=s("azurePassword"),
    version="1" + v, databases=[a.DatabaseArgs(name="sales")])
a.SupabaseConfig("supa", project_url="https://abc.supabase.co", api_key=s("supabaseKey"),
    databases=[a.SupabaseDatabaseArgs(name="public" + v)])
a.AirflowConfig("airflow", github_token=s("githubToken"), repo="acme/dags", dag_path="dags/" + v,
    host="https://airflow.internal", username="u", password=s("airflowPassword"))
a.DatabricksConfig("dbx", server_hostname="adb-1.azuredatabricks.net", http_path="/sql/1.0/warehouses/w" + v,
    access_token=s("dbxToken"), catalogs=[a.CatalogArgs(name="main",
        databases=[a.DatabricksDatabaseArgs(name="sales", tables=[a.TableArgs(name="orders")])])])
a.DatabricksJobsConfig("dbxjobs", workspace_url="https://adb-1.azuredatabricks.net", access_token=s("dbxToken"),
    github_token=s("githubToken"), repo="acme/jobs", repo_path="jobs/" + v)
a.TigerBeetleConfig("tb", cluster_id="0", replica_addresses=["10.0.0.1:300" + v])

# A source whose kind changes with config: a different type is a different resource (new id).
if (cfg.get("sourceKind") or "postgres") == "postgres":
    a.PostgresConfig("source", hostname="src.internal", port="5432", username="u", password=s("pgPassword"),
        databases=[a.DatabaseArgs(name="src")])
else:
    a.MySqlConfig("source", host="src.internal", port="3306", username="u", password=s("mysqlPassword"),
        databases=[a.DatabaseArgs(name="src")])
"""

#: every secret the ALL_TYPES program reads, with a recognisable plaintext value
SECRETS = {
    "mongoUri": "mongodb://app:m0ngo-S3CRET@mongo.internal:27017",
    "pgPassword": "pg-S3CRET-pw",
    "mysqlPassword": "mysql-S3CRET-pw",
    "snowPassword": "snow-S3CRET-pw",
    "azurePassword": "azure-S3CRET-pw",
    "supabaseKey": "supa-S3CRET-service-role",
    "githubToken": "ghp_S3CRETtoken",
    "airflowPassword": "airflow-S3CRET-pw",
    "dbxToken": "dapi-S3CRET-token",
}

CONNECTOR_AND_JOB = """
import pulumi
from pulumi_dataplatforms import ardent

cfg = pulumi.Config()
conn = ardent.Connector("orders", service_name="postgresql",
    connection_details={"host": "pg.internal", "port": 5432, "database": "orders", "username": "u",
                        "password": cfg.require_secret("pgPassword")},
    selected_paths=["public.users"])
job = ardent.Job("profile", message="Profile the orders table", triggers={"run": cfg.get("run") or "1"})
pulumi.export("connectorId", conn.connector_id)
pulumi.export("jobId", job.job_id)
pulumi.export("answer", job.response)
"""


def write_program(directory: Path, name: str, body: str) -> Path:
    """A Pulumi program directory named `name` whose `__main__.py` is `body`."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    (directory / "__main__.py").write_text(textwrap.dedent(body))
    return directory
