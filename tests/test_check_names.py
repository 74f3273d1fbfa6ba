"""Names and ids the platforms would refuse are refused by `check`, naming the property, with no API call."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.ardent.configuration import provider_for
from pulumi_dataplatforms_provider.ardent.connector import ConnectorProvider
from pulumi_dataplatforms_provider.dynamic import DynamicProvider
from pulumi_dataplatforms_provider.spark.folder import FolderProvider
from pulumi_dataplatforms_provider.spark.service import ServiceProvider
from tests.handlers import configured

POSTGRES = {"type": "postgreSQL", "hostname": "db", "port": 5432, "username": "u", "password": "p", "databaseName": "d"}
SERVICE = {"folder": "pricing", "name": "quote", "file": "quote.xlsx"}
CASES: list[tuple[str, type[DynamicProvider[Any]], dict[str, Any], str]] = [
    ("spark-folder-blank", FolderProvider, {"name": " "}, "name"),
    ("spark-folder-tab-only", FolderProvider, {"name": "\t"}, "name"),
    ("spark-folder-nul", FolderProvider, {"name": "pri\x00cing"}, "name"),
    ("spark-service-nul", ServiceProvider, {**SERVICE, "name": "quo\x00te"}, "name"),
    ("spark-service-folder-blank", ServiceProvider, {**SERVICE, "folder": "  "}, "folder"),
    ("ardent-config-id-nul", provider_for("postgreSQL"), {**POSTGRES, "configId": "pg\x00-1"}, "configId"),
    ("ardent-connector-name-nul", ConnectorProvider, {"serviceName": "pg", "name": "wh\x00", "connectionDetails": {}}, "name"),
]  # fmt: skip


@pytest.mark.parametrize(("provider", "news", "prop"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check_refuses_the_name_without_calling_the_platform(
    emulator: EmulatorProcess, provider: type[DynamicProvider[Any]], news: dict[str, Any], prop: str
) -> None:
    handler = configured(provider, emulator)
    emulator.admin.reset_counts()
    result = handler.check({}, {**news, "__logicalName": "x"})
    assert [f.property for f in result.failures if f.property == prop], result.failures
    assert emulator.admin.request_counts()["total"] == 0
