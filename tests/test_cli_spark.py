"""examples/spark through the real Pulumi CLI: a folder and two services, from preview to destroy.

Out-of-band changes go through Spark's own API (api/v1 folders, v3 services) with the emulator's
development credentials.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.cli_support import SparkApi, edit, provider_blobs, spark_state
from tests.real_cli import assert_no_plaintext_secrets, example_stack, resources, secret_values, writes

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

EXPORTS = ("folderId", "quoteFor40", "quoteInputs", "quoteUrl", "quoteVersion", "taxVersion")
EXECUTE = "POST /spark/{tenant}/api/v3/folders/{folder}/services/{service}/execute"
ALL_SAME = {"pricing": "same", "quote": "same", "tax": "same"}


def test_spark_lifecycle(tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    # The program imports make_workbooks.py from its own directory; the inline program runs in this
    # process, so drop a cached copy (another test's, or this copy before its edit) before each run.
    monkeypatch.delitem(sys.modules, "make_workbooks", raising=False)
    stack = example_stack(tmp_path, "spark", emulator, monkeypatch)
    api = SparkApi(emulator)
    emulator.admin.reset_counts()

    # 1. Preview of a new stack: three creates, every output unknown, nothing written.
    plan = stack.preview()
    assert plan.ops() == {"pricing": "create", "quote": "create", "tax": "create"}
    for name in EXPORTS:
        assert re.search(rf"^\s+{name}\s*: \[unknown\]$", plan.text, re.MULTILINE), f"{name} not unknown"
    assert writes(emulator) == {}, "a preview of a new stack must not write"

    # 2. Up: the folder and both services, each with one published version, and a model that runs.
    created = stack.up()
    assert created.ops() == {"pricing": "create", "quote": "create", "tax": "create"}
    outputs = {key: value.value for key, value in created.outputs.items()}
    assert outputs["quoteVersion"] == "0.1.0" and outputs["taxVersion"] == "0.0.1"
    assert outputs["quoteInputs"] == ["qty", "unit_price"]
    assert outputs["quoteFor40"] == 1080  # 40 x 30 = 1200, 10% off above 1000
    state = spark_state(emulator)
    folder = state["folders"]["pricing"]
    assert folder["id"] == outputs["folderId"]
    assert (folder["description"], folder["category"]) == ("Pricing models", "Finance")
    assert set(state["services"]) == {"pricing/quote", "pricing/tax"}
    quote_versions = state["services"]["pricing/quote"]["versions"]
    assert [(v["revision"], v["releaseNote"]) for v in quote_versions] == [("0.1.0", "Quote with volume discount")]
    assert [v["tags"] for v in state["services"]["pricing/tax"]["versions"]] == ["tax,finance"]
    assert outputs["quoteUrl"].endswith("/api/v3/folders/pricing/services/quote/execute")
    service_id = state["services"]["pricing/quote"]["id"]

    emulator.admin.reset_counts()
    same = stack.preview(expect_no_changes=True)
    assert same.ops() == ALL_SAME
    # The program's smoke test (quoteFor40) executes the published model in a preview too: a POST
    # that changes nothing. Nothing else is sent.
    assert writes(emulator) == {EXECUTE: 1}

    # 3a. A new description updates the folder in place (same id).
    stack.configure({"pricing:description": "Quotes and taxes"})
    described = stack.up()
    assert described.ops() == {**ALL_SAME, "pricing": "update"}
    assert "[diff: ~description]" in described.text
    assert described.outputs["folderId"].value == folder["id"]
    assert spark_state(emulator)["folders"]["pricing"]["description"] == "Quotes and taxes"

    # 3b. A changed workbook publishes a new version of the same service, which the smoke test then runs.
    edit(
        stack.program_dir / "make_workbooks.py",
        "discount_threshold: float = 1000.0",
        "discount_threshold: float = 2000.0",
    )
    monkeypatch.delitem(sys.modules, "make_workbooks", raising=False)
    published = stack.up()
    assert published.ops() == {**ALL_SAME, "quote": "update"}
    assert "[diff: ~fileHash]" in published.text
    assert published.outputs["quoteVersion"].value == "0.2.0"
    assert published.outputs["quoteFor40"].value == 1200  # no discount below 2000
    quote = spark_state(emulator)["services"]["pricing/quote"]
    assert quote["id"] == service_id and [v["revision"] for v in quote["versions"]] == ["0.2.0", "0.1.0"]

    # 3c. Another folder name replaces the folder, and the services in it with it.
    stack.configure({"pricing:folderName": "pricing-v2"})
    renamed = stack.up()
    assert renamed.ops() == {"pricing": "replace", "quote": "replace", "tax": "replace"}
    assert "[diff: ~name]" in renamed.text and "[diff: ~folder]" in renamed.text
    state = spark_state(emulator)
    assert set(state["folders"]) == {"pricing-v2"}
    assert set(state["services"]) == {"pricing-v2/quote", "pricing-v2/tax"}
    folder_id = renamed.outputs["folderId"].value
    assert folder_id == state["folders"]["pricing-v2"]["id"] != folder["id"]

    # 4a. Out-of-band folder change: refresh shows the drift, up sets the declared description back.
    api.update_folder(folder_id, description="Edited in the Spark UI", category="Other")
    drift = stack.refresh()
    assert drift.changes == {"update": 1, "same": 3}
    assert drift.ops() == {**ALL_SAME, "pricing": "read"}
    assert re.search(r"spark:Folder pricing .*\[diff: ~category,description\]", drift.text), drift.text
    assert resources(stack)["pricing"]["inputs"]["description"] == "Edited in the Spark UI"
    restored = stack.up()
    assert restored.ops() == {**ALL_SAME, "pricing": "update"}
    folder_now = spark_state(emulator)["folders"]["pricing-v2"]
    assert (folder_now["description"], folder_now["category"]) == ("Quotes and taxes", "Finance")

    # 4b. Out-of-band publish: refresh records the other workbook's hash, up publishes ours again.
    make_workbooks = sys.modules["make_workbooks"]
    api.publish("pricing-v2", "tax", make_workbooks.quote_workbook())
    republished_elsewhere = stack.refresh()
    assert republished_elsewhere.changes == {"update": 1, "same": 3}
    assert republished_elsewhere.ops() == {**ALL_SAME, "tax": "read"}
    assert re.search(r"spark:Service tax .*\[diff: ~fileHash", republished_elsewhere.text), republished_elsewhere.text
    republished = stack.up()
    assert republished.ops() == {**ALL_SAME, "tax": "update"}
    tax_versions = spark_state(emulator)["services"]["pricing-v2/tax"]["versions"]
    assert len(tax_versions) == 3 and tax_versions[0]["originalFileName"] == "tax.xlsx"

    # 4c. Out-of-band delete: refresh drops the service, up publishes it again.
    api.delete_service("pricing-v2", "quote")
    dropped = stack.refresh()
    assert dropped.changes == {"delete": 1, "same": 3}
    assert dropped.ops() == {**ALL_SAME, "quote": "drop"}
    assert "quote deleted" in dropped.text
    assert "quote" not in resources(stack)
    recreated = stack.up()
    assert recreated.ops() == {**ALL_SAME, "quote": "create"}
    assert [v["revision"] for v in spark_state(emulator)["services"]["pricing-v2/quote"]["versions"]] == ["0.1.0"]
    assert recreated.outputs["quoteFor40"].value == 1200

    # 6. Secrets: the platforms' API keys are secret config (the example has no secret output). The
    # engine keeps them in the dynamic provider's configuration, encrypted; they must appear nowhere
    # in plaintext, and never pickled into a resource's dynamic provider.
    secrets = secret_values(stack)
    assert emulator.env()["CSPARK_API_KEY"] in secrets
    assert_no_plaintext_secrets(stack, secrets)
    blobs = provider_blobs(stack)
    assert len(blobs) == 3 and all(b"pulumi_dataplatforms_provider.spark" in blob for blob in blobs)
    assert not [value for value in secrets for blob in blobs if value.encode() in blob]

    # 5. Destroy: services first, then the folder; Spark holds nothing.
    gone = stack.destroy()
    assert gone.ops() == {"pricing": "delete", "quote": "delete", "tax": "delete"}
    assert spark_state(emulator) == {"folders": {}, "services": {}}
