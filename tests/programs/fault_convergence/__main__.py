"""Every resource type of the four platforms in one stack: auto-named and explicitly named ones.

The Spark workbooks (`models/*.xlsx`) and the uploaded file (`assets/readme.txt`) are written
next to this file before the stack runs; their paths are relative to it (the program's and the
provider host's working directory), so a copy of the stack elsewhere has the same inputs. Every SQL
migration statement is safe to replay.
"""

import pulumi

from pulumi_dataplatforms import aerostack, ardent, eloq, spark

secret = pulumi.Output.secret

# -- Eloq: three auto-named clusters, two named ones ------------------------------------------------
kv = eloq.ClusterSkuArgs(type="serverless", module="eloqkv", cloud="aws")
doc = eloq.ClusterSkuArgs(type="serverless", module="eloqdoc", cloud="aws")
timeouts = eloq.ClusterTimeoutsArgs(create="5m", delete="5m")
clusters = [eloq.Cluster(f"auto-{i}", region="us-west-1", sku=kv, timeouts=timeouts) for i in range(3)]
clusters.append(eloq.Cluster("sessions", name="fc-sessions", region="us-west-1", sku=kv, timeouts=timeouts))
clusters.append(eloq.Cluster("documents", name="fc-documents", region="us-west-1", sku=doc, timeouts=timeouts))

# -- Ardent: configurations of six types (one with a chosen id), two connectors, a job ------------------
ardent.PostgresConfig(
    "pg",
    hostname="pg.internal",
    port="5432",
    username="reader",
    password=secret("pg-pw-0001"),
    databases=[ardent.DatabaseArgs(name="orders")],
)
ardent.PostgresConfig(
    "pg-pinned",
    config_id="fc-pinned-postgres",
    hostname="pg2.internal",
    port="5433",
    username="reader",
    password=secret("pg-pw-0002"),
    databases=[ardent.DatabaseArgs(name="billing")],
)
ardent.MySqlConfig(
    "mysql",
    host="mysql.internal",
    port="3306",
    username="u",
    password=secret("mysql-pw-0001"),
    databases=[ardent.DatabaseArgs(name="shop")],
)
ardent.SnowflakeConfig(
    "snow",
    account="xy12345",
    user="ARDENT",
    password=secret("snow-pw-0001"),
    warehouse="WH",
    databases=[ardent.DatabaseArgs(name="ANALYTICS")],
)
ardent.AirflowConfig(
    "airflow",
    github_token=secret("ghp_fc0001"),
    repo="acme/dags",
    dag_path="dags/",
    host="https://airflow.internal",
    username="u",
    password=secret("airflow-pw-0001"),
)
ardent.MongoDbConfig(
    "mongo",
    connection_string=secret("mongodb://app:pw@mongo.internal:27017"),
    databases=[ardent.MongoDatabaseArgs(name="app", collections=[ardent.CollectionArgs(name="events")])],
)
ardent.TigerBeetleConfig("tb", cluster_id="0", replica_addresses=["10.0.0.1:3000"])
details = {"host": "pg.internal", "port": 5432, "database": "orders", "username": "u", "password": "conn-pw-0001"}
ardent.Connector("warehouse", service_name="postgresql", connection_details=details)
ardent.Connector(
    "orders",
    name="fc-orders-connector",
    service_name="postgresql",
    connection_details=details,
    selected_paths=["public.users"],
)
ardent.Job("profile", message="Profile the orders table", triggers={"run": "1"})

# -- Spark: a named and an auto-named folder, three services ---------------------------------------------
pricing = spark.Folder("pricing", name="fc-pricing", description="Pricing models", category="Finance")
scratch = spark.Folder("scratch", description="Auto-named folder")
spark.Service("quote", folder=pricing.name, name="quote", file="models/quote.xlsx", release_notes="v1")
spark.Service("tax", folder=pricing.name, name="tax", file="models/tax.xlsx", versioning="patch", tags=["tax"])
spark.Service("draft", folder=scratch.name, file="models/quote.xlsx")

# -- Aerostack: replay-safe migrations, cache entries, storage objects ---------------------------------------
users = aerostack.SqlMigration(
    "001-users",
    up=[
        "CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, email TEXT)",
        "CREATE INDEX IF NOT EXISTS users_email ON users (email)",
    ],
    down=["DROP INDEX IF EXISTS users_email", "DROP TABLE IF EXISTS users"],
)
aerostack.SqlMigration(
    "002-seed",
    up=[
        "INSERT OR IGNORE INTO users (id, email) VALUES ('u1', 'a@example.com')",
        "INSERT OR IGNORE INTO users (id, email) VALUES ('u2', 'b@example.com')",
    ],
    down=["DELETE FROM users WHERE id IN ('u1', 'u2')"],
    opts=pulumi.ResourceOptions(depends_on=[users]),
)
aerostack.SqlMigration(
    "003-posts",
    up=["CREATE TABLE IF NOT EXISTS posts (id INTEGER PRIMARY KEY, author TEXT, body TEXT)"],
    down=["DROP TABLE IF EXISTS posts"],
)
for i in range(4):
    aerostack.CacheEntry(f"setting-{i}", key=f"fc:setting:{i}", value={"index": i, "enabled": i % 2 == 0})
aerostack.CacheEntry("banner", key="fc:banner", value_json='{"text": "hello"}', ttl=3600)
aerostack.StorageObject("readme", key="docs/readme.txt", source="assets/readme.txt", content_type="text/plain")
for i in range(3):
    aerostack.StorageObject(
        f"note-{i}", key=f"notes/{i}.json", content=f'{{"note": {i}}}', content_type="application/json"
    )

pulumi.export("clusters", [c.name for c in clusters])
