"""``dataplatforms-emulator``: run the local emulator of Eloq, Ardent, Coherent Spark and Aerostack.

``serve`` runs it in the foreground; ``start``/``stop`` run it in the background and wait until
it answers / has exited; ``status``, ``reset`` and ``state`` talk to a running one; ``env``
prints the variables that point clients (and this provider) at it.
"""

from __future__ import annotations

import argparse
import errno
import importlib.util
import os
import shlex
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from . import control
from .settings import (
    DEFAULT_DATA_DIR,
    DEFAULT_DELETION_SECONDS,
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_PROVISION_SECONDS,
    Settings,
    root_url,
)

PORT_VARIABLE = "EMULATOR_PORT"
EXIT_PORT_TAKEN = 2
EXIT_NOT_RUNNING = 3
#: What the server needs beyond the provider's own dependencies: the `emulator` extra.
SERVER_MODULES = ("fastapi", "uvicorn", "multipart", "openpyxl", "formulas")
EXTRA_HINT = "pip install 'pulumi-dataplatforms[emulator]'"


def missing_server_modules() -> list[str]:
    """The server's modules that are not installed (the package was installed without its `emulator` extra)."""
    return [name for name in SERVER_MODULES if importlib.util.find_spec(name) is None]


def env_vars(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> dict[str, str]:
    """Every platform's base URL and development credentials for a server at host:port."""
    from .services import SERVICES

    root = root_url(host, port)
    out: dict[str, str] = {}
    for spec in SERVICES:
        out.update(spec.env_exports(root))
    return out


def default_port() -> int:
    """``$EMULATOR_PORT`` when set, else 8790."""
    value = os.environ.get(PORT_VARIABLE, "")
    return int(value) if value.isdigit() else DEFAULT_PORT


def _address(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=DEFAULT_HOST, help="interface to listen on / server to reach")
    parser.add_argument("--port", type=int, default=default_port(), help=f"port (0 picks a free one; ${PORT_VARIABLE})")


def _data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="SQLite files, log and pid file")


def _server_flags(parser: argparse.ArgumentParser) -> None:
    _address(parser)
    _data_dir(parser)
    parser.add_argument(
        "--provision-seconds", type=float, default=DEFAULT_PROVISION_SECONDS, help="Eloq cluster creation time"
    )
    parser.add_argument(
        "--deletion-seconds", type=float, default=DEFAULT_DELETION_SECONDS, help="Eloq cluster deletion time"
    )
    parser.add_argument(
        "--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"], help="server log"
    )
    parser.add_argument(
        "--request-log", action="store_true", help="print method, path, status, platform and duration per request"
    )


def _parser() -> argparse.ArgumentParser:
    formatter = argparse.ArgumentDefaultsHelpFormatter
    parser = argparse.ArgumentParser(prog="dataplatforms-emulator", description=__doc__, formatter_class=formatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="run in the foreground until Ctrl-C / SIGTERM", formatter_class=formatter)
    _server_flags(serve)
    serve.add_argument("--instance-id", default=None, help=argparse.SUPPRESS)  # `start` sets it; /healthz reports it
    start = sub.add_parser("start", help="run in the background; return once it answers", formatter_class=formatter)
    _server_flags(start)
    stop = sub.add_parser(
        "stop", help="stop the background server; return once it has exited", formatter_class=formatter
    )
    _data_dir(stop)
    for name, text in (
        ("status", "whether a server answers, with its pid and services"),
        ("reset", "clear every platform's state, fault rules and request counts"),
        ("state", "print every platform's state as JSON"),
        ("env", "print `export NAME=value` lines pointing clients at the server"),
    ):
        _address(sub.add_parser(name, help=text, formatter_class=formatter))
    return parser


def _bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def port_taken_message(host: str, port: int) -> str:
    """The one-line reason `serve` refuses to start on a taken port, with the fix."""
    return (
        f"port {port} on {host} is already in use; stop what listens there "
        f"(`dataplatforms-emulator stop`, or `make down`) or choose another port with --port or {PORT_VARIABLE}"
    )


def serve(settings: Settings, log_level: str = "warning") -> int:
    """Bind, print the URL, serve until SIGTERM/SIGINT, then exit 0; exit 2 when the port is taken."""
    try:
        sock = _bind(settings.host, settings.port)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(f"dataplatforms-emulator serve: {port_taken_message(settings.host, settings.port)}", file=sys.stderr)
        return EXIT_PORT_TAKEN

    import uvicorn

    from .app import create_app

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


def _serve_args(args: argparse.Namespace) -> list[str]:
    return [
        *("--host", args.host, "--port", str(args.port), "--data-dir", str(args.data_dir)),
        *("--provision-seconds", str(args.provision_seconds), "--deletion-seconds", str(args.deletion_seconds)),
        *("--log-level", args.log_level),
        *(["--request-log"] if args.request_log else []),
    ]


def _run(args: argparse.Namespace) -> int:
    url = root_url(args.host, args.port) if hasattr(args, "port") else ""
    if args.command == "env":
        for name, value in env_vars(args.host, args.port).items():
            print(f"export {name}={shlex.quote(value)}")
    elif args.command == "start":
        target = control.Target(args.host, args.port, args.data_dir)
        started = control.start(target, _serve_args(args))
        print(f"emulator running on {url} (pid {started.get('pid')}, log: {target.log_path})")
    elif args.command == "stop":
        target = control.Target(DEFAULT_HOST, DEFAULT_PORT, args.data_dir)
        print("emulator stopped" if control.stop(target) else "no emulator was running from " + str(args.data_dir))
    elif args.command == "status":
        answer = control.health(url)
        if answer is None:
            print(f"no emulator answers at {url}")
            return EXIT_NOT_RUNNING
        print(f"emulator running on {url} (pid {answer.get('pid')}; services: {', '.join(answer['services'])})")
    elif args.command == "reset":
        control.admin(url, "POST", "reset")
        print(f"emulator at {url} reset")
    elif args.command == "state":
        print(control.dumps(control.admin(url, "GET", "state")))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``dataplatforms-emulator`` and ``python -m pulumi_dataplatforms_emulator``."""
    args = _parser().parse_args(argv)
    missing = missing_server_modules() if args.command in ("serve", "start", "env") else []
    if missing:
        print(
            f"dataplatforms-emulator {args.command}: the emulator's dependencies are not installed "
            f"({', '.join(missing)}); install them with {EXTRA_HINT}",
            file=sys.stderr,
        )
        return 1
    if args.command == "serve":
        settings = Settings(
            data_dir=args.data_dir,
            provision_seconds=args.provision_seconds,
            deletion_seconds=args.deletion_seconds,
            host=args.host,
            port=args.port,
            instance_id=args.instance_id,
            request_log=args.request_log,
        )
        return serve(settings, args.log_level)
    try:
        return _run(args)
    except control.ControlError as exc:
        print(f"dataplatforms-emulator {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
