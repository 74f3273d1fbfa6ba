"""The Ardent Connector resource (the newer API): create -> discover -> (selection) -> index as one create.

There is no update endpoint, so any change replaces the connector. Create is transactional:
when a step after the POST fails, the half-made connector is deleted. The POST is not blindly
retried: after a lost or failed answer the provider lists connectors and adopts the one its
attempt made (matched by the unique name it sent and an id that was not there before).
`GET /v1/connectors` is not in any official client; where it is absent the create fails
instead of risking a duplicate. There is no read endpoint: drift cannot be detected.

Read from the id alone (an import, `Connector.get`) finds the connector in that list, which
shows its service, name and selected paths but never its connection details; a state without
`connectionDetails` is such a read one, and its diff takes the program's connection details
(and timeouts) as recorded.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pydantic
import pydantic.alias_generators

from ..base import auto_name, with_defaults
from ..checking import changed_inputs, field, output_values, user_inputs, validate
from ..core import APIStatusError
from ..dynamic import DynamicProvider
from ..exactly_once import create_once
from ..handler import Engine
from ..protocol import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult
from ..spec import ResourceSpec
from ..timeouts import Deadline, OperationTimeouts, timeout
from .client import ArdentClient
from .fields import NonEmpty
from .models import Connector
from .provider_base import ArdentHandler

REPLACE_KEYS = ("serviceName", "connectionDetails", "name", "selectedPaths")
#: Inputs the connector list does not show.
UNLISTED_KEYS = ("connectionDetails", "timeouts")
LIST_UNSUPPORTED = (404, 405, 501)


class ConnectorTimeouts(OperationTimeouts):
    """How long creating an Ardent connector may take before the provider gives up."""

    create: str | float | None = timeout("10m", "The whole create: POST, discovery, path selection and indexing.")


class ConnectorInputs(pydantic.BaseModel):
    """The inputs of an Ardent connector."""

    model_config = pydantic.ConfigDict(extra="forbid", alias_generator=pydantic.alias_generators.to_camel)

    service_name: NonEmpty = field(
        ...,
        "Service kind, e.g. `postgresql`, `snowflake`, `mongodb`, `mysql`, `airflow`. Changing it replaces.",
        "Give a lower-case service name such as 'postgresql'.",
        pattern=r"^[a-z][a-z0-9_]*$",
    )
    connection_details: dict[str, Any] = field(
        ...,
        "Connection parameters for the service (free-form, e.g. host, port, database, username, password); "
        "stored as a secret. Changing it replaces.",
        "Give a non-empty map such as {'host': ..., 'port': 5432, 'password': ...}.",
        min_length=1,
    )
    name: NonEmpty | None = field(
        None,
        "Friendly name. Defaults to `<resource name>-<7 hex>`, which also identifies an interrupted create. "
        "Changing it replaces.",
        "Give a name that does not start with a blank and has no control characters.",
        pattern=r"^[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$",
    )
    selected_paths: list[NonEmpty] | None = field(
        None,
        "Paths to index, e.g. `['public.users']`; omitted indexes what discovery finds. Changing it replaces.",
        "Give a list of paths such as ['public.users'].",
    )
    timeouts: ConnectorTimeouts | None = field(None, "Operation timeouts (`create`).", "Give {'create': '10m'}.")

    def timeout(self, operation: str) -> float:
        return (self.timeouts or ConnectorTimeouts()).seconds(operation)


class ConnectorOutputs(pydantic.BaseModel):
    """What a connector reports besides its inputs."""

    model_config = pydantic.ConfigDict(alias_generator=pydantic.alias_generators.to_camel)

    connector_id: str = pydantic.Field(description="The server-assigned connector id (also the resource id).")
    status: str | None = pydantic.Field(
        None, description="The status the create answer reported (an imported connector: the list's), if any."
    )


def _unsupported(exc: APIStatusError) -> bool:
    return exc.status_code in LIST_UNSUPPORTED


class ConnectorHandler(ArdentHandler):
    """The handler of `ardent.Connector`."""

    def check(self, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> CheckResult:
        """Validate without any API call; auto-name once and keep the name."""
        _, failures = validate(ConnectorInputs, news)
        for failure in failures:  # connection details are secret: never echo them
            if failure.property.startswith("connectionDetails"):
                failure.reason = failure.reason.split(" (got ")[0]
        defaults = {"name": lambda: auto_name(engine, "connector")}
        inputs, chosen = with_defaults(olds, news, defaults, engine, keep=("name",))
        return self.checked(inputs, failures, chosen)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> DiffResult:
        """No update endpoint: every API-visible change replaces; `timeouts` updates in place.

        A state read from its id alone (no `connectionDetails`) takes the program's `UNLISTED_KEYS` as recorded.
        """
        if not olds.get("connectionDetails"):
            olds = {**olds, **{k: news.get(k) for k in UNLISTED_KEYS}}
        changed = changed_inputs(olds, news, ConnectorInputs)
        return DiffResult(changes=bool(changed), replaces=[k for k in changed if k in REPLACE_KEYS])

    def create(self, props: dict[str, Any], engine: Engine) -> CreateResult:
        """POST exactly once in effect, then discover/selection/index; delete the connector if a step fails."""
        inputs = ConnectorInputs.model_validate(user_inputs(props, ConnectorInputs))
        name = str(props["name"])
        client = self.client()
        deadline = Deadline(inputs.timeout("create"))
        connector = self._create_once(client, inputs, name, deadline, engine.chose("name"))
        try:
            client.discover_connector(connector.id)
            if inputs.selected_paths:
                client.select_paths(connector.id, inputs.selected_paths)
            client.index_connector(connector.id)
        except Exception as exc:
            pulumi.log.warn(f"ardent connector {name}: setup failed ({exc}); deleting the half-made connector")
            try:
                client.delete_connector(connector.id)
            except Exception as cleanup:
                raise RuntimeError(
                    f"ardent connector {name}: setup failed ({exc}) and connector {connector.id} could not be "
                    f"removed ({cleanup}); delete it in Ardent"
                ) from exc
            raise
        outs = {**props, **output_values(ConnectorOutputs, connector_id=connector.id, status=connector.status)}
        return CreateResult(connector.id, outs)

    @staticmethod
    def _ids_named(client: ArdentClient, name: str) -> set[str] | None:
        """Ids of connectors called `name` now, or None when the server cannot list connectors."""
        try:
            return {c.id for c in client.list_connectors() if c.name == name}
        except APIStatusError as exc:
            if _unsupported(exc):
                return None
            raise

    def _create_once(
        self, client: ArdentClient, inputs: ConnectorInputs, name: str, deadline: Deadline, auto_named: bool
    ) -> Connector:
        """An auto-name is this resource's alone (base.stable_value): a connector under it was left by its
        interrupted create, and is set up again (discover, selection and index can be repeated)."""
        before = self._ids_named(client, name)
        if auto_named and before:
            pulumi.log.info(f"ardent connector {name}: adopting {min(before)}, left by an interrupted create")
            return Connector(id=min(before), name=name)

        def made_by_an_attempt() -> Connector | None:
            """Connector names are not unique: a connector of this name that was not there before."""
            if before is None:
                raise RuntimeError(
                    f"ardent connector {name}: the create answer was lost and this server cannot list "
                    f"connectors; check Ardent for a connector named {name!r} before retrying"
                )
            made = sorted(c.id for c in client.list_connectors() if c.name == name and c.id not in before)
            return Connector(id=made[0], name=name) if made else None

        return create_once(
            f"ardent connector {name}",
            made_by_an_attempt,
            lambda: client.create_connector(inputs.service_name, inputs.connection_details, name),
            deadline,
            look_first=False,
            conflict_means_found=False,
            initial=0.2,
            maximum=5.0,
        ).value

    def read(self, id_: str, props: dict[str, Any], engine: Engine) -> ReadResult:
        """No read endpoint: the recorded state is returned unchanged (drift cannot be detected).

        With nothing recorded (an import), the connector is looked up by id in the connector list;
        not there empties the id, and a server that cannot list connectors cannot import one.
        """
        if props.get("connectorId"):
            return ReadResult(id_, props)
        try:
            listed = self.client().list_connectors()
        except APIStatusError as exc:
            if _unsupported(exc):
                raise RuntimeError(
                    f"ardent connector {id_}: this server cannot list connectors, so the connector cannot be read "
                    "from its id"
                ) from exc
            raise
        found = next((c for c in listed if c.id == id_), None)
        if found is None:
            return ReadResult("", {})
        paths = (found.model_extra or {}).get("selected_paths")
        inputs = {
            k: v
            for k, v in {"serviceName": found.service_name, "name": found.name, "selectedPaths": paths or None}.items()
            if v is not None
        }
        outs = output_values(ConnectorOutputs, connector_id=found.id, status=found.status)
        return ReadResult(id_, {**inputs, **outs}, inputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> UpdateResult:
        """Only `timeouts` changes in place."""
        return UpdateResult({**olds, **{k: v for k, v in news.items() if k == "timeouts"}})

    def delete(self, id_: str, _props: dict[str, Any], engine: Engine) -> None:
        """DELETE by id; already gone counts as deleted."""
        self.client().delete_connector(id_)


class ConnectorProvider(DynamicProvider[ConnectorHandler]):
    """`ardent.Connector` as a dynamic provider."""

    handler_class = ConnectorHandler


SPEC = ResourceSpec(
    token="dataplatforms:ardent:Connector",
    description=(
        "An Ardent connector (the newer API): create, discover, select paths and index as one create. "
        "Any change replaces it (there is no update endpoint); a failed setup deletes the half-made connector. "
        "Drift cannot be detected; importing by id reads the service, name and selected paths from the "
        "connector list, never the connection details."
    ),
    inputs=ConnectorInputs,
    outputs=ConnectorOutputs,
    provider=ConnectorProvider,
    example=(
        "kind: ardent/Connector\n"
        "name: warehouse\n"
        "spec:\n"
        "  serviceName: postgresql\n"
        "  name: warehouse-postgres\n"
        "  connectionDetails:\n"
        "    host: db.internal.example.com\n"
        "    port: 5432\n"
        "    database: analytics\n"
        "    username: ardent\n"
        "    password: {secret: warehousePgPassword}\n"
        "  selectedPaths: [public.orders, public.customers]\n"
        "  timeouts:\n"
        "    create: 15m\n"
    ),
    replace_on_changes=REPLACE_KEYS,
    secret_inputs=("connectionDetails",),
    drift_detection=False,
    always_present=("name",),
    readable_by_id=True,
    sdk_args_description="The arguments of an Ardent connector; every change replaces it.",
    sdk_echoed_inputs=("name", "connectionDetails"),
)
