"""The Spark client, OAuth2 refresh, transactional create and the official `cspark` client, against the emulator."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_emulator.services.spark.backend import OAUTH_CLIENTS
from pulumi_dataplatforms_provider.core import APIStatusError, AuthenticationError
from pulumi_dataplatforms_provider.core.oauth2 import OAuth2ClientCredentials
from pulumi_dataplatforms_provider.spark.client import (
    CompilationFailedError,
    SparkClient,
    choose_auth,
    resolve_endpoint,
)
from pulumi_dataplatforms_provider.spark.service import ServiceProvider
from pulumi_dataplatforms_provider.timeouts import Deadline
from tests.test_spark_lifecycle import spark_state, workbooks

CLIENT_ID, (CLIENT_SECRET, _) = next(iter(OAUTH_CLIENTS.items()))


def make_client(emulator: EmulatorProcess, *, oauth: bool = False, api_key: str | None = None) -> SparkClient:
    env = emulator.env()
    endpoint = resolve_endpoint(env["CSPARK_BASE_URL"], env["CSPARK_TENANT"], None)
    if oauth:
        return SparkClient(endpoint, choose_auth(endpoint, None, None, CLIENT_ID, CLIENT_SECRET))
    return SparkClient(endpoint, choose_auth(endpoint, api_key or env["CSPARK_API_KEY"], None, None, None))


def publish(client: SparkClient, folder: str, service: str, content: bytes) -> str:
    upload = client.upload(folder, service, content, f"{service}.xlsx")
    client.wait_compiled(folder, service, upload.nodegen_compilation_jobid, Deadline(30))
    return client.publish(folder, service, upload)


def test_execute_returns_what_the_workbook_computes(emulator: EmulatorProcess) -> None:
    make = workbooks()
    client = make_client(emulator)
    client.create_folder("pricing")
    version_id = publish(client, "pricing", "quote", make.quote_workbook(1000))
    assert client.execute("pricing", "quote").outputs == {"gross": 250, "discount": 0, "net": 250}
    result = client.execute("pricing", "quote", {"qty": 40, "unit_price": 30})
    assert result.outputs == {"gross": 1200, "discount": 120, "net": 1080}
    assert result.version_id == version_id and result.version == "0.1.0"
    publish(client, "pricing", "quote", make.quote_workbook(5000))
    assert client.execute("pricing", "quote", {"qty": 40, "unit_price": 30}).outputs["net"] == 1200
    assert (
        client.execute("pricing", "quote", {"qty": 40, "unit_price": 30}, version_id=version_id).outputs["net"] == 1080
    )
    batch = client.execute_batch("pricing", "quote", [{"qty": 1}, {"qty": 300}])
    assert [r["net"] for r in batch] == [25, 6750]  # 7500 gross, 10% off above 5000
    publish(client, "pricing", "tax", make.tax_workbook())
    assert client.execute("pricing", "tax", {"amount": 19.99, "rate": 0.175}).outputs == {"tax": 3.5, "total": 23.49}
    assert client.schema("pricing", "tax").inputs == ["amount", "rate"]
    with pytest.raises(APIStatusError) as caught:
        client.execute("pricing", "tax", {"nope": 1})
    assert caught.value.status_code == 400 and caught.value.code == "INVALID_INPUTS"
    assert caught.value.request_id, "errors carry the request id"


def test_oauth2_token_expiring_mid_run_is_refreshed_transparently(emulator: EmulatorProcess) -> None:
    httpx.put(f"{emulator.url}/_admin/spark/token-lifetime", json={"seconds": 1}).raise_for_status()
    client = make_client(emulator, oauth=True)
    assert isinstance(client.auth, OAuth2ClientCredentials)
    client.create_folder("pricing")
    publish(client, "pricing", "tax", workbooks().tax_workbook())
    fetched = client.auth.fetches
    time.sleep(1.1)  # the 1 s token has expired on the server; the client refreshes before using it
    assert client.execute("pricing", "tax").outputs["total"] == 120
    assert client.auth.fetches > fetched
    # Revoked behind the client's back (cached token still "valid" locally): 401 -> refetch -> retry.
    httpx.put(f"{emulator.url}/_admin/spark/token-lifetime", json={"seconds": 300}).raise_for_status()
    client.auth.invalidate()
    client.versions("pricing", "tax")
    httpx.post(f"{emulator.url}/_admin/spark/expire-tokens").raise_for_status()
    before = client.auth.fetches
    assert client.execute("pricing", "tax", {"amount": 10}).outputs["total"] == 12
    assert client.auth.fetches == before + 1


def test_bad_oauth_credentials_and_other_tenant_fail_with_typed_errors(emulator: EmulatorProcess) -> None:
    env = emulator.env()
    endpoint = resolve_endpoint(env["CSPARK_BASE_URL"], env["CSPARK_TENANT"], None)
    bad = SparkClient(endpoint, choose_auth(endpoint, None, None, CLIENT_ID, "wrong-secret"))
    with pytest.raises(AuthenticationError) as caught:
        bad.folder_exists("x")
    assert caught.value.code == "invalid_client" and "wrong-secret" not in str(caught.value)
    other = make_client(emulator, api_key="spark-other-key-0001")
    with pytest.raises(APIStatusError) as mismatch:
        other.folder_exists("x")
    assert mismatch.value.code == "TENANT_MISMATCH"


def test_failed_compile_leaves_no_half_service(emulator: EmulatorProcess, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "=1+1"
    path = tmp_path / "plain.xlsx"
    book.save(path)
    client = make_client(emulator)
    client.create_folder("pricing")
    provider = ServiceProvider()
    provider.handler._stack_config = {}
    env = emulator.env()
    import os

    os.environ.update({k: env[k] for k in ("CSPARK_BASE_URL", "CSPARK_TENANT", "CSPARK_API_KEY")})
    props: dict[str, Any] = {"folder": "pricing", "name": "plain", "file": str(path), "versioning": "minor"}
    with pytest.raises(CompilationFailedError, match="Xinput_ and Xoutput_"):
        provider.create(props)
    assert not client.service_exists("pricing", "plain")
    assert spark_state(emulator)["services"] == {}


OFFICIAL_FLOW = """
import io, json, sys
import cspark.sdk as Spark

