"""HttpFetcher against a real HTTP server on 127.0.0.1, and the FakeFetcher."""

from __future__ import annotations

import gzip
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from allegiance.errors import ConfigError, InputError
from allegiance.ingest.fetch import (
    FakeFetcher,
    FetchConfig,
    FetchError,
    HttpFetcher,
    Response,
    default_user_agent,
)
from helpers.httpserver import Route, serve

PAGE = Route("<html><body><p>Hello from the local server.</p></body></html>")


class FakeClock:
    """A clock that only moves when the fetcher sleeps: politeness and backoff
    are checked by what the fetcher asked to sleep, without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def fetcher(clock: FakeClock | None = None, **options: Any) -> HttpFetcher:
    clock = clock or FakeClock()
    config = FetchConfig(**{"timeout": 2.0, "per_host_delay": 0.0, **options})
    return HttpFetcher(config, clock=clock, sleep=clock.sleep)


def test_fetches_a_page_with_a_clear_user_agent() -> None:
    with serve({"/page": PAGE}) as server, fetcher() as http:
        response = http.fetch(server.url("/page"))
    assert response.status == 200
    assert response.url == server.url("/page")
    assert response.content_type == "text/html"
    assert response.charset == "utf-8"
    assert "Hello from the local server." in response.text()
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert server.user_agents == [default_user_agent()]
    assert default_user_agent().startswith("allegiance/")
    assert "news event coder" in default_user_agent()


def test_follows_redirects_and_reports_the_final_url() -> None:
    routes = {"/old": Route(status=301, headers={"Location": "/new"}), "/new": PAGE}
    with serve(routes) as server, fetcher() as http:
        response = http.fetch(server.url("/old"))
    assert response.url == server.url("/new")
    assert server.hits == {"/old": 1, "/new": 1}


def test_a_redirect_loop_is_an_error() -> None:
    with serve({"/loop": Route(status=302, headers={"Location": "/loop"})}) as server:
        with fetcher() as http, pytest.raises(FetchError, match="too many redirects"):
            http.fetch(server.url("/loop"))
        assert server.hits["/loop"] == 6  # the request and five redirects


def test_404_is_an_input_error_naming_the_url_and_is_not_retried() -> None:
    clock = FakeClock()
    with serve() as server, fetcher(clock) as http:
        url = server.url("/missing")
        with pytest.raises(FetchError) as caught:
            http.fetch(url)
    assert isinstance(caught.value, InputError)
    assert caught.value.where == url
    assert caught.value.status == 404
    assert str(caught.value) == f"{url}: HTTP 404 Not Found"
    assert server.hits["/missing"] == 1
    assert clock.sleeps == []


def test_500_then_200_is_retried_with_backoff() -> None:
    flaky = [Route("oops", status=500), Route("oops", status=503), PAGE]
    clock = FakeClock()
    with serve({"/flaky": flaky}) as server, fetcher(clock, backoff=0.5) as http:
        response = http.fetch(server.url("/flaky"))
    assert response.status == 200
    assert server.hits["/flaky"] == 3
    assert clock.sleeps == [0.5, 1.0]  # exponential: backoff * 2**attempt


def test_retries_run_out_and_the_last_error_is_raised() -> None:
    clock = FakeClock()
    with (
        serve({"/down": Route("down", status=502)}) as server,
        fetcher(clock, retries=2, backoff=1.0) as http,
        pytest.raises(FetchError, match="HTTP 502 Bad Gateway") as caught,
    ):
        http.fetch(server.url("/down"))
    assert server.hits["/down"] == 3
    assert caught.value.status == 502
    assert clock.sleeps == [1.0, 2.0]


def test_retry_after_is_honoured_up_to_the_cap() -> None:
    busy = [Route("slow down", status=429, headers={"Retry-After": "7"}),
            Route("slow down", status=429, headers={"Retry-After": "3600"}), PAGE]
    clock = FakeClock()
    with serve({"/busy": busy}) as server, fetcher(clock, max_backoff=30.0) as http:
        assert http.fetch(server.url("/busy")).status == 200
    assert clock.sleeps == [7.0, 30.0]


def test_a_slow_server_times_out() -> None:
    with serve({"/slow": Route("late", delay=5.0)}) as server:
        started = time.monotonic()
        with (
            fetcher(timeout=0.2, retries=1, backoff=0.0) as http,
            pytest.raises(FetchError, match="timeout") as caught,
        ):
            http.fetch(server.url("/slow"))
        elapsed = time.monotonic() - started
        assert server.hits["/slow"] == 2  # a timeout is worth one more try
    assert caught.value.where == server.url("/slow")
    assert elapsed < 2.0


def test_connection_refused_is_an_error_after_retries() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    clock = FakeClock()
    with fetcher(clock, retries=2) as http, pytest.raises(FetchError, match="cannot connect"):
        http.fetch(f"http://127.0.0.1:{port}/")
    assert len(clock.sleeps) == 2


@pytest.mark.parametrize("send_length", [True, False])
def test_a_body_over_the_size_cap_is_refused(send_length: bool) -> None:
    big = Route("x" * 50_000, send_length=send_length)
    with (
        serve({"/big": big}) as server,
        fetcher(max_bytes=10_000) as http,
        pytest.raises(FetchError, match=r"over the 10 kB limit") as caught,
    ):
        http.fetch(server.url("/big"))
    assert caught.value.where == server.url("/big")
    assert ("(50 kB)" in str(caught.value)) is send_length  # refused before reading


def test_the_size_cap_applies_after_decompression() -> None:
    bomb = gzip.compress(b"\0" * 2_000_000)  # about 2 kB on the wire
    route = Route(bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    with (
        serve({"/bomb": route}) as server,
        fetcher(max_bytes=100_000) as http,
        pytest.raises(FetchError, match="over the 100 kB limit"),
    ):
        http.fetch(server.url("/bomb"))


@pytest.mark.parametrize("url", ["ftp://example.org/feed.xml", "file:///etc/passwd",
                                 "example.org/page", "http:///no-host"])
def test_only_http_urls_are_fetched(url: str) -> None:
    with fetcher() as http, pytest.raises(FetchError) as caught:
        http.fetch(url)
    assert caught.value.where == url


def test_politeness_spaces_requests_to_the_same_host() -> None:
    clock = FakeClock()
    with (
        serve({"/a": PAGE, "/b": PAGE, "/c": PAGE}) as server,
        fetcher(clock, per_host_delay=2.0) as http,
    ):
        http.fetch(server.url("/a"))
        clock.now += 0.5  # the first request "took" half a second
        http.fetch(server.url("/b"))
        assert clock.sleeps == [1.5]
        clock.now += 10.0  # long after: no wait
        http.fetch(server.url("/c"))
    assert clock.sleeps == [1.5]
    assert server.hits == {"/a": 1, "/b": 1, "/c": 1}


def test_politeness_is_per_host() -> None:
    try:
        socket.getaddrinfo("localhost", 80, family=socket.AF_INET)
    except OSError:
        pytest.skip("localhost does not resolve here")
    clock = FakeClock()
    with serve({"/a": PAGE}) as server, fetcher(clock, per_host_delay=5.0) as http:
        http.fetch(server.url("/a"))
        http.fetch(server.url("/a").replace("127.0.0.1", "localhost"))
        assert clock.sleeps == []  # another host name: no wait
        http.fetch(server.url("/a"))
    assert clock.sleeps == [5.0]


def test_fetch_config_refuses_nonsense() -> None:
    with pytest.raises(ConfigError, match="max_bytes"):
        FetchConfig(max_bytes=0)
    with pytest.raises(ConfigError, match="retries"):
        FetchConfig(retries=-1)
    assert FetchConfig().max_bytes == 10_000_000
    assert FetchConfig().timeout == 20.0


def test_response_decoding() -> None:
    latin = Response("http://x/", 200, {"Content-Type": "text/html; charset=ISO-8859-1"},
                     "café".encode("latin-1"))
    assert latin.headers == {"content-type": "text/html; charset=ISO-8859-1"}
    assert latin.text() == "café"
    bare = Response("http://x/", 200, {}, b"caf\xc3\xa9 \xff")
    assert bare.content_type == "" and bare.charset is None
    assert bare.text() == "café \ufffd"
    odd = Response("http://x/", 200, {"content-type": "text/plain; charset=nonsense"}, b"ok")
    assert odd.text() == "ok"


def test_fake_fetcher_serves_records_and_raises() -> None:
    page = Response("http://x/a", 200, {"content-type": "text/html"}, b"<p>a</p>")
    gone = Response("http://x/gone", 410, {}, b"")
    boom = FetchError("timeout: no answer within 20 s", where="http://x/slow")
    fake = FakeFetcher({"http://x/a": page, "http://x/gone": gone, "http://x/slow": boom})
    assert fake.fetch("http://x/a") is page
    with pytest.raises(FetchError, match="HTTP 410 Gone"):
        fake.fetch("http://x/gone")
    with pytest.raises(FetchError, match="timeout"):
        fake.fetch("http://x/slow")
    with pytest.raises(FetchError, match="HTTP 404") as caught:
        fake.fetch("http://x/unknown")
    assert caught.value.where == "http://x/unknown"
    assert fake.requests == ["http://x/a", "http://x/gone", "http://x/slow", "http://x/unknown"]


# -- public_only: what the web API's ingest may fetch ------------------------------------


@pytest.mark.parametrize(("address", "public"), [
    ("93.184.216.34", True), ("2606:4700:4700::1111", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.10", False),
    ("172.16.5.4", False), ("169.254.169.254", False), ("100.64.0.1", False),
    ("0.0.0.0", False), ("::1", False), ("fe80::1%eth0", False), ("fd00::1", False),
    ("::ffff:127.0.0.1", False), ("224.0.0.1", False),
    # IPv6 carrying an IPv4 address is judged as that address: NAT64, 6to4, IPv4-compatible.
    ("64:ff9b::7f00:1", False), ("64:ff9b::a9fe:a9fe", False), ("64:ff9b::5db8:d822", True),
    ("2002:7f00:1::", False), ("2002:5db8:d822::1", True), ("::7f00:1", False),
    ("::", False),
])
def test_public_addresses(address: str, public: bool) -> None:
    from allegiance.ingest.fetch import is_public_address

    assert is_public_address(address) is public


def test_public_only_refuses_private_hosts_and_redirects_to_them() -> None:
    import httpx

    from allegiance.ingest.fetch import FetchConfig, HttpFetcher

    names = {"news.example": ["93.184.216.34"], "intranet.example": ["10.0.0.7"],
             "sneaky.example": ["93.184.216.35", "127.0.0.1"]}
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/moved":
            return httpx.Response(302, headers={"Location": "http://intranet.example/admin"})
        return httpx.Response(200, text="<p>ok</p>", headers={"Content-Type": "text/html"})

    config = FetchConfig(public_only=True, per_host_delay=0, retries=0)
    with HttpFetcher(config, transport=httpx.MockTransport(answer),
                     resolve=lambda host: names[host]) as fetcher:
        assert fetcher.fetch("http://news.example/story").status == 200
        for url, refused in (("http://intranet.example/", "10.0.0.7"),
                             ("http://sneaky.example/", "127.0.0.1"),
                             ("http://news.example/moved", "10.0.0.7")):
            with pytest.raises(InputError, match=f"refused: .* resolves to {refused}"):
                fetcher.fetch(url)
    # The redirect was followed to the check, and no request reached the private host.
    assert not any("intranet" in u or "sneaky" in u for u in seen)


# -- public_only on real sockets: the address checked is the address connected to -------


class HostLog:
    """A real server on 127.0.0.1 that records each request's path and Host header.
    ``/moved`` redirects to ``redirect_to``; every other path answers a small page."""

    def __init__(self, redirect_to: str = "") -> None:
        self.redirect_to = redirect_to
        self.requests: list[tuple[str, str]] = []
        self.port = 0


@contextmanager
def host_log(redirect_to: str = "", *, tls: ssl.SSLContext | None = None) -> Iterator[HostLog]:
    log = HostLog(redirect_to)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            log.requests.append((self.path, self.headers.get("Host", "")))
            moved = self.path == "/moved"
            body = b"" if moved else b"<p>served by the local server</p>"
            self.send_response(302 if moved else 200)
            if moved:
                self.send_header("Location", log.redirect_to)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    log.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield log
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


class Resolver:
    """An injected resolver: ``answers[host]`` is a list of answers, one per call (the
    last one repeats), so a test can play a DNS server that changes its mind."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.calls.append(host)
        answers = self.answers[host]
        return answers[min(self.calls.count(host), len(answers)) - 1]


