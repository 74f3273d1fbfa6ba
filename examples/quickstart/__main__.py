"""Quickstart: one EloqKV cluster, its endpoint exported, its password kept secret.

Credentials: `pulumi config set --secret eloq:apiKey ...` and `eloq:baseUrl`, or the
ELOQ_API_KEY / ELOQ_BASE_URL environment variables (`make up` points them at the emulator).
"""

import pulumi

from pulumi_dataplatforms import eloq

config = pulumi.Config()

cluster = eloq.Cluster(
    "cache",
    region=config.get("region") or "us-west-1",
    sku=eloq.ClusterSkuArgs(type="serverless", module="eloqkv", cloud="aws"),
    timeouts=eloq.ClusterTimeoutsArgs(create="10m", delete="10m"),
)

pulumi.export("clusterName", cluster.name)
pulumi.export("endpoint", pulumi.Output.format("{0}:{1}", cluster.host, cluster.port))
pulumi.export("status", cluster.status)
pulumi.export("password", cluster.password)
