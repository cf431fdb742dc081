"""Fetching pages politely: the network side of the crawler (extraction is elsewhere).

One `Fetcher` per crawl run wraps an `httpx.Client` (passed in, so tests can hand it a
mock transport) and adds what a polite, safe crawler needs:

- robots.txt per host (protego), including Crawl-delay;
- one request at a time per host, a delay between the end of one response and the next
  request to that host, and a global limit on requests in flight;
- retries with exponential backoff on 429/5xx, timeouts and connection resets, honouring
  Retry-After (a wait longer than `max_retry_wait` is not slept through: the page is
  left for a later run);
- conditional GET (ETag / Last-Modified);
- redirects followed by hand, at most `max_redirects`, each hop checked again;
- only configured hosts are fetched, and never private, loopback or link-local
  addresses unless the sources file names that host (`connect_to`, or a literal address
  as a site); the address that was checked is the one connected to (no second lookup a
  rebinding DNS server could answer differently), and the check runs on every hop;
- a maximum page size, enforced on the wire and on the output of every Content-Encoding
  layer while reading (see `crawler.decode`), and a deadline for the whole response, so
  a decompression bomb or a server dripping bytes costs a bounded amount of memory and time.

`build_client` makes the client: a descriptive User-Agent, timeouts, HTTP_PROXY /
HTTPS_PROXY / NO_PROXY from the environment or an explicit proxy (`proxy_for`), and the `connect_to`
mapping (plain HTTP to a given address while sending the real Host header).
"""

from __future__ import annotations

import ipaddress
import logging
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import httpcore
import httpx
from protego import Protego
from tenacity import RetryCallState, Retrying, stop_after_attempt
from tenacity.stop import stop_base

from crawler.decode import ACCEPT_ENCODING, DecodeError, TooLargeError, decode_stream
from crawler.errors import CrawlerError

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECT_STATUSES = frozenset({301, 308})
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class FetchError(CrawlerError):
    """A page could not be fetched. `transient` errors are retried (now or next run)."""

    def __init__(
        self,
        message: str,
        *,
        url: str,
        transient: bool,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.transient = transient
        self.status = status
        self.retry_after = retry_after


class BlockedError(FetchError):
    """A fetch this crawler refuses to make: robots.txt, an unconfigured host, a private
    address, a page too large. Never retried."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message, url=url, transient=False, status=status)


@dataclass(frozen=True)
class FetchConfig:
    user_agent: str
    allowed_hosts: frozenset[str]
    crawl_delay: float = 1.0
    concurrency: int = 4
    timeout: float = 20.0
    max_page_bytes: int = 8_000_000
    max_redirects: int = 5
    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_retry_wait: float = 60.0
    proxy: str | None = None
    connect_to: Mapping[str, str] = field(default_factory=dict)
    # Hosts (each one by name) that may resolve to private/loopback addresses: sites
    # whose host is a literal address. connect_to hosts are exempt by their own entry.
    allowed_private: frozenset[str] = frozenset()
    obey_robots: bool = True

    @property
    def robots_agent(self) -> str:
        """The product token robots.txt groups are matched against."""
        return self.user_agent.split("/", 1)[0].split()[0]


@dataclass
class FetchResult:
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    headers: httpx.Headers
    content: bytes = b""
    redirects: list[str] = field(default_factory=list)
    redirect_statuses: list[int] = field(default_factory=list)  # one per entry of `redirects`

    @property
    def moved_permanently(self) -> bool:
        """Every redirect from the requested URL was permanent (301/308)."""
        return bool(self.redirect_statuses) and all(
            status in PERMANENT_REDIRECT_STATUSES for status in self.redirect_statuses
        )

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def header(self, name: str) -> str | None:
        value: str | None = self.headers.get(name)
        return value

    @property
    def content_type(self) -> str | None:
        return self.header("content-type")

    @property
    def etag(self) -> str | None:
        return self.header("etag")

    @property
    def last_modified(self) -> str | None:
        return self.header("last-modified")


class _RequestGuard(threading.local):
    """What the fetching thread's current request may do: the address its host was
    checked to resolve to, and when it must be finished (monotonic seconds)."""

    pin: tuple[str, str] | None = None
    deadline: float | None = None


_guard = _RequestGuard()
_DEFAULT_LIMITS = httpx.Limits()


class _GuardedStream(httpcore.NetworkStream):
    """A connection whose reads and writes all end by the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    @staticmethod
    def _within_deadline(timeout: float | None) -> float | None:
        if _guard.deadline is None:
            return timeout
        left = _guard.deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the response took longer than the fetch deadline")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._within_deadline(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._within_deadline(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._within_deadline(timeout))
        return _GuardedStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """Connects to the address the fetcher checked for the host (DNS pinning) and bounds
    every read by the request's deadline."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        pin = _guard.pin
        if pin is not None and pin[0] == host.lower():
            host = pin[1]
        stream = super().connect_tcp(host, port, timeout, local_address, socket_options)
        return _GuardedStream(stream)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over `_GuardedBackend`. httpx takes no network backend, so the
    connection pool it built is replaced by an equivalent one that has it."""

    def __init__(self, *, limits: httpx.Limits = _DEFAULT_LIMITS, verify: bool = True) -> None:
        super().__init__(limits=limits, verify=verify)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_GuardedBackend(),
        )


