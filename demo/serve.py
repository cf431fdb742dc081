"""Serve a tree built by `demo.site` on loopback, one port for every host.

    python -m demo.serve --root DIR [--port 8765] [--host 127.0.0.1] [--build]
                         [--error-rate P] [--slow-rate P --slow-seconds S]
                         [--reset-rate P --reset-mode before|mid] [--seed N]
                         [--access-log FILE]

A request is routed by its Host header (`Host: baolamdong.vn` gets that host's tree;
`www.` aliases get the same tree; `vietnam.vn` is redirected to `www.vietnam.vn`), or, for
browsing, by a path prefix (`/baolamdong.vn/...`). Responses carry the content type and
charset recorded at build time (the windows-1258 page gets no charset, one UTF-8 page a
wrong one), an ETag and a Last-Modified header; conditional GETs get 304. The redirects
recorded at build time (a 301 chain from a legacy URL, a 302 from an old slug) are
answered with their status; a missing or extra trailing slash gets a 301. Unknown paths
get 404.

Faults, for trying a crawler's retries (robots.txt is never faulted; `--seed` makes the
draws repeatable for one client):
- `--error-rate P`: 500, 502 or 503 (503 with `Retry-After: 1`);
- `--reset-rate P`: a TCP reset, before any byte (`--reset-mode before`) or halfway
  through the body (`--reset-mode mid`);
- `--slow-rate P`: the response is held back `--slow-seconds` seconds.

`--access-log FILE` appends one JSON line per request (host, path, status, fault).
A readiness line is written to stderr once the socket is listening.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import random
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

META_ROUTES = Path("_meta") / "routes.json"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
RESET_MODES = ("before", "mid")


@dataclass(frozen=True)
class Faults:
    """Shares of requests to answer badly (see the module notes)."""

    error_rate: float = 0.0
    reset_rate: float = 0.0
    reset_mode: str = "before"
    slow_rate: float = 0.0
    slow_seconds: float = 2.0

    def __post_init__(self) -> None:
        for name in ("error_rate", "reset_rate", "slow_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"--{name.replace('_', '-')} {value}: give a share from 0 to 1")
        if self.reset_mode not in RESET_MODES:
            raise ValueError(f"--reset-mode {self.reset_mode!r}: use before or mid")
        if self.slow_seconds < 0:
            raise ValueError(f"--slow-seconds {self.slow_seconds}: give a number of seconds >= 0")


@dataclass
class AccessLog:
    """JSON lines, one per request, written under a lock (the server is threaded)."""

    path: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def write(self, **entry: object) -> None:
        if self.path is None:
            return
        line = json.dumps({"ts": round(time.time(), 3), **entry}, ensure_ascii=False)
        with self.lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")


class _ConnectionReset(Exception):
    """Raised after the socket was reset on purpose, to end the request quietly."""


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
        self.redirects: dict[str, dict[str, dict[str, object]]] = data.get("redirects", {})
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

    def redirect_for(self, host: str, path: str) -> tuple[int, str] | None:
        """(status, absolute location) of a redirect recorded at build time."""
        rule = self.redirects.get(host, {}).get(path)
        if not rule:
            return None
        return int(str(rule["status"])), str(rule["location"])

    def find(self, host: str, path: str, query: str) -> Resource | None:
        table = self.hosts.get(host, {})
        if query and f"{path}?{query}" in table:
            return table[f"{path}?{query}"]
        return table.get(path)


class DemoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    tree: SiteTree
    faults: Faults = Faults()
    access_log: AccessLog = AccessLog()
    rng: random.Random
    rng_lock = threading.Lock()

    def version_string(self) -> str:
        return "nginx"

    def handle(self) -> None:
        try:
            super().handle()
        except _ConnectionReset:
            self.close_connection = True
        except (ConnectionResetError, BrokenPipeError):
            self.close_connection = True  # the client went away

    def finish(self) -> None:
        with contextlib.suppress(OSError):  # the socket was reset on purpose
            super().finish()

    def do_HEAD(self) -> None:
        self.handle_request(head=True)

    def do_GET(self) -> None:
        self.handle_request(head=False)

    def handle_request(self, head: bool) -> None:
        self._fault: str | None = None
        self._host = ""
        parts = urlsplit(self.path)
        path, query = parts.path or "/", parts.query
        query_suffix = f"?{query}" if query else ""
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
        self._host = host
        if host in self.tree.redirect_hosts:
            target = self.tree.redirect_hosts[host]
            location = f"{prefix and '/' + target}{path}" if prefix else f"https://{target}{path}"
            self.send_redirect(location + query_suffix, head)
            return
        if path != "/robots.txt" and self.inject_fault(head):
            return
        planted = self.tree.redirect_for(host, path)
        if planted is not None:
            status, location = planted
            if prefix:  # stay on the server: /<host>/<path>
                moved_to = urlsplit(location)
                location = f"/{moved_to.netloc}{moved_to.path}"
            self.send_redirect(location + query_suffix, head, status)
            return
        resource = self.tree.find(host, path, query)
        if resource is None and path != "/":
            other = path[:-1] if path.endswith("/") else path + "/"
            if self.tree.find(host, other, "") is not None:
                location = f"{prefix}{other}" if prefix else f"https://{host}{other}"
                self.send_redirect(location + query_suffix, head)
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
        if head:
            return
        if self._fault == "reset_mid":
            half = len(resource.body) // 2
            self.wfile.write(resource.body[:half])
            self.wfile.flush()
            self.reset_connection()
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
        """Draw this request's fault; True when the response has been dealt with."""
        faults = self.faults
        if not (faults.error_rate or faults.reset_rate or faults.slow_rate):
            return False
        with self.rng_lock:
            # Always three draws, so that one fault's rate does not shift the others.
            reset, error, slow = self.rng.random(), self.rng.random(), self.rng.random()
            status = self.rng.choice([500, 502, 503])
        if reset < faults.reset_rate:
            self._fault = f"reset_{faults.reset_mode}"
            if faults.reset_mode == "before":
                self.log_access(0, 0)
                self.reset_connection()
            return False  # "mid": the body is cut when it is sent
        if slow < faults.slow_rate:
            self._fault = "slow"
            time.sleep(faults.slow_seconds)
        if error < faults.error_rate:
            self._fault = "error"
            body = f"{status} injected fault\n".encode()
            self.send_response(status)
            if status == 503:
                self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return True
        return False

    def reset_connection(self) -> None:
        """Close the socket with SO_LINGER 0: the client gets a TCP RST, not a clean end."""
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        try:
            self.connection.close()
        finally:
            raise _ConnectionReset()

    def send_redirect(self, location: str, head: bool, status: int = 301) -> None:
        self.send_response(status)
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

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.log_access(int(code) if str(code).isdigit() else 0, size)
        super().log_request(code, size)

    def log_access(self, status: int, size: int | str) -> None:
        self.access_log.write(
            method=self.command,
            host=getattr(self, "_host", "") or self.headers.get("Host", ""),
            path=self.path,
            status=status,
            fault=getattr(self, "_fault", None),
            ua=self.headers.get("User-Agent", ""),
        )

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


