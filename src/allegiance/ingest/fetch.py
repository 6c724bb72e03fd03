"""Fetching URLs: one narrow interface, a real HTTP client and a fake.

Everything that reads the web goes through :class:`Fetcher` (``fetch(url) ->
Response``), so tests and other callers can swap :class:`HttpFetcher` for
:class:`FakeFetcher` the way httpx swaps a transport for ``MockTransport``.

:class:`HttpFetcher` is a polite client: a clear user agent, timeouts, a cap on the
body size, retries with exponential backoff for transient failures only, and a
minimum gap between two requests to the same host. Every failure is a
:class:`FetchError` (an :class:`~allegiance.errors.InputError` whose ``where`` is the
URL), so a batch reports it and goes on.

With ``FetchConfig.public_only`` every new connection goes through
:class:`_CheckedBackend`, which resolves the host once, checks every address and
connects to a checked one: the address checked is the address connected to, so a DNS
server cannot pass the check with a public address and hand the connection 127.0.0.1
(DNS rebinding).
"""

from __future__ import annotations

import email.message
import importlib.metadata
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpcore
import httpx

from allegiance.errors import ConfigError, InputError

__all__ = [
    "FakeFetcher",
    "FetchConfig",
    "FetchError",
    "Fetcher",
    "HttpFetcher",
    "Response",
    "default_user_agent",
    "is_public_address",
    "resolve_host",
]

logger = logging.getLogger(__name__)

# Statuses worth asking again for: the server is busy or briefly broken. A 404 or
# 403 will not change in a few seconds, so retrying it only adds load.
_RETRY_STATUSES = frozenset({429}) | frozenset(range(500, 600))


class FetchError(InputError):
    """A URL that could not be fetched: network error, timeout, HTTP error, too big.

    ``where`` is the URL; ``status`` is the HTTP status when the server answered.
    """

    def __init__(self, message: str, *, where: str, status: int | None = None) -> None:
        self.status = status
        super().__init__(message, where=where)


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched resource. ``url`` is the final URL after redirects.

    Header names are lower-cased on construction, whatever the caller passed.
    """

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    def __post_init__(self) -> None:
        lowered = {key.lower(): value for key, value in self.headers.items()}
        object.__setattr__(self, "headers", lowered)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-case (``text/html``), or ``""``."""
        return self._parsed_content_type().get_content_type() if self._has_type() else ""

    @property
    def charset(self) -> str | None:
        """The charset named in the Content-Type header, if any."""
        if not self._has_type():
            return None
        charset = self._parsed_content_type().get_param("charset")
        return charset if isinstance(charset, str) and charset else None

    def text(self) -> str:
        """The body as text: the header's charset, else UTF-8; bad bytes become U+FFFD."""
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know: UTF-8 is the best guess
            return self.body.decode("utf-8", errors="replace")

    def _has_type(self) -> bool:
        return bool(self.headers.get("content-type", "").strip())

    def _parsed_content_type(self) -> email.message.Message:
        # email.message parses Content-Type parameters (quoting, case) correctly.
        message = email.message.Message()
        message["content-type"] = self.headers.get("content-type", "")
        return message


class Fetcher(Protocol):
    """Anything that turns a URL into a :class:`Response` or raises :class:`FetchError`."""

    def fetch(self, url: str) -> Response:
        """Fetch ``url``; raise FetchError for any failure, including HTTP status >= 400."""
        ...


def default_user_agent() -> str:
    """``allegiance/<version> (+project URL; news event coder)``: says who is asking and why."""
    try:
        version = importlib.metadata.version("allegiance")
    except importlib.metadata.PackageNotFoundError:  # running from a bare source tree
        version = "0"
    project = "https://github.com/allegiance-events/allegiance"
    return f"allegiance/{version} (+{project}; news event coder)"


