"""spark.Folder and spark.Service through the engine harness and the real provider host, against the emulator."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.eloq_stacks import write_program
from tests.harness import DeploymentError, Secret, Stack

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = REPO_ROOT / "examples" / "spark"


def workbooks() -> Any:
    """The example's openpyxl workbook generator (tests build their workbooks with it)."""
    spec = importlib.util.spec_from_file_location("spark_make_workbooks", EXAMPLE / "make_workbooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def spark_stack(tmp_path: Path, emulator: EmulatorProcess, program: Path | str, **config: Any) -> Stack:
    env = emulator.env()
    stack_config: dict[str, Any] = {
        "spark:baseUrl": env["CSPARK_BASE_URL"],
        "spark:tenant": env["CSPARK_TENANT"],
        "spark:apiKey": Secret(env["CSPARK_API_KEY"]),
    }
    stack_config.update(config)
    return Stack(tmp_path / "stack", str(program), config=stack_config)


def spark_state(emulator: EmulatorProcess) -> dict[str, Any]:
    return dict(emulator.admin.state()["spark"])


def services(emulator: EmulatorProcess) -> dict[str, dict[str, Any]]:
    return {k.split("/", 1)[1]: v for k, v in spark_state(emulator)["services"].items()}


def folders(emulator: EmulatorProcess) -> dict[str, dict[str, Any]]:
    return {k.split("/", 1)[1]: v for k, v in spark_state(emulator)["folders"].items()}


PROGRAM = """
import os
import pulumi
from pulumi_dataplatforms import spark

folder = spark.Folder("pricing", name=os.environ["T_FOLDER"], description=os.environ["T_DESC"], category="Finance")
quote = spark.Service("quote", folder=folder.name, name="quote", file=os.environ["T_FILE"], release_notes="notes")
pulumi.export("folderId", folder.folder_id)
pulumi.export("serviceId", quote.service_id)
pulumi.export("version", quote.version)
pulumi.export("versionCount", quote.version_count)
pulumi.export("inputs", quote.input_names)
pulumi.export("outputs", quote.output_names)
"""


def test_example_pricing_folder_with_two_services(tmp_path: Path, emulator: EmulatorProcess) -> None:
    stack = spark_stack(tmp_path, emulator, EXAMPLE)
    result = stack.up()
    assert result.outputs["quoteVersion"] == "0.1.0"
    assert result.outputs["taxVersion"] == "0.0.1"
    assert result.outputs["quoteInputs"] == ["qty", "unit_price"]
    assert result.outputs["quoteFor40"] == 1080  # 40 * 30 = 1200, 10% off above 1000
    assert set(services(emulator)) == {"pricing/quote", "pricing/tax"}
    assert not stack.up().changed
    stack.destroy()
    assert spark_state(emulator) == {"folders": {}, "services": {}}


def test_lifecycle_edit_rename_drift_and_destroy_order(tmp_path: Path, emulator: EmulatorProcess) -> None:
    make = workbooks()
    book = tmp_path / "quote.xlsx"
    book.write_bytes(make.quote_workbook(1000))
    stack = spark_stack(tmp_path, emulator, write_program(tmp_path / "prog", PROGRAM))
    stack.env.update(T_FOLDER="pricing", T_DESC="Pricing models", T_FILE=str(book))

    first = stack.up()
    assert first.names("create")[-2:] == ["pricing", "quote"]
    assert (first.outputs["version"], first.outputs["versionCount"]) == ("0.1.0", 1)
    assert first.outputs["outputs"] == ["gross", "discount", "net"]
    service_id = first.outputs["serviceId"]

    emulator.admin.reset_counts()
    again = stack.up()
    assert not again.changed
    assert not any(m in ("create", "update", "delete") for m, _ in again.host_calls)

    # A changed workbook publishes a new version of the same service.
    book.write_bytes(make.quote_workbook(500))
    edited = stack.up()
    assert edited.names("update") == ["quote"]
    assert edited.outputs["serviceId"] == service_id
    assert (edited.outputs["version"], edited.outputs["versionCount"]) == ("0.2.0", 2)
    assert len(services(emulator)["pricing/quote"]["versions"]) == 2

    # Folder description: in place, same folder id.
    stack.env["T_DESC"] = "Quotes and taxes"
    described = stack.up()
    assert described.names("update") == ["pricing"]
    assert described.outputs["folderId"] == first.outputs["folderId"]
    assert folders(emulator)["pricing"]["description"] == "Quotes and taxes"

    # Out-of-band publish: refresh reports the new version; the next up publishes ours again.
    env = emulator.env()
    headers = {"x-synthetic-key": env["CSPARK_API_KEY"], "x-tenant-name": env["CSPARK_TENANT"]}
    _publish_out_of_band(env["CSPARK_BASE_URL"], env["CSPARK_TENANT"], headers, make.tax_workbook())
    refreshed = stack.refresh()
    assert refreshed.names("read") == ["quote"]
    assert stack.resource("quote")["outputs"]["version"] == "0.3.0"
    republished = stack.up()
    assert republished.names("update") == ["quote"]
    assert republished.outputs["versionCount"] == 4

    # Out-of-band delete: refresh drops it, up recreates it.
    httpx.delete(
        f"{env['CSPARK_BASE_URL']}/api/v1/product/pricing/engines/delete/quote", headers=headers
    ).raise_for_status()
    gone = stack.refresh()
    assert gone.names("drop") == ["quote"]
    assert stack.resource("quote") is None
    recreated = stack.up()
    assert recreated.names("create") == ["quote"]
    assert recreated.outputs["versionCount"] == 1

    # Rename: the folder is replaced, and the service with it.
    stack.env["T_FOLDER"] = "pricing-v2"
    renamed = stack.up()
    assert "pricing" in renamed.names("replace") or "pricing" in renamed.names("create-replacement")
    assert set(folders(emulator)) == {"pricing-v2"}
    assert set(services(emulator)) == {"pricing-v2/quote"}

    destroyed = stack.destroy()
    assert destroyed.calls("delete") == ["quote", "pricing"]
    assert spark_state(emulator) == {"folders": {}, "services": {}}


def _publish_out_of_band(base: str, tenant: str, headers: dict[str, str], content: bytes) -> None:
    loc = f"{base}/{tenant}/api/v3/folders/pricing/services/quote"
    up = httpx.post(
        f"{loc}/upload",
        headers=headers,
        data={"engineUploadRequestEntity": "{}"},
        files={"serviceFile": ("x.xlsx", content)},
    ).json()["response_data"]
    body = {"request_data": {"engine_file_documentid": up["engine_file_documentid"], "version_difference": "minor"}}
    httpx.post(f"{loc}/publish", headers=headers, json=body).raise_for_status()


BAD_CASES = {
    "folder-slash": ('spark.Folder("slash", name="a/b")', "name", "without '/'"),
    "missing-file": ('spark.Service("s", folder="pricing", file="{missing}")', "file", "does not exist"),
    "not-xlsx": ('spark.Service("s", folder="pricing", file="{text}")', "file", "is not an .xlsx workbook"),
    "fake-xlsx": ('spark.Service("s", folder="pricing", file="{fake}")', "file", "is not an Excel workbook"),
    "versioning": ('spark.Service("s", folder="pricing", file="{good}", versioning="huge")', "versioning",
                   "'major', 'minor' or 'patch'"),
    "service-folder-slash": ('spark.Service("s", folder="x/y", file="{good}")', "folder", "without '/'"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_inputs_fail_check_naming_the_property_with_zero_api_calls(
    tmp_path: Path, emulator: EmulatorProcess, case: str
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip")
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbooks().tax_workbook())
    line, prop, hint = BAD_CASES[case]
    line = line.format(missing=tmp_path / "nope.xlsx", text=text, fake=fake, good=good)
    program = write_program(tmp_path / "bad", f"from pulumi_dataplatforms import spark\n{line}\n")
    stack = spark_stack(tmp_path, emulator, program)
    emulator.admin.reset_counts()
    with pytest.raises(DeploymentError) as caught:
        stack.up()
    message = str(caught.value)
    assert f"- {prop}: " in message and hint in message, message
    assert emulator.admin.request_counts()["total"] == 0
    assert spark_state(emulator) == {"folders": {}, "services": {}}


def test_secrets_never_reach_state_or_provider_blob_in_plaintext(tmp_path: Path, emulator: EmulatorProcess) -> None:
    from pulumi_dataplatforms_emulator.services.spark.backend import OAUTH_CLIENTS

    client_id, (client_secret, _) = next(iter(OAUTH_CLIENTS.items()))
    book = tmp_path / "quote.xlsx"
    book.write_bytes(workbooks().quote_workbook())
    env = emulator.env()
    stack = spark_stack(
        tmp_path, emulator, write_program(tmp_path / "prog", PROGRAM),
        **{"spark:clientId": client_id, "spark:clientSecret": Secret(client_secret), "spark:token": Secret("spark-dev-token-0001")},
    )  # fmt: skip
    stack.env.update(T_FOLDER="pricing", T_DESC="d", T_FILE=str(book))
    stack.up()
    raw = stack.state_path.read_text()
    for secret in (env["CSPARK_API_KEY"], client_secret, "spark-dev-token-0001"):
        assert secret not in raw
        assert all(secret not in blob for blob in stack.provider_blobs())
        for path in stack.host_stderr_paths:
            assert secret not in path.read_text(errors="replace")
    tokens = spark_state_tokens(emulator)
    assert tokens, "OAuth2 (preferred over the API key) must have been used"
    for token in tokens:
        assert token not in raw
    stack.destroy()


def spark_state_tokens(emulator: EmulatorProcess) -> list[str]:
    raw = emulator.admin.state()
    return [k for k in raw.get("spark_tokens", [])] or _tokens_from_store(emulator)


def _tokens_from_store(emulator: EmulatorProcess) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(str(emulator.data_dir / "emulator.sqlite3"))
    try:
        rows = conn.execute("SELECT key FROM documents WHERE service='spark' AND collection='tokens'").fetchall()
    finally:
        conn.close()
    return [r[0] for r in rows]


def test_lifecycle_converges_under_injected_429_and_503(tmp_path: Path, emulator: EmulatorProcess) -> None:
    make = workbooks()
    book = tmp_path / "quote.xlsx"
    book.write_bytes(make.quote_workbook())
    emulator.admin.faults("/spark", error_rate=0.3, error_statuses=[429, 503], seed=11)
    stack = spark_stack(tmp_path, emulator, write_program(tmp_path / "prog", PROGRAM))
    stack.env.update(T_FOLDER="pricing", T_DESC="d", T_FILE=str(book))
    first = stack.up()
    assert first.outputs["versionCount"] == 1
    book.write_bytes(make.quote_workbook(100))
    assert stack.up().outputs["versionCount"] == 2
    assert not stack.up().changed
    fired = sum(rule["fired"] for rule in emulator.admin.list_faults())
    emulator.admin.clear_faults()
    assert fired >= 3, "the faults must actually have fired"
    assert list(folders(emulator)) == ["pricing"], "no duplicate folder"
    assert [v["revision"] for v in services(emulator)["pricing/quote"]["versions"]] == ["0.2.0", "0.1.0"]
    emulator.admin.faults("/spark", error_rate=0.3, error_statuses=[429, 503], seed=12)
    stack.destroy()
    emulator.admin.clear_faults()
    assert spark_state(emulator) == {"folders": {}, "services": {}}
