"""The Eloq Cluster resource: check, diff, create, read, update and delete side by side.

Identity is (org, project, cluster name); the resource id is `<org>/<project>/<name>`.
Eloq has no update endpoint, so every property the API sees forces a replacement;
only provider-side settings (`timeouts`, `adoptExisting`) update in place.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

import pulumi
import pydantic
import pydantic.alias_generators

from ..base import auto_name, created_within, recorded, replacing_under_its_name, with_defaults
from ..checking import changed_inputs, field, is_unknown, output_values, user_inputs, validate
from ..core import NotFoundError, PermissionDeniedError
from ..dynamic import DynamicProvider
from ..exactly_once import create_once
from ..handler import Engine, Handler
from ..polling import WaitTimeoutError, wait_for
from ..protocol import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult
from ..spec import ResourceSpec
from ..timeouts import Deadline, OperationTimeouts, timeout
from . import SETTINGS
from .client import DEFAULT_ZONE, EloqClient
from .models import ClusterDescription, SkuType
from .skus import SkuQuery, find_skus

NAME_PATTERN = r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"
READY = "available"
FAILED = frozenset({"failed", "error", "create_failed", "creating_failed"})

REPLACE_KEYS = ("name", "region", "skuId", "sku", "zone")
SECRET_OUTPUTS = ("username", "password", "connectionString")


class SkuSelector(SkuQuery):
    """Choose a SKU by its attributes; it is looked up when the cluster is created."""

    name: str | None = field(
        None,
        "A SKU name, when several SKUs share type, module and cloud.",
        "Give a SKU name from eloq.get_skus().",
        min_length=1,
    )


class ClusterTimeouts(OperationTimeouts):
    """How long each operation on an Eloq cluster may take before the provider gives up."""

    create: str | float | None = timeout("20m", "Until the cluster is `available`.")
    delete: str | float | None = timeout("20m", "Until the cluster is gone.")


class ClusterInputs(pydantic.BaseModel):
    """The inputs of an Eloq cluster, as the program gives them."""

    model_config = pydantic.ConfigDict(extra="forbid")

    name: str | None = field(
        None,
        "Cluster name (1-63 of `a-z0-9-`). Defaults to `<resource name>-<7 hex>`. Changing it replaces the cluster.",
        "Use 1-63 lower-case letters, digits and '-', starting and ending alphanumeric.",
        pattern=NAME_PATTERN,
    )
    region: str = field(
        ...,
        "Cloud region, e.g. `us-west-1`. Changing it replaces the cluster.",
        "Give a cloud region such as 'us-west-1'.",
        pattern=r"^[a-z]{2}(-[a-z]+)+-\d+$",
    )
    sku_id: pydantic.PositiveInt | None = field(
        None,
        "Numeric SKU id from `get_skus()`. Give this or `sku`. Changing it replaces the cluster.",
        "Give a positive integer id from eloq.get_skus().",
        alias="skuId",
    )
    sku: SkuSelector | None = field(
        None,
        "SKU chosen by attributes. Give this or `skuId`. Changing it replaces the cluster.",
        "Give {type, module, cloud, name?}, e.g. {'type': 'serverless'}.",
    )
    zone: str = field(
        DEFAULT_ZONE,
        "Availability zone; defaults to `us-west-1a`, as the official client sends. Changing it replaces the cluster.",
        "Give a zone such as 'us-west-1a'.",
        pattern=r"^[a-z]{2}(-[a-z]+)+-\d+[a-z]$",
    )
    adopt_existing: bool = field(
        False,
        "Take over a cluster that already has this name instead of failing (there is no `pulumi import`).",
        "Use true or false.",
        alias="adoptExisting",
        strict=True,
    )
    timeouts: ClusterTimeouts | None = field(
        None,
        "Operation timeouts (Pulumi's customTimeouts do not reach dynamic providers).",
        "Give {create, delete} durations such as '20m'.",
    )

    def timeout(self, operation: str) -> float:
        return (self.timeouts or ClusterTimeouts()).seconds(operation)


class ClusterOutputs(pydantic.BaseModel):
    """What a cluster reports once created, besides its inputs."""

    model_config = pydantic.ConfigDict(alias_generator=pydantic.alias_generators.to_camel)

    resolved_sku_id: int = pydantic.Field(description="The SKU id the cluster was created with.")
    status: str = pydantic.Field(description="Provisioning status, `available` once created.")
    host: str = pydantic.Field(description="Load-balancer host to connect to.")
    port: int = pydantic.Field(description="Load-balancer port.")
    username: str = pydantic.Field(description="Admin user name (secret).")
    password: str = pydantic.Field(description="Admin password (secret).")
    connection_string: str = pydantic.Field(
        description="`redis://` (EloqKV) or `mongodb://` (EloqDoc) URL with credentials (secret)."
    )
    version: str = pydantic.Field(description="Engine version.")
    created_at: str = pydantic.Field(description="Creation time (ISO 8601).")
    module_type: str = pydantic.Field(description="Engine, e.g. `EloqKV`.")
    cloud_provider: str = pydantic.Field(description="Cloud provider, e.g. `aws`.")
    deploy_mode: str = pydantic.Field(description="Deployment mode, e.g. `txWithInternalLog`.")
    elb_state: str = pydantic.Field(description="Load-balancer state, e.g. `active`.")
    org_name: str = pydantic.Field(description="Organisation that owns the cluster.")
    project_name: str = pydantic.Field(description="Project that holds the cluster.")
    tx_cpu_limit: float = pydantic.Field(description="Transaction-service CPU limit.")
    tx_memory_mi_limit: float = pydantic.Field(description="Transaction-service memory limit (MiB).")
    tx_replica: int = pydantic.Field(description="Transaction-service replicas.")
    log_cpu_limit: float = pydantic.Field(description="Log-service CPU limit.")
    log_memory_mi_limit: float = pydantic.Field(description="Log-service memory limit (MiB).")
    log_replica: int = pydantic.Field(description="Log-service replicas.")


def cluster_name_of(resource_id: str) -> str:
    return resource_id.rsplit("/", 1)[-1]


def outputs(inputs: dict[str, Any], resolved_sku_id: int | None, cluster: ClusterDescription) -> dict[str, Any]:
    """The resource's outputs: its inputs plus everything describe returns (credentials decoded)."""
    username, password = cluster.username(), cluster.password()
    scheme = "mongodb" if "doc" in cluster.module_type.lower() else "redis"
    return {
        **inputs,
        "region": cluster.region,
        "zone": cluster.zone,
        **output_values(
            ClusterOutputs,
            resolved_sku_id=resolved_sku_id,
            status=cluster.status,
            host=cluster.elb_addr,
            port=cluster.elb_port,
            username=username,
            password=password,
            connection_string=f"{scheme}://{username}:{password}@{cluster.elb_addr}:{cluster.elb_port}",
            version=cluster.version,
            created_at=cluster.create_at,
            module_type=cluster.module_type,
            cloud_provider=cluster.cloud_provider,
            deploy_mode=cluster.cluster_deploy_mode,
            elb_state=cluster.elb_state,
            org_name=cluster.org_name,
            project_name=cluster.project_name,
            tx_cpu_limit=cluster.tx_cpu_limit,
            tx_memory_mi_limit=cluster.tx_memory_mi_limit,
            tx_replica=cluster.tx_replica,
            log_cpu_limit=cluster.log_cpu_limit,
            log_memory_mi_limit=cluster.log_memory_mi_limit,
            log_replica=cluster.log_replica,
        ),
    }


