"""Stable identities for resources: auto-names and client-chosen ids, and `check`'s defaults.

Auto-names (and client-chosen ids) are stable: a `check` without old inputs proposes the same
value again for the same resource of the same stack, so a `pulumi up` re-run after an
interrupted create finds what the interrupted run made and takes it over (see `stable_value`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import secrets
import shutil
import subprocess
import threading
import uuid
from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from .handler import Engine

STACK_EXPORT_TIMEOUT = 60.0

_stack_states: dict[str, dict[str, Any] | None] = {}
_stack_states_lock = threading.Lock()


def stack_state(stack: str) -> dict[str, Any] | None:
    """What the running deployment's backend holds for `stack` (`org/project/stack`), read once per process.

    `{"backend": <URL>, "deployment": <checkpoint>}` from `pulumi whoami` and `pulumi stack export`;
    None when there is no `pulumi` on PATH or either fails (e.g. under the test harness). The
    provider host runs in the program's directory with the CLI's environment, so both read the
    backend the deployment writes to.
    """
    with _stack_states_lock:
        if stack not in _stack_states:
            state = None
            whoami = _pulumi_json("whoami", "--json")
            exported = _pulumi_json("stack", "export", "--stack", stack) if isinstance(whoami, dict) else None
            if isinstance(exported, dict) and isinstance(exported.get("deployment"), dict) and whoami.get("url"):
                state = {"backend": str(whoami["url"]), "deployment": exported["deployment"]}
            _stack_states[stack] = state
        return _stack_states[stack]


def _pulumi_json(*args: str) -> Any:
    cli = shutil.which("pulumi")
    if cli is None:
        return None
    try:
        done = subprocess.run(
            [cli, "--non-interactive", *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=STACK_EXPORT_TIMEOUT,
            env={**os.environ, "PULUMI_SKIP_UPDATE_CHECK": "true"},
            check=False,
        )
        return json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def _state_of(engine: Engine) -> dict[str, Any] | None:
    """`stack_state` of the stack in the resource's URN (None without a URN or a readable checkpoint).

    Without the organization (the native plugin's requests do not carry it), the stack is named by
    the URN's stack name alone, which the CLI resolves against the project of its working directory.
    """
    urn, organization = engine.urn, engine.organization
    parts = urn.split("::", 3) if isinstance(urn, str) and urn.startswith("urn:pulumi:") else []
    if len(parts) != 4:
        return None
    stack, project = parts[0].removeprefix("urn:pulumi:"), parts[1]
    if isinstance(organization, str) and organization:
        return stack_state(f"{organization}/{project}/{stack}")
    if os.environ.get("PULUMI_PROJECT", project) == project:
        return stack_state(stack)
    return None


def recorded(engine: Engine) -> list[tuple[str, dict[str, Any]]]:
    """(id, outputs) of the resources under this resource's URN in the checkpoint the deployment started
    from: during a create, the resource it replaces, if any ([] when the checkpoint is unreadable)."""
    state = _state_of(engine)
    if state is None:
        return []
    return [
        (str(res.get("id") or ""), dict(res.get("outputs") or {}))
        for res in state["deployment"].get("resources") or []
        if res.get("urn") == engine.urn
    ]


def replacing_under_its_name(what: str) -> ValueError:
    """The error of a create that found, under its explicit name, the very resource it replaces.

    The engine creates a replacement before it deletes the old resource unless told to delete first
    (the `pulumi_dataplatforms` SDK tells it for every explicitly named resource; a program on the
    generated SDKs sets the resource option). Taking the old one over would leave the state holding
    what the delete then removes.
    """
    return ValueError(
        f"{what} is the one this resource is replacing, and the replacement would be created before it "
        "is deleted: set the resource option deleteBeforeReplace (delete_before_replace=True) to replace "
        "it under the same name, or give the resource another name"
    )


def stable_value(engine: Engine, key: str, render: Callable[[str], str]) -> str:
    """The default of input `key` for a `check` without old inputs: `render(<64 hex>)`.

    The hex is derived from the stack's identity (its backend's URL and secrets-provider state,
    read from the backend), its organization, the resource's URN and a generation number, so a
    re-run after an interrupted create proposes what the interrupted run proposed, and no other
    stack or resource proposes it. The generation is the first whose value differs from every
    value `key` has on this URN's resources in the checkpoint: a replacement (an input change,
    or `pulumi up --replace`, whose `check` has no old inputs either) gets a new value while the
    resource it replaces still exists. Without a readable checkpoint the hex is random.

    Without the organization (the native plugin's requests do not carry it), the stack is named by
    the URN's stack name alone, which the CLI resolves against the project of its working
    directory: the host runs in the program's directory (`PULUMI_PROJECT`, where set, must be the
    URN's project).
    """
    urn, organization = engine.urn, engine.organization
    state = _state_of(engine)
    if state is None or not state["deployment"].get("secrets_providers"):
        return render(secrets.token_hex(32))
    deployment = state["deployment"]
    taken = {res.get("inputs", {}).get(key) for res in deployment.get("resources") or [] if res.get("urn") == urn}
    stack_id = json.dumps([state["backend"], deployment["secrets_providers"]], sort_keys=True)
    for generation in itertools.count():
        seed = json.dumps([stack_id, organization, urn, key, generation])
        value = render(hashlib.sha256(seed.encode()).hexdigest())
        if value not in taken:
            return value
    raise AssertionError("unreachable")


def auto_name(engine: Engine, fallback: str = "resource", max_base: int = 55, key: str = "name") -> str:
    """`<logical>-<7 hex>`, Pulumi's auto-naming convention, in DNS-label characters (`a-z0-9-`); stable."""
    base = re.sub(r"[^a-z0-9-]+", "-", engine.logical_name.lower()).strip("-")[:max_base].rstrip("-") or fallback
    return stable_value(engine, key, lambda hex_: f"{base}-{hex_[:7]}")


def created_within(timestamp: str, seconds: float) -> bool:
    """Whether an ISO 8601 creation time (naive means UTC) lies at most `seconds` ago; False if unparsable."""
    try:
        created = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return False
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc) - created <= timedelta(seconds=seconds)


def with_defaults(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    defaults: Mapping[str, Callable[[], Any]],
    engine: Engine,
    *,
    keep: Collection[str] = (),
) -> tuple[dict[str, Any], list[str]]:
    """`check`'s inputs, `news` with each absent input of `defaults` filled in, and the inputs so chosen.

    For a key in `keep`, a value chosen by default before (`engine.defaulted`, the old inputs') is
    kept, so an auto-name or minted id stays the resource's across updates; otherwise
    `defaults[key]()` proposes one (for names and ids a stable value, see `stable_value`; a constant
    default such as a zone is proposed again, so drift found by refresh shows).
    """
    inputs = dict(news)
    chosen: list[str] = []
    for key, propose in defaults.items():
        if news.get(key) is not None:
            continue
        kept = key in keep and engine.chose(key) and olds.get(key) is not None
        inputs[key] = olds[key] if kept else propose()
        chosen.append(key)
    return inputs, chosen


def auto_uuid(engine: Engine, key: str) -> str:
    """A UUID (version-4 form) for a client-chosen id or token; stable like `auto_name`."""
    return stable_value(engine, key, lambda hex_: str(uuid.UUID(hex=hex_[:32], version=4)))
