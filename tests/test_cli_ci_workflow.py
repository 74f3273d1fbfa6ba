"""examples/ci's per-branch workflow run against the real Pulumi CLI, for a branch stack of examples/gitops.

A pull request (jobs `stack`, `validate`, `preview`), a push (`stack`, `validate`, `up`) and the
branch's deletion (`stack`, `destroy`), each job's steps in order: `run:` steps in bash as GitHub
runs them, `pulumi/actions` commands as `CliStack` operations (there is no Python language host,
so the program runs inline). Each job starts from a fresh copy of examples/gitops prepared as
examples/ci/README.md says: no `virtualenv` option, and the self-managed backend's commented lines
(a `file://` backend, a passphrase) instead of `PULUMI_ACCESS_TOKEN`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from scripts.cli_stack import CliStack, Outcome
from tests.cli_support import AerostackApi, spark_state
from tests.real_cli import EXAMPLES, assert_no_plaintext_secrets, require_cli, writes
from tests.test_ci_workflow import (
    WORKFLOW_PATH,
    job_running,
    job_with_action_command,
    jobs,
    run_script,
    steps,
    workflow_env,
)

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

BRANCH, STACK = "Feature/Add-Spark", "feature-add-spark"  # examples/ci/README.md's example
DEFAULT_BRANCH = "main"
POSTGRES_PASSWORD = "ci-postgres-password-Zr4"
WEBHOOK_TOKEN = "ci-webhook-token-Qx7"
EXPRESSION = re.compile(r"^\$\{\{ (secrets|needs\.stack\.outputs|env)\.(\w+) \}\}$")
STEP_OUTPUT_IS = re.compile(r"^steps\.(\w+)\.outputs\.(\w+) == '([^']*)'$")


def self_managed_backend_env() -> dict[str, Any]:
    """The commented lines that replace a job's `PULUMI_ACCESS_TOKEN` for a self-managed backend (README)."""
    text = WORKFLOW_PATH.read_text()
    block = text[text.index("For a self-managed backend use instead:") :].splitlines()[1:4]
    parsed = yaml.safe_load("\n".join(re.sub(r"^\s*#\s*", "", line) for line in block))
    assert set(parsed) == {"PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER"}
    return dict(parsed)


