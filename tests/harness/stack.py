"""`Stack`: the test-facing handle on one stack; each operation runs in a fresh runner process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .crypto import DEFAULT_PASSPHRASE
from .engine import DeploymentError, Step
from .props import is_secret, strip_secrets
from .runner import REPO_ROOT, with_repo_on_path
from .state import StackFiles, project_name, walk_secrets


@dataclass(frozen=True)
class Secret:
    """A config value to store as a secret: `Stack(config={"eloq:apiKey": Secret("...")})`."""

    value: str


@dataclass
class Result:
    """What one operation did."""

    outputs: dict[str, Any]
    secret_outputs: set[str]
    steps: list[Step]
    host_calls: list[tuple[str, str]]
    logs: list[str]
    stdout: str = ""
    stderr: str = ""
    error: str | None = None
    host_stderr: Path | None = field(default=None, repr=False)

    @property
    def changed(self) -> bool:
        """True if any step was not `same`."""
        return any(step.op != "same" for step in self.steps)

    def names(self, op: str) -> list[str]:
        """Logical names of the resources with step `op`, in step order."""
        return [step.name for step in self.steps if step.op == op]

    def calls(self, method: str) -> list[str]:
        """Logical names the host was sent `method` for (e.g. "create"), in call order."""
        return [urn.rsplit("::", 1)[-1] for m, urn in self.host_calls if m == method]


class Stack:
    """A stack of `program` whose config, checkpoint and host logs live in `workdir`."""

    def __init__(
        self,
        workdir: Path,
        program: str | Path,
        config: Mapping[str, str | Secret] | None = None,
        env: Mapping[str, str] | None = None,
        passphrase: str = DEFAULT_PASSPHRASE,
        stack_name: str = "dev",
        timeout: float = 300.0,
    ) -> None:
        self.workdir = Path(workdir).resolve()
        self.program = str(Path(program).resolve()) if Path(str(program)).is_dir() else str(program)
        self.env = dict(env or {})
        self.passphrase = passphrase
        self.stack_name = stack_name
        self.timeout = timeout
        self.files = StackFiles(self.workdir, project_name(self.program), stack_name, passphrase)
        for key, value in (config or {}).items():
            if isinstance(value, Secret):
                self.set_config(key, value.value, secret=True)
            else:
                self.set_config(key, value)

    # -- operations -------------------------------------------------------------------------

    def up(self, preview: bool = False) -> Result:
        """`pulumi up` (or `pulumi preview` with preview=True: Check and Diff only)."""
        return self._run("up", preview)

    def preview(self) -> Result:
        """`pulumi preview`."""
        return self.up(preview=True)

    def refresh(self) -> Result:
        """`pulumi refresh`."""
        return self._run("refresh")

    def destroy(self) -> Result:
        """`pulumi destroy`."""
        return self._run("destroy")

    def _run(self, op: str, preview: bool = False) -> Result:
        result_path = self.workdir / ".harness" / "result.json"
        result_path.unlink(missing_ok=True)
        cmd = [
            sys.executable,
            "-m",
            "tests.harness.runner",
            op,
            "--program",
            self.program,
            "--workdir",
            str(self.workdir),
            "--stack",
            self.stack_name,
            "--result",
            str(result_path),
        ]
        if preview:
            cmd.append("--preview")
        env = with_repo_on_path({**os.environ, **self.env, "PULUMI_CONFIG_PASSPHRASE": self.passphrase})
        returncode, stdout, stderr = self._spawn(cmd, env)
        if not result_path.exists():
            raise DeploymentError(f"runner crashed (exit {returncode}):\n{stderr}{stdout}")
        doc = json.loads(result_path.read_text())
        result_path.unlink()
        outputs = self.files.crypter.decrypt_tree(doc["outputs"])
        result = Result(
            outputs={k: strip_secrets(v) for k, v in outputs.items()},
            secret_outputs={k for k, v in outputs.items() if is_secret(v)},
            steps=[Step(op, urn, type_, tuple(keys)) for op, urn, type_, keys in doc["steps"]],
            host_calls=[(method, urn) for method, urn in doc["host_calls"]],
            logs=doc["logs"],
            stdout=stdout,
            stderr=stderr,
            error=doc["error"],
            host_stderr=Path(doc["host_stderr"]) if doc["host_stderr"] else None,
        )
        if result.error is not None:
            raise DeploymentError(result.error, result)
        return result

    def _spawn(self, cmd: list[str], env: dict[str, str]) -> tuple[int, str, str]:
        """Run the runner in its own process group, so a timeout also kills the host it started."""
        with subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        ) as proc:
            try:
                stdout, stderr = proc.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                stdout, stderr = proc.communicate()
                raise DeploymentError(f"timed out after {self.timeout}s:\n{stderr}{stdout}") from None
        return proc.returncode, stdout, stderr

    # -- config and state -------------------------------------------------------------------

    def set_config(self, key: str, value: str, secret: bool = False) -> None:
        """`pulumi config set [--secret] key value` (un-namespaced keys get the project's)."""
        self.files.set_config(key, value, secret)

    @property
    def state_path(self) -> Path:
        """The checkpoint file."""
        return self.files.state_path

    @property
    def state(self) -> dict[str, Any]:
        """The checkpoint exactly as stored (secrets encrypted); {} before the first deployment."""
        if not self.state_path.exists():
            return {}
        data: dict[str, Any] = json.loads(self.state_path.read_text())
        return data

    def decrypted_state(self) -> dict[str, Any]:
        """The checkpoint with every secret decrypted to a `{sig, "value"}` wrapper."""
        return self.files.crypter.decrypt_tree(self.state) if self.state else {}

    def resources(self) -> list[dict[str, Any]]:
        """Decrypted resource records (including pending deletes)."""
        state = self.decrypted_state()
        return list(state["checkpoint"]["latest"]["resources"]) if state else []

    def resource(self, name: str) -> dict[str, Any] | None:
        """The live decrypted record whose logical name is `name`, if any."""
        return next((r for r in self.resources() if r["urn"].endswith(f"::{name}") and not r.get("delete")), None)

    def provider_blobs(self) -> list[str]:
        """Every decrypted base64 `__provider` value in the checkpoint (inputs and outputs)."""
        blobs = []
        for res in self.resources():
            for bag in ("inputs", "outputs"):
                value = res.get(bag, {}).get("__provider")
                if value is not None:
                    blobs.append(strip_secrets(value))
        return blobs

    def secret_plaintexts(self) -> list[Any]:
        """Plaintext of every secret in the decrypted checkpoint."""
        return list(walk_secrets(self.decrypted_state()))

    @property
    def host_stderr_paths(self) -> list[Path]:
        """Every provider host's stderr file so far, oldest first."""
        return sorted((self.workdir / ".harness").glob("host-*.stderr"))
