"""The per-branch environments workflow in `examples/ci/` is well formed and names only real commands.

Nothing here runs GitHub Actions or the Pulumi CLI. The workflow is parsed with PyYAML, and its
structure is checked: triggers, concurrency, permissions, the default-branch guard on the delete
path, where secrets go and that each one is documented. Its two shell scripts (the stack name and
the destroy guard) are run in bash. Each command it names is checked against a real source:

* each `pulumi <subcommand> --flag` in a `run:` must be a subcommand and flag that the installed
  Pulumi Automation API (`pulumi.automation`) passes to the CLI. They are read from that
  package's source with `ast`, not copied here;
* each `python -m <module> <subcommand>` must name a module importable here that accepts the
  subcommand (`<subcommand> --help` exits 0);
* each `pulumi/actions` input must be an input of that action's `action.yml` (`PULUMI_ACTIONS_INPUTS`);
* each file the workflow names (`requirements.txt`, `manifests/`, `Pulumi.yaml`) must exist in
  `examples/gitops/`, the repository the workflow is written for.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi.automation
import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
CI_DIR = REPO_ROOT / "examples" / "ci"
WORKFLOW_PATH = CI_DIR / ".github" / "workflows" / "environments.yml"
README_PATH = CI_DIR / "README.md"
GITOPS_DIR = REPO_ROOT / "examples" / "gitops"
SCHEMA_PATH = REPO_ROOT / "schema.json"

# The input names of the `pulumi/actions` action, from its `action.yml`: repository pulumi/actions,
# path action.yml, commit 4ddd4329226d5f7fdca0bc1fe3a0a659f4de25fe. That is a v6-line copy, with
# `runs.using: node20` and the `--refresh` meaning of `refresh` that 6.0.0 shipped (pulumi/actions#1118).
# The workflow uses @v7. v7.0.0 (pulumi/actions#1407) moved the runtime to node24 (pulumi/actions#1404).
# actionlint 1.17.0's bundled metadata for pulumi/actions@v7 still lists every name below, and it adds
# a few more that this workflow does not use.
PULUMI_ACTIONS_INPUTS = frozenset(
    {
        "command",
        "stack-name",
        "pulumi-version",
        "pulumi-version-file",
        "work-dir",
        "comment-on-pr",
        "comment-on-pr-number",
        "comment-on-summary",
        "github-token",
        "cloud-url",
        "secrets-provider",
        "parallel",
        "message",
        "config-map",
        "expect-no-changes",
        "diff",
        "replace",
        "target",
        "target-dependents",
        "policyPacks",
        "policyPackConfigs",
        "refresh",
        "upsert",
        "remove",
        "edit-pr-comment",
        "color",
        "exclude-protected",
        "plan",
        "suppress-outputs",
        "suppress-progress",
        "always-include-summary",
    }
)

# The subcommands of `python -m pulumi_dataplatforms.manifests` (its fixed contract).
MANIFESTS_MODULE = "pulumi_dataplatforms.manifests"
MANIFESTS_SUBCOMMANDS = frozenset({"check", "schema"})

# What `pulumi stack init` accepts as a stack name: letters, digits, `-`, `_` and `.` (the CLI's
# "stack names may only contain alphanumeric, hyphens, underscores, or periods"), at most 100 characters.
STACK_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")

SECRET_REF = re.compile(r"\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
ENV_REF = re.compile(r"\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
STACK_OUTPUT = "${{ needs.stack.outputs.name }}"
PINNED_USES = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")
SEPARATORS = frozenset({"|", "||", "&&", ";", "&", "(", ")", "{", "}"})
SHELL_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "time"})
PYTHON = frozenset({"python", "python3"})


# --- the workflow -------------------------------------------------------------------------------


@functools.cache
def workflow() -> dict[Any, Any]:
    """The parsed workflow (PyYAML reads the key `on` as the boolean True)."""
    loaded = yaml.safe_load(WORKFLOW_PATH.read_text())
    assert isinstance(loaded, dict)
    return loaded


def triggers() -> dict[str, Any]:
    """The workflow's `on:` mapping, whichever way PyYAML keyed it."""
    doc = workflow()
    on = doc["on"] if "on" in doc else doc[True]
    assert isinstance(on, dict), "`on:` should be a mapping of events"
    return on