def checked_fetcher(resolver: Resolver, **config: Any) -> HttpFetcher:
    """A public_only HttpFetcher with no injected transport: the checked backend."""
    settings: dict[str, Any] = {"per_host_delay": 0, "retries": 0, "timeout": 2.0, **config}
    return HttpFetcher(FetchConfig(public_only=True, **settings), resolve=resolver)


def test_public_only_refuses_a_name_that_resolves_to_this_machine() -> None:
    resolver = Resolver({"news.example.test": [["127.0.0.1"]]})
    with host_log() as server, checked_fetcher(resolver) as fetcher:
        url = f"http://news.example.test:{server.port}/story"
        refused = re.escape("refused: news.example.test resolves to 127.0.0.1,")
        with pytest.raises(FetchError, match=refused) as caught:
            fetcher.fetch(url)
    assert caught.value.where == url
    assert server.requests == []


def test_public_only_rebinding_cannot_reach_this_machine() -> None:
    # "localhost" is the one name the system resolver maps to this machine, so a fetcher
    # that checked one lookup and let httpx connect by a second would reach the server.
    try:
        socket.getaddrinfo("localhost", 80, family=socket.AF_INET)
    except OSError:
        pytest.skip("localhost does not resolve here")
    resolver = Resolver({"localhost": [["93.184.216.34"], ["127.0.0.1"]]})
    with host_log() as server, checked_fetcher(resolver, timeout=0.5) as fetcher:
        try:  # connecting to the public address fails here (no network) or goes there
            fetcher.fetch(f"http://localhost:{server.port}/story")
        except FetchError as exc:
            assert "resolves to" not in str(exc)  # the only lookup said public
    assert server.requests == []
    assert resolver.calls == ["localhost"]  # one lookup for the one connection


