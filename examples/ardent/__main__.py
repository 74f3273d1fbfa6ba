"""A warehouse team's Ardent data sources: the Postgres OLTP replica, Snowflake and the Airflow that loads it.

pulumi config set --secret pgPassword ...
pulumi config set --secret snowflakePassword ...
pulumi config set --secret airflowPassword ...
pulumi config set --secret githubToken ...
pulumi config set --secret ardent:secretKey ...   # with ardent:publicKey (or ARDENT_* env vars)
"""

import pulumi

from pulumi_dataplatforms import ardent

config = pulumi.Config()

postgres = ardent.PostgresConfig(
    "orders-replica",
    hostname=config.get("pgHost") or "orders-replica.db.internal",
    port=config.get("pgPort") or "5432",
    username="ardent_reader",
    password=config.require_secret("pgPassword"),
    databases=[ardent.DatabaseArgs(name="orders"), ardent.DatabaseArgs(name="customers")],
)

snowflake = ardent.SnowflakeConfig(
    "warehouse",
    account=config.get("snowflakeAccount") or "xy12345.eu-west-1",
    user="ARDENT",
    password=config.require_secret("snowflakePassword"),
    warehouse=config.get("snowflakeWarehouse") or "COMPUTE_WH",
    databases=[ardent.DatabaseArgs(name="ANALYTICS")],
)

airflow = ardent.AirflowConfig(
    "loader",
    github_token=config.require_secret("githubToken"),
    repo="acme/warehouse-dags",
    dag_path="dags/",
    host="https://airflow.acme.internal",
    username="ardent",
    password=config.require_secret("airflowPassword"),
)

pulumi.export("postgresConfigId", postgres.config_id)
pulumi.export("snowflakeConfigId", snowflake.config_id)
pulumi.export("airflowConfigId", airflow.config_id)
pulumi.export("snowflakePassword", snowflake.password)