def jobs() -> dict[str, dict[str, Any]]:
    """The workflow's jobs by id."""
    found: dict[str, dict[str, Any]] = workflow()["jobs"]
    return found


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    """A job's steps."""
    found: list[dict[str, Any]] = job.get("steps", [])
    return found


def workflow_env() -> dict[str, str]:
    """The workflow-level `env:`."""
    return {key: str(value) for key, value in workflow().get("env", {}).items()}


def expand_env(value: str) -> str:
    """`value` with `${{ env.X }}` replaced by the workflow-level env; any other expression fails."""
    env = workflow_env()
    expanded = ENV_REF.sub(lambda match: env[match.group(1)], value)
    assert "${{" not in expanded, f"cannot resolve {value!r} statically"
    return expanded


def normalized(expression: str) -> str:
    """An `if:` expression with its whitespace collapsed."""
    return " ".join(str(expression).split())


def commands(script: str) -> Iterator[list[str]]:
    """Each simple command of a bash script as its words, leading keywords such as `if` dropped."""
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        command: list[str] = []
        for token in [*lexer, ";"]:
            if token in SEPARATORS:
                while command and command[0] in SHELL_KEYWORDS:
                    command.pop(0)
                if command:
                    yield command
                command = []
            else:
                command.append(token)


@dataclass(frozen=True)
class RunCommand:
    """One simple command of one `run:` step."""

    job: str
    step: dict[str, Any]
    words: list[str]


def run_commands() -> list[RunCommand]:
    """Every simple command in every `run:` of the workflow."""
    found: list[RunCommand] = []
    for job_id, job in jobs().items():
        for step in steps(job):
            if "run" in step:
                found += [RunCommand(job_id, step, words) for words in commands(step["run"])]
    return found


def pulumi_action_steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    """The job's steps that use `pulumi/actions`."""
    return [step for step in steps(job) if str(step.get("uses", "")).startswith("pulumi/actions@")]


def operation_jobs() -> dict[str, dict[str, Any]]:
    """Jobs that run a Pulumi operation on a stack: `pulumi/actions` with a command, or `pulumi` in a `run:`."""
    with_cli = {command.job for command in run_commands() if command.words[0] == "pulumi"}
    return {
        job_id: job
        for job_id, job in jobs().items()
        if job_id in with_cli or any("command" in step.get("with", {}) for step in pulumi_action_steps(job))
    }


def job_running(*words: str) -> tuple[str, dict[str, Any]]:
    """The only job with a `run:` command that starts with `words`."""
    found = {command.job for command in run_commands() if command.words[: len(words)] == list(words)}
    assert len(found) == 1, f"expected one job running {' '.join(words)!r}, found {sorted(found)}"
    job_id = found.pop()
    return job_id, jobs()[job_id]


def job_with_action_command(command: str) -> tuple[str, dict[str, Any]]:
    """The only job with a `pulumi/actions` step whose `command` input is `command`."""
    found = [
        job_id
        for job_id, job in jobs().items()
        if any(step.get("with", {}).get("command") == command for step in pulumi_action_steps(job))
    ]
    assert len(found) == 1, f"expected one job with pulumi/actions command {command!r}, found {found}"
    return found[0], jobs()[found[0]]


