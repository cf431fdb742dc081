"""Who may call the API and how often: API keys, per-client rate limits, the bind check,
request size limits and the headers that keep the staff page from running article text.

Keys come from `settings.api_keys` and are sent as `Authorization: Bearer <key>` or
`X-API-Key: <key>`. Without keys the server only binds to a loopback address.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body
from api.settings import Settings

logger = logging.getLogger(__name__)

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class InsecureBindError(Exception):
    """Binding to a non-loopback address without API keys."""


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


MIN_KEY_LENGTH = 16


def check_bind(host: str, settings: Settings) -> None:
    """Refuse weak API keys, and serving beyond this machine without keys."""
    for number, key in enumerate(settings.api_keys, 1):
        if len(key.get_secret_value().strip()) < MIN_KEY_LENGTH:
            raise InsecureBindError(
                f"API key #{number} in POLICYQA_API_KEYS is shorter than {MIN_KEY_LENGTH} "
                "characters, short enough to guess; use a long random key, e.g. the output "
                "of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
            )
    if is_loopback(host) or settings.api_keys:
        return
    raise InsecureBindError(
        f"refusing to listen on {host} without API keys: anyone who can reach it could use "
        "the API. Set POLICYQA_API_KEYS (a JSON list, e.g. '[\"a-long-random-key\"]') or "
        "bind to 127.0.0.1."
    )


@dataclass(frozen=True)
class Client:
    """The caller of a request: an API key's fingerprint, or the client address."""

    identity: str
    authenticated: bool


def _fingerprint(key: str) -> str:
    return "key:" + hashlib.sha256(key.encode()).hexdigest()[:12]


class RateLimiter:
    """Token buckets per client: `per_minute` requests, refilled continuously.

    A full minute's worth may arrive as a burst; after that requests are spaced out.
    Buckets of idle clients are dropped once there are more than `max_clients`.
    """

    def __init__(self, per_minute: int, *, max_clients: int = 10_000) -> None:
        self.per_minute = per_minute
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def acquire(self, identity: str, now: float | None = None) -> float:
        """Take one token; 0.0 when allowed, else the seconds until the next token."""
        if self.per_minute <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.pop(identity, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[identity] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[identity] = (tokens, now)
                wait = (1.0 - tokens) / rate
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait


_bearer = HTTPBearer(auto_error=False, description="An API key from POLICYQA_API_KEYS.")
_api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="An API key from POLICYQA_API_KEYS."
)


def get_settings_from_app(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def authenticate(
    request: Request,
    settings: Annotated[Settings, Depends(get_settings_from_app)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key_header)],
) -> Client:
    """Check the API key (when keys are configured) and the caller's rate limit."""
    limiter: RateLimiter = request.app.state.rate_limiter
    client_address = request.client.host if request.client else "unknown"
    if settings.api_keys:
        presented = [key for key in (bearer.credentials if bearer else None, api_key) if key]
        valid = next((key for key in presented if _key_matches(key, settings)), None)
        if valid is None:
            # Wrong keys count against the address, so keys cannot be guessed at speed.
            _enforce(limiter, "failed:" + client_address)
            raise HTTPException(
                status_code=401,
                detail="a valid API key is required: send `Authorization: Bearer <key>` "
                "or `X-API-Key: <key>` (ask the administrator for a key)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        client = Client(identity=_fingerprint(valid), authenticated=True)
    else:
        client = Client(identity="ip:" + client_address, authenticated=False)
    _enforce(limiter, client.identity)
    return client


def _enforce(limiter: RateLimiter, identity: str) -> None:
    wait = limiter.acquire(identity)
    if wait > 0:
        retry_after = max(1, math.ceil(wait))
        logger.info("rate limit reached for %s", identity)
        raise HTTPException(
            status_code=429,
            detail=f"too many requests: the limit is {limiter.per_minute} per minute; "
            f"retry in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )


def presents_valid_key(request: Request, settings: Settings) -> bool:
    """Whether the request carries one of the configured keys (for pages that are open
    to everyone but show more to key holders)."""
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    presented = [request.headers.get("x-api-key", "")]
    if scheme.lower() == "bearer":
        presented.append(credentials.strip())
    return any(key and _key_matches(key, settings) for key in presented)


def _key_matches(presented: str, settings: Settings) -> bool:
    given = presented.encode()
    matched = False
    for secret in settings.api_keys:
        # Compare with every key, in constant time, so timing reveals nothing.
        matched |= hmac.compare_digest(given, secret.get_secret_value().encode())
    return matched


Authenticated = Annotated[Client, Depends(authenticate)]


class BodySizeLimit:
    """ASGI middleware answering 413 when a request body exceeds `max_bytes`.

    Checks `Content-Length` first, then counts the bytes actually received (chunked
    uploads have no length), buffering at most `max_bytes`.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._reject(send)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS") and not declared:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._reject(send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, send: Send) -> None:
        message = (
            f"the request body is larger than {self.max_bytes} bytes; "
            "send a shorter question or fewer history turns"
        )
        body = json.dumps(error_body(413, message)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


# The staff page runs only its own script; article text is data, never markup or code.
PAGE_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """Adds `page_headers` to every response except the interactive docs (which load
    Swagger UI's own scripts), and `nosniff` everywhere."""

    def __init__(self, app: ASGIApp, page_headers: dict[str, str]) -> None:
        self.app = app
        self.page_headers = [(k.lower().encode(), v.encode()) for k, v in page_headers.items()]
        self.docs_headers = [(b"x-content-type-options", b"nosniff")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        extra = self.docs_headers if path.startswith(("/docs", "/redoc")) else self.page_headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers.extend(h for h in extra if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
