"""The package as a native Pulumi provider plugin, `pulumi-resource-dataplatforms`.

`main()` serves `DataPlatformsProvider` over gRPC with `pulumi.provider.experimental.server`:
the engine starts the executable (found on PATH, or installed as a plugin) and talks to it as to
any resource provider. See `provider` for how requests become handler calls, `config` for the
provider's settings.
"""

from __future__ import annotations

import sys
from importlib import metadata

from .provider import DataPlatformsProvider

__all__ = ["DataPlatformsProvider", "main", "version"]


def version() -> str:
    """The installed distribution's version (the plugin reports it in GetPluginInfo)."""
    try:
        return metadata.version("pulumi-dataplatforms")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def main() -> None:
    """The plugin's entry point: print the port, then serve until the engine closes it."""
    from pulumi.provider.experimental.server import main as serve

    from .engine_messages import install

    install(sys.argv)
    serve(sys.argv[1:], version(), DataPlatformsProvider())
