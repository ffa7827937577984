"""A local HTTP server for download tests: fixed bodies, wrong lengths, trickles and hangs.

No test may use the network, so downloads are tested against this server on
127.0.0.1. Tests set ``server.files[path] = Served(...)`` and read
``server.requests``; `serve()` starts one in a thread and stops it afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Served:
    """What the server answers for one path."""

    body: bytes
    status: int = 200
    declared_length: int | None = None
    """Content-Length to announce (defaults to the real length; -1 sends none)."""
    trickle_s: float | None = None
    """Send the body `trickle_bytes` at a time, this many seconds apart (a trickling server)."""
    trickle_bytes: int = 1
    header_trickle_s: float | None = None
    """Send even the status line and headers a byte at a time, this far apart."""


@dataclass
class FakeServer:
    base_url: str
    files: dict[str, Served] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    """Set to make trickling responses give up (at the end of a test)."""

    def url(self, path: str) -> str:
        """The address of `path` on this server (`path` starts with /)."""
        return self.base_url.rsplit("/models", 1)[0] + path

    def reset(self) -> None:
        self.stop.set()
        self.files.clear()
        self.requests.clear()
        self.stop = threading.Event()


@contextmanager
def serve() -> Iterator[FakeServer]:
    """A server on a free port of 127.0.0.1; `base_url` ends in ``/models``."""
    state = FakeServer(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            served = state.files.get(self.path)
            stop = state.stop
            if served is None:
                self.send_error(404, "Not Found")
                return
            if served.header_trickle_s is not None:
                head = f"HTTP/1.1 {served.status} OK\r\nContent-Length: {len(served.body)}\r\n"
                self._trickle(head.encode() * 1000, served.header_trickle_s, 1, stop)
                return
            self.send_response(served.status)
            length = served.declared_length
            if length != -1:
                self.send_header(
                    "Content-Length", str(len(served.body) if length is None else length)
                )
            self.send_header("Connection", "close")
            self.end_headers()
            if served.trickle_s is None:
                self.wfile.write(served.body)
            else:
                self._trickle(served.body, served.trickle_s, served.trickle_bytes, stop)
            self.wfile.flush()
            self.close_connection = True

        def _trickle(self, data: bytes, interval: float, step: int, stop: threading.Event) -> None:
            try:
                for i in range(0, len(data), step):
                    if stop.wait(interval):
                        return
                    self.wfile.write(data[i : i + step])
                    self.wfile.flush()
            except OSError:  # the client gave up
                return

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}/models"
    try:
        yield state
    finally:
        state.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
