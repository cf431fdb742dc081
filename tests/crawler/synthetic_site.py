"""A synthetic news site on a loopback HTTP server, with fault injection.

Serves one or more hosts from one port (the crawler reaches them through `connect_to`,
sending the real Host header). Each site has robots.txt, a sitemap index with one
child sitemap (with `lastmod`), an RSS feed, a paginated section listing, article pages
(detail-CMS markup with JSON-LD and rel=canonical), one article also published under a
second section path, a tag page and a soft 404. Conditional GET (ETag, Last-Modified)
answers 304; gzip is used when asked for.

Faults are per URL path and deterministic: `fail_first[path] = n` makes the first n
requests of that path fail, cycling through a 500, a connection reset and a 503 with
Retry-After: 0; `slow_first[path] = seconds` delays the first response. A page with a
`location` is a redirect (its status, a Location header, no validators). Every request
is logged in `requests` as (host, path, status).
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import struct
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

SECTIONS = ("xa-hoi", "kinh-te", "chinh-tri")
BASE_TIME = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None
    last_modified: datetime = BASE_TIME


@dataclass
class SiteContent:
    """The pages of one synthetic site, by path."""

    host: str
    articles: int = 12
    per_listing_page: int = 5
    crawl_delay: float | None = None
    pages: dict[str, Page] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.build()

    def article_path(self, number: int) -> str:
        section = SECTIONS[number % len(SECTIONS)]
        return f"/{section}/chinh-sach-ho-tro-so-{number}-{100000 + number}.html"

    def article_url(self, number: int) -> str:
        return f"https://{self.host}{self.article_path(number)}"

    def duplicate_path(self, number: int) -> str:
        return f"/thoi-su/chinh-sach-ho-tro-so-{number}-{100000 + number}.html"

    def article_html(self, number: int, *, revision: int = 0) -> str:
        title = f"Tỉnh ban hành chính sách hỗ trợ số {number}"
        published = (BASE_TIME + timedelta(hours=number)).isoformat()
        extra = (
            f"<p>Bản cập nhật lần {revision}: bổ sung đối tượng thụ hưởng mới.</p>"
            if revision
            else ""
        )
        return (
            f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{self.article_url(number)}">'
            '<meta property="og:type" content="article">'
            '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
            f'"headline":"{title}","datePublished":"{published}"}}</script></head><body>'
            f'<article><h1 class="detail-title">{title}</h1>'
            f'<h2 class="detail-sapo">UBND tỉnh ban hành chính sách hỗ trợ số {number} cho người dân.</h2>'
            '<div class="detail-content">'
            f"<p>Theo chính sách số {number}, tỉnh cam kết hỗ trợ {number * 10} hộ dân vùng khó khăn "
            "trước tháng 5 năm 2025, với tổng kinh phí hơn 50 tỷ đồng.</p>"
            "<p>Các sở, ngành được giao nhiệm vụ cụ thể và báo cáo tiến độ hằng tháng cho Ủy ban "
            "nhân dân tỉnh; kết quả thực hiện được công khai trên cổng thông tin điện tử.</p>"
            "<p>Người dân thuộc diện hỗ trợ nộp hồ sơ tại bộ phận một cửa cấp xã, thời gian giải "
            "quyết không quá mười ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ.</p>"
            f"{extra}</div></article></body></html>"
        )

    def lastmod(self, number: int) -> datetime:
        return BASE_TIME + timedelta(hours=number, minutes=30)

    def build(self) -> None:
        pages = self.pages
        pages.clear()
        host = self.host
        delay = f"Crawl-delay: {self.crawl_delay}\n" if self.crawl_delay else ""
        pages["/robots.txt"] = Page(
            (
                f"User-agent: *\nDisallow: /tim-kiem\n{delay}\nSitemap: https://{host}/sitemap.xml\n"
            ).encode(),
            "text/plain",
        )
        newest = max((self.lastmod(n) for n in range(1, self.articles + 1)), default=BASE_TIME)
        pages["/sitemap.xml"] = Page(
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>https://{host}/sitemaps/posts.xml</loc>"
                f"<lastmod>{newest.isoformat()}</lastmod></sitemap></sitemapindex>"
            ).encode(),
            "application/xml",
        )
        entries = "".join(
            f"<url><loc>{escape(self.article_url(n))}</loc><lastmod>{self.lastmod(n).isoformat()}</lastmod></url>"
            for n in range(1, self.articles + 1)
        )
        pages["/sitemaps/posts.xml"] = Page(
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
            ).encode(),
            "application/xml",
        )
        items = "".join(
            f"<item><title>Tin {n}</title><link>{escape(self.article_url(n))}?utm_source=rss</link></item>"
            for n in range(self.articles, max(0, self.articles - 5), -1)
        )
        pages["/rss/home.rss"] = Page(
            (
                f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{host}</title>'
                f"<link>https://{host}/</link>{items}</channel></rss>"
            ).encode(),
            "application/rss+xml",
        )
        numbers = list(range(self.articles, 0, -1))
        chunks = [
            numbers[i : i + self.per_listing_page]
            for i in range(0, len(numbers), self.per_listing_page)
        ]
        for index, chunk in enumerate(chunks, start=1):
            path = "/tin-moi/" if index == 1 else f"/tin-moi/trang-{index}/"
            links = "".join(
                f'<li><a class="title3" href="{self.article_path(n)}">Tin {n}</a></li>'
                for n in chunk
            )
            pager = (
                f'<div class="pagination"><a rel="next" href="/tin-moi/trang-{index + 1}/">Trang sau »</a></div>'
                if index < len(chunks)
                else ""
            )
            pages[path] = Page(
                (
                    f'<html><head><meta property="og:type" content="website"><title>Tin mới</title></head>'
                    f'<body><h1>Tin mới</h1><ul>{links}</ul><a href="/tag/chinh-sach-moi-nhat-2025/">Tag</a>'
                    f'<a href="/bai-viet-khong-ton-tai-123456.html">Cũ</a>'
                    f'<a href="{self.duplicate_path(1)}">Bài 1</a>'
                    f'<a href="/tim-kiem/chinh-sach-ho-tro-123456.html">Tìm</a>{pager}</body></html>'
                ).encode()
            )
        for number in range(1, self.articles + 1):
            pages[self.article_path(number)] = Page(
                self.article_html(number).encode(), last_modified=self.lastmod(number)
            )
        pages[self.duplicate_path(1)] = Page(
            self.article_html(1).encode(), last_modified=self.lastmod(1)
        )
        pages["/tag/chinh-sach-moi-nhat-2025/"] = Page(
            b'<html><head><meta property="og:type" content="website"><title>Tag</title></head>'
            b"<body><h1>Tag: ch\xc3\xadnh s\xc3\xa1ch</h1></body></html>"
        )
        pages["/bai-viet-khong-ton-tai-123456.html"] = Page(
            "<html><head><title>Không tìm thấy</title></head><body><h1>Bài viết không tồn tại</h1>"
            "<p>Bài viết không tồn tại hoặc đã bị xoá.</p></body></html>".encode()
        )

    def update_article(self, number: int, *, revision: int, when: datetime) -> None:
        """Change an article's text and its sitemap lastmod (as a site would)."""
        self.pages[self.article_path(number)] = Page(
            self.article_html(number, revision=revision).encode(), last_modified=when
        )
        sitemap = self.pages["/sitemaps/posts.xml"].body.decode()
        old = f"<loc>{escape(self.article_url(number))}</loc><lastmod>{self.lastmod(number).isoformat()}</lastmod>"
        new = f"<loc>{escape(self.article_url(number))}</loc><lastmod>{when.isoformat()}</lastmod>"
        self.pages["/sitemaps/posts.xml"] = Page(
            sitemap.replace(old, new).encode(), "application/xml"
        )
        index = self.pages["/sitemap.xml"].body.decode()
        start = index.index("<lastmod>") + len("<lastmod>")
        end = index.index("</lastmod>")
        self.pages["/sitemap.xml"] = Page(
            (index[:start] + when.isoformat() + index[end:]).encode(), "application/xml"
        )


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out or give up close the connection mid-response; that is
        # expected here. Anything else is a bug in this fixture and is reported.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SyntheticServer:
    """Serves SiteContent objects by Host header on 127.0.0.1, with faults."""

    def __init__(self, sites: list[SiteContent]) -> None:
        self.sites = {site.host: site for site in sites}
        self.fail_first: dict[str, int] = {}
        self.slow_first: dict[str, float] = {}
        self.requests: list[tuple[str, str, int]] = []
        self.proxied = 0  # requests that came in proxy (absolute) form
        self.arrivals: list[tuple[str, float]] = []  # (host, time.monotonic()) per request
        self._hits: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host!s}:{port}"

    def connect_to(self) -> dict[str, str]:
        return {host: self.address for host in self.sites}

    def __enter__(self) -> SyntheticServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def downloads(self, prefix: str = "/") -> int:
        """Full (200) responses for paths under `prefix`, excluding discovery documents."""
        discovery = ("/robots.txt", "/sitemap", "/rss/", "/tin-moi/")
        return sum(
            1
            for _host, path, status in self.requests
            if status == 200 and path.startswith(prefix) and not path.startswith(discovery)
        )

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in separate writes; without this, Nagle's
                # algorithm and delayed ACKs add ~40 ms to every response.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _log(self, status: int) -> None:
                with server._lock:
                    server.requests.append((self.headers.get("Host", ""), self.path, status))

            def do_GET(self) -> None:
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                target = self.path
                if target.startswith("http://"):  # absolute form: we are being used as a proxy
                    host, _, rest = target.removeprefix("http://").partition("/")
                    target = "/" + rest
                    server.proxied += 1
                path = target.split("?", 1)[0]
                with server._lock:
                    server.arrivals.append((host, time.monotonic()))
                    server._hits[(host, path)] += 1
                    hit = server._hits[(host, path)]
                failures = server.fail_first.get(path, 0)
                if hit <= failures:
                    kind = (hit - 1) % 3
                    if kind == 1:
                        self._log(0)
                        self._reset()
                        return
                    status = 500 if kind == 0 else 503
                    self._log(status)
                    self.send_response(status)
                    if status == 503:
                        self.send_header("Retry-After", "0")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if hit == 1 and path in server.slow_first:
                    time.sleep(server.slow_first[path])
                site = server.sites.get(host) or server.sites.get(host.removeprefix("www."))
                page = site.pages.get(path) if site else None
                if page is None:
                    self._send(404, b"<html><body>Not found</body></html>", "text/html")
                    return
                if page.location is not None:
                    self._send(
                        page.status, page.body, page.content_type, {"Location": page.location}
                    )
                    return
                etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self._log(304)
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self._send(
                    page.status,
                    page.body,
                    page.content_type,
                    {
                        "ETag": etag,
                        "Last-Modified": format_datetime(page.last_modified, usegmt=True),
                    },
                )

            def _send(
                self,
                status: int,
                body: bytes,
                content_type: str,
                headers: dict[str, str] | None = None,
            ) -> None:
                self._log(status)
                if "gzip" in (self.headers.get("Accept-Encoding") or ""):
                    body = gzip.compress(body)
                    headers = {**(headers or {}), "Content-Encoding": "gzip"}
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _reset(self) -> None:
                # SO_LINGER with a zero timeout: close() sends a TCP RST.
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                self.close_connection = True

        return Handler
