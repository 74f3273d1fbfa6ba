"""examples/gitops through the engine harness: apply, no-op re-apply, edited manifests, destroy; secrets stay secret."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from scripts.cli_stack import platform_config as cli_platform_config
from tests.harness import Secret, Stack
from tests.harness.runner import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "gitops"
POSTGRES_PASSWORD = "pg-gitops-Zq81"
WEBHOOK_TOKEN = "whk-gitops-Lm27"


def platform_config(emulator: EmulatorProcess) -> dict[str, Any]:
    """Every platform setting the emulator provides, as the dynamic providers' stack config (secrets as secrets)."""
    plain, secret = cli_platform_config(emulator.env())
    return {**plain, **{key: Secret(value) for key, value in secret.items()}}


def gitops_stack(tmp_path: Path, emulator: EmulatorProcess) -> tuple[Stack, Path]:
    """A copy of the example (so edits stay in tmp_path) and its stack."""
    example = tmp_path / "gitops"
    shutil.copytree(EXAMPLE, example)
    config = {**platform_config(emulator), "postgresPassword": Secret(POSTGRES_PASSWORD)}
    return Stack(tmp_path / "stack", example, config=config, env={"WEBHOOK_TOKEN": WEBHOOK_TOKEN}), example


def cache_value(emulator: EmulatorProcess, key: str) -> Any:
    env = emulator.env()
    response = httpx.post(
        f"{env['AEROSTACK_SERVER_URL']}/cache/get",
        json={"key": key},
        headers={"X-Aerostack-Key": env["AEROSTACK_API_KEY"]},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_gitops_example_lifecycle(tmp_path: Path, emulator: EmulatorProcess) -> None:
    """Apply creates all ten resources in dependency order; re-apply is a no-op; edits update or replace; destroy empties."""
    stack, example = gitops_stack(tmp_path, emulator)
    first = stack.up()
    assert sorted(first.calls("create")) == sorted(
        ["catalog", "orders", "catalog", "pricing", "quote", "001-users", "002-posts", "app-settings",
         "webhook-token", "logo"]
    )  # fmt: skip
    creates = first.calls("create")
    assert creates.index("pricing") < creates.index("quote")
    assert creates.index("001-users") < creates.index("002-posts")
    state = emulator.admin.state()
    assert len(state["eloq"]["clusters"]) == 1
    assert {c["type"] for c in state["ardent"]["configs"].values()} == {"postgreSQL", "mongodb"}
    mongo = next(c for c in state["ardent"]["configs"].values() if c["type"] == "mongodb")
    assert json.dumps(mongo).count("mongodb://") == 1, "the EloqDoc connection string reached Ardent"
    assert [f["name"] for f in state["spark"]["folders"].values()] == [stack.resource("pricing")["outputs"]["name"]]
    assert cache_value(emulator, "app:webhook-token")["value"] == WEBHOOK_TOKEN

    again = stack.up()
    assert not again.changed
    assert again.host_calls == [m for m in again.host_calls if m[0] in ("configure", "check", "diff")]

    manifests = example / "manifests"
    edit(manifests / "spark.yaml", "description: Pricing models", "description: Pricing models, audited")
    edit(manifests / "spark.yaml", "releaseNotes: Quote with volume discount", "releaseNotes: Reworded")
    edit(manifests / "aerostack.yaml", "key: app:settings", "key: app:settings-v2")
    edit(manifests / "aerostack.yaml", "maxPostLength: 500", "maxPostLength: 500\n    rate_limit_per_minute: 30")
    edited = stack.up()
    assert edited.names("update") == ["pricing"]
    assert edited.names("replace") == ["app-settings"]
    assert sorted(s.name for s in edited.steps if s.op != "same") == ["app-settings", "pricing"]
    folder = next(iter(emulator.admin.state()["spark"]["folders"].values()))
    assert folder["description"] == "Pricing models, audited"
    settings = cache_value(emulator, "app:settings-v2")["value"]
    assert sorted(settings) == ["maxPostLength", "rate_limit_per_minute", "signupOpen", "theme"], "keys as written"

    stack.destroy()
    state = emulator.admin.state()
    assert state["eloq"]["clusters"] == [] or all(c.get("status") == "deleted" for c in state["eloq"]["clusters"])
    assert state["ardent"]["configs"] == {}
    assert state["spark"]["folders"] == {}
    assert not stack.resources()


def test_manifest_secrets_never_reach_state_or_logs_in_plaintext(tmp_path: Path, emulator: EmulatorProcess) -> None:
    """`{secret: ...}`, `{env: ...}` and a ref to a secret output stay encrypted in the checkpoint and out of logs."""
    stack, _ = gitops_stack(tmp_path, emulator)
    result = stack.up()
    connection_string = stack.decrypted_state()  # decrypted view, to learn the real value
    orders = stack.resource("orders")
    catalog = next(r for r in stack.resources() if r["type"].endswith("ardent:MongoDbConfig"))
    assert orders and orders["inputs"]["password"]["value"] == POSTGRES_PASSWORD
    connection_string = catalog["inputs"]["connectionString"]["value"]
    assert connection_string.startswith("mongodb://")
    raw = stack.state_path.read_text()
    texts = [raw, result.stdout, result.stderr, "\n".join(result.logs)]
    texts += [path.read_text(errors="replace") for path in (tmp_path / "stack" / ".harness").glob("*.stderr")]
    for secret in (POSTGRES_PASSWORD, WEBHOOK_TOKEN, connection_string):
        assert all(secret not in text for text in texts)
    assert all(secret not in blob for blob in stack.provider_blobs() for secret in (POSTGRES_PASSWORD, WEBHOOK_TOKEN))