def make_server(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8765,
    error_rate: float = 0.0,
    seed: int | None = None,
    *,
    faults: Faults | None = None,
    access_log: Path | None = None,
) -> ThreadingHTTPServer:
    """A server for `root` (not started); port 0 picks a free port. `faults` (or the
    shorthand `error_rate`) makes it answer some requests badly."""
    if host not in LOOPBACK:
        raise ValueError(f"refusing to bind {host!r}: the demo server listens on loopback only")
    chosen = faults or Faults(error_rate=error_rate)
    handler = type(
        "BoundDemoHandler",
        (DemoHandler,),
        {
            "tree": SiteTree(root),
            "faults": chosen,
            "access_log": AccessLog(access_log),
            "rng": random.Random(seed),
        },
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
        "--build",
        action="store_true",
        help="build ROOT from demo/corpus.jsonl first when it is absent or was built from "
        "another version of the corpus or of demo.site",
    )
    parser.add_argument(
        "--error-rate", type=float, default=0.0, help="share of requests answered 5xx"
    )
    parser.add_argument(
        "--reset-rate", type=float, default=0.0, help="share of connections reset (TCP RST)"
    )
    parser.add_argument(
        "--reset-mode",
        choices=RESET_MODES,
        default="before",
        help="reset before the response or halfway through the body",
    )
    parser.add_argument("--slow-rate", type=float, default=0.0, help="share of responses held back")
    parser.add_argument(
        "--slow-seconds", type=float, default=2.0, help="how long a slow response waits"
    )
    parser.add_argument("--seed", type=int, default=None, help="seed for repeatable faults")
    parser.add_argument(
        "--access-log", type=Path, default=None, help="append one JSON line per request here"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    try:
        if args.build:
            from demo.site import build_site, is_current

            if not is_current(args.root):
                build_site(args.root)
        faults = Faults(
            error_rate=args.error_rate,
            reset_rate=args.reset_rate,
            reset_mode=args.reset_mode,
            slow_rate=args.slow_rate,
            slow_seconds=args.slow_seconds,
        )
        server = make_server(
            args.root,
            args.host,
            args.port,
            seed=args.seed,
            faults=faults,
            access_log=args.access_log,
        )
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
