"""The Spark Service resource: an Excel workbook uploaded, compiled and published as versions.

Identity is folder + name (both replace); the resource id is `<folder>/<name>`. The workbook's
SHA-256 (`fileHash`, computed by check) is an input, so a changed workbook publishes a new
version of the same service in place. Create = upload → poll compilation → publish, and is
transactional: a failed compile or publish leaves no service behind.

Read from the id alone (an import, `Service.get`) records what Spark knows: folder, name, the
latest version and the hash of its workbook. The workbook's path and the settings of later
versions are the program's alone (`LOCAL_KEYS`); a state without `file` is such a read one, and
its diff takes the program's values of them as recorded, so importing a service whose latest
version is the program's workbook changes nothing.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any, Literal

import pulumi
import pydantic
import pydantic.alias_generators

from ..base import auto_name, created_within, recorded, replacing_under_its_name, with_defaults
from ..checking import changed_inputs, field, is_unknown, output_values, user_inputs, validate
from ..core import ConflictError, NotFoundError
from ..dynamic import DynamicProvider
from ..exactly_once import create_once
from ..handler import Engine
from ..protocol import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult
from ..spec import ResourceSpec
from ..timeouts import Deadline, OperationTimeouts, timeout
from .client import SparkClient
from .provider_base import NAME_FIX, NAME_PATTERN, SparkHandler, file_sha256

REPLACE_KEYS = ("folder", "name")
PUBLISH_KEYS = ("fileHash",)
#: Inputs Spark does not hold: the workbook's local path and what applies to versions published later.
LOCAL_KEYS = (
    "file",
    "versioning",
    "label",
    "releaseNotes",
    "tags",
    "effectiveStartDate",
    "effectiveEndDate",
    "adoptExisting",
    "timeouts",
)


class ServiceTimeouts(OperationTimeouts):
    """How long each operation on a Spark service may take before the provider gives up."""

    create: str | float | None = timeout("10m", "Upload, compile and publish of the first version.")
    update: str | float | None = timeout("10m", "Upload, compile and publish of a changed workbook as a new version.")


class ServiceInputs(pydantic.BaseModel):
    """The inputs of a Spark service."""

    model_config = pydantic.ConfigDict(extra="forbid")

    folder: str = field(
        ..., "Name of the folder holding the service. Changing it replaces the service.", NAME_FIX, pattern=NAME_PATTERN
    )
    name: str | None = field(
        None,
        "Service name. Defaults to `<resource name>-<7 hex>` (the resource name cut to 50 characters). Changing it replaces the service.",
        NAME_FIX,
        pattern=NAME_PATTERN,
    )
    file: str = field(
        ...,
        "Path of the Excel workbook (.xlsx). A changed file publishes a new version.",
        "Give the path of an existing .xlsx file.",
        pattern=r"(?i)\.xlsx$",
    )
    file_hash: str | None = field(
        None,
        "SHA-256 of the workbook (computed from `file`).",
        "Leave unset; it is computed from file.",
        alias="fileHash",
    )
    versioning: Literal["major", "minor", "patch"] = field(
        "minor", "Which part of the semantic version a new workbook bumps.", "Use 'major', 'minor' or 'patch'."
    )
    label: str | None = field(None, "Version label of versions published from now on.", "Give a string.")
    release_notes: str | None = field(
        None, "Release notes of versions published from now on.", "Give a string.", alias="releaseNotes"
    )
    tags: list[str] | None = field(
        None, "Tags of versions published from now on.", "Give a list of strings without commas."
    )
    effective_start_date: str | None = field(
        None,
        "Effective start of versions published from now on (ISO 8601).",
        "Use an ISO 8601 date.",
        alias="effectiveStartDate",
    )
    effective_end_date: str | None = field(
        None,
        "Effective end of versions published from now on (ISO 8601).",
        "Use an ISO 8601 date.",
        alias="effectiveEndDate",
    )
    adopt_existing: bool = field(
        False,
        "Publish onto a service that already exists instead of failing.",
        "Use true or false.",
        alias="adoptExisting",
        strict=True,
    )
    timeouts: ServiceTimeouts | None = field(
        None,
        "Operation timeouts (upload + compile + publish for create and update).",
        "Give {create, update} durations such as '10m'.",
    )

    @pydantic.field_validator("tags")
    @classmethod
    def _no_commas(cls, value: list[str] | None) -> list[str] | None:
        if value and any("," in t for t in value):
            raise ValueError("tags are sent comma-separated, so a tag may not contain ','")
        return value


class ServiceOutputs(pydantic.BaseModel):
    """What a service reports besides its inputs."""

    model_config = pydantic.ConfigDict(alias_generator=pydantic.alias_generators.to_camel)

    service_id: str = pydantic.Field(description="The service's uuid.")
    version_id: str = pydantic.Field(description="The latest version's uuid.")
    version: str = pydantic.Field(description="The latest semantic version, e.g. `0.2.0`.")
    versions: list[dict[str, Any]] = pydantic.Field(
        description="Every version, newest first: {id, version, createdAt, label}."
    )
    version_count: int = pydantic.Field(description="Number of versions.")
    input_names: list[str] = pydantic.Field(description="The model's inputs (Xinput_ names).")
    output_names: list[str] = pydantic.Field(description="The model's outputs (Xoutput_ names).")
    execute_url: str = pydantic.Field(description="The v3 execute endpoint of the service.")


def xlsx_problem(path: str) -> str | None:
    """Why `path` cannot be uploaded as a workbook, or None."""
    file = Path(path).expanduser()
    if not file.is_file():
        return f"file {path!r} does not exist; give the path of an .xlsx workbook"
    if file.suffix.lower() != ".xlsx":
        return f"{path!r} is not an .xlsx workbook; save the model as Excel Workbook (.xlsx)"
    try:
        with zipfile.ZipFile(file) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise zipfile.BadZipFile
    except zipfile.BadZipFile:
        return f"{path!r} has the .xlsx extension but is not an Excel workbook; save it again from Excel"
    return None


class ServiceHandler(SparkHandler):
    """The handler of `spark.Service`."""

    def check(self, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> CheckResult:
        _, failures = validate(ServiceInputs, news)
        defaults = {"name": lambda: auto_name(engine, "service", max_base=50)}
        inputs, chosen = with_defaults(olds, news, defaults, engine, keep=("name",))
        if news.get("versioning") is None:
            inputs["versioning"] = "minor"
        path = news.get("file")
        if isinstance(path, str) and not is_unknown(path):
            problem = xlsx_problem(path)
            if problem:
                failures = [f for f in failures if f.property != "file"] + [CheckFailure("file", problem)]
            else:
                inputs["fileHash"] = file_sha256(path)
        return self.checked(inputs, failures, chosen)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> DiffResult:
        """Folder and name replace; the workbook's hash publishes; a state read from its id alone (no `file`)
        takes the program's `LOCAL_KEYS` as recorded."""
        if not olds.get("file"):
            olds = {**olds, **{k: news.get(k) for k in LOCAL_KEYS}}
        changed = changed_inputs(olds, news, ServiceInputs)
        replaces = [k for k in changed if k in REPLACE_KEYS]
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            stables=["serviceId"] if not replaces else [],
            delete_before_replace=bool(replaces),
        )

    def create(self, props: dict[str, Any], engine: Engine) -> CreateResult:
        inputs = ServiceInputs.model_validate(user_inputs(props, ServiceInputs))
        folder, name = inputs.folder, str(props["name"])
        client = self.client()
        deadline = Deadline((inputs.timeouts or ServiceTimeouts()).seconds("create"))
        existed = client.service_exists(folder, name)
        if existed and any(id_ == f"{folder}/{name}" for id_, _ in recorded(engine)):
            raise replacing_under_its_name(f"the Spark service {folder}/{name}")
        auto_named = engine.chose("name")
        left = self._left_by_interrupted_create(client, inputs, name, deadline, auto_named) if existed else "no"
        if existed and not inputs.adopt_existing and left == "no":
            raise ConflictError(
                f"a Spark service {folder}/{name} already exists; set adoptExisting=true to publish onto it, "
                "or choose another name",
                platform="Spark",
                status_code=409,
                code="SERVICE_ALREADY_EXISTS",
                method="GET",
                path=f"folders/{folder}/services/{name}/exists",
            )
        try:
            if left == "as is":
                pulumi.log.info(f"spark service {folder}/{name}: adopting the service left by an interrupted create")
            else:
                self._publish(client, inputs, name, deadline)
            outs = self._outputs(client, folder, name)
        except Exception as exc:
            if not existed or auto_named:
                self._clean_up(client, folder, name, exc)
            raise
        return CreateResult(f"{folder}/{name}", {**user_inputs(props, ServiceInputs), "name": name, **outs})

    @staticmethod
    def _left_by_interrupted_create(
        client: SparkClient, inputs: ServiceInputs, name: str, deadline: Deadline, auto_named: bool
    ) -> Literal["as is", "publish", "no"]:
        """Whether an existing service was left by this resource's interrupted create, and how to take it over.

        "as is": its latest version is this workbook, and the name is this resource's own auto-name
        (base.stable_value) or the service was created within the create timeout. "publish": the name
        is our auto-name but the workbook differs. "no": it is someone else's service.
        """
        versions = client.versions(inputs.folder, name)
        if not versions:
            return "publish" if auto_named else "no"
        same = hashlib.sha256(client.download(inputs.folder, name, versions[0].id)).hexdigest() == inputs.file_hash
        if auto_named:
            return "as is" if same else "publish"
        recent = created_within(str(versions[-1].created_at), deadline.seconds)
        return "as is" if same and recent else "no"

    @staticmethod
    def _publish(client: SparkClient, inputs: ServiceInputs, name: str, deadline: Deadline) -> str:
        """Upload, wait for compilation, publish once; returns the new version id."""
        folder = inputs.folder
        before = _latest_id(client, folder, name)
        path = Path(inputs.file).expanduser()
        content = path.read_bytes()
        if inputs.file_hash and hashlib.sha256(content).hexdigest() != inputs.file_hash:
            raise RuntimeError(f"{inputs.file} changed during the deployment; run `pulumi up` again")
        pulumi.log.info(f"spark service {folder}/{name}: uploading {path.name} ({len(content)} bytes)")
        upload = client.upload(
            folder,
            name,
            content,
            path.name,
            versioning=inputs.versioning,
            start_date=inputs.effective_start_date,
            end_date=inputs.effective_end_date,
        )
        client.wait_compiled(folder, name, upload.nodegen_compilation_jobid, deadline)

        def published() -> str | None:
            latest = _latest_id(client, folder, name)
            return latest if latest is not None and latest != before else None

        version_id = create_once(
            f"spark service {folder}/{name}: publish",
            published,
            lambda: client.publish(
                folder,
                name,
                upload,
                versioning=inputs.versioning,
                label=inputs.label,
                release_notes=inputs.release_notes,
                tags=inputs.tags,
                start_date=inputs.effective_start_date,
                end_date=inputs.effective_end_date,
            ),
            deadline,
            look_first=False,
            conflict_means_found=False,
        ).value
        pulumi.log.info(f"spark service {folder}/{name}: published version {version_id}")
        return version_id

    @staticmethod
    def _outputs(client: SparkClient, folder: str, name: str) -> dict[str, Any]:
        versions = client.versions(folder, name)
        if not versions:
            raise RuntimeError(f"spark service {folder}/{name} has no versions")
        schema = client.schema(folder, name)
        service_id = str(schema.raw.get("serviceId") or "")
        if not service_id:
            service_id = client.execute(folder, name).service_id or ""
        return output_values(
            ServiceOutputs,
            service_id=service_id,
            version_id=versions[0].id,
            version=versions[0].revision,
            versions=[v.summary() for v in versions],
            version_count=len(versions),
            input_names=schema.inputs,
            output_names=schema.outputs,
            execute_url=client.execute_url(folder, name),
        )

    @staticmethod
    def _clean_up(client: SparkClient, folder: str, name: str, cause: Exception) -> None:
        """Remove a service this create may have published, so no half service is left."""
        try:
            if client.service_exists(folder, name):
                pulumi.log.warn(f"spark service {folder}/{name}: create failed ({cause}); deleting the service")
                client.delete_service(folder, name)
        except Exception as exc:
            raise RuntimeError(
                f"spark service {folder}/{name}: create failed ({cause}) and clean-up failed ({exc}); "
                "delete the service in Spark"
            ) from exc

    def read(self, id_: str, props: dict[str, Any], engine: Engine) -> ReadResult:
        """Latest version from Spark; a service deleted behind Pulumi's back empties the id.

        When someone published another version, or nothing is recorded (a read from the id alone),
        the latest workbook is downloaded and hashed: the next `pulumi up` publishes the program's
        workbook when it differs.
        """
        folder, name = (str(props["folder"]), str(props["name"])) if props.get("name") else id_.split("/", 1)
        client = self.client()
        try:
            outs = self._outputs(client, folder, name)
        except NotFoundError:
            return ReadResult("", {})
        inputs = {"folder": folder, "name": name, **user_inputs(props, ServiceInputs)}
        republished = props.get("versionId") is not None and outs["versionId"] != props["versionId"]
        if republished:
            pulumi.log.info(f"spark service {folder}/{name}: version {outs['version']} was published outside Pulumi")
        if republished or not props.get("fileHash"):
            inputs["fileHash"] = hashlib.sha256(client.download(folder, name, outs["versionId"])).hexdigest()
        return ReadResult(id_, {**inputs, **outs}, inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> UpdateResult:
        """A changed workbook publishes a new version; other inputs apply to later versions."""
        inputs = ServiceInputs.model_validate(user_inputs(news, ServiceInputs))
        folder, name = inputs.folder, str(news["name"])
        client = self.client()
        if any(olds.get(k) != news.get(k) for k in PUBLISH_KEYS):
            deadline = Deadline((inputs.timeouts or ServiceTimeouts()).seconds("update"))
            self._publish(client, inputs, name, deadline)
            outs = self._outputs(client, folder, name)
        else:
            outs = {k: olds[k] for k in ServiceOutputs.model_json_schema(by_alias=True)["properties"] if k in olds}
        return UpdateResult({**user_inputs(news, ServiceInputs), "name": name, **outs})

    def delete(self, _id: str, props: dict[str, Any], engine: Engine) -> None:
        """Delete the service and all its versions; already gone (e.g. with its folder) is done."""
        self.client().delete_service(str(props.get("folder")), str(props.get("name")))


def _latest_id(client: SparkClient, folder: str, name: str) -> str | None:
    try:
        versions = client.versions(folder, name)
    except NotFoundError:
        return None
    return versions[0].id if versions else None


class ServiceProvider(DynamicProvider[ServiceHandler]):
    """`spark.Service` as a dynamic provider."""

    handler_class = ServiceHandler


SPEC = ResourceSpec(
    computed_inputs=("fileHash",),
    token="dataplatforms:spark:Service",
    description=(
        "A Coherent Spark service: an Excel workbook (Xinput_/Xoutput_ names) uploaded, compiled and published. "
        "Folder and name replace; a changed workbook publishes a new version of the same service. Create is "
        "transactional; refresh detects a service deleted or re-published outside Pulumi."
    ),
    inputs=ServiceInputs,
    outputs=ServiceOutputs,
    provider=ServiceProvider,
    example=(
        "kind: spark/Folder\n"
        "name: pricing\n"
        "spec:\n"
        "  name: pricing\n"
        "  description: Pricing models of the sales team\n"
        "  category: Finance\n"
        "---\n"
        "kind: spark/Service\n"
        "name: quote\n"
        "spec:\n"
        "  folder: {ref: spark/Folder/pricing.name}\n"
        "  name: quote\n"
        "  file: models/quote.xlsx\n"
        "  versioning: minor\n"
        "  releaseNotes: Volume discount from 40 units\n"
        "  tags: [pricing, quote]\n"
        "  timeouts:\n"
        "    create: 10m\n"
        "    update: 10m\n"
    ),
    replace_on_changes=REPLACE_KEYS,
    always_present=("name", "fileHash"),
    name_input="name",
    readable_by_id=True,
    sdk_args_description="The arguments of a Spark service.",
    sdk_echoed_inputs=("folder", "name"),
)
