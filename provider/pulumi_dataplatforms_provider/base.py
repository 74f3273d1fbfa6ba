"""What every resource provider shares: settings from stack config, lazily built clients, check plumbing.

A provider object is pickled into the program's `__provider` property and unpickled in the
dynamic-provider host. It therefore carries no state at all (`__getstate__` is empty):
settings arrive through `configure()` in the host, and clients are built there on first
use and shared by the host's worker threads.

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
from typing import Any, ClassVar, Generic, TypeVar

from .hidden_inputs import ORGANIZATION_KEY, PREVIEW_KEY, URN_KEY
from .protocol import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)
from .settings import MissingSettingError, Setting, SettingsError

ClientT = TypeVar("ClientT")

_clients: dict[tuple[object, ...], object] = {}
_clients_lock = threading.Lock()


def shared_client(key: tuple[object, ...], factory: Callable[[], ClientT]) -> ClientT:
    """One client per distinct configuration per process, built on first use."""
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = factory()
            _clients[key] = client
        return client  # type: ignore[return-value]


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


def stable_value(news: Mapping[str, Any], key: str, render: Callable[[str], str]) -> str:
    """The default of input `key` for a `check` without old inputs: `render(<64 hex>)`.

    The hex is derived from the stack's identity (its backend's URL and secrets-provider state,
    read from the backend), its organization, the resource's URN and a generation number, so a
    re-run after an interrupted create proposes what the interrupted run proposed, and no other
    stack or resource proposes it. The generation is the first whose value differs from every
    value `key` has on this URN's resources in the checkpoint: a replacement (an input change,
    or `pulumi up --replace`, whose `check` has no old inputs either) gets a new value while the
    resource it replaces still exists. Without a readable checkpoint the hex is random.
    """
    urn, organization = news.get(URN_KEY), news.get(ORGANIZATION_KEY)
    parts = urn.split("::", 3) if isinstance(urn, str) and urn.startswith("urn:pulumi:") else []
    state = None
    if len(parts) == 4 and isinstance(organization, str) and organization:
        state = stack_state(f"{organization}/{parts[1]}/{parts[0].removeprefix('urn:pulumi:')}")
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


def auto_name(news: Mapping[str, Any], fallback: str = "resource", max_base: int = 55, key: str = "name") -> str:
    """`<logical>-<7 hex>`, Pulumi's auto-naming convention, in DNS-label characters (`a-z0-9-`); stable."""
    logical = str(news.get("__logicalName") or "")
    base = re.sub(r"[^a-z0-9-]+", "-", logical.lower()).strip("-")[:max_base].rstrip("-") or fallback
    return stable_value(news, key, lambda hex_: f"{base}-{hex_[:7]}")


def is_auto_named(props: Mapping[str, Any], key: str = "name") -> bool:
    """Whether `check` chose input `key` (recorded in `__defaults`) rather than the program."""
    return key in (props.get("__defaults") or [])


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
    *,
    keep: Collection[str] = (),
) -> dict[str, Any]:
    """`check`'s inputs: `news` with each absent input of `defaults` filled in and listed in `__defaults`.

    For a key in `keep`, a value chosen by default before (listed in the old `__defaults`) is kept,
    so an auto-name or minted id stays the resource's across updates; otherwise `defaults[key]()`
    proposes one (for names and ids a stable value, see `stable_value`; a constant default such as
    a zone is proposed again, so drift found by refresh shows). The preview marker is not an input.
    """
    inputs = {k: v for k, v in news.items() if k not in ("__defaults", PREVIEW_KEY)}
    old_defaults = olds.get("__defaults") or []
    chosen: list[str] = []
    for key, propose in defaults.items():
        if news.get(key) is not None:
            continue
        kept = key in keep and key in old_defaults and olds.get(key) is not None
        inputs[key] = olds[key] if kept else propose()
        chosen.append(key)
    inputs["__defaults"] = chosen
    return inputs


def auto_uuid(news: Mapping[str, Any], key: str) -> str:
    """A UUID (version-4 form) for a client-chosen id or token; stable like `auto_name`."""
    return stable_value(news, key, lambda hex_: str(uuid.UUID(hex=hex_[:32], version=4)))


class PlatformProvider(Generic[ClientT]):
    """Base of every resource provider (handler) of one platform: the six operations and `configure`.

    The operations take and return the records of `protocol`; a host (the dynamic-provider host,
    which reads them by attribute) calls them. An operation a resource does not override keeps
    the inputs as they are (check, read), reports no change (diff, update) or does nothing (delete).
    """

    settings: ClassVar[tuple[Setting, ...]] = ()
    #: The pickled provider in a resource's state is a secret (Pulumi's dynamic-provider default).
    serialize_as_secret_always: ClassVar[bool] = True

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult(news, [])

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult()

    def create(self, props: dict[str, Any]) -> CreateResult:
        raise NotImplementedError(f"{type(self).__name__} cannot create")

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_, props)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult()

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        return None

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self._stack_config: dict[str, str] = {}

    def configure(self, req: ConfigureRequest) -> None:
        """Keep this platform's settings from the stack config (host process only)."""
        self._stack_config = {}
        for setting in self.settings:
            value = req.config.get(setting.key)
            if value is not None:
                self._stack_config[setting.key] = str(value)

    def setting(self, key: str, *, required: bool = False) -> str | None:
        """The resolved value of setting `key` (e.g. `eloq:apiKey`)."""
        setting = next(s for s in self.settings if s.key == key)
        value = setting.resolve(getattr(self, "_stack_config", {}))
        if value is None and required:
            raise MissingSettingError(setting)
        return value

    def client(self) -> ClientT:
        """The platform client for the current settings."""
        values = tuple(s.resolve(getattr(self, "_stack_config", {})) for s in self.settings)
        return shared_client((self.settings[0].namespace, *values), self.make_client)

    def make_client(self) -> ClientT:
        """Build a client from the resolved settings (no request is sent)."""
        raise NotImplementedError

    def settings_failures(self) -> list[CheckFailure]:
        """Why this platform's settings cannot make a client (e.g. no credentials), found without any API call.

        `check` reports it, so a missing credential fails the preview rather than the create.
        """
        try:
            self.client()
        except SettingsError as exc:
            setting = exc.setting.key if isinstance(exc, MissingSettingError) else self.settings[0].namespace
            return [CheckFailure(setting, str(exc))]
        return []

    def checked(self, inputs: dict[str, Any], failures: list[CheckFailure]) -> CheckResult:
        """`check`'s result: the input failures, then the settings' (see `settings_failures`)."""
        return CheckResult(inputs, [*failures, *self.settings_failures()])
