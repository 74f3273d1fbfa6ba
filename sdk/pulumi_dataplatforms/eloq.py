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

from typing import TYPE_CHECKING, Any, Literal

import pulumi
from pulumi.runtime.config import get_config

from pulumi_dataplatforms_provider.eloq import SETTINGS

# The resource classes and their Args, generated from the package schema (`make schema`).
from ._generated.eloq import *  # noqa: F403
from ._generated.eloq import __all__ as _generated_names

if TYPE_CHECKING:
    from pulumi_dataplatforms_provider.eloq.models import Sku

__all__ = [
    *_generated_names,
    "Sku",
    "get_skus",
    "get_skus_output",
]


def __getattr__(name: str) -> Any:
    if name == "Sku":  # the model get_skus returns, loaded with the client
        from pulumi_dataplatforms_provider.eloq.models import Sku

        return Sku
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _credentials() -> tuple[str, str]:
    """The API key and base URL, from the stack config, then the environment (as the provider resolves them)."""
    stack_config = {s.key: value for s in SETTINGS if (value := get_config(s.key)) is not None}
    api_key, base_url = (s.resolve(stack_config) for s in SETTINGS)
    if not api_key:
        raise ValueError(
            "eloq:apiKey is not set: run `pulumi config set --secret eloq:apiKey <key>` or export ELOQ_API_KEY"
        )
    return api_key, base_url or ""


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
        cloud: The cloud: AWS or GCP.

    Returns:
        The matching SKUs of the plan, in Eloq's order; empty when none matches.

    Raises:
        ValueError: `eloq:apiKey` is set neither in the stack config nor as `ELOQ_API_KEY`, or an argument is
            none of its values (a pydantic `ValidationError`, raised before any request).
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
    from pulumi_dataplatforms_provider.eloq.skus import SkuQuery, find_skus

    query = SkuQuery.model_validate({"type": type, "module": module, "cloud": cloud})
    client = EloqClient(*_credentials())
    try:
        return find_skus(client, query)
    finally:
        client.close()


def get_skus_output(
    type: pulumi.Input[Literal["serverless", "dedicated"]] = "serverless",
    module: pulumi.Input[Literal["eloqkv", "eloqdoc"]] = "eloqkv",
    cloud: pulumi.Input[Literal["aws", "gcp"]] = "aws",
) -> pulumi.Output[list[Sku]]:
    """`get_skus` for arguments that may be outputs of other resources: the matching SKUs as an output.

    The SKUs are fetched once every argument is known (during a preview too, as `get_skus` would be); an
    argument that is a secret makes the result a secret. The credentials are read when it is called, so a
    missing API key fails the program at once.

    Args:
        type: Serverless or dedicated capacity; a value or an output.
        module: The engine: EloqKV (Redis-compatible) or EloqDoc (MongoDB-compatible); a value or an output.
        cloud: The cloud: AWS or GCP; a value or an output.

    Returns:
        An output of the matching SKUs of the plan, in Eloq's order; empty when none matches.

    Raises:
        ValueError: `eloq:apiKey` is set neither in the stack config nor as `ELOQ_API_KEY` (raised by the call).
        AuthenticationError: Eloq refused the API key (401); fails the output, and so the program.
        APIStatusError: Eloq answered with another error status, or with a body that is not a SKU list; fails
            the output.
        APIConnectionError: Eloq could not be reached at `eloq:baseUrl`, after retries; fails the output.

    Example:
        import pulumi
        from pulumi_dataplatforms import eloq

        config = pulumi.Config()
        skus = eloq.get_skus_output(type=config.get("skuType") or "serverless", module="eloqkv", cloud="aws")
        pulumi.export("skuNames", skus.apply(lambda found: [sku.sku_name for sku in found]))
        cluster = eloq.Cluster("cache", region="us-west-1", sku_id=skus.apply(lambda found: found[0].sku_id))
    """
    _credentials()
    return pulumi.Output.all(type, module, cloud).apply(lambda values: get_skus(*values))
