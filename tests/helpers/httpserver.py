"""A real HTTP server on 127.0.0.1 for the fetch and web tests (a helper, not a test file).

``serve(routes)`` starts a ``ThreadingHTTPServer`` on a free port in a thread and
yields a :class:`LocalServer`. Routes map a path to a :class:`Route`, or to a list
of routes answered in turn (the last one repeats), for "500 then 200". Routes can
be added after start, when a body must contain the server's own URL.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Route:
    """One canned answer. ``delay`` holds the answer back (to provoke timeouts);
    ``send_length=False`` omits Content-Length, so the body ends when the connection
    closes and the client cannot know the size in advance."""

    body: bytes | str = b""
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=lambda: {"Content-Type": HTML})
    delay: float = 0.0
    send_length: bool = True


NOT_FOUND = Route("<html><body>not found</body></html>", status=404)


class LocalServer:
    """The running server: its base URL, routes, and what it was asked."""

    def __init__(self, routes: Mapping[str, Route | Sequence[Route]]) -> None:
        self.routes: dict[str, Route | Sequence[Route]] = dict(routes)
        self.hits: Counter[str] = Counter()
        self.user_agents: list[str] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def answer(self, path: str, user_agent: str) -> Route:
        with self.lock:
            self.hits[path] += 1
            self.user_agents.append(user_agent)
            route = self.routes.get(path, NOT_FOUND)
            if isinstance(route, Route):
                return route
            return route[min(self.hits[path], len(route)) - 1]


def _handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            route = server.answer(path, self.headers.get("User-Agent", ""))
            # Waiting on the event, not time.sleep, lets the server stop at once.
            if route.delay and server.stopping.wait(route.delay):
                return
            body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
            try:
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.send_length:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up (timeout, size cap): expected in tests
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep pytest output clean

    return Handler


@contextmanager
def serve(routes: Mapping[str, Route | Sequence[Route]] | None = None) -> Iterator[LocalServer]:
    """Run a server for the ``with`` block; ``server.url("/path")`` gives full URLs."""
    server = LocalServer(routes or {})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True
    server.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()
