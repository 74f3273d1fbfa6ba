"""``dataplatforms-emulator``: ``serve`` the emulator or print the client ``env``."""

from __future__ import annotations

import argparse
import shlex
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from .services import SERVICES
from .settings import (
    DEFAULT_DATA_DIR,
    DEFAULT_DELETION_SECONDS,
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_PROVISION_SECONDS,
    Settings,
    root_url,
)


def env_vars(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> dict[str, str]:
    """Every platform's base URL and development credentials for a server at host:port."""
    root = root_url(host, port)
    out: dict[str, str] = {}
    for spec in SERVICES:
        out.update(spec.env_exports(root))
    return out


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dataplatforms-emulator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the emulator")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    serve.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    serve.add_argument("--provision-seconds", type=float, default=DEFAULT_PROVISION_SECONDS)
    serve.add_argument("--deletion-seconds", type=float, default=DEFAULT_DELETION_SECONDS)
    serve.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    env = sub.add_parser("env", help="print `export NAME=value` lines for clients")
    env.add_argument("--host", default=DEFAULT_HOST)
    env.add_argument("--port", type=int, default=DEFAULT_PORT)
    return parser


def _bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(addr)
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(settings: Settings, log_level: str = "warning") -> int:
    """Bind, print the URL, serve until SIGTERM/SIGINT, then exit 0."""
    import uvicorn

    from .app import create_app

    sock = _bind(settings.host, settings.port)
    settings.port = int(sock.getsockname()[1])
    app = create_app(settings)
    config = uvicorn.Config(app, log_level=log_level, http="h11", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    # uvicorn re-raises the captured signal after a graceful shutdown; make that a no-op.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    print(f"dataplatforms-emulator listening on {settings.root_url} (data: {settings.data_dir})", flush=True)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    print("dataplatforms-emulator stopped", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``dataplatforms-emulator`` and ``python -m pulumi_dataplatforms_emulator``."""
    args = _parser().parse_args(argv)
    if args.command == "env":
        for name, value in env_vars(args.host, args.port).items():
            print(f"export {name}={shlex.quote(value)}")
        return 0
    settings = Settings(
        data_dir=args.data_dir,
        provision_seconds=args.provision_seconds,
        deletion_seconds=args.deletion_seconds,
        host=args.host,
        port=args.port,
    )
    return serve(settings, args.log_level)


if __name__ == "__main__":
    sys.exit(main())
