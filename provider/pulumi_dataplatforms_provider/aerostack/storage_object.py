"""The StorageObject resource: a file uploaded under a storage key; output `url`.

Aerostack storage has an upload endpoint only: no read, no delete. So this resource cannot
detect drift (read returns what was last uploaded, untouched), and destroy leaves the object
in place with a warning. A local `source` file is hashed during check (streamed), so editing
the file changes the `sourceHash` input and re-uploads; the upload itself streams the file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pulumi
import pydantic

from ..checking import changed_inputs, field, is_unknown, output_values, user_inputs, validate
from ..dynamic import DynamicProvider
from ..handler import Engine
from ..protocol import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult
from ..spec import ResourceSpec
from .provider_base import AerostackHandler

REPLACE_KEYS = ("key",)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


class StorageObjectInputs(pydantic.BaseModel):
    """The inputs of a stored object."""

    model_config = pydantic.ConfigDict(extra="forbid")

    key: str = field(
        ...,
        "Storage key/path, e.g. `assets/logo.svg`. Changing it replaces the object.",
        "Give a non-empty key such as 'assets/logo.svg'.",
        min_length=1,
        max_length=1024,
    )
    source: str | None = field(
        None, "Local file to upload (streamed). Give this or `content`.", "Give the path of an existing, readable file."
    )
    content: str | None = field(None, "Inline text content (UTF-8). Give this or `source`.", "Give a string.")
    content_type: str | None = field(
        None,
        "Content type; guessed from the file name when unset.",
        "Give a MIME type such as 'image/svg+xml'.",
        alias="contentType",
        pattern=r"^[\w.+-]+/[\w.+-]+(\s*;.*)?$",
    )
    file_name: str | None = field(
        None,
        "File name sent with the upload (the multipart file part's name); defaults to the source's or the key's.",
        "Give a file name such as 'logo.svg'.",
        alias="fileName",
        min_length=1,
        max_length=255,
        pattern=r"^[^/\\\x00-\x1f\x7f]+$",
    )
    source_hash: str | None = field(
        None, "SHA-256 of `source`, computed during check (not set by you).", "Leave it unset.", alias="sourceHash"
    )

    @pydantic.field_validator("source")
    @classmethod
    def _exists(cls, value: str | None) -> str | None:
        if value is not None and not Path(value).is_file():
            raise ValueError(f"file {value!r} does not exist or is not a regular file")
        return value


class StorageObjectOutputs(pydantic.BaseModel):
    """What an uploaded object reports."""

    url: str = pydantic.Field(description="Where the object is served, as the upload returned it.")
    size: int = pydantic.Field(description="Bytes uploaded.")


class StorageObjectHandler(AerostackHandler):
    """The handler of `aerostack.StorageObject`."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> CheckResult:
        _, failures = validate(StorageObjectInputs, {k: v for k, v in news.items() if k != "sourceHash"})
        inputs = {k: v for k, v in news.items() if k != "sourceHash"}
        source, content = news.get("source"), news.get("content")
        if (source is None) == (content is None) and not (is_unknown(source) or is_unknown(content)):
            failures.append(CheckFailure("source", "give exactly one of source (a file path) or content"))
        if isinstance(source, str) and not is_unknown(source) and not failures and Path(source).is_file():
            inputs["sourceHash"] = file_sha256(Path(source))
        return self.checked(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> DiffResult:
        changed = changed_inputs(olds, news, StorageObjectInputs)
        return DiffResult(changes=bool(changed), replaces=[k for k in changed if k in REPLACE_KEYS])

    def _upload(self, props: dict[str, Any]) -> dict[str, Any]:
        inputs = StorageObjectInputs.model_validate(user_inputs(props, StorageObjectInputs))
        if inputs.source is not None:
            path = Path(inputs.source)
            if inputs.source_hash and file_sha256(path) != inputs.source_hash:
                raise ValueError(f"source {path} changed between preview and update; run the update again")
            source: Path | bytes = path
            size = path.stat().st_size
        else:
            source = (inputs.content or "").encode()
            size = len(source)
        result = self.client().storage_upload(
            inputs.key, source, file_name=inputs.file_name, content_type=inputs.content_type
        )
        return {**props, **output_values(StorageObjectOutputs, url=result.url, size=size)}

    def create(self, props: dict[str, Any], engine: Engine) -> CreateResult:
        return CreateResult(str(props["key"]), self._upload(props))

    def read(self, id_: str, props: dict[str, Any], engine: Engine) -> ReadResult:
        """No read endpoint: state is returned as it is; drift cannot be detected."""
        return ReadResult(id_, props)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> UpdateResult:
        return UpdateResult(self._upload(news))

    def delete(self, id_: str, _props: dict[str, Any], engine: Engine) -> None:
        pulumi.log.warn(
            f"aerostack storage object {id_}: Aerostack has no delete endpoint; the object stays in storage "
            "and at its URL. It is only removed from the Pulumi state"
        )


class StorageObjectProvider(DynamicProvider[StorageObjectHandler]):
    """`aerostack.StorageObject` as a dynamic provider."""

    handler_class = StorageObjectHandler


SPEC = ResourceSpec(
    computed_inputs=("sourceHash",),
    token="dataplatforms:aerostack:StorageObject",
    description=(
        "A file uploaded to Aerostack storage (streamed), served at `url`. Aerostack has no read and no delete "
        "endpoint for objects: drift is never detected, and destroy leaves the object in place (with a warning). "
        "Editing the source file re-uploads it."
    ),
    inputs=StorageObjectInputs,
    outputs=StorageObjectOutputs,
    provider=StorageObjectProvider,
    example=(
        "kind: aerostack/StorageObject\n"
        "name: logo\n"
        "spec:\n"
        "  key: assets/logo.svg\n"
        "  source: assets/logo.svg\n"
        "  contentType: image/svg+xml\n"
    ),
    replace_on_changes=REPLACE_KEYS,
    drift_detection=False,
    sdk_args_description="The arguments of a stored object.",
    sdk_echoed_inputs=("key",),
)
