"""An engine harness: plays the Pulumi engine's part against the real dynamic-provider host.

    stack = Stack(tmp_path, "tests/harness/toy_program", config={"toy:dbPath": str(db)})
    result = stack.up()          # or stack.up(preview=True), stack.refresh(), stack.destroy()
    result.steps, result.host_calls, result.outputs, result.secret_outputs, result.logs

See `tests/harness/README.md` for the contract it reproduces.
"""

from .crypto import DEFAULT_PASSPHRASE
from .engine import DeploymentError, Step
from .host import HostError, ProviderHost
from .props import UNKNOWN
from .stack import Result, Secret, Stack

__all__ = [
    "DEFAULT_PASSPHRASE",
    "UNKNOWN",
    "DeploymentError",
    "HostError",
    "ProviderHost",
    "Result",
    "Secret",
    "Stack",
    "Step",
]
