"""The loopback server: routing by Host header and by path prefix, validators, faults."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from demo.serve import make_server
from demo.site import Tree


def get(base: str, path: str, host: str | None = None, **headers: str) -> http.client.HTTPResponse:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=5)
    if host:
        headers["Host"] = host
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


HEX_PATH = "/thoi-su-chinh-tri/202504/ubnd-tinh-giao-nhiem-vu-trong-tam-quy-ii-2025-7d2c9a4/"


def test_host_header_and_prefix_serve_the_same_page(demo_server: str) -> None:
    by_host = get(demo_server, HEX_PATH, "baohagiang.vn")
    by_alias = get(demo_server, HEX_PATH, "www.baohagiang.vn")
    by_prefix = get(demo_server, "/baohagiang.vn" + HEX_PATH)
    assert by_host.status == by_alias.status == by_prefix.status == 200
    assert by_host.body == by_alias.body == by_prefix.body  # type: ignore[attr-defined]
    assert by_host.getheader("Content-Type") == "text/html; charset=utf-8"
    assert "UBND tỉnh giao nhiệm vụ" in by_host.body.decode()  # type: ignore[attr-defined]


def test_content_types(demo_server: str) -> None:
    assert (
        get(demo_server, "/robots.txt", "baolamdong.vn").getheader("Content-Type")
        == "text/plain; charset=utf-8"
    )
    assert (
        get(demo_server, "/sitemap.xml", "www.vietnam.vn")
        .getheader("Content-Type")
        .startswith("application/xml")
    )
    legacy = get(
        demo_server,
        "/thoi-su-chinh-tri/202404/trien-khai-nhiem-vu-quy-ii-2024-1f6b8e3/",
        "baohagiang.vn",
    )
    assert legacy.status == 200 and legacy.getheader("Content-Type") == "text/html"


def test_conditional_get(demo_server: str) -> None:
    first = get(demo_server, "/rss/home.rss", "baohungyen.vn")
    etag, modified = first.getheader("ETag"), first.getheader("Last-Modified")
    assert etag and modified
    assert (
        get(demo_server, "/rss/home.rss", "baohungyen.vn", **{"If-None-Match": etag}).status == 304
    )
    assert (
        get(demo_server, "/rss/home.rss", "baohungyen.vn", **{"If-Modified-Since": modified}).status
        == 304
    )
    assert (
        get(demo_server, "/rss/home.rss", "baohungyen.vn", **{"If-None-Match": '"other"'}).status
        == 200
    )


def test_not_found_redirects_and_queries(demo_server: str) -> None:
    assert get(demo_server, "/no-such-page", "baolamdong.vn").status == 404
    assert get(demo_server, "/no-such-host.vn/").status == 404
    moved = get(demo_server, "/en/x", "vietnam.vn")
    assert moved.status == 301 and moved.getheader("Location") == "https://www.vietnam.vn/en/x"
    slash = get(demo_server, HEX_PATH.rstrip("/"), "baohagiang.vn")
    assert slash.status == 301 and slash.getheader("Location") == f"https://baohagiang.vn{HEX_PATH}"
    tracked = get(demo_server, HEX_PATH + "?utm_source=zalo", "baohagiang.vn")
    assert tracked.status == 200
    assert get(demo_server, "/").status == 200


def test_fault_injection_is_repeatable(built_site: tuple[Path, Tree]) -> None:
    import threading

    def statuses() -> list[int]:
        server = make_server(built_site[0], port=0, error_rate=0.5, seed=7)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            result = [get(base, "/sitemap.xml", "baohagiang.vn").status for _ in range(12)]
            assert get(base, "/robots.txt", "baohagiang.vn").status == 200
            return result
        finally:
            server.shutdown()
            server.server_close()

    first = statuses()
    assert first == statuses()
    assert 200 in first and set(first) - {200} <= {500, 502, 503} and set(first) != {200}


def test_refuses_non_loopback(built_site: tuple[Path, Tree]) -> None:
    with pytest.raises(ValueError):
        make_server(built_site[0], host="0.0.0.0", port=0)


def test_command_line_starts_fast(built_site: tuple[Path, Tree]) -> None:
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "demo.serve", "--root", str(built_site[0]), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert "demo server ready on http://127.0.0.1:" in line
        assert time.monotonic() - started < 1.0
    finally:
        proc.terminate()
        proc.wait(timeout=5)
