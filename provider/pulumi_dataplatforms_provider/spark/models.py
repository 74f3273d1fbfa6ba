"""Spark wire models: the fields our client reads, with everything else kept as extras."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class FolderInfo(BaseModel):
    """A folder as `product/list` and the folder detail return it."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: str
    name: str
    description: str | None = None
    category: str | None = None
    status: str | None = None
    start_date: str | None = Field(None, alias="startDate")
    launch_date: str | None = Field(None, alias="launchDate")
    cover_image_path: str | None = Field(None, alias="coverImagePath")
    created_at: str | None = Field(None, alias="createdAt")


class VersionInfo(BaseModel):
    """One published version (`getversions` item)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: str
    revision: str
    created_at: str | None = Field(None, alias="createdAt")
    release_note: str | None = Field(None, alias="releaseNote")
    version_label: str | None = Field(None, alias="versionLabel")
    original_file_name: str | None = Field(None, alias="originalFileName")

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.revision, "createdAt": self.created_at, "label": self.version_label}


class Upload(BaseModel):
    """`response_data` of an upload: the compilation job and the two document ids publish needs."""

    model_config = ConfigDict(extra="allow")

    nodegen_compilation_jobid: str
    original_file_documentid: str
    engine_file_documentid: str


class CompilationStatus(BaseModel):
    """`response_data` of `getcompilationprogess`."""

    model_config = ConfigDict(extra="allow")

    status: str
    progress: float = 0
    last_error_message: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.progress >= 100 and self.status.lower() == "success"

    @property
    def failed(self) -> bool:
        return self.progress >= 100 and self.status.lower() != "success"


class ServiceSchema(BaseModel):
    """Input and output names of a service, read from `engines/get` (shape partly **unknown**)."""

    inputs: list[str]
    outputs: list[str]
    raw: dict[str, Any]

    @classmethod
    def parse(cls, data: dict[str, Any]) -> ServiceSchema:
        def names(key: str) -> list[str]:
            return [str(i.get("name")) for i in data.get(key) or [] if isinstance(i, dict) and i.get("name")]

        return cls(inputs=names("engineInputs"), outputs=names("engineOutputs"), raw=data)


class Execution(BaseModel):
    """A v3 execution: the outputs and who answered."""

    outputs: dict[str, Any]
    service_id: str | None = None
    version_id: str | None = None
    version: str | None = None
    call_id: str | None = None
    warnings: Any = None
    errors: Any = None