def strings(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string value in a parsed YAML tree, with its path of keys and indexes."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings(value, (*path, str(index)))
    elif isinstance(node, str):
        yield path, node


def run_script(
    script: str, env: dict[str, str], tmp_path: Path, cwd: Path | None = None, timeout: float = 30
) -> tuple[int, dict[str, str], str]:
    """Runs a `run:` script as GitHub runs bash steps; returns its exit code, its `$GITHUB_OUTPUT` and what it printed."""
    output = tmp_path / "github_output"
    output.write_text("")
    script_file = tmp_path / "step.sh"
    script_file.write_text(script)
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
        cwd=cwd,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env, "GITHUB_OUTPUT": str(output)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    values = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return completed.returncode, values, completed.stdout + completed.stderr


# --- the Pulumi CLI as the Automation API calls it -------------------------------------------------

FLAG = re.compile(r"^--[a-z][a-z0-9-]*")
WORD = re.compile(r"^[a-z][a-z-]*$")
# Methods through which the Automation API hands an argument list to the CLI.
RUNNERS = frozenset({"_run_pulumi_cmd_sync", "_run"})


@dataclass(frozen=True)
class Function:
    """A function or method of a `pulumi.automation` module."""

    module: str
    cls: str | None
    node: ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class CliVocabulary:
    """The CLI subcommands the Automation API runs, each with every flag it passes to it."""

    commands: dict[tuple[str, ...], frozenset[str]]
    global_flags: frozenset[str]

    def command_of(self, words: list[str]) -> tuple[str, ...] | None:
        """The longest known subcommand that `words` (the words after `pulumi`) start with."""
        leading: list[str] = []
        for word in words:
            if word.startswith("-"):
                break
            leading.append(word)
        for length in range(len(leading), 0, -1):
            if tuple(leading[:length]) in self.commands:
                return tuple(leading[:length])
        return None

    def flags_of(self, command: tuple[str, ...]) -> frozenset[str]:
        """The flags the Automation API passes with `command`, and those it passes with every command."""
        return self.commands[command] | self.global_flags


def functions_of(tree: ast.Module, module: str) -> list[Function]:
    """Every function and method in a module, with its enclosing class."""
    found: list[Function] = []

    def visit(node: ast.AST, cls: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append(Function(module, cls, child))
                visit(child, cls)
            else:
                visit(child, cls)

    visit(tree, None)
    return found


def flags_in(function: Function) -> set[str]:
    """The `--flag` string literals of a function (docstrings excluded; `--x=v` counts as `--x`)."""
    found: set[str] = set()
    pending: list[ast.AST] = list(function.node.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (match := FLAG.match(node.value)):
            found.add(match.group(0))
        pending.extend(ast.iter_child_nodes(node))
    return found


def called_name(call: ast.Call) -> str | None:
    """The name a call calls: `f` for `f(...)` and `x.f(...)`."""
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def leading_words(elements: list[ast.expr]) -> tuple[str, ...]:
    """The subcommand at the head of an argument list: its leading literal lowercase words."""
    words: list[str] = []
    for element in elements:
        if not (isinstance(element, ast.Constant) and isinstance(element.value, str) and WORD.match(element.value)):
            break
        words.append(element.value)
    return tuple(words)


def argument_lists(function: Function, variable: str) -> list[list[ast.expr]]:
    """The lists a function builds in `variable`: each `variable = [...]`, then its appends and extends, in order."""
    events: list[tuple[int, int, bool, list[ast.expr]]] = []
    for node in ast.walk(function.node):
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.List):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(target, ast.Name) and target.id == variable for target in targets):
                events.append((node.lineno, node.col_offset, True, list(node.value.elts)))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == variable
            and node.args
        ):
            argument = node.args[0]
            if node.func.attr == "append":
                events.append((node.lineno, node.col_offset, False, [argument]))
            elif node.func.attr == "extend":
                added = list(argument.elts) if isinstance(argument, ast.List) else [argument]
                events.append((node.lineno, node.col_offset, False, added))
    built: list[list[ast.expr]] = []
    for _, _, starts, elements in sorted(events, key=lambda event: event[:2]):
        if starts:
            built.append(list(elements))
        elif built:
            built[-1].extend(elements)
    return built


def commands_built_by(function: Function) -> set[tuple[str, ...]]:
    """The subcommands whose argument lists a function hands to a runner."""
    found: set[tuple[str, ...]] = set()
    for call in ast.walk(function.node):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.args):
            continue
        if called_name(call) not in RUNNERS:
            continue
        argument = call.args[0]
        if isinstance(argument, ast.List):
            lists = [list(argument.elts)]
        elif isinstance(argument, ast.Name):
            lists = argument_lists(function, argument.id)
        else:
            continue
        found |= {words for words in map(leading_words, lists) if words}
    return found


