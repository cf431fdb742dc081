"""A loopback web site where every page attacks the crawler: decompression bombs, slow
drips, redirect tricks, malformed encodings, giant headers and pathological HTML.

Raw sockets, not a framework: most pages break HTTP on purpose. `PAGES` names each page
and says what a crawler must survive there.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib
from collections.abc import Callable

MiB = 1024 * 1024
Handler = Callable[[socket.socket, str], None]


def gzip_bomb(layers: int, size: int) -> bytes:
    """`size` zero bytes under `layers` gzip layers, compressed a block at a time."""
    inner = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * MiB
    data = b"".join(inner.compress(block) for _ in range(size // MiB)) + inner.flush()
    for _ in range(layers - 1):
        data = gzip.compress(data, 9)
    return data


def _head(status: str = "200 OK", *headers: str, length: int | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status}", "Content-Type: text/html; charset=utf-8", *headers]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _send(status: str, body: bytes, *headers: str) -> Handler:
    def handler(sock: socket.socket, _host: str) -> None:
        sock.sendall(_head(status, *headers, length=len(body)) + body)

    return handler


def _article(text: str = "Tỉnh Lâm Đồng hỗ trợ học phí cho học sinh năm 2025.") -> bytes:
    paragraphs = "".join(f"<p>{text} Đoạn {n}.</p>" for n in range(8))
    return (
        "<html><head><title>Tin Lâm Đồng</title>"
        '<meta property="og:type" content="article"></head>'
        f"<body><article><h1>Tin Lâm Đồng</h1>{paragraphs}</article></body></html>"
    ).encode()


def _drip_body(sock: socket.socket, _host: str) -> None:
    sock.sendall(_head("200 OK", length=10_000_000))
    for _ in range(10_000):
        sock.sendall(b"<p>x</p>")
        time.sleep(0.2)


def _drip_headers(sock: socket.socket, _host: str) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\n")
    for n in range(100_000):
        sock.sendall(f"X-Drip-{n}: a\r\n".encode())
        time.sleep(0.05)


def _silent(sock: socket.socket, _host: str) -> None:
    time.sleep(120)


def _giant_header(sock: socket.socket, _host: str) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nX-Giant: " + b"a" * (8 * MiB) + b"\r\n\r\nbody")


def _many_headers(sock: socket.socket, _host: str) -> None:
    headers = "".join(f"X-H{n}: {'v' * 100}\r\n" for n in range(50_000)).encode()
    sock.sendall(b"HTTP/1.1 200 OK\r\n" + headers + b"\r\n")


def _lying_length(sock: socket.socket, _host: str) -> None:
    sock.sendall(_head("200 OK", length=5_000_000) + _article())


def _bad_chunks(sock: socket.socket, _host: str) -> None:
    sock.sendall(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n"
        b"zz\r\nhello\r\nFFFFFFFFFFFFFFFFFFFF\r\n" + b"a" * 1000
    )


def _endless_chunks(sock: socket.socket, _host: str) -> None:
    sock.sendall(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n"
    )
    chunk = b"<p>" + b"y" * 65_000 + b"</p>"
    for _ in range(100_000):
        sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def _garbage_status(sock: socket.socket, _host: str) -> None:
    sock.sendall(b"\x00\xff\xfeNOT HTTP AT ALL\r\n\r\n" * 100)


def _close_at_once(sock: socket.socket, _host: str) -> None:
    sock.shutdown(socket.SHUT_RDWR)


def _nested(depth: int) -> bytes:
    return (
        b"<html><body><article>"
        + b"<div>" * depth
        + b"text"
        + b"</div>" * depth
        + b"</article></body></html>"
    )


def build_pages(bomb_size: int = 1024 * MiB) -> dict[str, tuple[str, Handler]]:
    """Path -> (what it tries, handler)."""
    bomb2 = gzip_bomb(2, bomb_size)
    bomb1 = gzip_bomb(1, min(bomb_size, 512 * MiB))
    deflate = zlib.compress(b"\0" * (64 * MiB), 9)
    sitemap_bomb = gzip_bomb(1, 512 * MiB)
    pages: dict[str, tuple[str, Handler]] = {
        "/ok.html": ("a normal article (control)", _send("200 OK", _article())),
        "/bomb-gzip-gzip.html": (
            "1 GiB under two gzip layers (~1 KB on the wire)",
            _send("200 OK", bomb2, "Content-Encoding: gzip, gzip"),
        ),
        "/bomb-gzip.html": (
            "512 MiB under one gzip layer",
            _send("200 OK", bomb1, "Content-Encoding: gzip"),
        ),
        "/bomb-deflate.html": (
            "64 MiB deflate bomb",
            _send("200 OK", deflate, "Content-Encoding: deflate"),
        ),
        "/bomb-three-layers.html": (
            "three gzip layers",
            _send("200 OK", gzip.compress(bomb2), "Content-Encoding: gzip, gzip, gzip"),
        ),
        "/unrequested-br.html": (
            "a coding the crawler did not ask for",
            _send("200 OK", b"\x1b\x00\x00garbage", "Content-Encoding: br"),
        ),
        "/corrupt-gzip.html": (
            "gzip header, garbage after",
            _send("200 OK", b"\x1f\x8b\x08\x00" + b"\xff" * 5000, "Content-Encoding: gzip"),
        ),
        "/sitemap-bomb.xml.gz": (
            "a gzip sitemap that inflates to 512 MiB",
            _send("200 OK", sitemap_bomb, "Content-Type: application/x-gzip"),
        ),
        "/drip-body.html": ("a body sent 8 bytes every 0.2 s", _drip_body),
        "/drip-headers.html": ("headers sent a line every 50 ms, forever", _drip_headers),
        "/silent.html": ("accepts, then says nothing", _silent),
        "/giant-header.html": ("one 8 MiB header line", _giant_header),
        "/many-headers.html": ("50,000 headers", _many_headers),
        "/lying-length.html": ("Content-Length larger than the body", _lying_length),
        "/declared-huge.html": (
            "Content-Length: 10^12",
            _send("200 OK", b"x", "X-Note: lie", "Content-Length: 1000000000000"),
        ),
        "/bad-chunks.html": ("malformed chunked encoding", _bad_chunks),
        "/endless-chunks.html": ("chunks forever, fast", _endless_chunks),
        "/garbage.html": ("bytes that are not HTTP", _garbage_status),
        "/closed.html": ("closes the connection at once", _close_at_once),
        "/redirect-loop.html": (
            "redirects to itself",
            _send("302 Found", b"", "Location: /redirect-loop.html"),
        ),
        "/redirect-chain-0.html": (
            "a chain of 50 redirects",
            _send("302 Found", b"", "Location: /redirect-chain-1.html"),
        ),
        "/redirect-metadata.html": (
            "a redirect to the cloud metadata address",
            _send("302 Found", b"", "Location: http://169.254.169.254/latest/meta-data/"),
        ),
        "/redirect-loopback.html": (
            "a redirect to a loopback port",
            _send("301 Moved", b"", "Location: http://127.0.0.1:22/"),
        ),
        "/redirect-file.html": (
            "a redirect to file:///etc/passwd",
            _send("302 Found", b"", "Location: file:///etc/passwd"),
        ),
        "/redirect-javascript.html": (
            "a redirect to javascript:",
            _send("302 Found", b"", "Location: javascript:alert(1)"),
        ),
        "/redirect-userinfo.html": (
            "a redirect through user:password@ to another host",
            _send("302 Found", b"", "Location: http://baolamdong.vn@169.254.169.254/x"),
        ),
        "/redirect-garbage.html": (
            "a Location that is not a URL",
            _send("302 Found", b"", "Location: http://[::1:bad/\x7f"),
        ),
        "/bad-charset.html": (
            "an unknown charset and invalid bytes",
            _send(
                "200 OK",
                _article().replace(b"Tin", b"\xff\xfe\xc3\x28"),
                "Content-Type: text/html; charset=x-nonexistent-42",
            ),
        ),
        "/utf16-lie.html": (
            "says UTF-16, is UTF-8",
            _send("200 OK", _article(), "Content-Type: text/html; charset=utf-16"),
        ),
        "/nul-bytes.html": (
            "NUL and control bytes in the text",
            _send("200 OK", _article("Lâm\x00Đồng\x01\x02\x1b[31m hỗ trợ \x00" * 5)),
        ),
        "/deep-nesting.html": ("100,000 nested <div>s", _send("200 OK", _nested(100_000))),
        "/near-limit.html": (
            "7.5 MB of paragraphs (just under the page limit)",
            _send("200 OK", _article("Lâm Đồng " * 20) * 2200),
        ),
        "/huge-attribute.html": (
            "a 6 MB attribute and a 1 MB title",
            _send(
                "200 OK",
                b"<html><head><title>"
                + b"T" * MiB
                + b"</title></head><body><article data-x='"
                + b"x" * (6 * MiB)
                + b"'><p>text</p></article></body></html>",
            ),
        ),
        "/hostile-canonical.html": (
            "rel=canonical and og:url that are javascript: and userinfo URLs",
            _send(
                "200 OK",
                _article().replace(
                    b"<head>",
                    b'<head><link rel="canonical" href="javascript:alert(1)">'
                    b'<meta property="og:url" content="https://a:b@evil.example/x">',
                ),
            ),
        ),
    }
    for n in range(1, 50):
        pages[f"/redirect-chain-{n}.html"] = (
            "part of the redirect chain",
            _send("302 Found", b"", f"Location: /redirect-chain-{n + 1}.html"),
        )
    return pages


class HostileSite:
    """Serves `pages` on a loopback port, one thread per connection."""

    def __init__(self, pages: dict[str, tuple[str, Handler]]) -> None:
        self.pages = pages
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> HostileSite:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.sock.close()

    def _loop(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.settimeout(10)
                request = connection.recv(65536).decode("latin-1")
                path = request.split(" ", 2)[1] if request.count(" ") >= 2 else "/"
                host = next(
                    (line.split(":", 1)[1].strip() for line in request.split("\r\n")
                     if line.lower().startswith("host:")),
                    "",
                )  # fmt: skip
                connection.settimeout(None)
                if path == "/robots.txt":
                    _send("200 OK", b"User-agent: *\nAllow: /\n", "Content-Type: text/plain")(
                        connection, host
                    )
                    return
                if path.startswith("/list/"):
                    target = path.removeprefix("/list")
                    listing = f'<html><body><a href="{target}">Tin mới về Lâm Đồng hôm nay</a>'
                    _send("200 OK", (listing + "</body></html>").encode())(connection, host)
                    return
                entry = self.pages.get(path.split("?", 1)[0])
                if entry is None:
                    _send("404 Not Found", b"<html>not here</html>")(connection, host)
                    return
                entry[1](connection, host)
            except OSError:
                pass
