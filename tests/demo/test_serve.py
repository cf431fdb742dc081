"""The loopback server: routing by Host header and by path prefix, validators, faults."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from demo.serve import Faults, make_server
from demo.site import META_DIR, PAGES_FILE, Tree


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
        .getheader("Content-Type", "")
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


def test_command_line_announces_its_address(built_site: tuple[Path, Tree]) -> None:
    # How fast it starts is for the benchmarks: a timed assertion here fails on a busy machine.
    proc = subprocess.Popen(
        [sys.executable, "-m", "demo.serve", "--root", str(built_site[0]), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert "demo server ready on http://127.0.0.1:" in line
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        proc.stderr.close()  # type: ignore[union-attr]


@contextmanager
def running(root: Path, **options: object) -> Iterator[str]:
    server = make_server(root, port=0, **options)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _pages(built_site: tuple[Path, Tree]) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = json.loads(
        (built_site[0] / META_DIR / PAGES_FILE).read_text("utf-8")
    )
    return pages


def test_legacy_url_reaches_the_article_through_two_301s(
    demo_server: str, built_site: tuple[Path, Tree]
) -> None:
    chain = next(p for p in _pages(built_site) if p["kind"] == "redirect_chain")
    url, hops = chain["url"], []
    while True:
        parts = urlsplit(url)
        response = get(demo_server, parts.path, parts.netloc)
        if response.status not in (301, 302):
            break
        hops.append(response.status)
        url = response.getheader("Location")
    assert hops == [301, 301] and url == chain["target"] and response.status == 200
    # Browsing by path prefix stays on the server.
    first = urlsplit(chain["url"])
    prefixed = get(demo_server, f"/{first.netloc}{first.path}")
    assert prefixed.status == 301
    assert prefixed.getheader("Location") == f"/{first.netloc}{urlsplit(chain['location']).path}"


def test_old_slug_answers_302(demo_server: str, built_site: tuple[Path, Tree]) -> None:
    moved = next(p for p in _pages(built_site) if p["kind"] == "redirect" and p["status"] == 302)
    parts = urlsplit(moved["url"])
    response = get(demo_server, parts.path + "?utm_source=rss", parts.netloc)
    assert response.status == 302
    assert response.getheader("Location") == moved["location"] + "?utm_source=rss"


def test_second_section_path_and_wrong_charset_header(
    demo_server: str, built_site: tuple[Path, Tree]
) -> None:
    pages = _pages(built_site)
    second = next(p for p in pages if p.get("pitfall") == "second_section_path")
    parts = urlsplit(second["url"])
    response = get(demo_server, parts.path, parts.netloc)
    assert response.status == 200
    assert f'rel="canonical" href="{second["canonical"]}"'.encode() in response.body  # type: ignore[attr-defined]
    wrong = next(p for p in pages if "wrong_charset_header" in p.get("pitfalls", []))
    parts = urlsplit(wrong["url"])
    response = get(demo_server, parts.path, parts.netloc)
    assert response.getheader("Content-Type") == f"text/html; charset={wrong['http_charset']}"
    response.body.decode("utf-8")  # type: ignore[attr-defined]  # the bytes are UTF-8


def test_reset_before_the_response(built_site: tuple[Path, Tree], tmp_path: Path) -> None:
    log = tmp_path / "access.jsonl"
    with running(built_site[0], faults=Faults(reset_rate=1.0), access_log=log) as base:
        with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
            get(base, "/sitemap.xml", "baohagiang.vn")
        assert get(base, "/robots.txt", "baohagiang.vn").status == 200  # never faulted
    entries = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert [(e["path"], e["fault"]) for e in entries] == [
        ("/sitemap.xml", "reset_before"),
        ("/robots.txt", None),
    ]


def test_reset_halfway_through_the_body(built_site: tuple[Path, Tree]) -> None:
    faults = Faults(reset_rate=1.0, reset_mode="mid")
    with running(built_site[0], faults=faults) as base:
        parts = urlsplit(base)
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=5)
        conn.request("GET", HEX_PATH, headers={"Host": "baohagiang.vn"})
        response = conn.getresponse()
        assert response.status == 200
        with pytest.raises((ConnectionError, http.client.IncompleteRead)):
            response.read()
        conn.close()


def test_slow_responses(built_site: tuple[Path, Tree]) -> None:
    with running(built_site[0], faults=Faults(slow_rate=1.0, slow_seconds=1.0)) as base:
        # A wide gap between slowed and unslowed, so a busy machine cannot blur the two.
        started = time.monotonic()
        assert get(base, "/sitemap.xml", "baohagiang.vn").status == 200
        assert time.monotonic() - started >= 1.0
        started = time.monotonic()
        assert get(base, "/robots.txt", "baohagiang.vn").status == 200
        assert time.monotonic() - started < 1.0


@pytest.mark.parametrize(
    "faults",
    [{"error_rate": 1.5}, {"reset_rate": -0.1}, {"reset_mode": "sideways"}, {"slow_seconds": -1}],
)
def test_bad_fault_options(faults: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Faults(**faults)


def test_command_line_rejects_a_bad_fault_rate(built_site: tuple[Path, Tree]) -> None:
    from demo.serve import main

    assert main(["--root", str(built_site[0]), "--port", "0", "--reset-rate", "2"]) == 1


def test_build_replaces_a_tree_from_another_version(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / META_DIR).mkdir(parents=True)
    (root / META_DIR / "routes.json").write_text('{"hosts": {}, "fingerprint": "old"}', "utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "demo.serve", "--root", str(root), "--port", "0", "--build"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        ready = next(line for line in proc.stderr if "demo server ready" in line)
        assert "baolamdong.vn" in ready and "www.vietnam.vn" in ready
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        proc.stderr.close()  # type: ignore[union-attr]