class ClusterHandler(Handler[EloqClient]):
    """The handler of `eloq.Cluster`."""

    settings: ClassVar = SETTINGS

    def make_client(self) -> EloqClient:
        return EloqClient(self.setting("eloq:apiKey", required=True) or "", self.setting("eloq:baseUrl") or "")

    # check ---------------------------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> CheckResult:
        """Validate without any API call; auto-name `<logical>-<7 hex>` (stable, see base.py) and keep that name."""
        _, failures = validate(ClusterInputs, news)
        sku_id, sku = news.get("skuId"), news.get("sku")
        if sku_id is None and sku is None:
            failures.append(
                CheckFailure("skuId", "set skuId (an id from eloq.get_skus()) or sku ({type, module, cloud})")
            )
        elif sku_id is not None and sku is not None and not (is_unknown(sku_id) or is_unknown(sku)):
            failures.append(CheckFailure("sku", "set either skuId or sku, not both; remove one of them"))
        defaults = {"name": lambda: auto_name(engine, "cluster"), "zone": lambda: DEFAULT_ZONE}
        inputs, chosen = with_defaults(olds, news, defaults, engine, keep=("name",))
        return self.checked(inputs, failures, chosen)

    # diff ----------------------------------------------------------------------------------
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> DiffResult:
        """Every API-visible property replaces; delete first when the name was given explicitly."""
        changed = changed_inputs(olds, news, ClusterInputs)
        replaces = [k for k in changed if k in REPLACE_KEYS]
        explicit_name = not engine.chose("name")
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            stables=["name"] if not replaces else [],
            delete_before_replace=bool(replaces) and explicit_name,
        )

    # create --------------------------------------------------------------------------------
    def create(self, props: dict[str, Any], engine: Engine) -> CreateResult:
        """POST once (idempotently), wait for `available`, clean up if that fails."""
        inputs = ClusterInputs.model_validate(user_inputs(props, ClusterInputs))
        name = str(props["name"])
        client = self.client()
        deadline = Deadline(inputs.timeout("create"))
        sku_id = self._resolve_sku(client, inputs)
        owned = self._create_once(client, name, inputs, sku_id, deadline, engine)
        try:
            cluster = self._wait_ready(client, name, deadline)
        except Exception as exc:
            if owned:
                self._clean_up(client, name, inputs, exc)
            raise
        org_id, project_id = client.project_ids()
        return CreateResult(
            f"{org_id}/{project_id}/{name}", outputs(user_inputs(props, ClusterInputs), sku_id, cluster)
        )

    def _resolve_sku(self, client: EloqClient, inputs: ClusterInputs) -> int:
        if inputs.sku_id is not None:
            return inputs.sku_id
        selector = inputs.sku
        if selector is None:
            raise ValueError("set skuId or sku")
        skus = find_skus(client, selector)
        if selector.name:
            skus = [s for s in skus if s.sku_name == selector.name]
        if len(skus) != 1:
            offered = ", ".join(f"{s.sku_name} (id {s.sku_id})" for s in skus) or "none"
            raise ValueError(
                f"sku {selector.model_dump(mode='json', exclude_none=True)} matches {len(skus)} SKUs "
                f"({offered}); set sku.name or skuId to pick exactly one"
            )
        return skus[0].sku_id

    def _create_once(
        self, client: EloqClient, name: str, inputs: ClusterInputs, sku_id: int, deadline: Deadline, engine: Engine
    ) -> bool:
        """Look up by name before every POST, so a retried or re-run create never makes a duplicate.

        Returns True when the cluster is this resource's own (created now, or left by its interrupted
        create), so a failure deletes it; False when it adopted a cluster made elsewhere. The cluster the
        checkpoint records for this resource (a replacement created before the delete) is refused.
        """

        def find() -> ClusterDescription | None:
            try:
                return client.describe_cluster(name)
            except NotFoundError:
                return None

        def post() -> None:
            client.create_cluster(name, inputs.region, sku_id, inputs.zone)
            pulumi.log.info(f"eloq cluster {name}: create requested in {inputs.region}")

        created = create_once(f"eloq cluster {name}", find, post, deadline)
        if created.posted or created.after_lost_answer or created.value is None:
            return True  # this create's own cluster: a failure below removes it
        existing = created.value
        if any(out.get("name") == name and out.get("createdAt") == existing.create_at for _, out in recorded(engine)):
            raise replacing_under_its_name(f"the Eloq cluster named {name!r}")
        return self._adopt(name, existing, inputs, deadline, engine.chose("name"))

    @staticmethod
    def _adopt(
        name: str, existing: ClusterDescription, inputs: ClusterInputs, deadline: Deadline, auto_named: bool
    ) -> bool:
        """Take over a cluster that already carries the name, or refuse with the way out.

        An auto-name is this resource's alone (stable per stack and URN, never one the stack's
        checkpoint holds), so a cluster under it was left by this resource's interrupted create,
        however long ago. Returns True for such a cluster of our own.
        """
        same_place = existing.region == inputs.region and existing.zone == inputs.zone
        recent = created_within(existing.create_at, deadline.seconds)
        if same_place and auto_named:
            pulumi.log.info(f"eloq cluster {name}: adopting the cluster left by an interrupted create")
            return True
        if inputs.adopt_existing and same_place:
            pulumi.log.info(f"eloq cluster {name}: adopting the existing cluster (adoptExisting)")
            return False
        if same_place and recent:
            pulumi.log.info(f"eloq cluster {name}: adopting the cluster left by an interrupted create")
            return False
        where = f"region {existing.region}, zone {existing.zone}"
        hint = (
            "change region/zone to match it"
            if inputs.adopt_existing
            else "set adoptExisting=true to manage it, or choose another name"
        )
        raise ValueError(f"an Eloq cluster named {name!r} already exists ({where}, status {existing.status}); {hint}")

    @staticmethod
    def _wait_ready(client: EloqClient, name: str, deadline: Deadline) -> ClusterDescription:
        def ready(cluster: ClusterDescription) -> bool:
            if cluster.status.lower() in FAILED:
                raise RuntimeError(f"eloq cluster {name} failed to provision (status {cluster.status})")
            return cluster.status == READY

        return wait_for(
            f"eloq cluster {name}", lambda: client.describe_cluster(name), ready, deadline, describe=lambda c: c.status
        )

    def _clean_up(self, client: EloqClient, name: str, inputs: ClusterInputs, cause: Exception) -> None:
        """Remove a cluster this create made but could not finish, so nothing is left behind."""
        pulumi.log.warn(f"eloq cluster {name}: create failed ({cause}); deleting the half-made cluster")
        try:
            self._delete(client, name, Deadline(inputs.timeout("delete")))
        except Exception as exc:
            raise RuntimeError(
                f"eloq cluster {name}: create failed ({cause}) and the cluster could not be removed ({exc}); "
                "delete it in the Eloq console"
            ) from exc

    # read ----------------------------------------------------------------------------------
    def read(self, id_: str, props: dict[str, Any], engine: Engine) -> ReadResult:
        """Refresh from describe; an empty id tells the engine the cluster is gone."""
        name = cluster_name_of(id_)
        try:
            cluster = self.client().describe_cluster(name)
        except NotFoundError:
            return ReadResult("", {})
        inputs = {**user_inputs(props, ClusterInputs), "name": name, "region": cluster.region, "zone": cluster.zone}
        resolved = props.get("resolvedSkuId")
        if "skuId" not in inputs and "sku" not in inputs:  # read from the id alone (`get`, an import)
            resolved = self._sku_of(cluster)
            if resolved is not None:
                inputs["skuId"] = resolved
        return ReadResult(id_, outputs(inputs, resolved, cluster), inputs)

    def _sku_of(self, cluster: ClusterDescription) -> int | None:
        """The SKU a cluster runs on, which describe does not name: the one SKU of its engine and cloud
        whose limits and replicas are the cluster's (None when no or several SKUs match)."""
        shape = (
            "tx_cpu_limit",
            "tx_memory_mi_limit",
            "tx_replica",
            "log_cpu_limit",
            "log_memory_mi_limit",
            "log_replica",
        )
        module, cloud = cluster.module_type.lower(), cluster.cloud_provider.lower()
        client = self.client()
        matches = [
            sku.sku_id
            for sku_type in SkuType
            for sku in client.list_skus(sku_type.value, module, cloud)
            if all(getattr(sku, key) == getattr(cluster, key) for key in shape)
        ]
        return matches[0] if len(matches) == 1 else None

    # update --------------------------------------------------------------------------------
    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> UpdateResult:
        """Only provider-side settings change in place; outputs are carried over."""
        return UpdateResult({**olds, **{k: v for k, v in news.items() if k in ("timeouts", "adoptExisting")}})

    # delete --------------------------------------------------------------------------------
    def delete(self, id_: str, props: dict[str, Any], engine: Engine) -> None:
        """Wait for `available`, delete, wait until gone; already gone counts as done."""
        inputs = ClusterInputs.model_validate(user_inputs(props, ClusterInputs))
        self._delete(self.client(), cluster_name_of(id_), Deadline(inputs.timeout("delete")))

    @staticmethod
    def _delete(client: EloqClient, name: str, deadline: Deadline) -> None:
        what = f"eloq cluster {name}"

        def status() -> str:
            try:
                return client.describe_cluster(name).status
            except NotFoundError:
                return "deleted"

        while True:
            current = wait_for(what, status, lambda s: s in (READY, "deleted") or s.lower() in FAILED, deadline)
            if current == "deleted":
                return
            try:
                client.delete_cluster(name)
                break
            except NotFoundError:
                return
            except PermissionDeniedError:
                if deadline.expired:
                    raise
                time.sleep(1.0)
        try:
            wait_for(what, status, lambda s: s == "deleted", deadline)
        except WaitTimeoutError as exc:
            raise WaitTimeoutError(f"{exc}; the delete was accepted and may still complete") from exc


