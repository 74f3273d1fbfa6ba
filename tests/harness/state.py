"""Stack files: config (`Pulumi.<stack>.json`) and the checkpoint (`.pulumi/stacks/<project>/<stack>.json`).

In memory secrets are `{sig, "value"}` wrappers; on disk every one is `{sig, "ciphertext"}`.
Writes are atomic (temp file + rename), so a killed deployment leaves the last good checkpoint.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from .crypto import Crypter
from .props import is_secret, make_secret

Resource = dict[str, Any]


def project_name(program: str | Path) -> str:
    """`name:` from the program's Pulumi.yaml, else the directory (or module) name."""
    path = Path(str(program))
    if path.is_dir():
        pulumi_yaml = path / "Pulumi.yaml"
        if pulumi_yaml.exists():
            name = (yaml.safe_load(pulumi_yaml.read_text()) or {}).get("name")
            if name:
                return str(name)
        return path.resolve().name
    return str(program).split(":", 1)[0].rsplit(".", 1)[-1]


def full_key(key: str, project: str) -> str:
    """Config keys without a namespace belong to the project, as in `pulumi config set`."""
    return key if ":" in key else f"{project}:{key}"


def write_json(path: Path, data: Any) -> None:
    """Atomically write `data` as indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    os.replace(tmp, path)


class StackFiles:
    """Locations and (de)serialization of one stack's config and checkpoint."""

    def __init__(self, workdir: Path, project: str, stack: str, passphrase: str) -> None:
        self.workdir = workdir
        self.project = project
        self.stack = stack
        self.config_path = workdir / f"Pulumi.{stack}.json"
        self.state_path = workdir / ".pulumi" / "stacks" / project / f"{stack}.json"
        self._passphrase = passphrase
        self._crypter: Crypter | None = None

    @property
    def crypter(self) -> Crypter:
        """The stack's secrets manager (created with a fresh salt on first use)."""
        if self._crypter is None:
            raw = self._raw_config()
            salt = raw.get("encryptionsalt")
            self._crypter = Crypter(self._passphrase, salt)
            if salt is None:
                raw["encryptionsalt"] = self._crypter.salt_state
                write_json(self.config_path, raw)
        return self._crypter

    def _raw_config(self) -> dict[str, Any]:
        if self.config_path.exists():
            data: dict[str, Any] = json.loads(self.config_path.read_text())
            return data
        return {"config": {}}

    def load_config(self) -> dict[str, Any]:
        """Config as `{full_key: str | secret wrapper}`."""
        raw = self._raw_config()
        return {k: self.crypter.decrypt_tree(v) for k, v in raw.get("config", {}).items()}

    def set_config(self, key: str, value: str, secret: bool = False) -> None:
        """Store one value (secrets encrypted, like `pulumi config set --secret`)."""
        crypter = self.crypter
        raw = self._raw_config()
        stored: Any = crypter.encrypt_tree(make_secret(value)) if secret else value
        raw.setdefault("config", {})[full_key(key, self.project)] = stored
        write_json(self.config_path, raw)

    def load_checkpoint(self) -> dict[str, Any]:
        """The decrypted checkpoint (an empty one if the stack was never deployed)."""
        if not self.state_path.exists():
            return empty_checkpoint(self.project, self.stack, self.crypter.salt_state)
        data: dict[str, Any] = self.crypter.decrypt_tree(json.loads(self.state_path.read_text()))
        return data

    def save_checkpoint(self, checkpoint: Mapping[str, Any]) -> None:
        """Encrypt every secret and write atomically."""
        write_json(self.state_path, self.crypter.encrypt_tree(dict(checkpoint)))


def empty_checkpoint(project: str, stack: str, salt_state: str) -> dict[str, Any]:
    """A version-3 checkpoint with no resources."""
    return {
        "version": 3,
        "checkpoint": {
            "stack": f"organization/{project}/{stack}",
            "latest": {
                "manifest": {"time": _now(), "magic": "", "version": "tests.harness"},
                "secrets_providers": {"type": "passphrase", "state": {"salt": salt_state}},
                "resources": [],
            },
        },
    }


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def resources(checkpoint: Mapping[str, Any]) -> list[Resource]:
    """The resource list inside a checkpoint."""
    found: list[Resource] = checkpoint["checkpoint"]["latest"]["resources"]
    return found


def touch(checkpoint: dict[str, Any]) -> None:
    """Refresh the manifest time."""
    checkpoint["checkpoint"]["latest"]["manifest"]["time"] = _now()


def walk_secrets(value: Any) -> Iterator[Any]:
    """Yield the plaintext of every secret wrapper inside `value`."""
    if is_secret(value):
        yield value["value"]
    elif isinstance(value, dict):
        for v in value.values():
            yield from walk_secrets(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk_secrets(v)
