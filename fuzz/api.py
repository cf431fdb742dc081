"""The API under fuzzing, on a real server process: schemathesis against the OpenAPI
spec, then 2,000 junk requests (server RSS must stay within ±30 MiB and nothing may
answer 5xx), then slow clients holding 250 connections (others must still be served)."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from fuzz.common import Stage, free_port, rss_mib, wait_for_port
from fuzz.serve_app import API_KEY

JUNK_REQUESTS = 2000
RSS_BAND_MIB = 30
SCHEMATHESIS_SECONDS = 300

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT",
           "PROPFIND", "FOO", "GETT", "M-SEARCH", "BREW", "X" * 40]  # fmt: skip
PATHS = ["/", "/ask", "/search", "/health", "/metrics", "/articles/x", "/v1/models",
         "/v1/chat/completions", "/provinces", "/docs", "/openapi.json", "/static/app.js",
         "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fapi%2fsettings.py",
         "/articles/" + "a" * 5000, "/ñ/Lâm Đồng", "/%00", "/a?" + "x=1&" * 500,
         "/search?q=" + "%ff" * 300, "/search?q=x&k=-1", "/search?q=x&k=99999999999999999999",
         "/search?q=x&since=2025-13-45", "/articles/%2F..%2F", "//double//slash"]  # fmt: skip
BODIES: list[bytes] = [
    b"", b"{", b"null", b"[]", b'{"question": ""}', b'{"question": null}',
    b'{"question": "' + b"x" * 70_000 + b'"}', b"\xff\xfe\x00", b'{"question": "\\ud800"}',
    json.dumps({"question": "Lâm Đồng?", "history": [{"role": "x", "content": "y"}] * 50}).encode(),
    json.dumps({"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}).encode(),
    json.dumps({"messages": [{"role": "user", "content": "hi"}], "stream": "yes"}).encode(),
    b"[" * 50_000, b'{"a":' * 10_000, json.dumps({"question": 1e309}).encode(),
]  # fmt: skip


def _raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
            if sum(map(len, chunks)) > 1_000_000:
                break
        return b"".join(chunks)


def _junk(rng: random.Random, port: int, client: httpx.Client) -> int | None:
    """One junk request; its status (None when the server closed without answering)."""
    kind = rng.random()
    if kind < 0.2:  # broken HTTP on a raw socket
        data = rng.choice(
            [
                b"GET / HTTP/1.1\r\n" + b"X: " + b"a" * 20_000 + b"\r\n\r\n",
                b"GET / HTTP/1.1\r\n" + b"".join(b"H%d: v\r\n" % n for n in range(3000)) + b"\r\n",
                b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + os.urandom(200),
                b"POST /ask HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                b"GET /health HTTP/9.9\r\n\r\n",
                b"G\x00T / HTTP/1.1\r\n\r\n",
                os.urandom(rng.randrange(1, 3000)),
            ]
        )
        answer = _raw(port, data)
        if not answer.startswith(b"HTTP/1."):
            return None
        return int(answer[9:12])
    method = rng.choice(METHODS)
    path = rng.choice(PATHS)
    headers = {"X-API-Key": API_KEY} if rng.random() < 0.7 else {}
    if rng.random() < 0.3:
        headers["Content-Type"] = rng.choice(
            ["application/json", "text/plain", "multipart/form-data; boundary=x", "a/b;;;"]
        )
    if rng.random() < 0.1:
        headers["X-Forwarded-For"] = f"10.{rng.randrange(256)}.0.1"
    body = rng.choice(BODIES) if method not in ("GET", "HEAD") else b""
    try:
        response = client.request(
            method, f"http://127.0.0.1:{port}{path}", headers=headers, content=body
        )
    except httpx.HTTPError:
        return None
    return response.status_code


def _schemathesis(stage: Stage, port: int, workdir: Path) -> None:
    binary = Path(sys.executable).parent / "schemathesis"
    command = [
        str(binary), "run", f"http://127.0.0.1:{port}/openapi.json",
        "--checks", "not_a_server_error", "--header", f"Authorization: Bearer {API_KEY}",
        "--max-examples", "40", "--seed", "11", "--no-color",
        "--phases", "examples,coverage,fuzzing,stateful", "--generation-database", "none",
        "--request-timeout", "20",
    ]  # fmt: skip
    started = time.monotonic()
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=SCHEMATHESIS_SECONDS, cwd=workdir
        )
    except subprocess.TimeoutExpired:
        stage.fail(f"schemathesis did not finish within {SCHEMATHESIS_SECONDS} s")
        return
    summary = [line for line in result.stdout.splitlines() if "passed" in line or "failed" in line]
    seconds = time.monotonic() - started
    if result.returncode != 0:
        stage.fail(f"schemathesis found failures ({seconds:.0f} s): {result.stdout[-3000:]}")
    else:
        stage.note(f"schemathesis: no server errors in {seconds:.0f} s ({'; '.join(summary[-2:])})")


def _slow_clients(stage: Stage, port: int) -> None:
    held = []
    try:
        for _ in range(250):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /health HT")
            held.append(sock)
        time.sleep(0.5)
        started = time.monotonic()
        transport = httpx.HTTPTransport(local_address="127.0.0.2")
        with httpx.Client(transport=transport, timeout=10) as other:
            status = other.get(f"http://127.0.0.1:{port}/health").status_code
        seconds = time.monotonic() - started
        if status != 200 or seconds > 2:
            stage.fail(
                f"/health answered {status} in {seconds:.1f} s while 250 slow clients held connections"
            )
        else:
            stage.note(f"/health answered 200 in {seconds:.2f} s with 250 half-sent requests held")
    finally:
        for sock in held:
            sock.close()


def run(stage: Stage) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="fuzz-api-") as tmp:
        workdir = Path(tmp)
        log = open(workdir / "server.log", "wb")  # noqa: SIM115 - open for the server's life
        server = subprocess.Popen(
            [sys.executable, "-m", "fuzz.serve_app", str(port), str(workdir / "home")],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )
        try:
            wait_for_port(port, 60)
            _schemathesis(stage, port, workdir)
            rng = random.Random(2026)
            statuses: dict[int | None, int] = {}
            with httpx.Client(timeout=30) as client:
                for _ in range(200):  # warm-up: caches, lazy imports, allocator pools
                    _junk(rng, port, client)
                before = rss_mib(server.pid)
                started = time.monotonic()
                for _ in range(JUNK_REQUESTS):
                    status = _junk(rng, port, client)
                    statuses[status] = statuses.get(status, 0) + 1
                seconds = time.monotonic() - started
                after = rss_mib(server.pid)
            errors = {s: n for s, n in statuses.items() if s is not None and s >= 500}
            shown = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=str))
            stage.note(f"{JUNK_REQUESTS} junk requests in {seconds:.0f} s: {shown}")
            stage.note(
                f"server RSS {before:.0f} MiB before, {after:.0f} MiB after ({after - before:+.1f})"
            )
            if errors:
                stage.fail(f"server errors: {errors}")
            if abs(after - before) > RSS_BAND_MIB:
                stage.fail(f"server RSS moved {after - before:+.1f} MiB (band ±{RSS_BAND_MIB})")
            _slow_clients(stage, port)
            if server.poll() is not None:
                stage.fail("the server process died")
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
            text = (workdir / "server.log").read_text(errors="replace")
            if "Traceback" in text:
                stage.fail(f"traceback in the server log: {text[text.index('Traceback') :][:1500]}")
