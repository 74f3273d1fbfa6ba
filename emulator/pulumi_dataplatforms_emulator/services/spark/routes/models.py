"""Request bodies of the Spark routes: form models and JSON models.

JSON models keep the keys the official clients send, typed where the emulator reads them, and
accept any other key.
"""

from __future__ import annotations

from typing import Any

from fastapi import UploadFile
from pydantic import BaseModel, ConfigDict, Field

from ...bodies import Name as NameText

#: Upper bound of page numbers and page sizes.
MAX_PAGE = 1_000_000
Text = str | None
Tags = str | list[str] | None


class TokenForm(BaseModel):
    """Urlencoded body of the OAuth2 token endpoint (checked by the endpoint, which answers OAuth2 errors)."""

    client_id: Text = None
    client_secret: Text = None
    grant_type: Text = None


class FolderForm(BaseModel):
    """Form body of ``POST product/create`` (urlencoded, or multipart from the TS SDK)."""

    Name: NameText | None = None
    Description: Text = None
    Category: Text = None
    Status: Text = None
    StartDate: Text = None
    LaunchDate: Text = None


class CoverForm(BaseModel):
    """Multipart body of ``POST product/uploadcoverimage``."""

    id: Text = None
    coverImage: UploadFile | None = None


class UploadForm(BaseModel):
    """Multipart body of ``upload``: the JSON entity as a text part and the workbook."""

    engineUploadRequestEntity: Text = None
    serviceFile: UploadFile | None = None


class _Body(BaseModel):
    """A JSON body: the keys the emulator reads are typed, any other key is accepted."""

    model_config = ConfigDict(extra="allow")


class SearchTerm(_Body):
    """One ``{"field", "value"}`` filter of ``product/list``."""

    field: str = ""
    value: Any = None


class FolderListBody(_Body):
    """Body of ``POST product/list``."""

    search: list[SearchTerm] | None = None
    page: int | None = Field(None, ge=0, le=MAX_PAGE)
    pageSize: int | None = Field(None, ge=0, le=MAX_PAGE)
    sort: Text = None


class FolderUpdateBody(_Body):
    """Body of ``POST product/update/{id}`` (a partial overwrite)."""

    description: Text = None
    category: Text = None
    startDate: Text = None
    launchDate: Text = None


class CategoryBody(_Body):
    """Body of ``POST lookup/savecategory``."""

    key: NameText | None = None
    value: Text = None
    icon: Text = None


class EnginesListBody(_Body):
    """Body of ``POST product/{folder}/engines`` (paging is not applied)."""

    page: int | None = Field(None, ge=0, le=MAX_PAGE)
    pageSize: int | None = Field(None, ge=0, le=MAX_PAGE)
    search: list[Any] | None = None
    sort: Text = None


class PublishData(_Body):
    """``request_data`` of ``publish``."""

    engine_file_documentid: Text = None
    version_difference: Text = None
    version_label: Text = None
    release_note: Text = None
    tags: Tags = None
    effective_start_date: Text = None
    effective_end_date: Text = None


class PublishBody(_Body):
    """Body of ``publish``."""

    request_data: PublishData = Field(default_factory=PublishData)


class ExecuteData(_Body):
    """``request_data`` of a v3 execution."""

    inputs: dict[str, Any] | None = None


class ExecuteMeta(_Body):
    """``request_meta`` of a v3 execution (the version is picked by id, else by revision)."""

    version_id: Text = None
    version: Text = None
    correlation_id: Text = None
    response_data_inputs: bool | None = None


class ExecuteBody(_Body):
    """Body of a v3 execution."""

    request_data: ExecuteData = Field(default_factory=ExecuteData)
    request_meta: ExecuteMeta = Field(default_factory=ExecuteMeta)


class SearchBody(_Body):
    """Body of ``services/search`` (filters and paging are not applied)."""

    request_data: dict[str, Any] | None = None


class RecompileData(_Body):
    """``request_data`` of ``recompileNodgen``."""

    versionId: Text = None
    upgradeType: Text = None
    releaseNotes: Text = None
    label: Text = None
    tags: Tags = None


class RecompileBody(_Body):
    """Body of ``recompileNodgen``."""

    request_data: RecompileData = Field(default_factory=RecompileData)


class V4Body(_Body):
    """Body of a v4 execution: records as objects, or a table whose first row is the header."""

    inputs: list[dict[str, Any] | list[Any]] | None = None
    service: Text = None
    version_id: Text = None
    correlation_id: Text = None
    response_data_inputs: bool | None = None


class TokenLifetime(BaseModel):
    """Body of ``PUT /_admin/spark/token-lifetime``."""

    seconds: float = Field(gt=0)
