"""The Spark Folder resource: check, diff, create, read, update and delete side by side.

Identity is the folder name (unique per tenant); the resource id is the folder's uuid. The
name replaces; description, category, start/launch dates and the cover image update in
place. Deleting a folder deletes all its services (Spark cascades).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pydantic
import pydantic.alias_generators

from ..base import auto_name, created_within, recorded, replacing_under_its_name, with_defaults
from ..checking import changed_inputs, field, is_unknown, output_values, user_inputs, validate
from ..core import ConflictError
from ..dynamic import DynamicProvider
from ..exactly_once import create_once
from ..handler import Engine
from ..protocol import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult
from ..spec import ResourceSpec
from ..timeouts import Deadline, OperationTimeouts, timeout
from .client import SparkClient
from .models import FolderInfo
from .provider_base import NAME_FIX, NAME_PATTERN, SparkHandler, file_sha256

REPLACE_KEYS = ("name",)
UPDATE_KEYS = ("description", "category", "startDate", "launchDate", "coverImageHash")


class FolderTimeouts(OperationTimeouts):
    """How long creating a Spark folder may take before the provider gives up."""

    create: str | float | None = timeout(
        "2m", "The create, including the retries and the look-ups that make it happen exactly once."
    )


class FolderInputs(pydantic.BaseModel):
    """The inputs of a Spark folder."""

    model_config = pydantic.ConfigDict(extra="forbid")

    name: str | None = field(
        None,
        "Folder name, unique in the tenant. Defaults to `<resource name>-<7 hex>` (the resource name cut to 50 characters). Changing it replaces the folder.",
        NAME_FIX,
        pattern=NAME_PATTERN,
    )
    description: str = field("", "Description; updated in place.", "Give a string.")
    category: str = field(
        "Other",
        "Category (see the tenant's categories); updated in place.",
        "Give a category name such as 'Other'.",
        min_length=1,
    )
    start_date: str | None = field(
        None,
        "Start date (ISO 8601); updated in place.",
        "Use an ISO 8601 date such as '2026-01-01'.",
        alias="startDate",
    )
    launch_date: str | None = field(
        None,
        "Launch date (ISO 8601); updated in place.",
        "Use an ISO 8601 date such as '2026-06-01'.",
        alias="launchDate",
    )
    cover_image: str | None = field(
        None,
        "Path of a cover image file; a changed file is uploaded again.",
        "Give the path of an existing image file.",
        alias="coverImage",
    )
    cover_image_hash: str | None = field(
        None,
        "SHA-256 of the cover image (computed).",
        "Leave unset; it is computed from coverImage.",
        alias="coverImageHash",
    )
    adopt_existing: bool = field(
        False,
        "Manage a folder that already has this name instead of failing.",
        "Use true or false.",
        alias="adoptExisting",
        strict=True,
    )
    timeouts: FolderTimeouts | None = field(None, "Operation timeouts (`create`).", "Give {'create': '2m'}.")

    @pydantic.field_validator("start_date", "launch_date")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is not None:
            from datetime import datetime

            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(f"{value!r} is not an ISO 8601 date") from None
        return value


class FolderOutputs(pydantic.BaseModel):
    """What a folder reports besides its inputs."""

    model_config = pydantic.ConfigDict(alias_generator=pydantic.alias_generators.to_camel)

    folder_id: str = pydantic.Field(description="The folder's uuid.")
    status: str | None = pydantic.Field(None, description="Folder status (set at creation, `Design`).")
    created_at: str | None = pydantic.Field(None, description="Creation time.")
    cover_image_path: str | None = pydantic.Field(None, description="Where Spark keeps the cover image.")


def outputs(inputs: dict[str, Any], folder: FolderInfo) -> dict[str, Any]:
    return {
        **inputs,
        "name": folder.name,
        **output_values(
            FolderOutputs,
            folder_id=folder.id,
            status=folder.status,
            created_at=folder.created_at,
            cover_image_path=folder.cover_image_path,
        ),
    }


class FolderHandler(SparkHandler):
    """The handler of `spark.Folder`."""

    def check(self, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> CheckResult:
        _, failures = validate(FolderInputs, news)
        defaults = {"name": lambda: auto_name(engine, "folder", max_base=50)}
        inputs, chosen = with_defaults(olds, news, defaults, engine, keep=("name",))
        for key, default in (("category", "Other"), ("description", "")):
            if news.get(key) is None:
                inputs[key] = default
        cover = news.get("coverImage")
        if isinstance(cover, str) and not is_unknown(cover):
            if not Path(cover).expanduser().is_file():
                failures.append(
                    CheckFailure("coverImage", f"file {cover!r} does not exist; give the path of an image file")
                )
            else:
                inputs["coverImageHash"] = file_sha256(cover)
        return self.checked(inputs, failures, chosen)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> DiffResult:
        changed = changed_inputs(olds, news, FolderInputs)
        replaces = [k for k in changed if k in REPLACE_KEYS]
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            stables=["folderId"] if not replaces else [],
            delete_before_replace=bool(replaces) and not engine.chose("name"),
        )

    def create(self, props: dict[str, Any], engine: Engine) -> CreateResult:
        """Look up by name first; create once; a 5xx is followed by a look-up, never a blind retry."""
        inputs = FolderInputs.model_validate(user_inputs(props, FolderInputs))
        name = str(props["name"])
        client = self.client()
        deadline = Deadline((inputs.timeouts or FolderTimeouts()).seconds("create"))
        folder = self._create_once(client, name, inputs, deadline, engine)
        if inputs.cover_image:
            client.upload_cover(
                folder.id, Path(inputs.cover_image).expanduser().read_bytes(), Path(inputs.cover_image).name
            )
            folder = client.folder_by_name(name) or folder
        return CreateResult(folder.id, outputs(user_inputs(props, FolderInputs), folder))

    def _create_once(
        self, client: SparkClient, name: str, inputs: FolderInputs, deadline: Deadline, engine: Engine
    ) -> FolderInfo:
        """Create once; take over what this resource's interrupted create left.

        That is a folder under its auto-name (base.stable_value: the name is this resource's alone), or,
        for an explicit name, a folder created within the create timeout (as Eloq clusters and Spark
        services are taken over). An older folder of that name is someone else's: 409, unless adoptExisting.
        The folder the checkpoint records for this resource (a replacement created before the delete) is refused.
        """
        created = create_once(
            f"spark folder {name}",
            lambda: client.folder_by_name(name),
            lambda: client.create_folder(
                name,
                description=inputs.description,
                category=inputs.category,
                start_date=inputs.start_date,
                launch_date=inputs.launch_date,
            ),
            deadline,
        )
        existing = created.value
        if created.posted or created.after_lost_answer:
            return existing
        if any(out.get("folderId") == existing.id for _, out in recorded(engine)):
            raise replacing_under_its_name(f"the Spark folder named {name!r}")
        recent = bool(existing.created_at) and created_within(str(existing.created_at), deadline.seconds)
        auto_named = engine.chose("name")
        if not (inputs.adopt_existing or auto_named or recent):
            raise ConflictError(
                f"a Spark folder named {name!r} already exists (id {existing.id}); set adoptExisting=true "
                "to manage it, or choose another name",
                platform="Spark",
                status_code=409,
                code="PRODUCT_ALREADY_EXISTS",
                method="POST",
                path="product/create",
            )
        how = (
            "existing folder (adoptExisting)"
            if inputs.adopt_existing
            else "folder left by an interrupted create"
            if auto_named
            else "folder created within the create timeout (an interrupted create)"
        )
        pulumi.log.info(f"spark folder {name}: adopting the {how}")
        client.update_folder(
            existing.id,
            description=inputs.description,
            category=inputs.category,
            start_date=inputs.start_date,
            launch_date=inputs.launch_date,
        )
        return client.folder_by_name(name) or existing

    def read(self, id_: str, props: dict[str, Any], engine: Engine) -> ReadResult:
        """Find by name (by id when the state has none: `get`, an import, which records the name it
        finds as an input); gone, or replaced by another folder with the same name, empties the id."""
        name = str(props.get("name") or "")
        client = self.client()
        folder = client.folder_by_name(name) if name else client.folder_by_id(id_)
        if folder is None or folder.id != id_:
            return ReadResult("", {})
        inputs = user_inputs(props, FolderInputs) if name else {"name": folder.name}
        inputs["description"] = folder.description or ""
        inputs["category"] = folder.category or inputs.get("category", "Other")
        for key, value in (("startDate", folder.start_date), ("launchDate", folder.launch_date)):
            if value is None:
                continue
            if key in inputs and not _same_instant(inputs[key], value):
                inputs[key] = value  # drift
            elif key not in inputs and not name:
                inputs[key] = value  # read from the id alone (`get`): what the platform holds
        return ReadResult(id_, outputs(inputs, folder), inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> UpdateResult:
        inputs = FolderInputs.model_validate(user_inputs(news, FolderInputs))
        client = self.client()
        fields = {
            k: news.get(k) for k in ("description", "category", "startDate", "launchDate") if olds.get(k) != news.get(k)
        }
        if fields:
            client.update_folder(
                id_,
                description=fields.get("description"),
                category=fields.get("category"),
                start_date=fields.get("startDate"),
                launch_date=fields.get("launchDate"),
            )
        if inputs.cover_image and olds.get("coverImageHash") != news.get("coverImageHash"):
            path = Path(inputs.cover_image).expanduser()
            client.upload_cover(id_, path.read_bytes(), path.name)
        folder = client.folder_by_name(str(news["name"]))
        if folder is None:
            raise RuntimeError(f"spark folder {news['name']} disappeared during the update; run `pulumi refresh`")
        return UpdateResult(outputs(user_inputs(news, FolderInputs), folder))

    def delete(self, id_: str, props: dict[str, Any], engine: Engine) -> None:
        pulumi.log.warn(f"spark folder {props.get('name')}: deleting it also deletes every service in it")
        self.client().delete_folder(id_)


def _same_instant(a: str, b: str) -> bool:
    from datetime import datetime

    try:
        x, y = (datetime.fromisoformat(s.replace("Z", "+00:00")) for s in (a, b))
    except ValueError:
        return a == b
    if (x.tzinfo is None) != (y.tzinfo is None):
        x, y = x.replace(tzinfo=None), y.replace(tzinfo=None)
    return x == y


class FolderProvider(DynamicProvider[FolderHandler]):
    """`spark.Folder` as a dynamic provider."""

    handler_class = FolderHandler


SPEC = ResourceSpec(
    computed_inputs=("coverImageHash",),
    token="dataplatforms:spark:Folder",
    description=(
        "A Coherent Spark folder. The name replaces; description, category, dates and cover image update in "
        "place. Deleting a folder deletes all its services. An existing folder is adopted only with adoptExisting."
    ),
    inputs=FolderInputs,
    outputs=FolderOutputs,
    provider=FolderProvider,
    example=(
        "kind: spark/Folder\n"
        "name: pricing\n"
        "spec:\n"
        "  name: pricing\n"
        "  description: Pricing models of the sales team\n"
        "  category: Finance\n"
        "  startDate: '2026-01-01'\n"
        "  coverImage: images/pricing-cover.png\n"
    ),
    replace_on_changes=REPLACE_KEYS,
    always_present=("name", "description", "category"),
    name_input="name",
    readable_by_id=True,
    sdk_args_description="The arguments of a Spark folder.",
    sdk_echoed_inputs=("name", "description", "category"),
)