def proxy_for(url: httpx.URL | str, explicit: str | None) -> str | None:
    """The proxy a request to `url` goes through: the explicit one, else HTTP_PROXY /
    HTTPS_PROXY / ALL_PROXY from the environment unless NO_PROXY names the host."""
    if explicit:
        return explicit
    url = httpx.URL(url)
    proxies = getproxies()
    chosen = proxies.get(url.scheme) or proxies.get("all")
    return chosen if chosen and not proxy_bypass(url.host) else None


class RoutingTransport(httpx.BaseTransport):
    """Direct requests over `GuardedTransport`, proxied ones over a proxy transport, with
    the same proxy rule the address check uses (`proxy_for`)."""

    def __init__(self, limits: httpx.Limits, proxy: str | None) -> None:
        self._limits = limits
        self._proxy = proxy
        self._direct = GuardedTransport(limits=limits)
        self._proxied: dict[str, httpx.HTTPTransport] = {}
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        proxy = proxy_for(request.url, self._proxy)
        if proxy is None:
            return self._direct.handle_request(request)
        with self._lock:
            transport = self._proxied.get(proxy)
            if transport is None:
                transport = httpx.HTTPTransport(limits=self._limits, proxy=proxy)
                self._proxied[proxy] = transport
        return transport.handle_request(request)

    def close(self) -> None:
        self._direct.close()
        for transport in self._proxied.values():
            transport.close()


