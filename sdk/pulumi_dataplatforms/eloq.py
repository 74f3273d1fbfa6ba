"""Eloq database clusters (EloqKV / EloqDoc).

    from pulumi_dataplatforms import eloq
    cluster = eloq.Cluster("cache", region="us-west-1", sku=eloq.ClusterSkuArgs(type="serverless"))
    pulumi.export("endpoint", cluster.host)

Credentials come from stack config `eloq:apiKey` (secret) and `eloq:baseUrl`, or the
environment variables `ELOQ_API_KEY` and `ELOQ_BASE_URL`.

Dynamic resources cannot be imported with `pulumi import`; to manage a cluster that already
exists, declare it with its name and `adopt_existing=True`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pulumi
from pulumi.runtime.config import get_config

from pulumi_dataplatforms_provider.eloq import SETTINGS

from ._resource import DataPlatformResource

if TYPE_CHECKING:
    from pulumi_dataplatforms_provider.eloq.models import Sku

__all__ = ["Cluster", "ClusterArgs", "ClusterSkuArgs", "ClusterTimeoutsArgs", "Sku", "get_skus"]


def __getattr__(name: str) -> Any:
    if name == "Sku":  # the model get_skus returns, loaded with the client
        from pulumi_dataplatforms_provider.eloq.models import Sku

        return Sku
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(kw_only=True)
class ClusterSkuArgs:
    """Choose a SKU by its attributes; it is looked up when the cluster is created."""

    type: pulumi.Input[Literal["serverless", "dedicated"]] = "serverless"
    """Serverless or dedicated capacity."""
    module: pulumi.Input[Literal["eloqkv", "eloqdoc"]] = "eloqkv"
    """The engine: EloqKV (Redis-compatible) or EloqDoc (MongoDB-compatible)."""
    cloud: pulumi.Input[Literal["aws", "gcp"]] = "aws"
    """The cloud the cluster runs in."""
    name: pulumi.Input[str] | None = None
    """A SKU name, when several SKUs share type, module and cloud."""


@dataclass(kw_only=True)
class ClusterTimeoutsArgs:
    """How long each operation on an Eloq cluster may take before the provider gives up."""

    create: pulumi.Input[str | float] | None = None
    """Until the cluster is `available`. A duration such as '20m' or a number of seconds; default 20m."""
    delete: pulumi.Input[str | float] | None = None
    """Until the cluster is gone. A duration such as '20m' or a number of seconds; default 20m."""


@dataclass(kw_only=True)
class ClusterArgs:
    """The arguments of an Eloq cluster."""

    region: pulumi.Input[str]
    """Cloud region, e.g. `us-west-1`. Changing it replaces the cluster."""
    name: pulumi.Input[str] | None = None
    """Cluster name (1-63 of `a-z0-9-`). Defaults to `<resource name>-<7 hex>`. Changing it replaces the cluster."""
    sku_id: pulumi.Input[int] | None = None
    """Numeric SKU id from `get_skus()`. Give this or `sku`. Changing it replaces the cluster."""
    sku: pulumi.Input[ClusterSkuArgs] | None = None
    """SKU chosen by attributes. Give this or `sku_id`. Changing it replaces the cluster."""
    zone: pulumi.Input[str] | None = None
    """Availability zone; defaults to `us-west-1a`, as the official client sends. Changing it replaces the cluster."""
    adopt_existing: pulumi.Input[bool] | None = None
    """Take over a cluster that already has this name instead of failing (there is no `pulumi import`)."""
    timeouts: pulumi.Input[ClusterTimeoutsArgs] | None = None
    """Operation timeouts (Pulumi's customTimeouts do not reach dynamic providers)."""


class Cluster(DataPlatformResource, module="eloq", name="Cluster"):
    """An Eloq database cluster (EloqKV or EloqDoc). Create waits until the cluster is `available`; delete waits
    until it is gone. Eloq has no update endpoint, so every property the API sees replaces the cluster. Refresh
    reads the cluster back and drops it from state when it was deleted.
    """

    _args_type = ClusterArgs
    _name_input = "name"
    _output_names = (
        "resolved_sku_id", "status", "host", "port", "username", "password", "connection_string", "version",
        "created_at", "module_type", "cloud_provider", "deploy_mode", "elb_state", "org_name", "project_name",
        "tx_cpu_limit", "tx_memory_mi_limit", "tx_replica", "log_cpu_limit", "log_memory_mi_limit", "log_replica",
    )  # fmt: skip
    _secret_outputs = ("username", "password", "connection_string")

    name: pulumi.Output[str]
    region: pulumi.Output[str]
    zone: pulumi.Output[str]
    sku_id: pulumi.Output[int | None]
    resolved_sku_id: pulumi.Output[int]
    """The SKU id the cluster was created with."""
    status: pulumi.Output[str]
    """Provisioning status, `available` once created."""
    host: pulumi.Output[str]
    """Load-balancer host to connect to."""
    port: pulumi.Output[int]
    """Load-balancer port."""
    username: pulumi.Output[str]
    """Admin user name (secret)."""
    password: pulumi.Output[str]
    """Admin password (secret)."""
    connection_string: pulumi.Output[str]
    """`redis://` (EloqKV) or `mongodb://` (EloqDoc) URL with credentials (secret)."""
    version: pulumi.Output[str]
    """Engine version."""
    created_at: pulumi.Output[str]
    """Creation time (ISO 8601)."""
    module_type: pulumi.Output[str]
    """Engine, e.g. `EloqKV`."""
    cloud_provider: pulumi.Output[str]
    """Cloud provider, e.g. `aws`."""
    deploy_mode: pulumi.Output[str]
    """Deployment mode, e.g. `txWithInternalLog`."""
    elb_state: pulumi.Output[str]
    """Load-balancer state, e.g. `active`."""
    org_name: pulumi.Output[str]
    """Organisation that owns the cluster."""
    project_name: pulumi.Output[str]
    """Project that holds the cluster."""
    tx_cpu_limit: pulumi.Output[float]
    """Transaction-service CPU limit."""
    tx_memory_mi_limit: pulumi.Output[float]
    """Transaction-service memory limit (MiB)."""
    tx_replica: pulumi.Output[int]
    """Transaction-service replicas."""
    log_cpu_limit: pulumi.Output[float]
    """Log-service CPU limit."""
    log_memory_mi_limit: pulumi.Output[float]
    """Log-service memory limit (MiB)."""
    log_replica: pulumi.Output[int]
    """Log-service replicas."""

    def __init__(
        self,
        resource_name: str,
        args: ClusterArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        from pulumi_dataplatforms_provider.eloq.cluster import ClusterProvider

        super().__init__(ClusterProvider(), resource_name, args, opts, kwargs)


def get_skus(
    type: Literal["serverless", "dedicated"] = "serverless",
    module: Literal["eloqkv", "eloqdoc"] = "eloqkv",
    cloud: Literal["aws", "gcp"] = "aws",
) -> list[Sku]:
    """The SKUs of the caller's plan that match; credentials as for the provider (config, then environment).

    A SKU's `sku_id` can be given to a cluster as `sku_id`; `sku=ClusterSkuArgs(...)` makes the cluster look
    one up itself when it is created.

    Args:
        type: Serverless or dedicated capacity.
        module: The engine: EloqKV (Redis-compatible) or EloqDoc (MongoDB-compatible).
        cloud: The cloud the SKUs run in.

    Returns:
        The matching SKUs of the plan, in Eloq's order; empty when none matches.

    Raises:
        ValueError: `eloq:apiKey` is set neither in the stack config nor as `ELOQ_API_KEY`.
        AuthenticationError: Eloq refused the API key (401).
        APIStatusError: Eloq answered with another error status, or with a body that is not a SKU list.
        APIConnectionError: Eloq could not be reached at `eloq:baseUrl`, after retries.

    Example:
        import pulumi
        from pulumi_dataplatforms import eloq

        skus = eloq.get_skus(type="dedicated", module="eloqdoc", cloud="aws")
        pulumi.export("skus", [sku.sku_name for sku in skus])
        cluster = eloq.Cluster("docs", region="us-west-1", sku_id=skus[0].sku_id)
    """
    from pulumi_dataplatforms_provider.eloq.client import EloqClient

    stack_config = {s.key: value for s in SETTINGS if (value := get_config(s.key)) is not None}
    api_key, base_url = (s.resolve(stack_config) for s in SETTINGS)
    if not api_key:
        raise ValueError(
            "eloq:apiKey is not set: run `pulumi config set --secret eloq:apiKey <key>` or export ELOQ_API_KEY"
        )
    client = EloqClient(api_key, base_url or "")
    try:
        return client.list_skus(type, module, cloud)
    finally:
        client.close()
