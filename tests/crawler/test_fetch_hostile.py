"""The fetcher against hostile servers: stacked decompression bombs, unknown encodings,
DNS answers that change between the check and the connection, connect_to entries used
for other hosts, and servers that drip headers. Mock transports where the wire does not
matter; real loopback sockets where it does."""

from __future__ import annotations

import gzip
import resource
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator

import httpx
import pytest

from crawler.decode import MAX_LAYERS, TooLargeError, decode_stream
from crawler.fetch import BlockedError, FetchConfig, Fetcher, FetchError
from fuzz.hostile_site import MiB, gzip_bomb

HOST = "baolamdong.vn"
OTHER = "baohagiang.vn"


def _fetcher(handler: Callable[[httpx.Request], httpx.Response], **overrides: object) -> Fetcher:
    values: dict[str, object] = {
        "user_agent": "policyqa-test/1.0",
        "allowed_hosts": frozenset({HOST, OTHER}),
        "crawl_delay": 0.0,
        "max_attempts": 1,
        "obey_robots": False,
    }
    resolver = overrides.pop("resolver", lambda host: ["93.184.215.14"])
    values.update(overrides)
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return Fetcher(FetchConfig(**values), client, resolver=resolver)  # type: ignore[arg-type]


class _Wire(httpx.SyncByteStream):
    """A body that arrives as raw bytes, in pieces, like one read from a socket."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self._body), 4096):
            yield self._body[start : start + 4096]


def _raw(status: int, body: bytes, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, stream=_Wire(body))


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_two_layer_gzip_bomb_is_refused_within_the_page_budget() -> None:
    bomb = gzip_bomb(2, 1024 * MiB)  # 1 GiB of zeros in about a kilobyte
    assert len(bomb) < 10_000
    before = _peak_rss_mib()
    handler = lambda request: _raw(200, bomb, **{"Content-Encoding": "gzip, gzip"})  # noqa: E731
    with pytest.raises(BlockedError, match="larger than the limit"):
        _fetcher(handler, max_page_bytes=8_000_000).fetch(f"https://{HOST}/bomb")
    # Decoding stopped near the 8 MB budget instead of inflating a gigabyte.
    assert _peak_rss_mib() - before < 100


def test_every_layer_counts_against_the_budget_not_only_the_last() -> None:
    # The outer layer alone inflates to 5 MB of (already compressed) data.
    middle = gzip.compress(b"\0" * 100_000) + bytes(5_000_000)
    body = gzip.compress(middle)
    with pytest.raises(TooLargeError):
        b"".join(decode_stream([body], "gzip, gzip", 1_000_000))


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "gzip, gzip, gzip"])
def test_unrequested_encodings_and_too_many_layers_are_refused(encoding: str) -> None:
    handler = lambda request: _raw(200, b"\x1f\x8b whatever", **{"Content-Encoding": encoding})  # noqa: E731
    with pytest.raises(BlockedError):
        _fetcher(handler).fetch(f"https://{HOST}/odd")
    assert MAX_LAYERS < 3


def test_corrupt_and_truncated_streams_are_refused_not_crashes() -> None:
    good = gzip.compress(b"<html>" + b"x" * 10_000)
    for body in (good[:40], b"\x1f\x8b\x08\x00garbage" * 10):
        handler = lambda request, body=body: _raw(200, body, **{"Content-Encoding": "gzip"})  # noqa: E731
        with pytest.raises(FetchError):
            _fetcher(handler).fetch(f"https://{HOST}/broken")


def test_normal_encodings_still_decode() -> None:
    page = "<html><body>Lâm Đồng</body></html>".encode()
    cases = {
        "gzip": gzip.compress(page),
        "deflate": zlib.compress(page),
        "identity": page,
        "gzip, identity": gzip.compress(page),
    }
    for encoding, body in cases.items():
        handler = lambda request, e=encoding, b=body: _raw(200, b, **{"Content-Encoding": e})  # noqa: E731
        assert _fetcher(handler).fetch(f"https://{HOST}/ok").content == page, encoding


@pytest.mark.parametrize(
    "location", ["javascript:alert(1)", "http://[::1:bad/", "file:///etc/passwd", "//"]
)
def test_an_unusable_redirect_is_a_failed_page_not_a_crash(location: str) -> None:
    handler = lambda request: httpx.Response(302, headers={"Location": location})  # noqa: E731
    with pytest.raises(FetchError):  # refused or failed, and the crawl goes on
        _fetcher(handler).fetch(f"https://{HOST}/moved")


def test_accept_encoding_names_only_what_can_be_decoded() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="ok")

    _fetcher(handler).fetch(f"https://{HOST}/")
    assert seen[0].headers["accept-encoding"] == "gzip, deflate"


def test_a_connect_to_entry_does_not_open_loopback_to_other_hosts() -> None:
    handler = lambda request: httpx.Response(200, text="secret")  # noqa: E731
    fetcher = _fetcher(
        handler,
        connect_to={HOST: "127.0.0.1:8765"},
        resolver=lambda host: ["127.0.0.1"],  # OTHER's DNS now points at loopback
    )
    assert fetcher.fetch(f"https://{HOST}/").status == 200
    with pytest.raises(BlockedError, match="non-public address 127.0.0.1"):
        fetcher.fetch(f"https://{OTHER}/")


def test_the_address_check_is_not_cached_across_requests() -> None:
    answers = iter([["93.184.215.14"], ["169.254.169.254"]])
    handler = lambda request: httpx.Response(200, text="ok")  # noqa: E731
    fetcher = _fetcher(handler, resolver=lambda host: next(answers))
    assert fetcher.fetch(f"https://{HOST}/one").status == 200
    with pytest.raises(BlockedError, match="169.254.169.254"):
        fetcher.fetch(f"https://{HOST}/two")


def test_a_proxy_does_not_switch_the_address_check_off() -> None:
    handler = lambda request: httpx.Response(200, text="ok")  # noqa: E731

    def unresolvable(host: str) -> list[str]:
        raise OSError("no such name")

    private = _fetcher(handler, proxy="http://proxy.invalid:3128", resolver=lambda h: ["10.1.2.3"])
    with pytest.raises(BlockedError, match="non-public"):
        private.fetch(f"https://{HOST}/")
    unknown = _fetcher(handler, proxy="http://proxy.invalid:3128", resolver=unresolvable)
    with pytest.raises(FetchError, match="cannot resolve"):
        unknown.fetch(f"https://{HOST}/")


# -- real sockets --------------------------------------------------------------------------


class _Server:
    """A loopback TCP server running `serve(connection)` for each connection."""

    def __init__(self, serve: Callable[[socket.socket], None]) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._serve = serve
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.recv(65536)
                self._serve(connection)
            except OSError:
                pass

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def server() -> Iterator[Callable[[Callable[[socket.socket], None]], _Server]]:
    servers: list[_Server] = []

    def start(serve: Callable[[socket.socket], None]) -> _Server:
        servers.append(_Server(serve))
        return servers[-1]

    yield start
    for item in servers:
        item.close()


def _ok(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(server) -> None:  # type: ignore[no-untyped-def]
    """DNS rebinding: the check saw an allowed address; the connection must use it, not
    whatever the system resolver answers a moment later."""
    pinned = server(_ok)
    config = FetchConfig(
        user_agent="policyqa-test/1.0",
        allowed_hosts=frozenset({"rebind.invalid"}),
        crawl_delay=0.0,
        max_attempts=1,
        obey_robots=False,
        allowed_private=frozenset({"rebind.invalid"}),
    )
    # "rebind.invalid" has no system DNS answer at all: only the checked address works.
    with Fetcher(config, resolver=lambda host: ["127.0.0.1"]) as fetcher:
        result = fetcher.fetch(f"http://rebind.invalid:{pinned.port}/")
    assert (result.status, result.content, pinned.accepted) == (200, b"ok", 1)


def test_a_server_dripping_headers_is_cut_off_at_the_deadline(server) -> None:  # type: ignore[no-untyped-def]
    def drip(connection: socket.socket) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\n")
        for _ in range(200):
            connection.sendall(b"X-Slow: a\r\n")
            time.sleep(0.1)  # always faster than the read timeout

    slow = server(drip)
    config = FetchConfig(
        user_agent="policyqa-test/1.0",
        allowed_hosts=frozenset({HOST}),
        crawl_delay=0.0,
        max_attempts=1,
        obey_robots=False,
        timeout=0.5,
        connect_to={HOST: f"127.0.0.1:{slow.port}"},
    )
    started = time.monotonic()
    with Fetcher(config) as fetcher, pytest.raises(FetchError):
        fetcher.fetch(f"http://{HOST}/")
    assert time.monotonic() - started < 5  # 3 x timeout, not 200 x 0.1 s
