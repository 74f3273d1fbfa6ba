"""A real HTTP/1.1 server on 127.0.0.1 that answers from a script and records every request.

Each path has a queue of `Reply` objects; the last one repeats once the others are used up, and
a path without a script answers 404. A reply can wait before answering, close the connection
without an answer, or reset it (RST). Every request is recorded with its arrival time, and the
server counts connections opened and closed, so a test can see a client release its sockets.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    """One canned answer: a JSON-able object, text or bytes as the body."""

    status: int = 200
    body: object = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering (or before closing).
    delay: float = 0.0
    #: `close`: drop the connection without an answer; `reset`: abort it with a TCP RST.
    action: Literal["answer", "close", "reset"] = "answer"

    def encoded(self) -> tuple[bytes, str]:
        """The body bytes and their content type."""
        if isinstance(self.body, bytes):
            return self.body, "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode(), "text/plain; charset=utf-8"
        return json.dumps(self.body).encode(), "application/json"


@dataclass(frozen=True)
class Recorded:
    """A request as the server received it; header names are lower-case."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes
    #: `time.monotonic()` when the request line was read.
    arrived: float

    def form(self) -> dict[str, str]:
        """The body as an `application/x-www-form-urlencoded` form."""
        return {k: v[-1] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}


class ScriptedServer:
    """Answers requests from per-path scripts; see the module docstring."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._scripts: dict[str, list[Reply]] = {}
        self._requests: list[Recorded] = []
        self._opened = 0
        self._closed = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="scripted-server", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def script(self, path: str, *replies: Reply) -> None:
        """Answer requests to `path` with `replies` in order, the last one repeating."""
        if not replies:
            raise ValueError("a script needs at least one reply")
        with self._lock:
            self._scripts[path] = list(replies)

    def requests(self, path: str | None = None) -> list[Recorded]:
        """Every request received so far, or those to `path`, in arrival order."""
        with self._lock:
            return [r for r in self._requests if path is None or r.path == path]

    def open_connections(self) -> int:
        with self._lock:
            return self._opened - self._closed

    def wait_for_open_connections(self, count: int, timeout: float = 5.0) -> int:
        """Wait until `count` connections are open; return the last count seen."""
        deadline = time.monotonic() + timeout
        while (seen := self.open_connections()) != count and time.monotonic() < deadline:
            time.sleep(0.01)
        return seen

    def _next_reply(self, path: str) -> Reply:
        with self._lock:
            queue = self._scripts.get(path)
            if not queue:
                return Reply(404, {"code": "not_scripted", "message": f"no script for {path}"})
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _record(self, request: Recorded) -> None:
        with self._lock:
            self._requests.append(request)

    def _connection(self, delta: int) -> None:
        with self._lock:
            if delta > 0:
                self._opened += 1
            else:
                self._closed += 1

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                server._connection(+1)

            def finish(self) -> None:
                try:
                    super().finish()
                finally:
                    server._connection(-1)

            def log_message(self, format: str, *args: object) -> None:
                """Silent: the recorded requests are the log."""

            def _serve(self) -> None:
                arrived = time.monotonic()
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                server._record(
                    Recorded(
                        method=self.command,
                        path=url.path,
                        query=url.query,
                        headers={k.lower(): v for k, v in self.headers.items()},
                        body=body,
                        arrived=arrived,
                    )
                )
                reply = server._next_reply(url.path)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.action != "answer":
                    if reply.action == "reset":
                        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        self.connection.close()
                    self.close_connection = True
                    return
                payload, content_type = reply.encoded()
                self.send_response(reply.status)
                headers = {"Content-Type": content_type, **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0" if self.command == "HEAD" else str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve

        return Handler


@contextmanager
def scripted_server() -> Iterator[ScriptedServer]:
    """A started `ScriptedServer`, stopped on exit."""
    server = ScriptedServer().start()
    try:
        yield server
    finally:
        server.stop()


def closed_port() -> int:
    """A local port nothing listens on (bound once, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