class ClusterProvider(DynamicProvider[ClusterHandler]):
    """`eloq.Cluster` as a dynamic provider."""

    handler_class = ClusterHandler


SPEC = ResourceSpec(
    token="dataplatforms:eloq:Cluster",
    description=(
        "An Eloq database cluster (EloqKV or EloqDoc). Create waits until the cluster is `available`; "
        "delete waits until it is gone. Eloq has no update endpoint, so every property the API sees "
        "replaces the cluster. Refresh reads the cluster back and drops it from state when it was deleted."
    ),
    inputs=ClusterInputs,
    outputs=ClusterOutputs,
    provider=ClusterProvider,
    example=(
        "kind: eloq/Cluster\n"
        "name: cache\n"
        "spec:\n"
        "  region: us-west-1\n"
        "  sku:\n"
        "    type: serverless\n"
        "    module: eloqkv\n"
        "    cloud: aws\n"
        "  timeouts:\n"
        "    create: 20m\n"
        "options:\n"
        "  protect: true\n"
    ),
    replace_on_changes=REPLACE_KEYS,
    secret_outputs=SECRET_OUTPUTS,
    always_present=("name", "zone"),
    name_input="name",
    readable_by_id=True,
    sdk_args_description="The arguments of an Eloq cluster.",
    sdk_echoed_inputs=("name", "region", "zone", "skuId"),
    sdk_type_names=(("SkuSelector", "ClusterSkuArgs"),),
)
