"""uvicorn's settings for `policyqa serve`, and an HTTP/1.1 protocol that keeps slow or
greedy clients from starving everyone else.

uvicorn bounds the idle time between requests (keep-alive) but not the time a client may
take to send a request: 200 connections that each send half a request line held every
slot of `limit_concurrency`. `GuardedH11Protocol` adds

- a header deadline: the request line and headers must arrive within
  `header_timeout_seconds` of the connection (or of the first byte of the next request);
- a body deadline: the whole body within `body_timeout_seconds` of the headers;
- a cap on simultaneous connections per client address (trusted proxies are exempt:
  they carry many clients).

A connection that misses a deadline or exceeds the cap is closed.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections import Counter
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.settings import Settings


class GuardedH11Protocol(H11Protocol):
    """Used as is (by import string, in `--workers` processes) it takes its limits from
    the environment's settings; `guarded_protocol` makes a subclass with given ones."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_per_client: int = 32
    exempt: frozenset[str] = frozenset()
    # Open connections per peer address, shared by the connections of one server class.
    open_per_client: Counter[str] = Counter()
    _configured = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        if not cls._configured:
            from api.settings import get_settings

            _configure(cls, get_settings())
        super().__init__(*args, **kwargs)

    _read_timer: asyncio.TimerHandle | None = None
    _timer_kind: str | None = None
    _counted: str | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        peer = self.client[0] if self.client else None
        if peer is not None and peer not in self.exempt:
            self._counted = peer
            self.open_per_client[peer] += 1
            if self.open_per_client[peer] > self.max_per_client:
                self.logger.warning("too many connections from %s; closing one", peer)
                transport.close()
                return
        self._arm("headers", self.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._counted is not None:
            self.open_per_client[self._counted] -= 1
            if self.open_per_client[self._counted] <= 0:
                del self.open_per_client[self._counted]
            self._counted = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow_state()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow_state()

    def _follow_state(self) -> None:
        """Arm the deadline that matches what the client still has to send."""
        if self.transport.is_closing():
            self._disarm()
            return
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            if self._timer_kind != "body":
                self._arm("body", self.body_timeout)
        elif state is h11.IDLE and self.conn.trailing_data[0]:
            if self._timer_kind != "headers":  # part of the next request has arrived
                self._arm("headers", self.header_timeout)
        else:
            self._disarm()  # nothing owed (or idle: uvicorn's keep-alive timer applies)

    def _arm(self, kind: str, seconds: float) -> None:
        self._disarm()
        self._timer_kind = kind
        self._read_timer = self.loop.call_later(seconds, self._too_slow, kind)

    def _disarm(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
        self._read_timer = None
        self._timer_kind = None

    def _too_slow(self, kind: str) -> None:
        self._read_timer = None
        self._timer_kind = None
        if self.transport.is_closing():
            return
        state = self.conn.their_state
        owed = state is h11.SEND_BODY if kind == "body" else state is h11.IDLE
        if owed:
            self.logger.info("closing a connection that sent its request %s too slowly", kind)
            self.transport.close()


def _configure(cls: type[GuardedH11Protocol], settings: Settings) -> None:
    cls.header_timeout = settings.header_timeout_seconds
    cls.body_timeout = settings.body_timeout_seconds
    cls.max_per_client = settings.max_connections_per_client
    cls.exempt = frozenset(_addresses(settings.trusted_proxies))
    cls.open_per_client = Counter()
    cls._configured = True


def guarded_protocol(settings: Settings) -> type[GuardedH11Protocol]:
    """A protocol class carrying this server's limits (uvicorn instantiates it per
    connection, passing only its own config)."""
    protocol = type("PolicyqaH11Protocol", (GuardedH11Protocol,), {})
    _configure(protocol, settings)
    return protocol


def _addresses(entries: list[str]) -> list[str]:
    """Literal addresses among the trusted proxies (networks are matched by uvicorn)."""
    found = []
    for entry in entries:
        try:
            found.append(str(ipaddress.ip_address(entry.strip())))
        except ValueError:
            continue
    return found


def server_options(settings: Settings, *, workers: bool = False) -> dict[str, Any]:
    """uvicorn.Config keyword arguments shared by `policyqa serve` and the fuzz harness.
    Worker processes import the protocol by name (a class made here cannot be sent to
    them) and read the same settings from the environment."""
    return {
        "http": "api.http_server:GuardedH11Protocol" if workers else guarded_protocol(settings),
        "timeout_keep_alive": 5,
        "timeout_graceful_shutdown": 10,
        "limit_concurrency": 200,
        "server_header": False,
        # Forwarded headers only from configured proxies: from anyone else (loopback
        # included) they would let a client choose the address it is rate-limited by.
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": ",".join(settings.trusted_proxies) or "",
        # The biggest request head h11 buffers (the default is 16 KiB).
        "h11_max_incomplete_event_size": 16 * 1024,
    }