def test_allowed_network_is_fetched_at_the_checked_address() -> None:
    # System DNS cannot resolve .test names: reaching the server at all shows the
    # connection went to the address the injected resolver answered and the check passed.
    resolver = Resolver({"news.example.test": [["127.0.0.1"]]})
    with (
        host_log() as server,
        checked_fetcher(resolver, allowed_networks=("127.0.0.0/8",)) as fetcher,
    ):
        response = fetcher.fetch(f"http://news.example.test:{server.port}/story")
    assert response.status == 200 and "local server" in response.text()
    assert server.requests == [("/story", f"news.example.test:{server.port}")]
    assert resolver.calls == ["news.example.test"]


def test_checked_backend_keeps_tls_on_the_host_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Connecting to an address must not change TLS: SNI and the certificate check still
    # use the URL's name, so a certificate for another name is refused.
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl command to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=news.example.test",
                    "-addext", "subjectAltName=DNS:news.example.test"],
                   check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # httpx's SSL context trusts it
    names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda _sock, name, _context: names.append(name)
    resolver = Resolver({"news.example.test": [["127.0.0.1"]],
                         "other.example.test": [["127.0.0.1"]]})
    with (
        host_log(tls=context) as server,
        checked_fetcher(resolver, allowed_networks=("127.0.0.0/8",)) as fetcher,
    ):
        assert fetcher.fetch(f"https://news.example.test:{server.port}/a").status == 200
        with pytest.raises(FetchError, match="certificate is not valid for 'other"):
            fetcher.fetch(f"https://other.example.test:{server.port}/b")
    assert names == ["news.example.test", "other.example.test"]
    assert server.requests == [("/a", f"news.example.test:{server.port}")]