@dataclass
class Runner:
    """Runs workflow jobs for one branch against one backend and one emulator."""

    tmp_path: Path
    state_dir: Path
    monkeypatch: pytest.MonkeyPatch
    secrets: dict[str, str]
    needs: dict[str, str] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)  # everything every step printed
    checkouts: int = 0

    def checkout(self) -> Path:
        """A fresh clone of the repository the workflow is written for, changed as the README says."""
        self.checkouts += 1
        work = self.tmp_path / f"checkout-{self.checkouts}"
        shutil.copytree(EXAMPLES / "gitops", work, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml"))
        project = work / "Pulumi.yaml"
        text = project.read_text()
        removed = re.sub(r"\n +virtualenv: .*\n", "\n", text)
        assert removed != text and "virtualenv" not in removed
        project.write_text(removed)
        return work

    def resolve(self, value: Any) -> str:
        """A workflow value: a secret (unset ones are empty, as on GitHub), a `stack` job output, env, or literal."""
        text = str(value)
        if match := EXPRESSION.match(text):
            scope, name = match.groups()
            if scope == "secrets":
                return self.secrets.get(name, "")
            return self.needs[name] if scope == "needs.stack.outputs" else workflow_env()[name]
        assert "${{" not in text, f"cannot resolve {text}"
        return text

    def job_env(self, job: dict[str, Any]) -> dict[str, str]:
        env = {key: self.resolve(value) for key, value in workflow_env().items()}
        declared = dict(job.get("env", {}))
        if "PULUMI_ACCESS_TOKEN" in declared:
            del declared["PULUMI_ACCESS_TOKEN"]
            declared.update(self_managed_backend_env())
        env.update({key: self.resolve(value) for key, value in declared.items()})
        return env

    def run(self, job_id: str, overrides: dict[str, str] | None = None) -> dict[str, Any]:
        """Every step of a job in order; returns step outputs by step id and the CliStack outcomes."""
        job = jobs()[job_id]
        env = self.job_env(job)
        for key, value in env.items():
            self.monkeypatch.setenv(key, value)  # the inline program runs in this process
        work = self.checkout()
        project = work / env["PROJECT_DIR"]
        passphrase = env.get("PULUMI_CONFIG_PASSPHRASE") or None
        stack = CliStack(
            project, self.state_dir, stack_name=self.needs.get("name", "-"), env=env, passphrase=passphrase
        )
        assert stack.env["PULUMI_BACKEND_URL"] == env.get("PULUMI_BACKEND_URL", stack.env["PULUMI_BACKEND_URL"])
        results: dict[str, Any] = {"outputs": {}, "printed": {}, "outcomes": {}, "stack": stack}
        for step in steps(job):
            condition = step.get("if")
            if condition is not None:
                match = STEP_OUTPUT_IS.match(condition)
                assert match, f"{job_id}: cannot evaluate `if: {condition}`"
                if results["outputs"].get(match.group(1), {}).get(match.group(2)) != match.group(3):
                    continue
            uses = str(step.get("uses", ""))
            if uses.startswith(("actions/checkout@", "actions/setup-python@")):
                continue  # the fresh checkout above; this venv's Python first on PATH
            if uses.startswith("pulumi/actions@"):
                inputs = step.get("with", {})
                if "command" in inputs:
                    assert self.resolve(inputs["stack-name"]) == stack.stack_name
                    assert self.resolve(inputs["work-dir"]) == env["PROJECT_DIR"]
                    operation = getattr(stack, inputs["command"])
                    outcome: Outcome = operation()
                    self.outputs.append(outcome.text)
                    results["outcomes"][inputs["command"]] = outcome
                continue  # installing the CLI: CliStack's environment puts it first on PATH
            script = step["run"]
            if script.strip() == "pip install -r requirements.txt":
                continue
            # `overrides` stand for values GitHub computes from the event (the branch names).
            given = overrides or {}
            step_env = {**stack.env, **{k: given.get(k) or self.resolve(v) for k, v in step.get("env", {}).items()}}
            code, outputs, printed = run_script(
                script, {**step_env, "HOME": str(self.tmp_path)}, self.tmp_path, cwd=project, timeout=300
            )
            self.outputs.append(printed)
            results["printed"][step.get("name", script)] = printed
            assert code == 0, f"{job_id}: {step.get('name', script)} failed:\n{printed}"
            if "id" in step:
                results["outputs"][step["id"]] = outputs
        return results


def stack_job(runner: Runner) -> None:
    """The `stack` job with the branch as the event gives it: `needs.stack.outputs` for the others."""
    (name_step,) = [s for s in steps(jobs()["stack"]) if s.get("id") == "name"]
    assert set(name_step["env"]) == {"BRANCH", "DEFAULT_BRANCH"}
    result = runner.run("stack", {"BRANCH": BRANCH, "DEFAULT_BRANCH": DEFAULT_BRANCH})
    runner.needs = dict(result["outputs"]["name"])


def test_branch_stack_lifecycle(tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    require_cli()
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")  # setup-python
    backend = tmp_path / "state" / "backend"
    backend.mkdir(parents=True)  # the self-managed backend exists before the workflow runs
    secrets = {
        **emulator.env(),
        "PULUMI_BACKEND_URL": f"file://{backend}",
        "PULUMI_CONFIG_PASSPHRASE": "ci-backend-passphrase",
        "POSTGRES_PASSWORD": POSTGRES_PASSWORD,
        "WEBHOOK_TOKEN": WEBHOOK_TOKEN,
    }
    runner = Runner(tmp_path / "runs", tmp_path / "state", monkeypatch, secrets)
    runner.tmp_path.mkdir()
    preview_job, _ = job_with_action_command("preview")
    up_job, _ = job_with_action_command("up")
    destroy_job, _ = job_running("pulumi", "destroy")
    emulator.admin.reset_counts()

    # pull_request: the stack name from the branch, the manifests checked, a preview of the new stack.
    stack_job(runner)
    assert runner.needs == {"name": STACK, "protected": "false"}
    validated = runner.run("validate")
    assert "ok: 10 resources in 4 files" in validated["printed"]["Check the manifests (no platform is contacted)"]
    previewed = runner.run(preview_job)
    plan: Outcome = previewed["outcomes"]["preview"]
    assert plan.changes == {"create": 11}
    select = "Select the branch's stack, creating it for a new branch"
    assert f"Created stack '{STACK}'" in previewed["printed"][select]
    assert writes(emulator) == {}, "a preview must not write"

    # push: the same stack deployed.
    stack_job(runner)
    runner.run("validate")
    deployed = runner.run(up_job)
    created: Outcome = deployed["outcomes"]["up"]
    assert created.changes == {"create": 11}
    assert "Created stack" not in deployed["printed"][select], "the push found the stack the pull request made"
    state = emulator.admin.state()
    assert len(state["eloq"]["clusters"]) == 1
    assert {c["config"].get("password") for c in state["ardent"]["configs"].values()} >= {POSTGRES_PASSWORD}
    assert len(spark_state(emulator)["services"]) == 1
    aerostack = AerostackApi(emulator)
    assert aerostack.cache_get("app:webhook-token")["value"] == WEBHOOK_TOKEN
    up_stack: CliStack = deployed["stack"]
    assert_no_plaintext_secrets(up_stack, [POSTGRES_PASSWORD, WEBHOOK_TOKEN])

    # delete: the branch's stack destroyed and removed.
    stack_job(runner)
    destroyed = runner.run(destroy_job)
    assert destroyed["outputs"]["select"] == {"exists": "true"}
    assert "Resources:\n    - 11 deleted" in destroyed["printed"]["pulumi destroy"]
    assert f"Stack '{STACK}' has been removed!" in destroyed["printed"]["pulumi stack rm"]
    # `stack ls` through the up job's CliStack: its stack object exists already, so this does not
    # select (and so re-create) the removed stack.
    listed = json.loads(up_stack.pulumi("stack", "ls", "--json").stdout)
    assert listed == []

    state = emulator.admin.state()
    assert state["eloq"]["clusters"] == [] and state["ardent"]["configs"] == {}
    assert spark_state(emulator) == {"folders": {}, "services": {}}
    assert {"users", "posts"} & aerostack.tables() == set()
    for key in ("app:settings", "app:webhook-token"):
        assert aerostack.cache_get(key)["value"] is None  # no delete endpoint: null, expiring (README)
    (objects,) = [v for k, v in state["aerostack"].items() if k.startswith("objects:")]
    assert set(objects) == {"assets/logo.svg"}  # no delete endpoint: the object stays (README)

    # The manifests' secrets never appear in what any step printed.
    for printed in runner.outputs:
        assert POSTGRES_PASSWORD not in printed and WEBHOOK_TOKEN not in printed
