"""A local HTTP server with the answers external link checks must handle.

Served on 127.0.0.1 only (no internet here, and tests must not depend on it):
/ok 200 · /moved 301 → /ok · /missing 404 · /busy 429 with Retry-After: 1, then 200 ·
/slow answers after 3 s · /no-head 405 to HEAD, 200 to GET · /drip sends its status line a
byte every 0.5 s · /to-javascript redirects to javascript: · /limited 429 with Retry-After: 3600 ·
/endless 405 to HEAD, 200 with a body that never ends to GET · /endless-moved the same, but a
301 → /ok. Every request is logged with
its method, path, arrival time and the number of requests in flight.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Log:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[tuple[str, str, float, int]] = field(default_factory=list)
    in_flight: int = 0
    busy_seen: int = 0

    def paths(self) -> list[str]:
        return [path for _method, path, _t, _n in self.requests]


class Handler(BaseHTTPRequestHandler):
    """The recorded server's answers, one route per behaviour a link checker must handle."""

    protocol_version = "HTTP/1.1"
    log: Log

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def _answer(self, method: str) -> None:
        with self.log.lock:
            self.log.in_flight += 1
            self.log.requests.append((method, self.path, time.monotonic(), self.log.in_flight))
        try:
            self._route(method)
        finally:
            with self.log.lock:
                self.log.in_flight -= 1

    def _send(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"ok") -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self, method: str) -> None:
        path = self.path.split("?")[0]
        if path.startswith(("/ok", "/page")):
            time.sleep(0.05)  # long enough for concurrent requests to overlap
            self._send(200)
            return
        routes: dict[str, Callable[[], None]] = {
            "/moved": lambda: self._send(301, {"Location": "/ok"}),
            "/busy": self._busy,
            "/slow": self._slow,
            "/drip": self._drip,
            "/to-javascript": lambda: self._send(302, {"Location": "javascript:alert(document.domain)"}),
            "/limited": lambda: self._send(429, {"Retry-After": "3600"}),
            "/no-head": lambda: self._send(405 if method == "HEAD" else 200),
            "/endless": lambda: self._send(405) if method == "HEAD" else self._endless(200, {}),
            "/endless-moved": (
                lambda: self._send(405) if method == "HEAD" else self._endless(301, {"Location": "/ok"})
            ),
        }
        routes.get(path, lambda: self._send(404, body=b"not found"))()

    def _endless(self, status: int, headers: dict[str, str]) -> None:
        self.close_connection = True
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        chunk = b" " * 65536
        with contextlib.suppress(OSError):  # until the checker hangs up, as it should
            while True:
                self.wfile.write(chunk)

    def _busy(self) -> None:
        with self.log.lock:
            self.log.busy_seen += 1
            first = self.log.busy_seen == 1
        self._send(429, {"Retry-After": "1"}) if first else self._send(200)

    def _slow(self) -> None:
        time.sleep(3)
        self._send(200)

    def _drip(self) -> None:
        self.close_connection = True
        try:
            for byte in b"HTTP/1.1 200 OK\r\n":
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.5)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker gave up, as it should

    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def do_GET(self) -> None:
        self._answer("GET")


def _handler(log: Log) -> type[BaseHTTPRequestHandler]:
    return type("BoundHandler", (Handler,), {"log": log})


@contextmanager
def serve() -> Iterator[tuple[str, Log]]:
    log = Log()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(log))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()
