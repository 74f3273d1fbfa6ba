"""What the real-CLI tests of the examples share beyond tests/real_cli.py.

Changes behind Pulumi's back go through each platform's own API with the emulator's development
credentials, as someone outside the stack would make them (Eloq's through `emulator.admin`).
`provider_blobs` decodes the pickled dynamic providers a stack's state holds.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import httpx

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.ardent.client import ArdentClient
from scripts.cli_stack import CliStack


def spark_state(emulator: EmulatorProcess) -> dict[str, dict[str, Any]]:
    """Spark folders by name and services by `<folder>/<name>` (the emulator's only tenant in use)."""
    state = emulator.admin.state()["spark"]
    return {
        "folders": {key.split("/", 1)[1]: value for key, value in state["folders"].items()},
        "services": {key.split("/", 1)[1]: value for key, value in state["services"].items()},
    }


class SparkApi:
    """Coherent Spark's api/v1 and v3 routes with the development API key."""

    def __init__(self, emulator: EmulatorProcess) -> None:
        env = emulator.env()
        self.base, self.tenant = env["CSPARK_BASE_URL"], env["CSPARK_TENANT"]
        self.headers = {"x-synthetic-key": env["CSPARK_API_KEY"], "x-tenant-name": self.tenant}

    def update_folder(self, folder_id: str, **fields: str) -> None:
        url = f"{self.base}/api/v1/product/update/{folder_id}"
        httpx.post(url, headers=self.headers, json=fields, timeout=10).raise_for_status()

    def delete_service(self, folder: str, service: str) -> None:
        url = f"{self.base}/api/v1/product/{folder}/engines/delete/{service}"
        httpx.delete(url, headers=self.headers, timeout=10).raise_for_status()

    def publish(self, folder: str, service: str, workbook: bytes) -> None:
        """Upload a workbook and publish it as a new minor version (compilation is instant in the tests)."""
        service_url = f"{self.base}/{self.tenant}/api/v3/folders/{folder}/services/{service}"
        upload = httpx.post(
            f"{service_url}/upload",
            headers=self.headers,
            data={"engineUploadRequestEntity": "{}"},
            files={"serviceFile": (f"{service}.xlsx", workbook)},
            timeout=30,
        )
        upload.raise_for_status()
        document = upload.json()["response_data"]["engine_file_documentid"]
        body = {"request_data": {"engine_file_documentid": document, "version_difference": "minor"}}
        httpx.post(f"{service_url}/publish", headers=self.headers, json=body, timeout=30).raise_for_status()


class AerostackApi:
    """Aerostack's cache, database and storage operations with the development API key."""

    def __init__(self, emulator: EmulatorProcess) -> None:
        env = emulator.env()
        self.base = env["AEROSTACK_SERVER_URL"]
        self.headers = {"X-Aerostack-Key": env["AEROSTACK_API_KEY"]}

    def _post(self, path: str, **kwargs: Any) -> Any:
        response = httpx.post(f"{self.base}{path}", headers=self.headers, timeout=10, **kwargs)
        response.raise_for_status()
        return response.json()

    def cache_get(self, key: str) -> dict[str, Any]:
        """`{"exists": bool, "value": ...}`."""
        result: dict[str, Any] = self._post("/cache/get", json={"key": key})
        return result

    def cache_set(self, key: str, value: Any, ttl: int | None = None) -> None:
        self._post("/cache/set", json={"key": key, "value": value, **({"ttl": ttl} if ttl else {})})

    def query(self, sql: str) -> list[dict[str, Any]]:
        """One statement's result rows."""
        rows: list[dict[str, Any]] = self._post("/db/query", json={"sql": sql}).get("results") or []
        return rows

    def tables(self) -> set[str]:
        return {row["name"] for row in self.query("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def upload(self, key: str, content: bytes, content_type: str) -> None:
        self._post("/storage/upload", data={"key": key, "contentType": content_type}, files={"file": (key, content)})


def ardent_client(emulator: EmulatorProcess) -> ArdentClient:
    """An Ardent client with the development HMAC keys (configurations have no other generation)."""
    env = emulator.env()
    return ArdentClient(env["ARDENT_BASE_URL"], hmac=(env["ARDENT_PUBLIC_KEY"], env["ARDENT_SECRET_KEY"]))


def edit(path: Path, old: str, new: str) -> None:
    """Replaces `old` (which must be there) with `new` in a file."""
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new))


def provider_blobs(stack: CliStack) -> list[bytes]:
    """Every resource's pickled dynamic provider (`__provider`, a secret), decoded, from `stack export --show-secrets`."""
    shown = json.loads(stack.pulumi("stack", "export", "--show-secrets", "--stack", stack.stack_name).stdout)
    blobs = []
    for res in shown["deployment"]["resources"]:
        blob = (res.get("outputs") or {}).get("__provider")
        if isinstance(blob, dict) and "plaintext" in blob:
            blobs.append(base64.b64decode(json.loads(blob["plaintext"])))
    return blobs
