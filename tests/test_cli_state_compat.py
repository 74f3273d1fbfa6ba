"""A stack made by an earlier version of the package re-applies as a no-op with this one.

`tests/fixtures/stack-before-0.1.0-refactor` is what `pulumi up` of `tests/programs/fault_convergence`
(32 resources of every type, auto-named and explicitly named) left with the code of commit
531b182, on the real CLI against the emulator: the checkpoint (every resource's inputs, outputs,
`__defaults` and pickled `__provider`), the stack config with its passphrase salt, the workbooks
and the file it uploaded, and the emulator's data directory. That commit precedes the generated
SDK, the handler protocol, the shared exactly-once create and the per-resource timeouts types.

Here copies of them run with this checkout's code and program on the real CLI: `preview` and
`up` find every resource `same`, the platforms receive no write, and a refresh reads every
resource that has a read back as present.

To remake the fixture after a change that is meant to alter state, run the program with the
older code (a worktree of that commit on PYTHONPATH) through `CliStack` against an
`EmulatorProcess` whose data directory is the fixture's, and copy `Pulumi.yaml`,
`Pulumi.dev.yaml`, `models/`, `assets/`, the backend's `meta.yaml` and stack file, and the
emulator's `emulator.sqlite3` and `aerostack/`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from scripts.cli_stack import CliStack, platform_config
from tests.real_cli import PASSPHRASE, require_cli, writes

pytestmark = [pytest.mark.cli, pytest.mark.timeout(900)]

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "stack-before-0.1.0-refactor"
PROGRAM = HERE / "programs" / "fault_convergence" / "__main__.py"
RESOURCES = 32


def test_a_stack_made_before_the_refactor_reapplies_as_a_no_op(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_cli()
    assert (FIXTURE / "state" / "backend" / ".pulumi" / "stacks" / "fault-convergence" / "dev.json").is_file()
    work = tmp_path / "compat"
    shutil.copytree(FIXTURE, work)
    shutil.copy(PROGRAM, work / "program" / "__main__.py")
    with EmulatorProcess(work / "emulator") as emulator:
        held_before = emulator.admin.state()
        env = emulator.env()
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        stack = CliStack(work / "program", work / "state", env=env, passphrase=PASSPHRASE)
        stack.configure(*platform_config(env))  # the emulator's new port; the salt stays the fixture's
        emulator.admin.reset_counts()

        preview = stack.preview().ops()
        assert len(preview) == RESOURCES, preview
        assert {name: op for name, op in preview.items() if op != "same"} == {}
        up = stack.up().ops()
        assert {name: op for name, op in up.items() if op != "same"} == {}
        assert writes(emulator) == {}, "a no-op up must send the platforms no write"
        assert emulator.admin.state() == held_before

        refreshed = stack.refresh().ops()
        assert "delete" not in refreshed.values(), f"refresh lost a resource: {refreshed}"
