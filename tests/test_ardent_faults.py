"""Under 30% injected 429/503 every Ardent lifecycle converges, with no duplicate connector or job."""

from __future__ import annotations

from pathlib import Path

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.ardent_programs import ALL_TYPES, CONNECTOR_AND_JOB, SECRETS, write_program
from tests.ardent_stacks import ardent_stack, ardent_state
from tests.harness import Secret


def test_configs_converge_under_faults(tmp_path: Path, emulator: EmulatorProcess) -> None:
    program = write_program(tmp_path / "prog", "alltypes", ALL_TYPES)
    stack = ardent_stack(tmp_path, emulator, program, **{f"alltypes:{k}": Secret(v) for k, v in SECRETS.items()})
    emulator.admin.faults("/ardent", error_rate=0.3, error_statuses=[429, 503], seed=7)
    stack.up()
    assert len(ardent_state(emulator)["configs"]) == 11
    stack.set_config("alltypes:variant", "2")
    stack.up()
    assert {c["revision"] for c in ardent_state(emulator)["configs"].values()} == {1, 2}
    stack.destroy()
    assert ardent_state(emulator)["configs"] == {}
    fired = sum(rule["fired"] for rule in emulator.admin.list_faults())
    assert fired > 5, "the faults must actually have hit the lifecycle"


def test_connector_and_job_converge_without_duplicates(tmp_path: Path, emulator: EmulatorProcess) -> None:
    program = write_program(tmp_path / "prog", "cj", CONNECTOR_AND_JOB)
    stack = ardent_stack(tmp_path, emulator, program, **{"cj:pgPassword": Secret("pg-S3CRET")})
    # The first POST of each create fails for sure (503, not retried blindly by the core), then 30% at random.
    for path in (r"^/ardent/v1/connectors$", r"^/ardent/v1/jobs/createJob$", r"^/ardent/v1/jobs/APIChat$"):
        emulator.admin.faults(path, method="POST", error_rate=1.0, error_statuses=[503], max_faults=1)
    emulator.admin.faults("/ardent", error_rate=0.3, error_statuses=[429, 503], seed=11)
    first = stack.up()
    state = ardent_state(emulator)
    assert list(state["connectors"]) == [first.outputs["connectorId"]], "exactly one connector"
    assert state["connectors"][first.outputs["connectorId"]]["status"] == "indexed"
    assert state["connectors"][first.outputs["connectorId"]]["selected_paths"] == ["public.users"]
    assert list(state["jobs"]) == [first.outputs["jobId"]], "exactly one job"
    assert state["jobs"][first.outputs["jobId"]]["runs"] == 1, "the message ran once"
    assert first.outputs["answer"]["status"] == "completed"
    assert "pg-S3CRET" not in stack.state_path.read_text()

    stack.set_config("cj:run", "2")
    rerun = stack.up()
    assert rerun.names("replace") == ["profile"]
    state = ardent_state(emulator)
    assert list(state["jobs"]) == [rerun.outputs["jobId"]] and rerun.outputs["jobId"] != first.outputs["jobId"]
    assert list(state["connectors"]) == [first.outputs["connectorId"]]

    stack.destroy()
    state = ardent_state(emulator)
    assert state["connectors"] == {} and state["jobs"] == {}
    assert sum(rule["fired"] for rule in emulator.admin.list_faults()) > 3
    counts = emulator.admin.request_counts()["paths"]
    assert counts["POST /ardent/v1/connectors"] >= 2, "a POST failed with 503 and was retried"


def test_a_failed_connector_setup_leaves_no_connector(tmp_path: Path, emulator: EmulatorProcess) -> None:
    program = write_program(tmp_path / "prog", "cj", CONNECTOR_AND_JOB)
    stack = ardent_stack(tmp_path, emulator, program, **{"cj:pgPassword": Secret("pg-S3CRET")})
    emulator.admin.faults(r"^/ardent/v1/connectors/[^/]+/index$", error_rate=1.0, error_statuses=[500])
    try:
        stack.up()
    except Exception as exc:  # the deployment fails with the platform's error
        assert "500" in str(exc) and "request id" in str(exc)
        assert "pg-S3CRET" not in str(exc)
    else:
        raise AssertionError("the create should have failed")
    assert ardent_state(emulator)["connectors"] == {}, "the half-made connector was deleted"