@functools.cache
def cli_vocabulary() -> CliVocabulary:
    """Reads, from the installed `pulumi.automation` source, each CLI subcommand it runs and the flags it passes.

    A subcommand is the leading literal words of an argument list handed to a runner
    (`_run_pulumi_cmd_sync` in `LocalWorkspace`/`Stack`, `_run` in the generated `interface.API`). Its
    flags are the `--flag` literals of the function that builds it, of the helpers that function calls
    (such as `_parse_extra_args`), and of the runner of the same class (`Stack`'s adds `--stack`). Flags
    that `PulumiCommand.run` adds to every command (`--non-interactive`) are global.
    """
    root = Path(pulumi.automation.__file__).parent
    functions: list[Function] = []
    for source in sorted([*root.glob("*.py"), *root.glob("*/*.py")]):
        functions += functions_of(ast.parse(source.read_text()), source.relative_to(root).as_posix())
    by_name: dict[str, list[Function]] = {}
    for function in functions:
        by_name.setdefault(function.node.name, []).append(function)
    built = {id(function): commands_built_by(function) for function in functions}

    def flags_with_helpers(function: Function, seen: set[int]) -> set[str]:
        found = flags_in(function)
        for call in ast.walk(function.node):
            if not isinstance(call, ast.Call):
                continue
            for helper in by_name.get(called_name(call) or "", []):
                if id(helper) in seen or built[id(helper)] or helper.node.name in RUNNERS:
                    continue
                seen.add(id(helper))
                found |= flags_with_helpers(helper, seen)
        return found

    commands_found: dict[tuple[str, ...], set[str]] = {}
    for function in functions:
        for command in built[id(function)]:
            flags = flags_with_helpers(function, {id(function)})
            for runner in by_name.get("_run_pulumi_cmd_sync", []):
                if runner.cls == function.cls:
                    flags |= flags_with_helpers(runner, {id(runner)})
            commands_found.setdefault(command, set()).update(flags)
    global_flags = {
        flag for function in by_name.get("run", []) if function.cls == "PulumiCommand" for flag in flags_in(function)
    }
    return CliVocabulary(
        {command: frozenset(flags) for command, flags in commands_found.items()},
        frozenset(global_flags),
    )


# --- triggers, jobs and the stack name -----------------------------------------------------------


def test_workflow_parses_and_on_is_read_despite_pyyaml() -> None:
    """The workflow is YAML PyYAML can load, and its `on:` (read by PyYAML as True) is found."""
    doc = workflow()
    assert doc.get("name")
    assert True in doc or "on" in doc
    assert set(triggers()) and jobs()


def test_triggers_are_pull_request_push_to_branches_and_delete() -> None:
    """It runs on pull requests, on pushes to any branch (no tags) and on deletions."""
    on = triggers()
    assert set(on) == {"pull_request", "push", "delete"}
    push = on["push"] or {}
    assert push.get("branches") == ["**"], "push should cover every branch"
    assert "tags" not in push


def test_each_trigger_runs_its_pulumi_operation() -> None:
    """`pull_request` previews with a PR comment, `push` runs `up`, and `delete` destroys then removes the stack."""
    preview_id, preview = job_with_action_command("preview")
    assert "github.event_name == 'pull_request'" in normalized(preview["if"])
    (preview_step,) = [s for s in pulumi_action_steps(preview) if s.get("with", {}).get("command") == "preview"]
    inputs = preview_step["with"]
    assert inputs.get("comment-on-pr") is True
    assert SECRET_REF.fullmatch(inputs.get("github-token", "")) or inputs.get("github-token") == "${{ github.token }}"
    assert inputs.get("upsert") is True, "a new branch has no stack yet"

    up_id, up = job_with_action_command("up")
    assert "github.event_name == 'push'" in normalized(up["if"])
    (up_step,) = [s for s in pulumi_action_steps(up) if s.get("with", {}).get("command") == "up"]
    assert up_step["with"].get("upsert") is True

    destroy_id, destroy = job_running("pulumi", "destroy")
    assert job_running("pulumi", "stack", "rm")[0] == destroy_id
    assert "github.event_name == 'delete'" in normalized(destroy["if"])
    order = [
        words[:3]
        for step in steps(destroy)
        for words in commands(step.get("run", ""))
        if words[:2] in (["pulumi", "destroy"], ["pulumi", "stack"])
    ]
    assert order.index(["pulumi", "destroy", "--yes"]) < order.index(["pulumi", "stack", "rm"])
    assert len({preview_id, up_id, destroy_id}) == 3


def test_manifests_are_checked_before_preview_and_up() -> None:
    """`python -m pulumi_dataplatforms.manifests check` runs in a job that preview and up both need."""
    checks = [c for c in run_commands() if c.words[:4] == ["python", "-m", MANIFESTS_MODULE, "check"]]
    assert checks, "the workflow should run the manifests check"
    checking_jobs = {c.job for c in checks}
    for command in ("preview", "up"):
        _, job = job_with_action_command(command)
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        assert checking_jobs & set(needs), f"the {command} job should need the validation job"