class ConnectToTransport(httpx.BaseTransport):
    """Send requests for a host to another address over plain HTTP, keeping the Host
    header (and every URL the crawler sees) as the real one. For local mirrors and tests."""

    def __init__(self, address: str, inner: httpx.BaseTransport | None = None) -> None:
        host, _, port = address.rpartition(":")
        self._host = host.strip("[]")
        self._port = int(port)
        self._inner = inner or GuardedTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", host=self._host, port=self._port)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def build_client(config: FetchConfig) -> httpx.Client:
    """An httpx client for crawling (proxies from the environment unless `config.proxy`)."""
    limits = httpx.Limits(
        max_connections=max(config.concurrency * 2, 4),
        max_keepalive_connections=max(config.concurrency, 2),
    )
    mounts: dict[str, httpx.BaseTransport | None] = {
        f"all://{host}": ConnectToTransport(address, GuardedTransport(limits=limits))
        for host, address in config.connect_to.items()
    }
    return httpx.Client(
        headers={
            "User-Agent": config.user_agent,
            "Accept-Language": "vi,en;q=0.8,*;q=0.5",
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        timeout=httpx.Timeout(config.timeout, connect=min(config.timeout, 10.0)),
        follow_redirects=False,
        mounts=mounts,
        transport=RoutingTransport(limits, config.proxy),
        limits=limits,
    )


Validators = Callable[[str], tuple[str | None, str | None]]


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _StopOnLongWait(stop_base):
    """Stop retrying when the server asks for a longer wait than we sleep through in a run."""

    def __init__(self, limit: float) -> None:
        self.limit = limit

    def __call__(self, retry_state: RetryCallState) -> bool:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        retry_after = getattr(error, "retry_after", None)
        return retry_after is not None and retry_after > self.limit


class _HostGate:
    """Per-host pacing: one request at a time to a host, and `delay` seconds from the end
    of one response to the start of the next (so slow answers slow the crawler down)."""

    def __init__(self, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._clock = clock
        self._sleep = sleep
        self._changed = threading.Condition()
        self._next_free: dict[str, float] = {}
        self._busy: set[str] = set()

    def acquire(self, host: str) -> None:
        while True:
            with self._changed:
                while host in self._busy:
                    self._changed.wait()
                now = self._clock()
                free_at = self._next_free.get(host, now)
                if now >= free_at:
                    self._busy.add(host)
                    return
            self._sleep(free_at - now)

    def release(self, host: str, delay: float) -> None:
        with self._changed:
            self._busy.discard(host)
            until = self._clock() + delay
            self._next_free[host] = max(self._next_free.get(host, until), until)
            self._changed.notify_all()

    def push_back(self, host: str, seconds: float) -> None:
        """The host asked us to slow down (429/503 with Retry-After)."""
        with self._changed:
            until = self._clock() + seconds
            self._next_free[host] = max(self._next_free.get(host, until), until)


class Fetcher:
    """Polite, bounded fetching for one crawl run. Safe to use from several threads."""

    def __init__(
        self,
        config: FetchConfig,
        client: httpx.Client | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        resolver: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.config = config
        self._own_client = client is None
        self.client = client if client is not None else build_client(config)
        self._clock = clock
        self._sleep = sleep
        self._resolve = resolver or _resolve_host
        self._gate = _HostGate(clock, sleep)
        self._slots = threading.BoundedSemaphore(max(1, config.concurrency))
        self._robots: dict[str, Protego | None] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self.requests_made = 0

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- checks ----------------------------------------------------------------------

    def _check_host(self, url: str) -> tuple[str, str | None]:
        """The URL's host and the address to connect to (None: connect_to or a proxy
        decides), or a BlockedError."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            raise BlockedError(f"not an http(s) URL: {url}", url=url)
        if host not in self.config.allowed_hosts:
            raise BlockedError(
                f"{host} is not a configured site (add it to the sources file to crawl it): {url}",
                url=url,
            )
        return host, self._check_address(host, url)

    def _check_address(self, host: str, url: str) -> str | None:
        """Refuse private, loopback and link-local targets (SSRF) unless the sources file
        names this very host; return the checked address the request must connect to.

        Resolved on every request, never cached: a name that changes its answer between
        requests is checked each time, and the connection goes to the checked address."""
        if host in self.config.connect_to:
            return None  # the sources file sends this host to a fixed address
        try:
            addresses = self._resolve(host)
        except OSError as error:
            raise FetchError(f"cannot resolve {host}: {error}", url=url, transient=True) from error
        if not addresses:
            raise FetchError(f"{host} has no address", url=url, transient=True)
        if host not in self.config.allowed_private:
            for address in addresses:
                if not _is_public_address(address):
                    raise BlockedError(
                        f"{host} resolves to the non-public address {address}; refusing to "
                        "fetch (name it under [network] connect_to in the sources file if "
                        "this is intended)",
                        url=url,
                    )
        # Through a proxy the proxy connects; the check above still had to pass.
        return None if self._proxied(url, host) else addresses[0]

    def _proxied(self, url: str, host: str) -> bool:
        """Whether requests to `url` go through a proxy (explicit, or from the environment)."""
        return proxy_for(url, self.config.proxy) is not None

    # -- robots.txt ------------------------------------------------------------------

    def robots(self, url: str) -> Protego | None:
        """The parsed robots.txt for the URL's origin (None: no rules, everything allowed)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            if origin in self._robots:
                return self._robots[origin]
            origin_lock = self._robots_locks.setdefault(origin, threading.Lock())
        with origin_lock:
            with self._lock:
                if origin in self._robots:
                    return self._robots[origin]
            rules = self._load_robots(origin)
            with self._lock:
                self._robots[origin] = rules
            return rules

    def _load_robots(self, origin: str) -> Protego | None:
        robots_url = f"{origin}/robots.txt"
        try:
            result = self._fetch_following(robots_url, conditional={}, check_robots=False)
        except BlockedError:
            return None
        except FetchError as error:
            # RFC 9309: an unreachable robots.txt means "assume everything is disallowed".
            raise FetchError(
                f"robots.txt of {origin} is unavailable ({error}); the site is retried next run",
                url=robots_url,
                transient=True,
                status=error.status,
                retry_after=error.retry_after,
            ) from error
        if result.status >= 500:
            raise FetchError(
                f"robots.txt of {origin} answered {result.status}; the site is retried next run",
                url=robots_url,
                transient=True,
                status=result.status,
            )
        if not result.ok:
            return None  # 4xx: no rules
        text = result.content.decode("utf-8", "replace")
        return Protego.parse(text)

    def crawl_delay_for(self, url: str) -> float:
        """The delay between requests to this URL's host: settings, or robots.txt if larger."""
        delay = self.config.crawl_delay
        if self.config.obey_robots:
            rules = self.robots(url)
            robots_delay = rules.crawl_delay(self.config.robots_agent) if rules else None
            if robots_delay:
                delay = max(delay, float(robots_delay))
        return delay

    def robots_sitemaps(self, url: str) -> list[str]:
        """The Sitemap: lines of the robots.txt for the URL's origin."""
        rules = self.robots(url)
        return list(rules.sitemaps) if rules else []

    def allowed_by_robots(self, url: str) -> bool:
        if not self.config.obey_robots:
            return True
        rules = self.robots(url)
        return rules is None or bool(rules.can_fetch(url, self.config.robots_agent))

    # -- fetching --------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        validators: Validators | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET `url` politely, with retries, following redirects on configured hosts.

        The request is conditional when `etag`/`last_modified` are given; `validators`
        supplies them for the URLs redirects lead to. Returns the final response (2xx,
        304 or a non-retryable 4xx). Raises BlockedError for a fetch it refuses and
        FetchError when retries are exhausted.
        """
        first = _conditional_headers(etag, last_modified)
        return self._fetch_following(
            url, conditional=first, check_robots=True, validators=validators, max_bytes=max_bytes
        )

    def _fetch_following(
        self,
        url: str,
        *,
        conditional: dict[str, str],
        check_robots: bool,
        validators: Validators | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        current = url
        redirects: list[str] = []
        redirect_statuses: list[int] = []
        headers = dict(conditional)
        while True:
            host, address = self._check_host(current)
            if check_robots and not self.allowed_by_robots(current):
                raise BlockedError(f"robots.txt disallows {current}", url=current)
            delay = self.crawl_delay_for(current) if check_robots else self.config.crawl_delay
            response = self._get_with_retries(current, host, address, delay, headers, max_bytes)
            if response.status in REDIRECT_STATUSES and response.headers.get("location"):
                if len(redirects) >= self.config.max_redirects:
                    raise BlockedError(
                        f"more than {self.config.max_redirects} redirects starting at {url}",
                        url=url,
                        status=response.status,
                    )
                target = str(httpx.URL(current).join(response.headers["location"]))
                redirects.append(current)
                redirect_statuses.append(response.status)
                logger.debug("%s redirects (%s) to %s", current, response.status, target)
                current = target.split("#", 1)[0]
                headers = _conditional_headers(*validators(current)) if validators else {}
                continue
            response.url = url
            response.final_url = current
            response.redirects = redirects
            response.redirect_statuses = redirect_statuses
            return response

    def _get_with_retries(
        self,
        url: str,
        host: str,
        address: str | None,
        delay: float,
        headers: dict[str, str],
        max_bytes: int | None,
    ) -> FetchResult:
        retrying = Retrying(
            stop=stop_after_attempt(self.config.max_attempts)
            | _StopOnLongWait(self.config.max_retry_wait),
            wait=self._wait,
            retry=self._is_transient,
            sleep=self._sleep,
            reraise=True,
            before_sleep=self._log_retry,
        )
        return retrying(self._get_once, url, host, address, delay, headers, max_bytes)

    @staticmethod
    def _is_transient(retry_state: RetryCallState) -> bool:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        return isinstance(error, FetchError) and error.transient

    def _wait(self, retry_state: RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            return float(retry_after)
        exponential = self.config.backoff_base * 2 ** (retry_state.attempt_number - 1)
        return float(min(self.config.backoff_max, exponential) * (0.5 + random.random() / 2))

    @staticmethod
    def _log_retry(retry_state: RetryCallState) -> None:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        wait = retry_state.next_action.sleep if retry_state.next_action else 0.0
        logger.info("retrying in %.1fs (attempt %s): %s", wait, retry_state.attempt_number, error)

    def _get_once(
        self,
        url: str,
        host: str,
        address: str | None,
        delay: float,
        headers: dict[str, str],
        max_bytes: int | None,
    ) -> FetchResult:
        self._gate.acquire(host)
        try:
            return self._request(url, host, address, headers, max_bytes)
        finally:
            self._gate.release(host, delay)

    def _request(
        self,
        url: str,
        host: str,
        address: str | None,
        headers: dict[str, str],
        max_bytes: int | None,
    ) -> FetchResult:
        limit = max_bytes or self.config.max_page_bytes
        with self._slots:
            with self._lock:
                self.requests_made += 1
            started = self._clock()
            raw_host = httpx.URL(url).raw_host.decode("ascii").lower()  # as httpcore sees it
            _guard.pin = (raw_host, address) if address else None
            _guard.deadline = time.monotonic() + self.config.timeout * 3
            try:
                request_headers = {
                    "User-Agent": self.config.user_agent,
                    "Accept-Encoding": ACCEPT_ENCODING,
                    **headers,
                }
                with self.client.stream("GET", url, headers=request_headers) as response:
                    status = response.status_code
                    if status in RETRY_STATUSES or status >= 500:
                        retry_after = parse_retry_after(response.headers.get("retry-after"))
                        if retry_after is not None:
                            self._gate.push_back(host, retry_after)
                        raise FetchError(
                            f"{url} answered {status}",
                            url=url,
                            transient=True,
                            status=status,
                            retry_after=retry_after,
                        )
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > limit:
                        raise BlockedError(
                            f"{url} is {declared} bytes, over the limit of {limit} "
                            "(raise POLICYQA_MAX_PAGE_BYTES to fetch it)",
                            url=url,
                            status=status,
                        )
                    body = bytearray()
                    if status < 300:
                        for chunk in self._decoded(response, url, limit):
                            body.extend(chunk)
                            if self._clock() - started > self.config.timeout * 3:
                                raise FetchError(
                                    f"{url} is sending too slowly (over {self.config.timeout * 3:.0f}s)",
                                    url=url,
                                    transient=True,
                                )
                    return FetchResult(
                        url=url,
                        final_url=url,
                        status=status,
                        headers=response.headers,
                        content=bytes(body),
                    )
            except httpx.TimeoutException as error:
                raise FetchError(f"{url} timed out: {error!r}", url=url, transient=True) from error
            except DecodeError as error:
                raise BlockedError(f"{url}: {error}", url=url) from error
            except httpx.InvalidURL as error:
                # httpx parses a redirect's Location even when not following it: a
                # `javascript:` or malformed one is a refused page, not a crashed crawl.
                raise BlockedError(f"{url}: unusable redirect ({error})", url=url) from error
            except httpx.RequestError as error:
                # Connection refused or reset, protocol errors.
                raise FetchError(f"{url} failed: {error!r}", url=url, transient=True) from error
            finally:
                _guard.pin = None
                _guard.deadline = None

    @staticmethod
    def _decoded(response: httpx.Response, url: str, limit: int) -> Iterator[bytes]:
        """The body, decoded within the byte budget (raw bytes: httpx must not decode)."""
        if response.is_stream_consumed:
            # An in-memory response (a mock transport) arrives decoded already.
            raw, encoding = iter([response.content]), None
        else:
            raw, encoding = response.iter_raw(), response.headers.get("content-encoding")
        try:
            yield from decode_stream(raw, encoding, limit)
        except TooLargeError as error:
            raise BlockedError(
                f"{url} is larger than the limit of {limit} bytes ({error}; "
                "raise POLICYQA_MAX_PAGE_BYTES to fetch it)",
                url=url,
                status=response.status_code,
            ) from error


def retry_time(error: FetchError, *, now: datetime | None = None) -> datetime | None:
    """When a page that failed in this run may be tried again: after the server's
    Retry-After when it gave one, else on the next run (None)."""
    if error.retry_after is None:
        return None
    return (now or datetime.now(UTC)) + timedelta(seconds=error.retry_after)


def _resolve_host(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})