@dataclass(frozen=True)
class FetchConfig:
    """How :class:`HttpFetcher` behaves. Times are in seconds, sizes in bytes.

    ``timeout`` bounds each connect/read and the whole body download; ``retries`` is
    the number of extra attempts after a connect error, a timeout, HTTP 429 or 5xx,
    waiting ``backoff * 2**attempt`` (or the server's Retry-After, if longer), never
    more than ``max_backoff``. ``per_host_delay`` is the minimum gap between the
    starts of two requests to the same host name.
    """

    timeout: float = 20.0
    max_bytes: int = 10_000_000
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    per_host_delay: float = 1.0
    max_redirects: int = 5
    user_agent: str = field(default_factory=default_user_agent)
    # Refuse every request (the first and each redirect) to a host that resolves to a
    # loopback, private, link-local or otherwise non-public address: for URLs that
    # come from others (the web API's ingest), never for the user's own command line.
    public_only: bool = False
    # CIDR networks ("10.0.0.0/8", "127.0.0.1/32") that public_only lets through all
    # the same: an intranet news server the operator chose to allow.
    allowed_networks: tuple[str, ...] = ()
    _networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(
        init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        positive = {"timeout": self.timeout, "max_bytes": self.max_bytes}
        not_negative = {
            "retries": self.retries,
            "backoff": self.backoff,
            "max_backoff": self.max_backoff,
            "per_host_delay": self.per_host_delay,
            "max_redirects": self.max_redirects,
        }
        for name, value in positive.items():
            if value <= 0:
                raise ConfigError(f"FetchConfig.{name} must be above 0; got {value}")
        for name, value in not_negative.items():
            if value < 0:
                raise ConfigError(f"FetchConfig.{name} cannot be negative; got {value}")
        if not self.user_agent.strip():
            raise ConfigError("FetchConfig.user_agent cannot be empty: sites block anonymous bots")
        object.__setattr__(self, "_networks", _parse_networks(self.allowed_networks))
        if self._networks and not self.public_only:
            raise ConfigError("FetchConfig.allowed_networks only widens public_only; "
                              "without public_only every address is fetched already")

    def allows_address(self, address: str) -> bool:
        """Whether public_only may connect to ``address``: a public address, or one
        inside ``allowed_networks``."""
        if is_public_address(address):
            return True
        ip = _ip(address)
        return any(ip in network for network in self._networks)


def _parse_networks(
    values: Sequence[str],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    if isinstance(values, str):  # a lone string would be read one character at a time
        raise ConfigError(f"FetchConfig.allowed_networks must be a tuple of CIDR strings, "
                          f"not the string {values!r}")
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value))
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"FetchConfig.allowed_networks: {value!r} is not a network ({exc}); "
                "expected CIDR form, an address and a prefix length with no host bits "
                "set, such as 10.0.0.0/8 or 192.168.1.20/32") from None
    return tuple(networks)


def resolve_host(host: str) -> list[str]:
    """Every address ``host`` resolves to (an IP literal is its own), in the resolver's
    order (RFC 6724: the address most likely to work first), each once."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(address: str) -> bool:
    """A globally routable unicast address (not loopback, private, link-local, shared,
    reserved or multicast; an IPv6 address carrying an IPv4 one is judged as that IPv4)."""
    ip = _ip(address)
    return ip.is_global and not ip.is_multicast


# IPv6 prefixes that carry an IPv4 address in their last 32 bits, and reach it: NAT64's
# well-known prefix (RFC 6052) and the deprecated IPv4-compatible addresses.
_EMBEDDING = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("::/96"))


def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The address without its zone (``%eth0``); an IPv6 address that carries an IPv4 one
    (IPv4-mapped, 6to4, NAT64, IPv4-compatible) as that IPv4, so ``::ffff:127.0.0.1`` or
    ``64:ff9b::7f00:1`` cannot pass for something else."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if not isinstance(ip, ipaddress.IPv6Address):
        return ip
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in _EMBEDDING) and ip != ipaddress.IPv6Address("::1"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def _refusal(host: str, addresses: Sequence[str], config: FetchConfig) -> str | None:
    """Why public_only refuses ``host`` at ``addresses``, or None when every one is allowed."""
    bad = [a for a in addresses if not config.allows_address(a)]
    if not bad:
        return None
    outside = " outside the allowed networks" if config.allowed_networks else ""
    return (f"refused: {host} resolves to {bad[0]}, a loopback, private or link-local "
            f"address{outside}")


class _Refused(Exception):
    """Raised inside httpx by :class:`_CheckedBackend`; HttpFetcher turns it into a
    FetchError, since only it knows the URL."""


class _CheckedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses public_only allows.

    Each new connection (the first request, each redirect to another host) resolves its
    host once with ``resolve``, refuses if any address is not allowed, and connects to
    the checked address itself, so no second lookup can answer something else. TLS is
    unchanged: httpcore calls ``start_tls`` on the returned stream with the origin's
    host name as ``server_hostname``, so SNI and the certificate check use the name.
    """

    def __init__(self, config: FetchConfig, resolve: Callable[[str], list[str]]) -> None:
        self._config = config
        self._resolve = resolve

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self._resolve(host)
        except OSError as exc:  # httpx reports a failed lookup as ConnectError too
            raise httpcore.ConnectError(f"cannot resolve {host} ({exc})") from exc
        if refusal := _refusal(host, addresses, self._config):
            raise _Refused(refusal)
        # Every address passed; try them in turn, as socket.create_connection would.
        error: Exception = httpcore.ConnectError(f"{host} resolves to no address")
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address,
                                           socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error


