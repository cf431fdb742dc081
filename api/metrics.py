"""Prometheus metrics: requests and latencies by route, answers, index size and the last
crawl. Each app has its own registry, so several apps (tests) never share counters.

Under `policyqa serve --workers N` (PROMETHEUS_MULTIPROC_DIR set before any worker
starts) prometheus_client keeps the counters in files shared by the workers, and a page
renders their sum over every worker, plus this worker's view of the index and crawl.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

# Request methods get their own label; any other method (clients may invent them) is
# counted as OTHER, so label sets stay a closed, small set whatever clients send.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class StateCollector(Collector):
    """Reads index and crawl figures at scrape time (they change without a restart)."""

    def __init__(
        self,
        index_info: Callable[[], dict[str, Any] | None],
        last_crawl: Callable[[], dict[str, Any] | None],
    ) -> None:
        self._index_info = index_info
        self._last_crawl = last_crawl

    def collect(self) -> Iterator[Metric]:
        info = _safely(self._index_info) or {}
        up = GaugeMetricFamily("policyqa_index_ready", "1 when an index is loaded and queryable.")
        up.add_metric([], 1.0 if info else 0.0)
        yield up
        sizes = GaugeMetricFamily(
            "policyqa_index_size", "Items in the current index version.", labels=["kind"]
        )
        for kind, keys in (
            ("articles", ("articles", "article_count", "n_articles")),
            ("chunks", ("chunks", "chunk_count", "n_chunks")),
        ):
            value = _first_number(info, keys)
            if value is not None:
                sizes.add_metric([kind], value)
        yield sizes
        labels = {k: str(info[k]) for k in ("version", "embedder") if info.get(k) is not None}
        if labels:
            version = GaugeMetricFamily(
                "policyqa_index_info", "The current index version.", labels=list(labels)
            )
            version.add_metric(list(labels.values()), 1.0)
            yield version

        crawl = _safely(self._last_crawl) or {}
        counters = GaugeMetricFamily(
            "policyqa_last_crawl", "Figures of the last crawl run, by field.", labels=["field"]
        )
        for field, value in sorted(crawl.items()):
            if isinstance(value, int | float):  # bools count as 0/1
                counters.add_metric([field], float(value))
        yield counters


def _safely(read: Callable[[], dict[str, Any] | None]) -> dict[str, Any] | None:
    try:
        return read()
    except Exception as error:  # a scrape must never fail because the index is missing
        logger.debug("metrics: could not read state: %s", error)
        return None


def _first_number(info: dict[str, Any], keys: tuple[str, ...]) -> float | None:
    for key in keys:
        value = info.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._state: StateCollector | None = None
        self.requests = Counter(
            "policyqa_http_requests",
            "HTTP requests by method, route and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "policyqa_http_request_duration_seconds",
            "Time from request to the end of the response, by route.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.answers = Counter(
            "policyqa_answers",
            "Answers given, by endpoint and whether the question was refused.",
            ["endpoint", "refused"],
            registry=self.registry,
        )

    def watch_state(
        self,
        index_info: Callable[[], dict[str, Any] | None],
        last_crawl: Callable[[], dict[str, Any] | None],
    ) -> None:
        self._state = StateCollector(index_info, last_crawl)
        self.registry.register(self._state)

    def render(self) -> bytes:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            combined = CollectorRegistry()
            multiprocess.MultiProcessCollector(combined)
            if self._state is not None:
                combined.register(self._state)
            return generate_latest(combined)
        return generate_latest(self.registry)


class MetricsMiddleware:
    """Counts requests and measures latency, labelled by route template (not raw path;
    unmatched paths share one label) and by method from `KNOWN_METHODS`."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or (
                "/static" if scope.get("path", "").startswith("/static/") else "unmatched"
            )
            method = scope.get("method", "GET")
            method = method if method in KNOWN_METHODS else "OTHER"
            self.metrics.requests.labels(method, template, str(status)).inc()
            self.metrics.latency.labels(method, template).observe(time.perf_counter() - started)
