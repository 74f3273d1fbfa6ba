"""The Ardent Job resource: run a message once on create (createJob + APIChat) and keep the answer.

`triggers` (any values) force a re-run by replacement; so do changes to the message or
`safeMode`. Delete removes the job (deleteJob). Both POSTs carry an `Idempotency-Key` derived
from a token generated once in `check`, so a retry after a lost answer returns the same job
and the same run on a server that honours the key (the emulator does; the production server's
behaviour is unknown). There is no read endpoint: drift cannot be detected.
"""

from __future__ import annotations

import uuid
from typing import Any

import pulumi
import pydantic
import pydantic.alias_generators

from ..base import auto_uuid
from ..checking import changed_inputs, field, output_values, user_inputs, validate
from ..dynamic import DynamicProvider
from ..handler import Engine
from ..protocol import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult
from ..spec import ResourceSpec
from ..timeouts import Deadline, OperationTimeouts, timeout
from .fields import NonEmpty
from .provider_base import ArdentHandler

REPLACE_KEYS = ("message", "safeMode", "triggers")
TOKEN_KEY = "runToken"


class JobTimeouts(OperationTimeouts):
    """How long an Ardent job's run may take before the provider gives up."""

    # 50m: the official client's own HTTP timeout for a job.
    create: str | float | None = timeout("50m", "The whole run of the job's `message`.")


class JobInputs(pydantic.BaseModel):
    """The inputs of an Ardent job."""

    model_config = pydantic.ConfigDict(extra="forbid", alias_generator=pydantic.alias_generators.to_camel)

    message: NonEmpty = field(
        ...,
        "The message (task) the job runs once on create. Changing it re-runs (replaces) the job.",
        "Give a non-empty message.",
    )
    safe_mode: bool = field(
        False, "Run in Ardent's safe mode. Changing it re-runs (replaces) the job.", "Use true or false.", strict=True
    )
    triggers: Any = field(
        None, "Any values; when they change the job is re-run (replaced).", "Give any JSON value, e.g. a map."
    )
    timeouts: JobTimeouts | None = field(None, "Operation timeouts (`create`).", "Give {'create': '30m'}.")

    def timeout(self, operation: str) -> float:
        return (self.timeouts or JobTimeouts()).seconds(operation)


class JobOutputs(pydantic.BaseModel):
    """What a job reports besides its inputs."""

    model_config = pydantic.ConfigDict(alias_generator=pydantic.alias_generators.to_camel)

    job_id: str = pydantic.Field(description="The server-assigned job id (also the resource id).")
    files_share_name: str = pydantic.Field(description="The job's file share.")
    user_id: str | None = pydantic.Field(None, description="The user the job belongs to.")
    response: Any = pydantic.Field(None, description="The APIChat answer of the run, as returned.")


class JobHandler(ArdentHandler):
    """The handler of `ardent.Job`."""

    def check(self, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> CheckResult:
        """Validate without any API call; make the run token once per job (a replacement gets a new one)."""
        _, failures = validate(JobInputs, news)
        inputs = dict(news)
        inputs[TOKEN_KEY] = olds.get(TOKEN_KEY) or auto_uuid(engine, TOKEN_KEY)
        return self.checked(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> DiffResult:
        changed = changed_inputs(olds, news, JobInputs)
        return DiffResult(changes=bool(changed), replaces=[k for k in changed if k in REPLACE_KEYS])

    def create(self, props: dict[str, Any], engine: Engine) -> CreateResult:
        """createJob then APIChat within the create timeout; a failed run deletes the job it made."""
        inputs = JobInputs.model_validate(user_inputs(props, JobInputs))
        token = str(props.get(TOKEN_KEY) or uuid.uuid4())
        client = self.client()
        deadline = Deadline(inputs.timeout("create"))
        job = client.create_job(inputs.message, f"{token}:create")
        pulumi.log.info(f"ardent job {job.id}: created; running")
        try:
            answer = client.execute_job(
                job,
                inputs.message,
                safe_mode=inputs.safe_mode,
                idempotency_key=f"{token}:execute",
                timeout=max(deadline.remaining, 1.0),
            )
        except Exception as exc:
            pulumi.log.warn(f"ardent job {job.id}: run failed ({exc}); deleting the job")
            try:
                client.delete_job(job.id)
            except Exception as cleanup:
                raise RuntimeError(
                    f"ardent job {job.id}: run failed ({exc}) and the job could not be deleted ({cleanup})"
                ) from exc
            raise
        outs = {
            **props,
            **output_values(
                JobOutputs, job_id=job.id, files_share_name=job.files_share_name, user_id=job.userID, response=answer
            ),
        }
        return CreateResult(job.id, outs)

    def read(self, id_: str, props: dict[str, Any], engine: Engine) -> ReadResult:
        """No read endpoint: the recorded state is returned unchanged."""
        return ReadResult(id_, props)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> UpdateResult:
        """Only `timeouts` changes in place."""
        return UpdateResult({**olds, "timeouts": news.get("timeouts")})

    def delete(self, id_: str, _props: dict[str, Any], engine: Engine) -> None:
        """deleteJob; already gone counts as deleted."""
        self.client().delete_job(id_)


class JobProvider(DynamicProvider[JobHandler]):
    """`ardent.Job` as a dynamic provider."""

    handler_class = JobHandler


SPEC = ResourceSpec(
    token="dataplatforms:ardent:Job",
    description=(
        "An Ardent job: runs its message once on create (createJob + APIChat) and keeps the answer. "
        "Changing `message`, `safeMode` or `triggers` re-runs it by replacement; delete removes the job. "
        "Drift cannot be detected."
    ),
    inputs=JobInputs,
    outputs=JobOutputs,
    provider=JobProvider,
    example=(
        "kind: ardent/PostgresConfig\n"
        "name: warehouse\n"
        "spec:\n"
        "  hostname: db.internal.example.com\n"
        "  port: '5432'\n"
        "  username: ardent\n"
        "  password: {secret: warehousePgPassword}\n"
        "  databases:\n"
        "    - name: analytics\n"
        "---\n"
        "kind: ardent/Job\n"
        "name: weekly-revenue\n"
        "spec:\n"
        "  message: Summarise last week's revenue by region from the analytics database and name the three largest changes.\n"
        "  safeMode: true\n"
        "  triggers:\n"
        "    warehouseConfig: {ref: ardent/PostgresConfig/warehouse.configId}\n"
        "  timeouts:\n"
        "    create: 30m\n"
    ),
    replace_on_changes=REPLACE_KEYS,
    drift_detection=False,
    sdk_args_description=(
        "The arguments of an Ardent job; a change of message, safe_mode or triggers re-runs it (replace)."
    ),
)