def test_stack_name_is_computed_once_and_reused() -> None:
    """One step derives the stack name; every job that touches a stack reads it from that job's output."""
    stack_job = jobs()["stack"]
    assert stack_job["outputs"]["name"] == "${{ steps.name.outputs.name }}"
    deriving = [step for job in jobs().values() for step in steps(job) if "GITHUB_OUTPUT" in step.get("run", "")]
    assert [step.get("id") for step in steps(stack_job) if step in deriving] == ["name"]
    for job_id, job in operation_jobs().items():
        needs = job.get("needs", [])
        assert "stack" in ([needs] if isinstance(needs, str) else needs), job_id
        assert job.get("env", {}).get("STACK") == STACK_OUTPUT, job_id
        for step in pulumi_action_steps(job):
            if "command" in step.get("with", {}):
                assert step["with"]["stack-name"] == STACK_OUTPUT, job_id


@pytest.mark.parametrize(
    ("branch", "default_branch", "name", "protected"),
    [
        ("feature/Add-Spark", "main", "feature-add-spark", "false"),
        ("fix/JIRA-12_retry..again", "main", "fix-jira-12_retry..again", "false"),
        ("dependabot/pip/pulumi-3.200", "main", "dependabot-pip-pulumi-3.200", "false"),
        ("-/weird//@name/-", "main", "weird-name", "false"),
        ("x" * 150, "main", "x" * 100, "false"),
        ("main", "main", "main", "true"),
        ("Main", "develop", "main", "true"),
        ("develop", "develop", "develop", "true"),
        ("Release/2.0", "release/2.0", "release-2.0", "true"),
    ],
)
def test_stack_name_script_sanitizes_branch_names(
    tmp_path: Path, branch: str, default_branch: str, name: str, protected: str
) -> None:
    """The stack-name step turns a branch into a valid stack name and marks main's and the default branch's."""
    (step,) = [step for step in steps(jobs()["stack"]) if step.get("id") == "name"]
    assert set(step["env"]) == {"BRANCH", "DEFAULT_BRANCH"}
    assert "github.event.ref" in step["env"]["BRANCH"], "on `delete` the branch is github.event.ref"
    assert "github.head_ref" in step["env"]["BRANCH"]
    code, outputs, _ = run_script(step["run"], {"BRANCH": branch, "DEFAULT_BRANCH": default_branch}, tmp_path)
    assert code == 0
    assert outputs == {"name": name, "protected": protected}
    assert STACK_NAME.match(outputs["name"])


def test_stack_name_script_rejects_a_branch_with_no_usable_character(tmp_path: Path) -> None:
    """A branch name with no character allowed in stack names fails the step instead of naming an empty stack."""
    (step,) = [step for step in steps(jobs()["stack"]) if step.get("id") == "name"]
    code, outputs, _ = run_script(step["run"], {"BRANCH": "---", "DEFAULT_BRANCH": "main"}, tmp_path)
    assert code != 0
    assert "name" not in outputs


# --- concurrency, permissions, the delete guard --------------------------------------------------


def test_concurrency_is_one_group_per_stack_never_cancelled() -> None:
    """Every job that touches a stack shares one concurrency group per stack name, with cancel-in-progress off."""
    groups = set()
    assert operation_jobs(), "no job runs a Pulumi operation"
    for job_id, job in operation_jobs().items():
        concurrency = job.get("concurrency")
        assert isinstance(concurrency, dict), f"{job_id} has no concurrency group"
        assert "needs.stack.outputs.name" in concurrency["group"], job_id
        assert concurrency.get("cancel-in-progress") is False, job_id
        groups.add(concurrency["group"])
    assert len(groups) == 1, f"preview, up and destroy of one stack should share one group: {groups}"


def test_permissions_are_least_privilege() -> None:
    """The workflow reads contents only; the one write is `pull-requests` in the job that comments on the PR."""
    assert workflow()["permissions"] == {"contents": "read"}
    for job_id, job in jobs().items():
        permissions = job.get("permissions", workflow()["permissions"])
        assert isinstance(permissions, dict), f"{job_id}: no read-all/write-all"
        comments = any(step.get("with", {}).get("comment-on-pr") for step in pulumi_action_steps(job))
        for scope, level in permissions.items():
            if level == "write":
                assert scope == "pull-requests" and comments, f"{job_id} should not have {scope}: write"
            else:
                assert level in ("read", "none"), f"{job_id}: {scope}: {level}"
        if comments:
            assert permissions.get("pull-requests") == "write", f"{job_id} comments on the PR"
    assert jobs()["stack"]["permissions"] == {}


