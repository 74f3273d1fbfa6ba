"""A bounded schemathesis run over the emulator's own OpenAPI document: no operation answers 5xx.

Every platform operation of ``/openapi.json`` is called with valid credentials and the
caller's own tenant/org/project in the path, with schema-conforming (positive) and
schema-violating (negative) data from a fixed Hypothesis seed. The emulator's test controls
(``/_admin``) and ``/healthz`` are left out: they are not platform APIs, and fuzzing them would
inject faults or revoke the credentials the run uses. Most operations must answer something
other than 401/403 at least once, so the run really reaches past authentication.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from pulumi_dataplatforms_emulator.process import EmulatorProcess, credentials
from pulumi_dataplatforms_emulator.services import SERVICES

SEED = 20240611
MAX_EXAMPLES = 8
#: Share of operations that must get past authentication at least once.
PAST_AUTH_SHARE = 0.9
FIXED_PATH = {"org_id": 1, "project_id": 147}


def platform_of(path: str) -> str | None:
    owners = [s.name for s in SERVICES if s.implemented and s.owns(path)]
    return owners[0] if owners else None


def fixed_path(path: str, tenant: str) -> dict[str, Any]:
    """Path parameters pinned to the caller's tenant, org and project."""
    pinned: dict[str, Any] = {"tenant": tenant, **FIXED_PATH}
    return {name: value for name, value in pinned.items() if f"{{{name}}}" in path}


@dataclass
class Run:
    """What the run saw: statuses per operation, failures per operation, examples sent."""

    statuses: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    failures: dict[str, str] = field(default_factory=dict)
    examples: int = 0


def fuzz(
    run: Run,
    operation: APIOperation[Any, Any, Any, Any],
    mode: GenerationMode,
    url: str,
    session: requests.Session,
    headers: dict[str, str],
    path_parameters: dict[str, Any],
) -> None:
    """Call one operation with ``MAX_EXAMPLES`` generated cases of one generation mode."""
    label = f"{operation.method.upper()} {operation.path}"
    strategy = operation.as_strategy(generation_mode=mode, headers=headers, path_parameters=path_parameters)

    @settings(
        max_examples=MAX_EXAMPLES,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(SEED)
    @given(case=strategy)
    def call(case: Case[Any]) -> None:
        run.examples += 1
        response = case.call(base_url=url, session=session, headers=headers, timeout=30)
        run.statuses[label].add(response.status_code)
        case.validate_response(response, checks=[not_a_server_error])

    try:
        call()
    except Unsatisfiable:
        # Nothing of the operation can violate its schema (no body, free-form strings).
        assert mode == GenerationMode.NEGATIVE, label
    except Exception as exc:
        run.failures.setdefault(label, f"{mode.value}: {str(exc)[:800]}")


@pytest.mark.timeout(300)
def test_no_operation_answers_a_server_error(emulator: EmulatorProcess) -> None:
    env = emulator.env()
    schema = schemathesis.openapi.from_url(f"{emulator.url}/openapi.json", timeout=10)
    run = Run()
    modes = [GenerationMode(m) for m in ("positive", "negative")]
    started = time.monotonic()
    with requests.Session() as session:
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), result
            operation = result.ok()
            platform = platform_of(operation.path)
            if platform is None:
                continue
            pinned = fixed_path(operation.path, env["CSPARK_TENANT"])
            for mode in modes:
                fuzz(run, operation, mode, emulator.url, session, credentials(platform, env), pinned)
    elapsed = time.monotonic() - started
    statuses = run.statuses
    seen = sorted({status for codes in statuses.values() for status in codes})
    past_auth = [label for label, codes in statuses.items() if codes - {401, 403}]
    print(
        f"\nschemathesis: {len(statuses)} operations, {run.examples} examples, statuses {seen}, "
        f"{len(past_auth)} operations past authentication, {elapsed:.1f} s"
    )
    assert not run.failures, "\n\n".join(f"{label}: {message}" for label, message in run.failures.items())
    assert len(statuses) > 50
    stuck = sorted(set(statuses) - set(past_auth))
    assert len(past_auth) >= PAST_AUTH_SHARE * len(statuses), f"only ever 401/403: {stuck}"