class _CheckedTransport(httpx.HTTPTransport):
    """httpx's own transport, its connection pool on :class:`_CheckedBackend`."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        super().__init__(limits=limits)
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):
            # Fail closed: an httpx that keeps its pool elsewhere would connect unchecked.
            raise ConfigError(f"httpx {httpx.__version__} does not keep its connection pool "
                              "where allegiance pins checked addresses; install httpx 0.28")
        # httpx 0.28's HTTPTransport builds its httpcore pool in __init__ and takes no
        # network backend, so replace that pool with one built the same way (httpx's
        # default SSL context, the same limits) on our backend. Every other method of
        # HTTPTransport works through self._pool.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


def _size(n: int) -> str:
    """``10 MB``, ``64 kB``, ``900 bytes``: sizes as people write them."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    if n >= 1_000:
        return f"{n / 1_000:g} kB"
    return f"{n} bytes"


def _host_of(url: str) -> str:
    """The lower-case host of an http(s) URL, or raise FetchError."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise FetchError(f"malformed URL ({exc})", where=url) from None
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "none"
        raise FetchError(
            f"not an http(s) URL (scheme {scheme!r}); only web pages and feeds can be fetched",
            where=url,
        )
    if not host:
        raise FetchError("URL has no host name", where=url)
    return host


def _retry_after(headers: httpx.Headers) -> float | None:
    """Retry-After in seconds; the HTTP-date form is rare for 429/503 and is ignored."""
    value = headers.get("retry-after", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


class _Transient(Exception):
    """A failure worth retrying; carries the error to raise if retries run out."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def _status_error(url: str, status: int, phrase: str = "") -> FetchError:
    """``HTTP 404 Not Found``: the server's own reason phrase, else the standard one."""
    if not phrase:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:  # a status code outside the standard list
            phrase = ""
    return FetchError(f"HTTP {status} {phrase}".rstrip(), where=url, status=status)


def _transport_error(url: str, exc: httpx.HTTPError, timeout: float) -> FetchError | _Transient:
    """Map an httpx error to FetchError, wrapped in _Transient when a retry may help."""
    if isinstance(exc, httpx.TimeoutException):
        kind = type(exc).__name__  # ConnectTimeout, ReadTimeout, ...
        message = f"timeout: no answer within {timeout:g} s ({kind})"
        return _Transient(FetchError(message, where=url))
    if isinstance(exc, httpx.ConnectError):
        return _Transient(FetchError(f"cannot connect ({exc})", where=url))
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return _Transient(FetchError(f"connection dropped by the server ({exc})", where=url))
    if isinstance(exc, httpx.TooManyRedirects):
        return FetchError(f"too many redirects ({exc})", where=url)
    return FetchError(f"request failed ({type(exc).__name__}: {exc})", where=url)


