"""Under `CI=true` a skip fails the run unless its reason is in `CI_ALLOWED_SKIP_REASONS` (tests/conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import real_cli
from tests.conftest import CI_ALLOWED_SKIP_REASONS

pytest_plugins = ["pytester"]

ALLOWED = sorted(CI_ALLOWED_SKIP_REASONS)[0]

SKIPPING_TESTS = f"""
import pytest

def test_skips_at_run_time():
    pytest.skip("the fixture file is missing")

@pytest.mark.skipif(True, reason="needs bash")
def test_skipped_by_mark():
    pass

@pytest.mark.parametrize("value", [])
def test_with_no_parameters(value):
    pass

def test_skips_for_an_allowed_reason():
    pytest.skip({ALLOWED!r})

@pytest.mark.xfail(strict=True, reason="known bug")
def test_expected_failure():
    assert False

def test_passes():
    pass
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A test directory using this suite's skip policy, with one test per kind of skip."""
    pytester.makeconftest("from tests.conftest import pytest_make_collect_report, pytest_runtest_makereport\n")
    pytester.makepyfile(test_skips=SKIPPING_TESTS)
    return pytester


def test_under_ci_only_allowed_skips_pass(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = suite.runpytest("-rA")
    # A skip in setup (a mark, an empty parametrization) fails as an error, one in the test as a failure.
    result.assert_outcomes(failed=1, errors=2, skipped=1, xfailed=1, passed=1)
    result.stdout.fnmatch_lines(
        [
            "ERROR test_skips.py::test_skipped_by_mark - *'needs bash'",
            "ERROR test_skips.py::test_with_no_parameters* - *'got empty parameter set*",
            "FAILED test_skips.py::test_skips_at_run_time - *'the fixture file is missing'",
        ]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_a_module_level_skip_under_ci_is_a_collection_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    pytester.makeconftest("from tests.conftest import pytest_make_collect_report, pytest_runtest_makereport\n")
    pytester.makepyfile(test_optional="import pytest\npytest.importorskip('no_such_module_here')\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*could not import 'no_such_module_here'*"])


def test_outside_ci_skips_stay_skips(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = suite.runpytest()
    result.assert_outcomes(skipped=4, xfailed=1, passed=1)
    assert result.ret == pytest.ExitCode.OK


def test_the_real_cli_skip_reason_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """`require_cli()` without a CLI, an installer or Go skips with a reason the allow-list holds."""
    monkeypatch.setattr(real_cli, "find_cli", lambda: None)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.skip.Exception) as skipped:
        real_cli.require_cli()
    assert skipped.value.msg in CI_ALLOWED_SKIP_REASONS


@pytest.fixture
def bare_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A (fake) CLI in a directory of its own, with no YAML language host beside it or in `.pulumi/bin`."""
    cli = tmp_path / "bin" / "pulumi"
    cli.parent.mkdir()
    cli.write_text("#!/bin/sh\n")
    cli.chmod(0o755)
    monkeypatch.setattr(real_cli, "find_cli", lambda: cli)
    monkeypatch.setattr(real_cli, "LANGUAGE_HOSTS", tmp_path / "no-hosts")
    return cli


def test_the_yaml_host_skip_reason_is_allowed(bare_cli: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`require_yaml_host()` with no host beside the CLI or on PATH, and no Go to build one, skips allowably."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.skip.Exception) as skipped:
        real_cli.require_yaml_host()
    assert skipped.value.msg in CI_ALLOWED_SKIP_REASONS


def test_without_a_yaml_host_where_go_is_the_test_fails(bare_cli: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/go" if name == "go" else None)
    with pytest.raises(pytest.fail.Exception, match=r"no pulumi-language-yaml beside .*make pulumi"):
        real_cli.require_yaml_host()


def test_the_yaml_host_beside_the_cli_is_found(bare_cli: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    host = bare_cli.parent / "pulumi-language-yaml"
    host.write_text("#!/bin/sh\n")
    host.chmod(0o755)
    assert real_cli.require_yaml_host() == host


def test_the_codegen_host_skip_reason_is_allowed(bare_cli: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`require_codegen_host()` with no codegen host in .pulumi/codegen and no Go to build one skips allowably."""
    monkeypatch.setattr(real_cli, "CODEGEN_HOSTS", bare_cli.parent)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.skip.Exception) as skipped:
        real_cli.require_codegen_host()
    assert skipped.value.msg in CI_ALLOWED_SKIP_REASONS


def test_without_a_codegen_host_where_go_is_the_test_fails(bare_cli: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(real_cli, "CODEGEN_HOSTS", bare_cli.parent)
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/go" if name == "go" else None)
    with pytest.raises(pytest.fail.Exception, match=r"no codegen language host in .*make pulumi"):
        real_cli.require_codegen_host()
