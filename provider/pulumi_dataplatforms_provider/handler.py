"""What a resource handler is: the six operations over a resource's inputs, with what the engine knows.

A handler sees the program's inputs and the recorded state only, under the names the schema
publishes; the engine's own bookkeeping (the pickled provider, the logical name, the URN, which
inputs check chose) reaches it as an `Engine`, never as keys among the inputs. A host turns its
protocol into these calls: the dynamic-provider adapter (`dynamic.DynamicProvider`) does it for
`python -m pulumi.dynamic`; a native provider plugin can do it from its gRPC requests.

A handler object holds no state but its settings: they arrive through `configure()` in the host
process, and clients are built there on first use and shared by the host's worker threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

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


@dataclass(frozen=True)
class Engine:
    """What the engine knows about a resource besides its inputs."""

    #: The resource's name in the program (its logical name), from which auto-names are made.
    logical_name: str = ""
    #: The resource's URN and the stack's organization: what stable auto-names are derived from.
    urn: str | None = None
    organization: str | None = None
    #: Whether the program runs as a preview (then `check` must not mint a random identity).
    preview: bool = False
    #: The inputs `check` chose rather than the program (`CheckResult.defaulted`), as recorded with
    #: the inputs at hand: the old inputs' in `check`, the new inputs' in `diff`, `create` and `update`,
    #: the state's in `read` and `delete`.
    defaulted: frozenset[str] = frozenset()

    def chose(self, key: str) -> bool:
        """Whether `check` chose input `key` (an auto-name, a minted id) rather than the program."""
        return key in self.defaulted


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


class Handler(Generic[ClientT]):
    """Base of every resource handler of one platform: the six operations, `configure` and the client.

    An operation a resource does not override keeps the inputs as they are (check, read), reports
    no change (diff, update) or does nothing (delete). Inputs and state are dicts under the
    published (camelCase) property names, without any engine key.
    """

    settings: ClassVar[tuple[Setting, ...]] = ()

    def __init__(self) -> None:
        self._stack_config: dict[str, str] = {}

    def check(self, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> CheckResult:
        return CheckResult(news, [])

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> DiffResult:
        return DiffResult()

    def create(self, inputs: dict[str, Any], engine: Engine) -> CreateResult:
        raise NotImplementedError(f"{type(self).__name__} cannot create")

    def read(self, id_: str, state: dict[str, Any], engine: Engine) -> ReadResult:
        return ReadResult(id_, state)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> UpdateResult:
        return UpdateResult()

    def delete(self, id_: str, state: dict[str, Any], engine: Engine) -> None:
        return None

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
        value = setting.resolve(self._stack_config)
        if value is None and required:
            raise MissingSettingError(setting)
        return value

    def client(self) -> ClientT:
        """The platform client for the current settings."""
        values = tuple(s.resolve(self._stack_config) for s in self.settings)
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

    def checked(
        self, inputs: dict[str, Any], failures: list[CheckFailure], defaulted: list[str] | None = None
    ) -> CheckResult:
        """`check`'s result: the input failures, then the settings' (see `settings_failures`)."""
        return CheckResult(inputs, [*failures, *self.settings_failures()], defaulted)