class HttpFetcher:
    """The real :class:`Fetcher`: an ``httpx.Client`` with the manners of :class:`FetchConfig`.

    Thread-safe. Use it as a context manager, or call :meth:`close`. ``clock`` and
    ``sleep`` are injectable so tests can check politeness and backoff without
    waiting; ``transport`` is passed to httpx (e.g. ``httpx.MockTransport``).
    ``resolve`` turns a host name into addresses for ``public_only``.

    With ``public_only`` and no ``transport``, connections go through
    :class:`_CheckedBackend` (one lookup per connection, the checked address is the one
    connected to). An injected transport makes no sockets of its own choosing, so
    there a request hook checks each request's host instead.
    """

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        resolve: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.config = config or FetchConfig()
        self._resolve = resolve or resolve_host
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        # host -> earliest start of the next request to it: reserving slots under
        # the lock spaces out threads that ask for the same host at once.
        self._next_turn: dict[str, float] = {}
        public_only = self.config.public_only
        hooks: dict[str, list[Callable[[httpx.Request], None]]] = {}
        if public_only and transport is None:
            transport = _CheckedTransport(_CheckedBackend(self.config, self._resolve))
        elif public_only:
            # httpx calls request hooks for every request it sends, redirects included.
            hooks["request"] = [self._refuse_private]
        self._client = httpx.Client(
            follow_redirects=True,
            max_redirects=self.config.max_redirects,
            timeout=httpx.Timeout(self.config.timeout),
            headers={"User-Agent": self.config.user_agent},
            transport=transport,
            event_hooks=hooks,
            # An environment proxy (HTTPS_PROXY, ...) would look the name up itself,
            # past the checked backend. httpx 0.28 already ignores them once given a
            # transport; this says so, and keeps it so if httpx ever changes that.
            trust_env=not public_only,
        )

    def _refuse_private(self, request: httpx.Request) -> None:
        """The check for an injected transport: resolve the request's host, refuse it
        unless every address is allowed."""
        host = request.url.host
        try:
            addresses = self._resolve(host)
        except OSError as exc:
            raise FetchError(f"cannot resolve {host} ({exc})", where=str(request.url)) \
                from None
        if refusal := _refusal(host, addresses, self.config):
            raise FetchError(refusal, where=str(request.url))

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def fetch(self, url: str) -> Response:
        """Fetch ``url`` politely, retrying transient failures; raise FetchError."""
        host = _host_of(url)
        attempt = 0
        while True:
            self._wait_turn(host)
            try:
                return self._get(url)
            except _Transient as transient:
                if attempt >= self.config.retries:
                    raise transient.error from None
                delay = self._backoff(attempt, transient.retry_after)
                logger.info("%s; retrying in %.1f s", transient.error, delay)
                self._sleep(delay)
                attempt += 1

    def _wait_turn(self, host: str) -> None:
        """Sleep until ``per_host_delay`` has passed since the last request to ``host``."""
        gap = self.config.per_host_delay
        if gap <= 0:
            return
        with self._lock:
            now = self._clock()
            turn = max(now, self._next_turn.get(host, now))
            self._next_turn[host] = turn + gap
        if turn > now:
            self._sleep(turn - now)

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        delay = self.config.backoff * 2.0**attempt
        if retry_after is not None:
            delay = max(delay, retry_after)
        return min(delay, self.config.max_backoff)

    def _get(self, url: str) -> Response:
        """One attempt: a streamed GET, refused as soon as the body is over the cap."""
        try:
            with self._client.stream("GET", url) as response:
                self._check_status(url, response)
                self._check_length(url, response)
                body = self._read_body(url, response)
                headers = {key.lower(): value for key, value in response.headers.items()}
                return Response(str(response.url), response.status_code, headers, body)
        except httpx.HTTPError as exc:
            raise _transport_error(url, exc, self.config.timeout) from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"malformed URL ({exc})", where=url) from None
        except _Refused as exc:
            raise FetchError(str(exc), where=url) from None

    def _check_status(self, url: str, response: httpx.Response) -> None:
        if response.status_code < 400:
            return
        error = _status_error(url, response.status_code, response.reason_phrase)
        if response.status_code in _RETRY_STATUSES:
            raise _Transient(error, _retry_after(response.headers))
        raise error

    def _check_length(self, url: str, response: httpx.Response) -> None:
        # Refuse before reading a byte when the server announces the size.
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.config.max_bytes:
            raise self._too_big(url, int(declared))

    def _read_body(self, url: str, response: httpx.Response) -> bytes:
        """Read the (decompressed) body, stopping at the size cap or the deadline."""
        # time.monotonic, not the injected clock: this bounds real network time,
        # so a server trickling bytes cannot hold a worker forever.
        deadline = time.monotonic() + self.config.timeout
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > self.config.max_bytes:
                raise self._too_big(url, None)
            if time.monotonic() > deadline:
                raise _Transient(FetchError(
                    f"timeout: body not received within {self.config.timeout:g} s", where=url
                ))
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, url: str, declared: int | None) -> FetchError:
        size = f" ({_size(declared)})" if declared is not None else ""
        return FetchError(
            f"response is over the {_size(self.config.max_bytes)} limit{size}; "
            "raise FetchConfig.max_bytes if this really is one article",
            where=url,
        )


class FakeFetcher:
    """A :class:`Fetcher` serving canned answers, for tests and dry runs.

    ``responses`` maps a URL to a :class:`Response` (a status >= 400 raises
    FetchError, as the real fetcher does) or to an exception to raise. Unknown URLs
    raise ``FetchError("HTTP 404 ...")``. Every requested URL is appended to
    ``requests``, in order.
    """

    def __init__(self, responses: Mapping[str, Response | Exception]) -> None:
        self.responses = dict(responses)
        self.requests: list[str] = []

    def fetch(self, url: str) -> Response:
        self.requests.append(url)
        answer = self.responses.get(url)
        if answer is None:
            raise FetchError("HTTP 404 Not Found (no fake response for this URL)",
                             where=url, status=404)
        if isinstance(answer, Exception):
            raise answer
        if answer.status >= 400:
            raise _status_error(url, answer.status)
        return answer