def test_delete_path_never_destroys_the_default_branch() -> None:
    """The destroy job runs on branch deletions only and excludes the default branch and `main`."""
    _, destroy = job_running("pulumi", "destroy")
    guard = normalized(destroy["if"])
    for condition in (
        "github.event_name == 'delete'",
        "github.event.ref_type == 'branch'",
        "github.event.ref != github.event.repository.default_branch",
        "github.event.ref != 'main'",
        "needs.stack.outputs.protected == 'false'",
    ):
        assert condition in guard, f"destroy's if: lacks {condition!r}"
    assert " || " not in guard, "every condition must hold"


@pytest.mark.parametrize(
    ("stack", "protected", "allowed"),
    [("feature-x", "false", True), ("main", "false", False), ("develop", "true", False), ("feature-x", "", False)],
)
def test_destroy_job_first_refuses_a_protected_stack(tmp_path: Path, stack: str, protected: str, allowed: bool) -> None:
    """The destroy job's first step fails for `main` or a stack marked protected, before anything else runs."""
    _, destroy = job_running("pulumi", "destroy")
    first = steps(destroy)[0]
    assert "uses" not in first and "if" not in first
    code, _, _ = run_script(first["run"], {"STACK": stack, "PROTECTED": protected}, tmp_path)
    assert (code == 0) is allowed


# --- secrets ------------------------------------------------------------------------------------


def test_secrets_reach_steps_only_through_env_or_with() -> None:
    """Every `${{ secrets.X }}` is a value under `env:` or `with:`; no `run:` interpolates any expression."""
    for path, value in strings(workflow()):
        if SECRET_REF.search(value):
            assert len(path) >= 2 and path[-2] in ("env", "with"), f"secret outside env/with at {'.'.join(path)}"
    for job_id, job in jobs().items():
        for step in steps(job):
            assert "${{" not in step.get("run", ""), f"{job_id}: pass values to run: through env:"


def test_every_secret_is_documented_in_the_readme() -> None:
    """Each secret the workflow names, in YAML or in its comments, is listed in examples/ci/README.md."""
    readme = README_PATH.read_text()
    names = set(SECRET_REF.findall(WORKFLOW_PATH.read_text()))
    assert {"PULUMI_ACCESS_TOKEN", "POSTGRES_PASSWORD", "WEBHOOK_TOKEN"} <= names
    assert {"PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE"} <= names, "the self-managed backend option"
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"undocumented secrets: {missing}"


def test_platform_credentials_come_from_ci_secrets() -> None:
    """Each job that touches a stack gets every provider env fallback in schema.json from the secret of that name."""
    schema = json.loads(SCHEMA_PATH.read_text())
    names = {
        name
        for variable in schema["config"]["variables"].values()
        for name in variable.get("defaultInfo", {}).get("environment", [])
    }
    assert {"ELOQ_API_KEY", "ARDENT_SECRET_KEY", "CSPARK_API_KEY", "AEROSTACK_SERVER_URL"} <= names
    for job_id, job in operation_jobs().items():
        env = job.get("env", {})
        assert env.get("PULUMI_ACCESS_TOKEN") == "${{ secrets.PULUMI_ACCESS_TOKEN }}", job_id
        for name in sorted(names):
            assert env.get(name) == f"${{{{ secrets.{name} }}}}", f"{job_id}: {name}"


