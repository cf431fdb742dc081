"""Serve a tree built by `demo.site` on loopback, one port for every host.

    python -m demo.serve --root DIR [--port 8765] [--host 127.0.0.1] [--build]
                         [--error-rate P] [--seed N]

A request is routed by its Host header (`Host: baolamdong.vn` gets that host's tree;
`www.` aliases get the same tree; `vietnam.vn` is redirected to `www.vietnam.vn`), or, for
browsing, by a path prefix (`/baolamdong.vn/...`). Responses carry the content type and
charset recorded at build time (the windows-1258 page gets no charset), an ETag and a
Last-Modified header; conditional GETs get 304. Unknown paths get 404. `--error-rate`
answers that share of requests (robots.txt excepted) with 500/502/503, repeatably with
`--seed`. A readiness line is written to stderr once the socket is listening.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import sys
import threading
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

META_ROUTES = Path("_meta") / "routes.json"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    status: int
    last_modified: str
    etag: str


class SiteTree:
    """The built tree: routes per host, read once and kept in memory (it is small)."""

    def __init__(self, root: Path) -> None:
        manifest = root / META_ROUTES
        if not manifest.is_file():
            raise FileNotFoundError(
                f"{manifest} not found; build the site first (python -m demo.site --out {root})"
            )
        data = json.loads(manifest.read_text("utf-8"))
        self.root = root
        self.aliases: dict[str, str] = data.get("aliases", {})
        self.redirect_hosts: dict[str, str] = data.get("redirect_hosts", {})
        self.hosts: dict[str, dict[str, Resource]] = {}
        for host, routes in data["hosts"].items():
            table = {}
            for key, r in routes.items():
                body = (root / host / r["file"]).read_bytes()
                ctype = r["type"] + (f"; charset={r['charset']}" if r.get("charset") else "")
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                table[key] = Resource(body, ctype, r["status"], r["last_modified"], etag)
            self.hosts[host] = table

    def canonical_host(self, host: str) -> str | None:
        host = host.lower().split(":")[0].rstrip(".")
        if host in self.hosts or host in self.redirect_hosts:
            return host
        return self.aliases.get(host)

    def find(self, host: str, path: str, query: str) -> Resource | None:
        table = self.hosts.get(host, {})
        if query and f"{path}?{query}" in table:
            return table[f"{path}?{query}"]
        return table.get(path)


class DemoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    tree: SiteTree
    error_rate: float = 0.0
    rng: random.Random
    rng_lock = threading.Lock()

    def version_string(self) -> str:
        return "nginx"

    def do_HEAD(self) -> None:
        self.handle_request(head=True)

    def do_GET(self) -> None:
        self.handle_request(head=False)

    def handle_request(self, head: bool) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path or "/", parts.query
        host = self.tree.canonical_host(self.headers.get("Host", ""))
        prefix = ""
        if host is None:
            first, _, rest = path.lstrip("/").partition("/")
            host = self.tree.canonical_host(first)
            if host is None:
                if path == "/":
                    self.send_index(head)
                else:
                    self.send_text(
                        404, "Not found: unknown host; use a Host header or /<host>/<path>\n", head
                    )
                return
            prefix, path = f"/{first}", "/" + rest
        if host in self.tree.redirect_hosts:
            target = self.tree.redirect_hosts[host]
            location = f"{prefix and '/' + target}{path}" if prefix else f"https://{target}{path}"
            self.send_redirect(location + (f"?{query}" if query else ""), head)
            return
        if path != "/robots.txt" and self.inject_fault(head):
            return
        resource = self.tree.find(host, path, query)
        if resource is None and path != "/":
            other = path[:-1] if path.endswith("/") else path + "/"
            if self.tree.find(host, other, "") is not None:
                location = f"{prefix}{other}" if prefix else f"https://{host}{other}"
                self.send_redirect(location + (f"?{query}" if query else ""), head)
                return
        if resource is None:
            self.send_text(404, "404 Not Found\n", head, ctype="text/html; charset=utf-8")
            return
        if self.not_modified(resource):
            self.send_response(304)
            self.send_header("ETag", resource.etag)
            self.send_header("Last-Modified", resource.last_modified)
            self.end_headers()
            return
        self.send_response(resource.status)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(resource.body)))
        self.send_header("ETag", resource.etag)
        self.send_header("Last-Modified", resource.last_modified)
        self.send_header("Cache-Control", "public, max-age=60")
        self.end_headers()
        if not head:
            self.wfile.write(resource.body)

    def not_modified(self, resource: Resource) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match:
            return (
                resource.etag in [tag.strip() for tag in if_none_match.split(",")]
                or if_none_match.strip() == "*"
            )
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return parsedate_to_datetime(resource.last_modified) <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def inject_fault(self, head: bool) -> bool:
        if self.error_rate <= 0:
            return False
        with self.rng_lock:
            if self.rng.random() >= self.error_rate:
                return False
            status = self.rng.choice([500, 502, 503])
        self.send_response(status)
        if status == 503:
            self.send_header("Retry-After", "1")
        body = f"{status} injected fault\n".encode()
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
        return True

    def send_redirect(self, location: str, head: bool) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_text(
        self, status: int, text: str, head: bool, ctype: str = "text/plain; charset=utf-8"
    ) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def send_index(self, head: bool) -> None:
        links = "".join(f'<li><a href="/{h}/">{h}</a></li>' for h in sorted(self.tree.hosts))
        self.send_text(
            200,
            f"<!DOCTYPE html><title>demo sites</title><ul>{links}</ul>\n",
            head,
            "text/html; charset=utf-8",
        )

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


def make_server(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8765,
    error_rate: float = 0.0,
    seed: int | None = None,
) -> ThreadingHTTPServer:
    """A server for `root` (not started); port 0 picks a free port."""
    if host not in LOOPBACK:
        raise ValueError(f"refusing to bind {host!r}: the demo server listens on loopback only")
    handler = type(
        "BoundDemoHandler",
        (DemoHandler,),
        {"tree": SiteTree(root), "error_rate": error_rate, "rng": random.Random(seed)},
    )
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demo.serve", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--root", type=Path, required=True, help="tree built by python -m demo.site"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument(
        "--build", action="store_true", help="build ROOT from demo/corpus.jsonl first if absent"
    )
    parser.add_argument(
        "--error-rate", type=float, default=0.0, help="share of requests answered 5xx"
    )
    parser.add_argument("--seed", type=int, default=None, help="seed for repeatable faults")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    try:
        if args.build and not (args.root / META_ROUTES).is_file():
            from demo.site import build_site

            build_site(args.root)
        server = make_server(args.root, args.host, args.port, args.error_rate, args.seed)
    except (OSError, ValueError) as exc:
        logger.error("cannot start the demo server: %s", exc)
        return 1
    bound_host, bound_port = server.server_address[:2]
    hosts = ", ".join(sorted(server.RequestHandlerClass.tree.hosts))  # type: ignore[attr-defined]
    logger.info("demo server ready on http://%s:%s/ (hosts: %s)", bound_host, bound_port, hosts)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
