"""The Spark Folder and Service handlers driven as the provider host drives them, against the emulator.

Judged by what Spark holds (folder fields, cover image, published versions and their metadata),
what was sent (the request log, and fault rules used as probes on request bodies) and what each
handler records as outputs: creates that take over what an interrupted run left and refuse what
is someone else's, publishes that never duplicate a version, refreshes that report drift and
nothing else, and retries paced as documented.
"""

from __future__ import annotations

import hashlib
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from pulumi.runtime import rpc

from pulumi_dataplatforms_emulator.process import EmulatorProcess, credentials
from pulumi_dataplatforms_provider import exactly_once
from pulumi_dataplatforms_provider.core import ConflictError, ServerError, ValidationError
from pulumi_dataplatforms_provider.spark import folder as folder_module
from pulumi_dataplatforms_provider.spark import service as service_module
from pulumi_dataplatforms_provider.spark.folder import FolderProvider
from pulumi_dataplatforms_provider.spark.service import ServiceProvider
from tests.handlers import configured
from tests.test_resource_properties import workbooks

pytestmark = pytest.mark.timeout(120)

V1 = "/spark/api/v1"


def spark(emulator: EmulatorProcess) -> dict[str, Any]:
    state: dict[str, Any] = emulator.admin.state()["spark"]
    return state


def requests(emulator: EmulatorProcess, method: str, pattern: str) -> list[dict[str, Any]]:
    return [e for e in emulator.admin.request_log() if e["method"] == method and re.search(pattern, e["path"])]


def no_failures(result: Any) -> dict[str, Any]:
    assert not result.failures, [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


def recorded_sleeps(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[float]:
    """The pauses `module` takes between its own attempts, and those of the exactly-once create it uses
    (taken as no time at all)."""
    taken: list[float] = []
    for owner in (module, exactly_once):
        if hasattr(owner, "time"):
            monkeypatch.setattr(owner, "time", SimpleNamespace(sleep=taken.append))
    return taken


# -- folder --------------------------------------------------------------------------------------


@pytest.fixture
def folders(emulator: EmulatorProcess) -> FolderProvider:
    return configured(FolderProvider, emulator)


def stored_folder(emulator: EmulatorProcess, name: str) -> dict[str, Any] | None:
    return next((f for f in spark(emulator)["folders"].values() if f["name"] == name), None)


def image(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def folder_inputs(provider: FolderProvider, olds: dict[str, Any] | None = None, **given: Any) -> dict[str, Any]:
    news = {"__logicalName": "pricing", **given}
    return no_failures(provider.check(olds or {}, {k: v for k, v in news.items() if v is not None}))


def test_a_folder_is_created_with_its_fields_and_cover_and_recorded_as_spark_holds_it(
    folders: FolderProvider, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    cover = image(tmp_path, "cover.png", b"\x89PNG first")
    inputs = folder_inputs(
        folders,
        name="pricing",
        description="Pricing models",
        category="Finance",
        startDate="2026-01-01",
        launchDate="2027-06-01",
        coverImage=cover,
    )
    assert inputs["coverImageHash"] == hashlib.sha256(b"\x89PNG first").hexdigest()
    emulator.admin.reset_counts()
    created = folders.create(inputs)
    assert len(requests(emulator, "POST", "product/create")) == 1
    assert not requests(emulator, "POST", "product/update"), "a folder it just made needs no takeover"
    held = stored_folder(emulator, "pricing")
    assert held is not None and created.id == held["id"]
    assert (held["description"], held["category"], held["startDate"], held["launchDate"]) == (
        "Pricing models",
        "Finance",
        "2026-01-01",
        "2027-06-01",
    )
    assert held["coverImagePath"].endswith("/cover.png")
    assert created.outs == {
        **inputs,
        "folderId": held["id"],
        "status": held["status"],
        "createdAt": held["createdAt"],
        "coverImagePath": held["coverImagePath"],
    }

    same = folders.read(created.id, dict(created.outs or {}))
    assert (same.id, same.outs, same.inputs) == (created.id, created.outs, inputs)

    folders.delete(created.id, dict(created.outs or {}))
    assert stored_folder(emulator, "pricing") is None


def test_folder_check_defaults_and_refusals(folders: FolderProvider, emulator: EmulatorProcess, tmp_path: Path) -> None:
    emulator.admin.reset_counts()
    plain = folder_inputs(folders)
    assert (plain["category"], plain["description"]) == ("Other", "")
    assert re.fullmatch(r"pricing-[0-9a-f]{7}", plain["name"])
    assert "coverImageHash" not in plain
    assert folder_inputs(folders, olds=plain)["name"] == plain["name"], "the auto-name is kept"
    pinned = folder_inputs(folders, name="pinned")
    assert folder_inputs(folders, olds=pinned)["name"] != "pinned", "a name the program stops giving is not kept"
    assert no_failures(folders.check({}, {"coverImage": rpc.UNKNOWN}))["name"]

    def failures(**given: Any) -> dict[str, str]:
        return {f.property: f.reason for f in folders.check({}, given).failures}

    missing = failures(coverImage=str(tmp_path / "nope.png"))
    assert set(missing) == {"coverImage"} and "does not exist" in missing["coverImage"]
    assert set(failures(name="a/b", category="", startDate="soon", adoptExisting="yes", colour=1)) == {
        "name",
        "category",
        "startDate",
        "adoptExisting",
        "colour",
    }
    assert set(failures(launchDate="2026-13-45")) == {"launchDate"}
    assert not failures(startDate="2026-01-01T10:00:00Z", launchDate="2027-01-01")
    assert emulator.admin.request_counts()["total"] == 0


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"name": "renamed"}, ["name"]),
        ({"description": "new"}, []),
        ({"category": "Pricing"}, []),
        ({"startDate": "2026-02-01"}, []),
        ({"launchDate": "2028-01-01"}, []),
        ({"coverImage": "/elsewhere/cover.png"}, []),
        ({"coverImageHash": "0" * 64}, []),
        ({"adoptExisting": True}, []),
        ({"timeouts": {"create": "5m"}}, []),
        ({"description": rpc.UNKNOWN}, []),
        ({}, None),
    ],
)
def test_folder_diff_replaces_only_for_a_new_name(
    folders: FolderProvider, change: dict[str, Any], replaces: list[str] | None
) -> None:
    olds = {
        **folder_inputs(folders, name="pricing", startDate="2026-01-01", launchDate="2027-01-01"),
        "coverImage": "/here/cover.png",
        "coverImageHash": "f" * 64,
        "folderId": "f1",
    }
    plan = folders.diff("f1", olds, {**olds, **change})
    if replaces is None:
        assert plan.changes is False and not plan.replaces
        return
    assert (plan.changes, plan.replaces) == (True, replaces)
    assert plan.stables == ([] if replaces else ["folderId"])
    assert plan.delete_before_replace is bool(replaces)