base, tenant, key, quote, tax = sys.argv[1:6]
spark = Spark.Client(base_url=Spark.BaseUrl(base, tenant), api_key=key, logger=False)
folders = spark.folders
created = folders.create("official", description="made by cspark", category="Finance")
folder_id = created.data["data"]["id"]
assert folders.find("official").data["data"][0]["name"] == "official"
folders.update(folder_id, description="updated by cspark")
services = spark.services
services.create(name="quote", folder="official", file=io.BytesIO(open(quote, "rb").read()), file_name="quote.xlsx")
services.create(name="quote", folder="official", file=io.BytesIO(open(quote, "rb").read()), file_name="quote.xlsx",
                versioning="major")
versions = services.get_versions("official/quote").data
schema = services.get_schema("official/quote").data
metadata = services.get_metadata("official/quote").data
single = services.execute("official/quote", inputs={"qty": 40, "unit_price": 30}).data
batch = services.execute("official/quote", inputs=[{"qty": 1}, {"qty": 100}]).data
downloaded = services.download("official/quote").buffer
services.delete("official/quote")
gone = services.exists("official/quote")
after_update = folders.find("official").data["data"][0]["description"]
folders.delete(folder_id)
print(json.dumps({
    "revisions": [v["revision"] for v in versions], "inputs": [i["name"] for i in schema["data"]["engineInputs"]],
    "metadata_status": metadata["status"], "single": single["outputs"][0], "batch": batch["outputs"],
    "downloaded_is_zip": downloaded[:2] == b"PK", "gone": not gone, "description": after_update,
    "folders_left": len(folders.find().data["data"]),
}))
"""


@pytest.mark.official
def test_official_cspark_client_runs_unchanged_against_the_emulator(emulator: EmulatorProcess, tmp_path: Path) -> None:
    try:
        import cspark  # noqa: F401
    except ImportError:
        pytest.fail("cspark==0.3.3 is a pinned dev dependency: pip install -e '.[dev]'")
    make = workbooks()
    quote = tmp_path / "quote.xlsx"
    quote.write_bytes(make.quote_workbook())
    env = emulator.env()
    script = tmp_path / "official.py"
    script.write_text(textwrap.dedent(OFFICIAL_FLOW))
    clean_env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("CSPARK_")}
    proc = subprocess.run(
        [
            sys.executable,
            str(script),
            env["CSPARK_BASE_URL"],
            env["CSPARK_TENANT"],
            env["CSPARK_API_KEY"],
            str(quote),
            "",
        ],
        capture_output=True,
        text=True,
        env=clean_env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    import json

    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["revisions"] == ["1.0.0", "0.1.0"]
    assert result["inputs"] == ["qty", "unit_price"]
    assert result["single"] == {"gross": 1200, "discount": 120, "net": 1080}
    assert [r["net"] for r in result["batch"]] == [25, 2250]
    assert result["downloaded_is_zip"] and result["gone"]
    assert result["description"] == "updated by cspark"
    assert result["folders_left"] == 0
    _ = io  # keep import for readers of the flow


def test_folder_create_conflict_without_adopt(emulator: EmulatorProcess) -> None:
    from pulumi_dataplatforms_provider.core import ConflictError

    client = make_client(emulator)
    client.create_folder("pricing")
    with pytest.raises(ConflictError):
        client.create_folder("pricing")
    assert len(spark_state(emulator)["folders"]) == 1
