"""Eloq SKU look-ups: the query (shared with a cluster's `sku` selector), its result, and the function spec.

`find_skus` is the client code both the SDK's `eloq.get_skus` (in the program's process) and the native
plugin's `dataplatforms:eloq:getSkus` (over Invoke, with the provider's settings) run.
"""

from __future__ import annotations

from collections.abc import Mapping

import pydantic

from ..checking import field
from ..settings import MissingSettingError
from ..spec import FunctionSpec
from . import SETTINGS
from .client import EloqClient
from .models import CloudProvider, EloqModule, Sku, SkuType


class SkuQuery(pydantic.BaseModel):
    """Which SKUs of the plan: capacity, engine and cloud."""

    model_config = pydantic.ConfigDict(extra="forbid")

    type: SkuType = field(SkuType.SERVERLESS, "Serverless or dedicated capacity.", "Use 'serverless' or 'dedicated'.")
    module: EloqModule = field(
        EloqModule.ELOQKV,
        "The engine: EloqKV (Redis-compatible) or EloqDoc (MongoDB-compatible).",
        "Use 'eloqkv' or 'eloqdoc'.",
    )
    cloud: CloudProvider = field(CloudProvider.AWS, "The cloud: AWS or GCP.", "Use 'aws' or 'gcp'.")


class SkuList(pydantic.BaseModel):
    """What `getSkus` returns."""

    skus: list[Sku] = pydantic.Field(
        description="The matching SKUs of the plan, in Eloq's order; empty when none matches."
    )


def find_skus(client: EloqClient, query: SkuQuery) -> list[Sku]:
    """The plan's SKUs matching `query`, in Eloq's order."""
    return client.list_skus(query.type.value, query.module.value, query.cloud.value)


def client_from(settings: Mapping[str, str]) -> EloqClient:
    """A client from `settings` (setting key -> value), each unset one from its environment variable or default."""
    api_key, base_url = (s.resolve(settings) for s in SETTINGS)
    if not api_key:
        raise MissingSettingError(SETTINGS[0])
    return EloqClient(api_key, base_url or "")


def get_skus(settings: Mapping[str, str], query: SkuQuery) -> SkuList:
    """`getSkus` answered with a provider's settings."""
    client = client_from(settings)
    try:
        return SkuList(skus=find_skus(client, query))
    finally:
        client.close()


GET_SKUS = FunctionSpec(
    token="dataplatforms:eloq:getSkus",
    description=(
        "The SKUs of the caller's plan that match. A SKU's `skuId` can be given to a cluster as `skuId`; "
        "a cluster's `sku` selector looks one up itself when the cluster is created."
    ),
    inputs=SkuQuery,
    outputs=SkuList,
    call=get_skus,
    example="""\
variables:
  dedicatedSkus:
    fn::invoke:
      function: dataplatforms:eloq:getSkus
      arguments:
        type: dedicated
        module: eloqdoc
        cloud: aws
      return: skus
resources:
  docs:
    type: dataplatforms:eloq:Cluster
    properties:
      region: us-west-1
      skuId: ${dedicatedSkus[0].skuId}
outputs:
  skuName: ${dedicatedSkus[0].skuName}
  clusterSkuId: ${docs.resolvedSkuId}
""",
    sdk_functions=("get_skus", "get_skus_output"),
)