def test_an_auto_named_folder_is_replaced_by_creating_the_new_one_first(folders: FolderProvider) -> None:
    olds = folder_inputs(folders)
    assert folders.diff("f1", olds, folder_inputs(folders, name="explicit-now")).delete_before_replace is True
    regenerated = folder_inputs(folders)  # e.g. `pulumi up --replace`: check has no olds, a new auto-name
    plan = folders.diff("f1", olds, regenerated)
    assert plan.replaces == ["name"] and plan.delete_before_replace is False


LONG_LOGICAL_NAME = "Quarterly Pricing Model for the EMEA Region " * 2  # 86 characters


def test_a_long_resource_name_gives_an_auto_name_of_at_most_50_characters_and_a_suffix(
    folders: FolderProvider, emulator: EmulatorProcess
) -> None:
    inputs = folder_inputs(folders, __logicalName=LONG_LOGICAL_NAME)
    assert re.fullmatch(r"quarterly-pricing-model-for-the-emea-region-quarte-[0-9a-f]{7}", inputs["name"])
    folders.create(inputs)
    assert stored_folder(emulator, inputs["name"]) is not None


def test_folder_update_sends_the_changed_fields_and_a_changed_cover(
    folders: FolderProvider, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    cover = image(tmp_path, "cover.png", b"\x89PNG first")
    inputs = folder_inputs(folders, name="pricing", startDate="2026-01-01", launchDate="2027-01-01", coverImage=cover)
    outs = dict(folders.create(inputs).outs or {})
    first_cover = stored_folder(emulator, "pricing")["coverImagePath"]  # type: ignore[index]

    news = folder_inputs(
        folders,
        olds=inputs,
        name="pricing",
        description="All pricing",
        category="Pricing",
        startDate="2026-02-01",
        launchDate="2028-01-01",
        coverImage=cover,
    )
    emulator.admin.reset_counts()
    updated = dict(folders.update(outs["folderId"], outs, news).outs or {})
    held = stored_folder(emulator, "pricing")
    assert held is not None
    assert (held["description"], held["category"], held["startDate"], held["launchDate"]) == (
        "All pricing",
        "Pricing",
        "2026-02-01",
        "2028-01-01",
    )
    assert not requests(emulator, "POST", "uploadcoverimage"), "an unchanged cover is not uploaded again"
    assert updated == {**news, **{k: outs[k] for k in ("folderId", "status", "createdAt", "coverImagePath")}}

    Path(cover).write_bytes(b"\x89PNG second")
    again = folder_inputs(folders, olds=news, **{k: v for k, v in news.items() if k not in ("coverImageHash", "__defaults")})  # fmt: skip
    emulator.admin.reset_counts()
    recovered = dict(folders.update(outs["folderId"], updated, again).outs or {})
    assert len(requests(emulator, "POST", "uploadcoverimage")) == 1
    assert not requests(emulator, "POST", "product/update"), "no field changed"
    held = stored_folder(emulator, "pricing")
    assert held is not None and held["coverImagePath"] != first_cover
    assert recovered["coverImagePath"] == held["coverImagePath"]


def test_a_folder_is_read_with_one_list_request_by_name_and_found_by_id_beyond_the_first_page(
    folders: FolderProvider, emulator: EmulatorProcess
) -> None:
    created = folders.create(folder_inputs(folders, name="paged"))
    client = folders.handler.client()
    for i in range(3):
        client.create_folder(f"other-{i}")
    emulator.admin.reset_counts()
    assert folders.read(created.id, dict(created.outs or {})).id == created.id
    assert len(requests(emulator, "POST", "product/list$")) == 1, "a refresh by name lists once"
    assert client.folder_by_id(created.id, page_size=1) is not None, "the list sorts newest first: page 4"
    assert client.folder_by_id("no-such-folder", page_size=2) is None


def test_folder_refresh_reports_drift_and_nothing_else(folders: FolderProvider, emulator: EmulatorProcess) -> None:
    inputs = folder_inputs(folders, name="pricing", description="mine", category="Finance", startDate="2026-01-01")
    created = folders.create(inputs)
    client = folders.handler.client()
    # The same instant written another way is not drift; a launch date the program never set is not reported.
    client.update_folder(created.id, start_date="2026-01-01T00:00:00Z")
    same = folders.read(created.id, dict(created.outs or {}))
    assert same.inputs == inputs
    zoned = folder_inputs(folders, name="zoned", startDate="2026-01-01T00:00:00Z")
    zoned_folder = folders.create(zoned)
    client.update_folder(zoned_folder.id, start_date="2026-01-01T00:00:00")
    assert folders.read(zoned_folder.id, dict(zoned_folder.outs or {})).inputs == zoned

    client.update_folder(created.id, description="theirs", category="Pricing", start_date="2026-03-01")
    drifted = folders.read(created.id, dict(created.outs or {}))
    assert drifted.inputs == {**inputs, "description": "theirs", "category": "Pricing", "startDate": "2026-03-01"}
    assert dict(drifted.outs or {})["description"] == "theirs"
    plan = folders.diff(created.id, dict(drifted.outs or {}), inputs)
    assert plan.changes and not plan.replaces, "the next up sets them back in place"

    client.update_folder(created.id, description="", start_date="not a date")
    odd = folders.read(created.id, dict(created.outs or {}))
    assert dict(odd.inputs or {})["startDate"] == "not a date"
    assert dict(odd.inputs or {})["description"] == ""

    folders.delete(created.id, dict(created.outs or {}))
    assert (folders.read(created.id, dict(created.outs or {})).id, folders.read(created.id, {}).id) == ("", "")
    replacement = client.create_folder("pricing")
    assert replacement.id != created.id
    assert folders.read(created.id, dict(created.outs or {})).id == "", "another folder under the name is not ours"


def test_a_folder_read_from_its_id_alone_records_its_name_and_fields_as_inputs(
    folders: FolderProvider, emulator: EmulatorProcess
) -> None:
    """An import: without the name among the inputs, the program's declaration would auto-name and replace it."""
    made = folders.handler.client().create_folder(
        "shared", description="Made elsewhere", category="Finance", start_date="2026-02-01", launch_date="2027-02-01"
    )
    read = folders.read(made.id, {})
    assert (read.id, read.inputs) == (
        made.id,
        {
            "name": "shared",
            "description": "Made elsewhere",
            "category": "Finance",
            "startDate": "2026-02-01",
            "launchDate": "2027-02-01",
        },
    )
    declared = folder_inputs(folders, **dict(read.inputs or {}))
    plan = folders.diff(made.id, dict(read.outs or {}), declared)
    assert plan.changes is False, plan


def test_a_folder_named_in_a_program_but_made_elsewhere_long_ago_is_refused(
    folders: FolderProvider, emulator: EmulatorProcess
) -> None:
    folders.handler.client().create_folder("taken", description="theirs")
    time.sleep(1.1)
    inputs = folder_inputs(folders, name="taken", description="mine", timeouts={"create": "1s"})
    with pytest.raises(ConflictError) as refused:
        folders.create(inputs)
    assert str(refused.value).startswith(
        "Spark API error 409 [PRODUCT_ALREADY_EXISTS] on POST product/create: a Spark folder named 'taken' already exists"
    )
    assert stored_folder(emulator, "taken")["description"] == "theirs"  # type: ignore[index]


@pytest.mark.parametrize(("how", "log"), [("adopt", "existing folder (adoptExisting)"), ("auto", "folder left by an interrupted create"), ("recent", "folder created within the create timeout")])  # fmt: skip
def test_a_folder_under_its_name_is_taken_over_and_given_the_programs_fields(
    folders: FolderProvider, emulator: EmulatorProcess, capfd: pytest.CaptureFixture[str], how: str, log: str
) -> None:
    given: dict[str, Any] = {"description": "mine", "category": "Pricing", "startDate": "2026-05-01", "launchDate": "2027-05-01"}  # fmt: skip
    if how == "adopt":
        given |= {"name": "shared", "adoptExisting": True}
    elif how == "recent":
        given |= {"name": "shared"}
    inputs = folder_inputs(folders, **given)
    existing = folders.handler.client().create_folder(inputs["name"], description="theirs")
    if how != "recent":
        time.sleep(1.1)
        inputs["timeouts"] = {"create": "1s"}
    emulator.admin.reset_counts()
    created = folders.create(inputs)
    assert created.id == existing.id
    assert not requests(emulator, "POST", "product/create")
    held = stored_folder(emulator, inputs["name"])
    assert held is not None
    assert (held["description"], held["category"], held["startDate"], held["launchDate"]) == (
        "mine",
        "Pricing",
        "2026-05-01",
        "2027-05-01",
    )
    assert f"adopting the {log}" in capfd.readouterr().err


def test_a_folder_create_whose_answer_is_lost_finds_the_folder_it_made(
    folders: FolderProvider,
    emulator: EmulatorProcess,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    sleeps = recorded_sleeps(monkeypatch, folder_module)
    emulator.admin.faults(f"{V1}/product/create", method="POST", lost_rate=1.0, lost_as="error", error_statuses=[503], max_faults=1)  # fmt: skip
    created = folders.create(folder_inputs(folders, name="lost", description="mine"))
    assert created.id == stored_folder(emulator, "lost")["id"]  # type: ignore[index]
    assert len(requests(emulator, "POST", "product/create")) == 1
    assert not requests(emulator, "POST", "product/update"), "its own folder needs no takeover"
    assert sleeps == [0.5]
    assert "found what an unconfirmed attempt made" in capfd.readouterr().err


def test_a_folder_create_whose_answer_is_lost_at_its_deadline_still_finds_the_folder(
    folders: FolderProvider, emulator: EmulatorProcess
) -> None:
    emulator.admin.faults(f"{V1}/product/create", method="POST", lost_rate=1.0, lost_as="error", error_statuses=[503], max_faults=1)  # fmt: skip
    created = folders.create(folder_inputs(folders, name="late", timeouts={"create": "0.2s"}))
    assert created.id == stored_folder(emulator, "late")["id"]  # type: ignore[index]
    assert len(requests(emulator, "POST", "product/create")) == 1
    assert not requests(emulator, "POST", "product/update"), "its own folder needs no takeover"


def test_a_folder_create_answered_conflict_looks_again(folders: FolderProvider, emulator: EmulatorProcess) -> None:
    emulator.admin.faults(f"{V1}/product/create", method="POST", lost_rate=1.0, lost_as="error", error_statuses=[409], max_faults=1)  # fmt: skip
    created = folders.create(folder_inputs(folders, name="raced"))
    assert created.id == stored_folder(emulator, "raced")["id"]  # type: ignore[index]


def test_a_refused_folder_create_is_retried_with_backoff(
    folders: FolderProvider, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps = recorded_sleeps(monkeypatch, folder_module)
    emulator.admin.faults(f"{V1}/product/create", method="POST", error_rate=1.0, error_statuses=[503], max_faults=6)
    created = folders.create(folder_inputs(folders, name="patient"))
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0]
    assert len(requests(emulator, "POST", "product/create")) == 7
    assert [f["id"] for f in spark(emulator)["folders"].values()] == [created.id]


def test_a_folder_create_refused_until_its_deadline_gives_up(
    folders: FolderProvider, emulator: EmulatorProcess
) -> None:
    emulator.admin.faults(f"{V1}/product/create", method="POST", error_rate=1.0, error_statuses=[503])
    with pytest.raises(ServerError):
        folders.create(folder_inputs(folders, name="never", timeouts={"create": "1.6s"}))
    assert len(requests(emulator, "POST", "product/create")) >= 2, "tried again while the deadline allows"


# -- service -------------------------------------------------------------------------------------

FOLDER = "pricing"


@pytest.fixture
def services(emulator: EmulatorProcess) -> Iterator[ServiceProvider]:
    provider = configured(ServiceProvider, emulator)
    provider.handler.client().create_folder(FOLDER)
    provider.handler.client().create_folder("other-folder")
    yield provider


@pytest.fixture
def book(tmp_path: Path) -> Any:
    made: dict[float, bytes] = {}

    def write(name: str, threshold: float = 1000.0) -> str:
        if threshold not in made:
            made[threshold] = workbooks().quote_workbook(threshold)
        path = tmp_path / name
        path.write_bytes(made[threshold])
        return str(path)

    return write


def service_inputs(provider: ServiceProvider, olds: dict[str, Any] | None = None, **given: Any) -> dict[str, Any]:
    news = {"__logicalName": "quote", "folder": FOLDER, **given}
    return no_failures(provider.check(olds or {}, {k: v for k, v in news.items() if v is not None}))


def stored_service(emulator: EmulatorProcess, name: str, folder: str = FOLDER) -> dict[str, Any] | None:
    return spark(emulator)["services"].get(f"emulator-tenant/{folder}/{name}")


def test_a_service_is_published_with_its_metadata_and_recorded_as_spark_holds_it(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    upload_probe = emulator.admin.faults(
        r"/services/quote/upload$",
        method="POST",
        regex=True,
        body_regex=r'"version_difference": "major", "effective_start_date": "2026-03-01T00:00:00Z", '
        r'"effective_end_date": "2026-12-31T00:00:00Z"',
    )
    inputs = service_inputs(
        services,
        name="quote",
        file=book("quote.xlsx"),
        versioning="major",
        label="spring",
        releaseNotes="first",
        tags=["pricing", "spring"],
        effectiveStartDate="2026-03-01T00:00:00Z",
        effectiveEndDate="2026-12-31T00:00:00Z",
    )
    created = services.create(inputs)
    assert created.id == f"{FOLDER}/quote"
    held = stored_service(emulator, "quote")
    assert held is not None
    (version,) = held["versions"]
    assert (version["revision"], version["versionLabel"], version["releaseNote"], version["tags"]) == (
        "1.0.0",
        "spring",
        "first",
        "pricing,spring",
    )
    assert (version["effectiveStartDate"], version["effectiveEndDate"]) == (
        "2026-03-01T00:00:00Z",
        "2026-12-31T00:00:00Z",
    )
    (upload,) = requests(emulator, "POST", r"/services/quote/upload$")
    assert upload_probe["id"] in upload["rules"], "the upload carries the versioning and the effective dates"
    env = emulator.env()
    execute_url = f"{env['CSPARK_BASE_URL']}/emulator-tenant/api/v3/folders/{FOLDER}/services/quote/execute"
    assert created.outs == {
        **inputs,
        "serviceId": held["id"],
        "versionId": version["id"],
        "version": "1.0.0",
        "versions": [{"id": version["id"], "version": "1.0.0", "createdAt": version["createdAt"], "label": "spring"}],
        "versionCount": 1,
        "inputNames": ["qty", "unit_price"],
        "outputNames": ["gross", "discount", "net"],
        "executeUrl": execute_url,
    }
    assert not requests(emulator, "POST", r"/execute$"), "creating a service does not run it"
    run = httpx.post(
        execute_url,
        json={"request_data": {"inputs": {"qty": 10, "unit_price": 5}}, "request_meta": {}},
        headers=credentials("spark", env),
        timeout=10,
    )
    assert run.status_code == 200 and run.json()["response_data"]["outputs"]["gross"] == 50

    services.delete(created.id, dict(created.outs or {}))
    assert stored_service(emulator, "quote") is None


def test_service_check_defaults_and_refusals(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any, tmp_path: Path
) -> None:
    emulator.admin.reset_counts()
    path = book("quote.xlsx")
    plain = service_inputs(services, file=path)
    assert re.fullmatch(r"quote-[0-9a-f]{7}", plain["name"]) and plain["versioning"] == "minor"
    assert plain["fileHash"] == hashlib.sha256(Path(path).read_bytes()).hexdigest()
    assert service_inputs(services, olds=plain, file=path)["name"] == plain["name"]
    pinned = service_inputs(services, name="pinned", file=path, versioning="patch")
    assert pinned["versioning"] == "patch"
    assert service_inputs(services, olds=pinned, file=path)["name"] != "pinned"
    assert "fileHash" not in service_inputs(services, file=rpc.UNKNOWN)

    def failures(**given: Any) -> dict[str, str]:
        return {f.property: f.reason for f in services.check({}, {"folder": FOLDER, **given}).failures}

    assert "does not exist" in failures(file=str(tmp_path / "missing.xlsx"))["file"]
    old_format = tmp_path / "model.xls"
    old_format.write_bytes(b"x")
    assert [f.property for f in services.check({}, {"folder": FOLDER, "file": str(old_format)}).failures] == ["file"]
    assert "is not an .xlsx workbook" in failures(file=str(old_format))["file"]
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    assert "is not an Excel workbook" in failures(file=str(fake))["file"]
    other_zip = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "is not an Excel workbook" in failures(file=str(other_zip))["file"]
    assert set(failures(file=path, tags=["a,b"])) == {"tags"}
    assert not failures(file=path, tags=[]) and not failures(file=path, tags=["a", "b"])
    bad = failures(folder="a/b", name="c/d", file=path, versioning="huge", adoptExisting="yes", colour=1)
    assert set(bad) == {"folder", "name", "versioning", "adoptExisting", "colour"}
    assert not failures(
        file=path, fileHash="x", releaseNotes="r", effectiveStartDate="2026-01-01", effectiveEndDate="2027-01-01"
    )
    assert emulator.admin.request_counts()["total"] == 0


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"folder": "other-folder"}, ["folder"]),
        ({"name": "renamed"}, ["name"]),
        ({"file": "/elsewhere/quote.xlsx"}, []),
        ({"fileHash": "0" * 64}, []),
        ({"versioning": "major"}, []),
        ({"label": "new"}, []),
        ({"releaseNotes": "new"}, []),
        ({"tags": ["new"]}, []),
        ({"effectiveStartDate": "2027-01-01"}, []),
        ({"effectiveEndDate": "2028-01-01"}, []),
        ({"adoptExisting": True}, []),
        ({"timeouts": {"update": "5m"}}, []),
        ({"name": rpc.UNKNOWN}, ["name"]),
        ({}, None),
    ],
)
def test_service_diff_replaces_for_a_new_folder_or_name(
    services: ServiceProvider, book: Any, change: dict[str, Any], replaces: list[str] | None
) -> None:
    olds = {**service_inputs(services, name="quote", file=book("quote.xlsx")), "serviceId": "s1"}
    plan = services.diff(f"{FOLDER}/quote", olds, {**olds, **change})
    if replaces is None:
        assert plan.changes is False and not plan.replaces
        return
    assert (plan.changes, plan.replaces) == (True, replaces)
    assert plan.stables == ([] if replaces else ["serviceId"])
    assert plan.delete_before_replace is bool(replaces)


