"""The fetcher: robots.txt, politeness, retries, conditional GET, redirects, SSRF guard,
size limit and the connect_to transport, against httpx.MockTransport."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator

import httpx
import pytest

from crawler.fetch import BlockedError, ConnectToTransport, FetchConfig, Fetcher, FetchError

HOST = "baolamdong.vn"
ROBOTS = "User-agent: *\nDisallow: /tim-kiem\nCrawl-delay: 2\n"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_fetcher(
    handler: Callable[[httpx.Request], httpx.Response],
    *,
    clock: FakeClock | None = None,
    resolver: Callable[[str], list[str]] | None = None,
    **overrides: object,
) -> Fetcher:
    values: dict[str, object] = {
        "user_agent": "policyqa-crawler/0.1 (+https://example.org)",
        "allowed_hosts": frozenset({HOST, f"www.{HOST}"}),
        "crawl_delay": 0.0,
        "max_attempts": 3,
        "backoff_base": 0.01,
    }
    values.update(overrides)
    clock = clock or FakeClock()
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return Fetcher(
        FetchConfig(**values),  # type: ignore[arg-type]
        client,
        clock=clock,
        sleep=clock.sleep,
        resolver=resolver or (lambda host: ["93.184.215.14"]),
    )


def site(
    pages: dict[str, httpx.Response], log: list[httpx.Request] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        if log is not None:
            log.append(request)
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text=ROBOTS)
        return pages.get(request.url.path, httpx.Response(404))

    return handler


def test_robots_disallowed_pages_are_never_requested() -> None:
    log: list[httpx.Request] = []
    fetcher = make_fetcher(site({}, log))
    with pytest.raises(BlockedError, match="robots.txt disallows"):
        fetcher.fetch(f"https://{HOST}/tim-kiem/abc")
    assert [r.url.path for r in log] == ["/robots.txt"]


def test_robots_crawl_delay_spaces_requests_to_one_host() -> None:
    clock = FakeClock()
    started: list[float] = []
    ok = httpx.Response(200, text="<html>ok</html>")
    pages = site({"/a": ok, "/b": ok, "/c": ok})

    def timed(request: httpx.Request) -> httpx.Response:
        if request.url.path != "/robots.txt":
            started.append(clock.now)
        return pages(request)

    fetcher = make_fetcher(timed, clock=clock, crawl_delay=1.0)
    for path in ("/a", "/b", "/c"):
        fetcher.fetch(f"https://{HOST}{path}")
    # robots.txt Crawl-delay (2 s) beats the configured 1 s
    assert [later - earlier for earlier, later in zip(started, started[1:], strict=False)] == [
        2.0,
        2.0,
    ]


def test_descriptive_user_agent_is_sent() -> None:
    log: list[httpx.Request] = []
    fetcher = make_fetcher(site({"/a": httpx.Response(200)}, log))
    fetcher.fetch(f"https://{HOST}/a")
    assert log[-1].headers["user-agent"].startswith("policyqa-crawler/")


def test_server_errors_and_resets_are_retried_honouring_retry_after() -> None:
    clock = FakeClock()
    answers: Iterator[httpx.Response | Exception] = iter(
        [
            httpx.Response(503, headers={"Retry-After": "7"}),
            httpx.ReadError("connection reset by peer"),
            httpx.Response(500),
            httpx.Response(200, text="finally"),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    fetcher = make_fetcher(handler, clock=clock, max_attempts=4)
    result = fetcher.fetch(f"https://{HOST}/a")
    assert result.content == b"finally"
    assert 7.0 in clock.sleeps  # waited as the server asked


def test_exhausted_retries_raise_a_transient_error() -> None:
    fetcher = make_fetcher(site({"/a": httpx.Response(502)}), max_attempts=2)
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"https://{HOST}/a")
    assert caught.value.transient and caught.value.status == 502


def test_a_long_retry_after_is_left_for_a_later_run_instead_of_slept_through() -> None:
    clock = FakeClock()
    fetcher = make_fetcher(
        site({"/a": httpx.Response(429, headers={"Retry-After": "3600"})}), clock=clock
    )
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"https://{HOST}/a")
    assert caught.value.retry_after == 3600 and 3600 not in clock.sleeps


def test_conditional_get_sends_validators_and_reports_not_modified() -> None:
    log: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        log.append(request)
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, headers={"ETag": '"v1"'}, text="page")

    fetcher = make_fetcher(handler, obey_robots=False)
    first = fetcher.fetch(f"https://{HOST}/a")
    second = fetcher.fetch(
        f"https://{HOST}/a", etag=first.etag, last_modified="Mon, 17 Mar 2025 07:34:00 GMT"
    )
    assert first.status == 200 and second.not_modified
    assert log[-1].headers["if-modified-since"] == "Mon, 17 Mar 2025 07:34:00 GMT"


def test_redirects_are_followed_within_the_site_and_limited() -> None:
    pages = {
        "/old": httpx.Response(301, headers={"Location": f"https://www.{HOST}/new"}),
        "/new": httpx.Response(200, text="moved"),
        "/loop": httpx.Response(302, headers={"Location": "/loop2"}),
        "/loop2": httpx.Response(302, headers={"Location": "/loop"}),
        "/away": httpx.Response(308, headers={"Location": "https://evil.example.com/"}),
    }
    fetcher = make_fetcher(site(pages), max_redirects=3)
    result = fetcher.fetch(f"https://{HOST}/old")
    assert (result.final_url, result.content) == (f"https://www.{HOST}/new", b"moved")
    with pytest.raises(BlockedError, match="more than 3 redirects"):
        fetcher.fetch(f"https://{HOST}/loop")
    with pytest.raises(BlockedError, match="not a configured site"):
        fetcher.fetch(f"https://{HOST}/away")


def test_private_and_loopback_addresses_are_refused_unless_configured() -> None:
    handler = site({"/a": httpx.Response(200)})
    internal = make_fetcher(handler, resolver=lambda host: ["10.0.0.5"])
    with pytest.raises(BlockedError, match="non-public address 10.0.0.5"):
        internal.fetch(f"https://{HOST}/a")
    loopback = make_fetcher(handler, resolver=lambda host: ["::1"])
    with pytest.raises(BlockedError, match="non-public"):
        loopback.fetch(f"https://{HOST}/a")
    allowed = make_fetcher(
        handler, resolver=lambda host: ["127.0.0.1"], allowed_private=frozenset({HOST})
    )
    assert allowed.fetch(f"https://{HOST}/a").status == 200
    literal = make_fetcher(handler)
    with pytest.raises(BlockedError, match="not a configured site"):
        literal.fetch("http://169.254.169.254/latest/meta-data/")


def test_pages_over_the_size_limit_are_refused_even_when_gzipped() -> None:
    big = gzip.compress(b"x" * 5000)
    pages = {
        "/declared": httpx.Response(200, headers={"Content-Length": "999999"}, content=b""),
        "/gzipped": httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=big),
    }
    fetcher = make_fetcher(site(pages), max_page_bytes=1000)
    with pytest.raises(BlockedError, match="over the limit"):
        fetcher.fetch(f"https://{HOST}/declared")
    with pytest.raises(BlockedError, match="larger than the limit"):
        fetcher.fetch(f"https://{HOST}/gzipped")


def test_connect_to_sends_the_real_host_header_to_the_mapped_address() -> None:
    seen: list[httpx.Request] = []

    def inner(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="mirror")

    client = httpx.Client(
        mounts={f"all://{HOST}": ConnectToTransport("127.0.0.1:8765", httpx.MockTransport(inner))}
    )
    response = client.get(f"https://{HOST}/xa-hoi/")
    assert response.text == "mirror"
    assert (str(seen[0].url), seen[0].headers["host"]) == ("http://127.0.0.1:8765/xa-hoi/", HOST)
