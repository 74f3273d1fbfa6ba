"""Shared fixtures: one real emulator process per test session, cleaned between tests; the generated
Python SDK installed once per session.

Under CI (the `CI` environment variable is "true") a skip is a failure unless its reason is in
`CI_ALLOWED_SKIP_REASONS`: only a test that needs what the machine cannot have may skip there.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.native_plugin import install_python_sdk

REPO_ROOT = Path(__file__).resolve().parent.parent

CI_ALLOWED_SKIP_REASONS: frozenset[str] = frozenset(
    {
        # tests/real_cli.py `require_cli()`: no Pulumi CLI can be had or built on this machine.
        "no Pulumi CLI: none on PATH, no installer reachable and no Go toolchain to build one",
        # tests/real_cli.py `require_yaml_host()`: no YAML language host can be had or built here.
        "no pulumi-language-yaml: none beside the Pulumi CLI or on PATH, and no Go toolchain to build one",
        # tests/real_cli.py `require_codegen_host()`: no codegen language host can be built here.
        "no codegen language host in .pulumi/codegen and no Go toolchain to build one",
    }
)


def under_ci() -> bool:
    """Whether the suite runs in CI (`CI=true`), where skips must be allowed ones."""
    return os.environ.get("CI", "").lower() == "true"


def skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    """The reason a skipped report gives, without pytest's `Skipped: ` prefix."""
    longrepr = report.longrepr
    message = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return message.removeprefix("Skipped: ")


def fail_disallowed_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Under CI, turns a skip whose reason is not in `CI_ALLOWED_SKIP_REASONS` into a failure (xfails stay)."""
    if not under_ci() or not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = skip_reason(report)
    if reason in CI_ALLOWED_SKIP_REASONS:
        return
    report.outcome = "failed"
    report.longrepr = (
        f"skipped under CI=true for a reason not in CI_ALLOWED_SKIP_REASONS (tests/conftest.py): {reason!r}"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    fail_disallowed_skip(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield
    fail_disallowed_skip(report)
    return report


@pytest.fixture(scope="session")
def emulator_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    with EmulatorProcess(tmp_path_factory.mktemp("emulator")) as emu:
        yield emu


@pytest.fixture
def emulator(emulator_session: EmulatorProcess) -> EmulatorProcess:
    """The session's emulator with empty state, no faults, zero counts and no lifecycle delays."""
    emulator_session.admin.reset()
    emulator_session.admin.delays(provision_seconds=0.0, deletion_seconds=0.0)
    return emulator_session


@pytest.fixture(scope="session")
def installed_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated Python SDK (`pulumi_dataplatforms_native`, sdks/python) pip-installed into a directory
    (not on sys.path: a test puts it there)."""
    return install_python_sdk(tmp_path_factory.mktemp("generated-sdk"), tmp_path_factory.mktemp("generated-sdk-source"))