def test_a_changed_workbook_publishes_a_new_version_and_other_changes_publish_none(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    path = book("quote.xlsx")
    inputs = service_inputs(services, name="quote", file=path)
    outs = dict(services.create(inputs).outs or {})
    relabelled = service_inputs(services, olds=inputs, name="quote", file=path, label="later", tags=["t"])
    emulator.admin.reset_counts()
    kept = dict(services.update(f"{FOLDER}/quote", outs, relabelled).outs or {})
    assert emulator.admin.request_counts()["total"] == 0, "metadata of later versions publishes nothing"
    assert kept == {**relabelled, **{k: outs[k] for k in outs if k not in relabelled}}

    book("quote.xlsx", threshold=500.0)
    republished = service_inputs(services, olds=relabelled, name="quote", file=path, label="later", tags=["t"], versioning="patch")  # fmt: skip
    updated = dict(services.update(f"{FOLDER}/quote", kept, republished).outs or {})
    held = stored_service(emulator, "quote")
    assert held is not None and [v["revision"] for v in held["versions"]] == ["0.1.1", "0.1.0"], "newest first"
    newest = held["versions"][0]
    assert (newest["versionLabel"], newest["tags"]) == ("later", "t")
    assert (updated["version"], updated["versionId"], updated["versionCount"]) == ("0.1.1", newest["id"], 2)
    assert updated["name"] == "quote" and "name_mutated" not in updated


def test_refresh_notices_a_version_published_outside_pulumi(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    path = book("quote.xlsx")
    inputs = service_inputs(services, name="quote", file=path)
    created = services.create(inputs)
    outs = dict(created.outs or {})
    emulator.admin.reset_counts()
    same = services.read(created.id, outs)
    assert (same.id, same.outs, same.inputs) == (created.id, outs, inputs)
    assert not requests(emulator, "GET", "/download/"), "nothing is downloaded while the version is ours"

    client = services.handler.client()
    theirs = Path(book("theirs.xlsx", threshold=250.0)).read_bytes()
    upload = client.upload(FOLDER, "quote", theirs, "theirs.xlsx")
    client.wait_compiled(FOLDER, "quote", upload.nodegen_compilation_jobid, _deadline())
    client.publish(FOLDER, "quote", upload)
    drifted = services.read(created.id, outs)
    assert dict(drifted.inputs or {})["fileHash"] == hashlib.sha256(theirs).hexdigest()
    assert dict(drifted.outs or {})["versionCount"] == 2
    plan = services.diff(created.id, dict(drifted.outs or {}), inputs)
    assert plan.changes and not plan.replaces, "the next up publishes the program's workbook again"

    services.delete(created.id, outs)
    assert services.read(created.id, outs).id == ""


def test_a_service_read_from_its_id_alone_records_its_workbooks_hash_and_its_import_changes_nothing(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    path = book("quote.xlsx")
    created = services.create(service_inputs(services, name="quote", file=path, label="made elsewhere"))
    emulator.admin.reset_counts()
    read = services.read(created.id, {})
    workbook = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    assert read.inputs == {"folder": FOLDER, "name": "quote", "fileHash": workbook}
    outs = dict(read.outs or {})
    assert {k: outs[k] for k in ("versionId", "version", "serviceId")} == {
        k: dict(created.outs or {})[k] for k in ("versionId", "version", "serviceId")
    }
    assert "file" not in outs
    assert emulator.admin.request_counts()["total"] and not any(
        e["method"] != "GET" for e in emulator.admin.request_log()
    ), "reading writes nothing"

    program = service_inputs(services, olds=dict(read.inputs or {}), name="quote", file=str(path), versioning="major")
    assert services.diff(created.id, outs, program).changes is False, "the program's workbook is the one published"
    changed = service_inputs(services, name="quote", file=book("other.xlsx", threshold=250.0))
    plan = services.diff(created.id, outs, changed)
    assert (plan.changes, plan.replaces) == (True, []), "another workbook publishes a new version"
    assert services.read(created.id.replace("quote", "absent"), {}).id == ""


def _deadline() -> Any:
    from pulumi_dataplatforms_provider.timeouts import Deadline

    return Deadline(60)


def test_a_workbook_edited_during_the_deployment_is_not_published(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    path = book("quote.xlsx")
    inputs = service_inputs(services, name="quote", file=path)
    book("quote.xlsx", threshold=10.0)
    with pytest.raises(RuntimeError, match="changed during the deployment"):
        services.create(inputs)
    assert stored_service(emulator, "quote") is None


def test_publish_waits_for_the_compilation(services: ServiceProvider, emulator: EmulatorProcess, book: Any) -> None:
    emulator.admin.delays(provision_seconds=0.6)
    services.create(service_inputs(services, name="quote", file=book("quote.xlsx")))
    assert [v["revision"] for v in stored_service(emulator, "quote")["versions"]] == ["0.1.0"]  # type: ignore[index]


def test_a_publish_whose_answer_is_lost_is_not_published_twice(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    emulator.admin.faults(r"/publish$", method="POST", regex=True, lost_rate=1.0, lost_as="error", error_statuses=[503], max_faults=1)  # fmt: skip
    created = services.create(service_inputs(services, name="quote", file=book("quote.xlsx")))
    held = stored_service(emulator, "quote")
    assert held is not None and len(held["versions"]) == 1
    assert dict(created.outs or {})["versionId"] == held["versions"][0]["id"]
    assert len(requests(emulator, "POST", r"/publish$")) == 1


def test_a_refused_publish_is_retried_with_backoff_and_not_mistaken_for_the_old_version(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = book("quote.xlsx")
    inputs = service_inputs(services, name="quote", file=path)
    outs = dict(services.create(inputs).outs or {})
    sleeps = recorded_sleeps(monkeypatch, service_module)
    emulator.admin.faults(r"/publish$", method="POST", regex=True, error_rate=1.0, error_statuses=[503], max_faults=6)
    book("quote.xlsx", threshold=500.0)
    news = service_inputs(services, olds=inputs, name="quote", file=path)
    updated = dict(services.update(f"{FOLDER}/quote", outs, news).outs or {})
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0]
    held = stored_service(emulator, "quote")
    assert held is not None and [v["revision"] for v in held["versions"]] == ["0.2.0", "0.1.0"], "newest first"
    assert updated["versionId"] == held["versions"][0]["id"]


def test_a_publish_refused_until_its_deadline_gives_up_and_leaves_nothing(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    emulator.admin.faults(r"/publish$", method="POST", regex=True, error_rate=1.0, error_statuses=[503])
    inputs = service_inputs(services, name="quote", file=book("quote.xlsx"), timeouts={"create": "1.6s"})
    with pytest.raises(ServerError):
        services.create(inputs)
    assert len(requests(emulator, "POST", r"/publish$")) >= 2, "tried again while the deadline allows"
    assert stored_service(emulator, "quote") is None


def test_a_publish_done_but_answered_conflict_finds_the_version_it_made(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    emulator.admin.faults(r"/publish$", method="POST", regex=True, lost_rate=1.0, lost_as="error", error_statuses=[409], max_faults=1)  # fmt: skip
    created = services.create(service_inputs(services, name="quote", file=book("quote.xlsx")))
    held = stored_service(emulator, "quote")
    assert held is not None and len(held["versions"]) == 1
    assert dict(created.outs or {})["versionId"] == held["versions"][0]["id"]
    assert len(requests(emulator, "POST", r"/publish$")) == 1


def test_a_publish_answered_conflict_is_not_retried(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    emulator.admin.faults(r"/publish$", method="POST", regex=True, error_rate=1.0, error_statuses=[409], max_faults=1)
    with pytest.raises(ConflictError):
        services.create(service_inputs(services, name="quote", file=book("quote.xlsx")))
    assert len(requests(emulator, "POST", r"/publish$")) == 1
    assert stored_service(emulator, "quote") is None


def existing_service(services: ServiceProvider, book: Any, name: str, threshold: float = 1000.0) -> None:
    """A service published outside this resource (another stack, the Spark UI, an interrupted run)."""
    client = services.handler.client()
    upload = client.upload(FOLDER, name, Path(book(f"{name}-{threshold}.xlsx", threshold)).read_bytes(), "x.xlsx")
    client.wait_compiled(FOLDER, name, upload.nodegen_compilation_jobid, _deadline())
    client.publish(FOLDER, name, upload)


def test_a_long_resource_name_gives_a_service_auto_name_of_at_most_50_characters_and_a_suffix(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    inputs = service_inputs(services, __logicalName=LONG_LOGICAL_NAME, file=book("quote.xlsx"))
    assert re.fullmatch(r"quarterly-pricing-model-for-the-emea-region-quarte-[0-9a-f]{7}", inputs["name"])
    services.create(inputs)
    assert stored_service(emulator, inputs["name"]) is not None


def test_an_auto_named_service_left_with_this_workbook_is_taken_over_as_is(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    inputs = service_inputs(services, file=book("quote.xlsx"), timeouts={"create": "1s"})
    existing_service(services, book, inputs["name"])
    time.sleep(1.1)  # older than the create timeout: only the auto-name makes it ours
    emulator.admin.reset_counts()
    created = services.create(inputs)
    assert not requests(emulator, "POST", r"/(upload|publish)$")
    assert dict(created.outs or {})["versionCount"] == 1


def test_an_auto_named_service_left_with_another_workbook_gets_this_one_published(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    inputs = service_inputs(services, file=book("quote.xlsx"))
    existing_service(services, book, inputs["name"], threshold=250.0)
    created = services.create(inputs)
    assert dict(created.outs or {})["versionCount"] == 2


def versionless_at_first(services: ServiceProvider, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The service `name` answers its first version listing with none: one that exists with no version yet.

    The emulator cannot hold such a service (its services exist from their first publish), so this
    one answer is substituted; every other request reaches the emulator.
    """
    client = services.handler.client()
    real = client.versions
    first = [True]

    def versions(folder: str, service: str) -> Any:
        if service == name and first[0]:
            first[0] = False
            return []
        return real(folder, service)

    monkeypatch.setattr(client, "versions", versions)


def test_an_auto_named_service_found_without_a_version_gets_this_workbook_published(
    services: ServiceProvider, book: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = service_inputs(services, file=book("quote.xlsx"))
    existing_service(services, book, inputs["name"], threshold=250.0)
    versionless_at_first(services, monkeypatch, inputs["name"])
    created = services.create(inputs)
    assert dict(created.outs or {})["versionCount"] == 2, "taken over, and this workbook published onto it"


def test_an_explicitly_named_service_found_without_a_version_is_someone_elses_and_refused(
    services: ServiceProvider, book: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing_service(services, book, "theirs", threshold=250.0)
    versionless_at_first(services, monkeypatch, "theirs")
    with pytest.raises(ConflictError, match="adoptExisting"):
        services.create(service_inputs(services, name="theirs", file=book("quote.xlsx")))
    assert len(services.handler.client().versions(FOLDER, "theirs")) == 1, "nothing was published onto it"


def test_a_service_published_moments_ago_with_this_workbook_is_taken_over_as_is(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    existing_service(services, book, "quote")
    emulator.admin.reset_counts()
    created = services.create(service_inputs(services, name="quote", file=book("quote.xlsx")))
    assert not requests(emulator, "POST", r"/(upload|publish)$")
    assert dict(created.outs or {})["versionCount"] == 1


def test_someone_elses_service_is_refused_unless_adopted(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    existing_service(services, book, "quote", threshold=250.0)
    inputs = service_inputs(services, name="quote", file=book("quote.xlsx"))
    with pytest.raises(ConflictError) as refused:
        services.create(inputs)
    assert str(refused.value).startswith(
        f"Spark API error 409 [SERVICE_ALREADY_EXISTS] on GET folders/{FOLDER}/services/quote/exists: "
        f"a Spark service {FOLDER}/quote already exists"
    )
    assert len(stored_service(emulator, "quote")["versions"]) == 1  # type: ignore[index]
    created = services.create({**inputs, "adoptExisting": True})
    assert dict(created.outs or {})["versionCount"] == 2


def test_a_service_first_published_long_ago_is_not_taken_for_an_interrupted_create(
    services: ServiceProvider, book: Any
) -> None:
    existing_service(services, book, "quote", threshold=250.0)
    time.sleep(1.1)
    existing_service(services, book, "quote")  # its latest version is this workbook, published just now
    inputs = service_inputs(services, name="quote", file=book("quote.xlsx"), timeouts={"create": "1s"})
    with pytest.raises(ConflictError):
        services.create(inputs)


def test_a_failed_create_removes_the_service_only_when_it_is_its_own(
    services: ServiceProvider, emulator: EmulatorProcess, book: Any
) -> None:
    emulator.admin.faults(r"/publish$", method="POST", regex=True, error_rate=1.0, error_statuses=[400])
    with pytest.raises(ValidationError):
        services.create(service_inputs(services, name="fresh", file=book("quote.xlsx")))
    assert stored_service(emulator, "fresh") is None
    emulator.admin.clear_faults()

    existing_service(services, book, "theirs", threshold=250.0)
    emulator.admin.faults(r"/publish$", method="POST", regex=True, error_rate=1.0, error_statuses=[400])
    with pytest.raises(ValidationError):
        services.create(service_inputs(services, name="theirs", file=book("quote.xlsx"), adoptExisting=True))
    assert stored_service(emulator, "theirs") is not None, "a service adopted from elsewhere is never deleted"

    mine = service_inputs(services, file=book("quote.xlsx"))
    emulator.admin.clear_faults()
    existing_service(services, book, mine["name"], threshold=250.0)
    emulator.admin.faults(r"/publish$", method="POST", regex=True, error_rate=1.0, error_statuses=[400])
    with pytest.raises(ValidationError):
        services.create(mine)
    assert stored_service(emulator, mine["name"]) is None, "a service under its own auto-name is its own"
