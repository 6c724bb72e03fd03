"""HttpFetcher against a real HTTP server on 127.0.0.1, and the FakeFetcher."""

from __future__ import annotations

import gzip
import socket
import time
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