def test_checked_backend_refuses_a_redirect_outside_the_allowed_networks() -> None:
    resolver = Resolver({"news.example.test": [["127.0.0.1"]],
                         "intranet.example.test": [["127.0.0.2"]]})
    refused = r"refused: intranet\.example\.test resolves to 127\.0\.0\.2, .* outside the allowed"
    with (
        host_log() as server,
        checked_fetcher(resolver, allowed_networks=("127.0.0.1/32",)) as fetcher,
    ):
        server.redirect_to = f"http://intranet.example.test:{server.port}/admin"
        with pytest.raises(FetchError, match=refused):
            fetcher.fetch(f"http://news.example.test:{server.port}/moved")
    assert [path for path, _ in server.requests] == ["/moved"]
    assert resolver.calls == ["news.example.test", "intranet.example.test"]


def test_injected_transport_checks_allowed_networks_in_the_hook() -> None:
    import httpx

    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, text="<p>ok</p>", headers={"Content-Type": "text/html"})

    resolver = Resolver({"intranet.example": [["10.0.0.7"]], "admin.example": [["10.9.0.1"]]})
    config = FetchConfig(public_only=True, allowed_networks=("10.0.0.0/16",),
                         per_host_delay=0, retries=0)
    with HttpFetcher(config, transport=httpx.MockTransport(answer),
                     resolve=resolver) as fetcher:
        assert fetcher.fetch("http://intranet.example/news").status == 200
        with pytest.raises(FetchError, match=re.escape("resolves to 10.9.0.1,")):
            fetcher.fetch("http://admin.example/")
    assert seen == ["http://intranet.example/news"]


@pytest.mark.parametrize("value", ["10.0.0.0/33", "10.0.0.1/8", "intranet", "", "::1/200"])
def test_allowed_networks_must_be_cidr(value: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(repr(value)) + " is not a network.*CIDR form"):
        FetchConfig(public_only=True, allowed_networks=(value,))


def test_allowed_networks_config() -> None:
    with pytest.raises(ConfigError, match="tuple of CIDR strings"):
        FetchConfig(public_only=True, allowed_networks="10.0.0.0/8")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="only widens public_only"):
        FetchConfig(allowed_networks=("10.0.0.0/8",))
    config = FetchConfig(public_only=True, allowed_networks=("10.0.0.0/8", "fd00::/8",
                                                             "127.0.0.1"))
    assert config.allows_address("93.184.216.34") and config.allows_address("10.200.0.1")
    assert config.allows_address("fd12::1") and config.allows_address("::ffff:10.0.0.1")
    assert config.allows_address("127.0.0.1") and not config.allows_address("127.0.0.2")
    assert not config.allows_address("169.254.169.254")
    assert not FetchConfig(public_only=True).allows_address("10.200.0.1")