def test_manifest_secrets_are_set_without_echoing() -> None:
    """`postgresPassword` is piped into `pulumi config set --secret` from an env var; `WEBHOOK_TOKEN` is env."""
    for command in ("preview", "up"):
        job_id, job = job_with_action_command(command)
        assert job["env"].get("WEBHOOK_TOKEN") == "${{ secrets.WEBHOOK_TOKEN }}", job_id
        setting = [
            step
            for step in steps(job)
            if any(
                words[:4] == ["pulumi", "config", "set", "postgresPassword"] for words in commands(step.get("run", ""))
            )
        ]
        assert len(setting) == 1, f"{job_id} should set postgresPassword once"
        step = setting[0]
        assert step["env"] == {"POSTGRES_PASSWORD": "${{ secrets.POSTGRES_PASSWORD }}"}
        (config_set,) = [w for w in commands(step["run"]) if w[:3] == ["pulumi", "config", "set"]]
        assert "--secret" in config_set
        assert "$POSTGRES_PASSWORD" not in config_set, "the value goes through stdin, not the command line"
        assert re.search(r"printf '%s' \"\$POSTGRES_PASSWORD\" \| pulumi config set", step["run"])
        assert "set -x" not in step["run"]
        set_at = steps(job).index(step)
        action_at = [i for i, s in enumerate(steps(job)) if s.get("with", {}).get("command") == command]
        assert action_at and set_at < action_at[0], f"{job_id}: config before {command}"


# --- Python setup and the commands the workflow references --------------------------------------


def test_python_setup_caches_pip_and_installs_requirements() -> None:
    """Each job that runs Python sets it up with the pip cache and installs requirements.txt in the project dir."""
    python_jobs = {c.job for c in run_commands() if c.words[0] in PYTHON} | set(operation_jobs())
    for job_id in python_jobs:
        job = jobs()[job_id]
        setup = [s for s in steps(job) if str(s.get("uses", "")).startswith("actions/setup-python@")]
        assert len(setup) == 1, job_id
        assert setup[0]["with"].get("cache") == "pip", job_id
        installs = [c.words for c in run_commands() if c.job == job_id and c.words[:2] == ["pip", "install"]]
        assert installs == [["pip", "install", "-r", "requirements.txt"]], job_id
        assert job["defaults"]["run"]["working-directory"] == "${{ env.PROJECT_DIR }}", job_id
        for step in pulumi_action_steps(job):
            if "command" in step.get("with", {}):
                assert step["with"]["work-dir"] == "${{ env.PROJECT_DIR }}", job_id


def test_automation_api_vocabulary_is_read_from_the_sdk() -> None:
    """The subcommands and flags read from `pulumi.automation` include the ones it is known to pass."""
    vocabulary = cli_vocabulary()
    assert "--non-interactive" in vocabulary.global_flags
    assert {"--yes", "--force"} <= vocabulary.commands[("stack", "rm")]
    assert {"--secret", "--plaintext", "--stack"} <= vocabulary.commands[("config", "set")]
    assert {"--yes", "--skip-preview", "--stack"} <= vocabulary.commands[("destroy",)]
    assert ("stack", "select") in vocabulary.commands and ("stack", "init") in vocabulary.commands
    assert vocabulary.command_of(["stack", "tag", "get", "x"]) == ("stack", "tag", "get")
    assert vocabulary.command_of(["no-such-command"]) is None


def test_pulumi_commands_and_flags_exist_in_the_automation_api() -> None:
    """Each `pulumi ...` in a `run:` is a subcommand, with flags, that the installed Automation API passes to the CLI."""
    vocabulary = cli_vocabulary()
    pulumi_commands = [c for c in run_commands() if c.words[0] == "pulumi"]
    assert pulumi_commands
    for command in run_commands():
        assert "pulumi" not in command.words[1:], f"`pulumi` only as a command: {command.words}"
    used: set[tuple[str, ...]] = set()
    for command in pulumi_commands:
        words = command.words[1:]
        subcommand = vocabulary.command_of(words)
        assert subcommand, f"{command.job}: `pulumi {' '.join(words)}` is not a subcommand the Automation API runs"
        used.add(subcommand)
        for word in words[len(subcommand) :]:
            if word == "--":
                break
            if word.startswith("-"):
                flag = word.split("=", 1)[0]
                assert flag.startswith("--"), f"{command.job}: use long flags ({word})"
                assert flag in vocabulary.flags_of(subcommand), f"{command.job}: pulumi {' '.join(subcommand)} {flag}"
    assert {("stack", "select"), ("stack", "init"), ("config", "set"), ("destroy",), ("stack", "rm")} <= used


def python_module_commands() -> list[tuple[str, str, list[str]]]:
    """Each `python -m <module> <subcommand> args...` in the workflow."""
    found = []
    for command in run_commands():
        words = command.words
        if words[0] in PYTHON and len(words) > 2 and words[1] == "-m":
            rest = words[3:]
            subcommand = rest[0] if rest and not rest[0].startswith("-") else ""
            found.append((words[2], subcommand, rest[1:]))
    return found


