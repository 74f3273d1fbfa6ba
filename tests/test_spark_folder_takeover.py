"""An explicitly named Spark folder left by an interrupted create is taken over; an older one is refused."""

from __future__ import annotations

import time

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.core import ConflictError
from pulumi_dataplatforms_provider.spark.folder import FolderProvider
from tests.handlers import configured


def folders_named(emulator: EmulatorProcess, name: str) -> int:
    return sum(1 for f in emulator.admin.state()["spark"]["folders"].values() if f.get("name") == name)


def test_a_folder_created_within_the_create_timeout_is_taken_over(emulator: EmulatorProcess) -> None:
    provider = configured(FolderProvider, emulator)
    # What an interrupted `pulumi up` leaves: the folder exists, the stack does not know it.
    left = provider.handler.client().create_folder("pricing", description="from the interrupted run")
    checked = provider.check({}, {"name": "pricing", "description": "Pricing models", "__logicalName": "pricing"})
    created = provider.create(checked.inputs)
    assert created.id == left.id
    assert folders_named(emulator, "pricing") == 1
    assert provider.handler.client().folder_by_name("pricing").description == "Pricing models"  # type: ignore[union-attr]


def test_an_older_folder_of_that_name_is_someone_elses(emulator: EmulatorProcess) -> None:
    provider = configured(FolderProvider, emulator)
    provider.handler.client().create_folder("pricing", description="someone else's")
    time.sleep(2.1)
    news = {"name": "pricing", "timeouts": {"create": "1s"}, "__logicalName": "pricing"}
    with pytest.raises(ConflictError, match=r"already exists .*adoptExisting=true"):
        provider.create(provider.check({}, news).inputs)
    assert folders_named(emulator, "pricing") == 1