def test_python_module_commands_exist() -> None:
    """Each `python -m` module is importable here and accepts its subcommand; the manifests CLI keeps its contract."""
    module_commands = python_module_commands()
    assert (MANIFESTS_MODULE, "check", ["manifests/"]) in module_commands
    for module, subcommand, _ in module_commands:
        spec = importlib.util.find_spec(module)
        assert spec is not None, f"{module} is not importable"
        if spec.submodule_search_locations is not None:
            assert importlib.util.find_spec(f"{module}.__main__") is not None, f"`python -m {module}` needs __main__"
        if module == MANIFESTS_MODULE:
            assert subcommand in MANIFESTS_SUBCOMMANDS
        completed = subprocess.run(
            [sys.executable, "-m", module, *([subcommand] if subcommand else []), "--help"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 0, f"python -m {module} {subcommand} --help: {completed.stderr}"


def test_validation_commands_pass_on_the_gitops_example() -> None:
    """The workflow's `python -m` commands (the manifests check) exit 0 when run in examples/gitops/ as the job runs them."""
    project = GITOPS_DIR / expand_env(workflow_env()["PROJECT_DIR"])
    assert project.is_dir(), f"{project.relative_to(REPO_ROOT)} does not exist"
    for module, subcommand, arguments in python_module_commands():
        completed = subprocess.run(
            [sys.executable, "-m", module, subcommand, *arguments],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 0, f"python -m {module} {subcommand}: {completed.stdout}{completed.stderr}"


def test_referenced_files_exist_in_the_gitops_example() -> None:
    """Every file and folder the workflow names exists in examples/gitops/, the repository it is written for."""
    project = GITOPS_DIR / expand_env(workflow_env()["PROJECT_DIR"])
    wanted: set[Path] = {project / "Pulumi.yaml"}
    for command in run_commands():
        words = command.words
        if words[:2] == ["pip", "install"] and "-r" in words:
            wanted.add(project / words[words.index("-r") + 1])
    for module, _, arguments in python_module_commands():
        if module == MANIFESTS_MODULE:
            wanted |= {project / argument for argument in arguments if not argument.startswith("-")}
    for job in jobs().values():
        for step in steps(job):
            inputs = step.get("with", {})
            if "cache-dependency-path" in inputs:
                wanted.add(GITOPS_DIR / expand_env(inputs["cache-dependency-path"]))
            if "work-dir" in inputs:
                wanted.add(GITOPS_DIR / expand_env(inputs["work-dir"]) / "Pulumi.yaml")
    assert any(path.name == "requirements.txt" for path in wanted)
    assert any(path.name == "manifests" for path in wanted)
    missing = sorted(str(path.relative_to(REPO_ROOT)) for path in wanted if not path.exists())
    assert not missing, f"missing from examples/gitops/: {missing}"


def test_actions_are_pinned_to_a_version() -> None:
    """Every `uses:` names a major/semver tag or a full commit SHA, never a branch such as @main or @master."""
    uses = [step["uses"] for job in jobs().values() for step in steps(job) if "uses" in step]
    assert uses
    for reference in uses:
        assert PINNED_USES.match(reference), f"unpinned action {reference}"
        assert not reference.endswith(("@main", "@master", "@latest"))


def test_pulumi_actions_inputs_are_real_inputs() -> None:
    """Each `with:` input given to pulumi/actions is an input of that action's action.yml."""
    given = {key for job in jobs().values() for step in pulumi_action_steps(job) for key in step.get("with", {})}
    assert {"command", "stack-name", "work-dir", "comment-on-pr", "github-token", "upsert"} <= given
    assert given <= PULUMI_ACTIONS_INPUTS, f"not inputs of pulumi/actions: {sorted(given - PULUMI_ACTIONS_INPUTS)}"


def test_readme_says_how_far_the_workflow_is_verified() -> None:
    """The README covers the triggers, the copy step and the backends, and says the workflow was not run on GitHub."""
    readme = README_PATH.read_text()
    for needle in (
        "pull_request",
        "push",
        "delete",
        "examples/gitops/",
        "PULUMI_BACKEND_URL",
        "tests/test_ci_workflow.py",
    ):
        assert needle in readme, needle
    assert "not** been run on GitHub" in readme
