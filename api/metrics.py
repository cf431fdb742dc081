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
from typing import TypeVar

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.schemas import CrawlRunOut, IndexInfoOut

logger = logging.getLogger(__name__)

# Request methods get their own label; any other method (clients may invent them) is
# counted as OTHER, so label sets stay a closed, small set whatever clients send.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

State = TypeVar("State", IndexInfoOut, CrawlRunOut)


class StateCollector(Collector):
    """Reads index and crawl figures at scrape time (they change without a restart)."""

    def __init__(
        self,
        index_info: Callable[[], IndexInfoOut | None],
        last_crawl: Callable[[], CrawlRunOut | None],
    ) -> None:
        self._index_info = index_info
        self._last_crawl = last_crawl

    def collect(self) -> Iterator[Metric]:
        info = _safely(self._index_info)
        up = GaugeMetricFamily("policyqa_index_ready", "1 when an index is loaded and queryable.")
        up.add_metric([], 1.0 if info is not None else 0.0)
        yield up
        sizes = GaugeMetricFamily(
            "policyqa_index_size", "Items in the current index version.", labels=["kind"]
        )
        for kind, value in (
            ("articles", info.articles if info else None),
            ("chunks", info.chunks if info else None),
        ):
            if value is not None:
                sizes.add_metric([kind], float(value))
        yield sizes
        labels = {
            name: str(value)
            for name, value in (
                ("version", info.version if info else None),
                ("embedder", info.embedder if info else None),
            )
            if value is not None
        }
        if labels:
            version = GaugeMetricFamily(
                "policyqa_index_info", "The current index version.", labels=list(labels)
            )
            version.add_metric(list(labels.values()), 1.0)
            yield version

        crawl = _safely(self._last_crawl)
        counters = GaugeMetricFamily(
            "policyqa_last_crawl", "Figures of the last crawl run, by field.", labels=["field"]
        )
        figures = crawl.model_dump() if crawl else {}
        for field, value in sorted(figures.items()):
            if isinstance(value, int | float):  # bools count as 0/1
                counters.add_metric([field], float(value))
        yield counters


def _safely(read: Callable[[], State | None]) -> State | None:
    try:
        return read()
    except Exception as error:  # a scrape must never fail because the index is missing
        logger.debug("metrics: could not read state: %s", error)
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

    def count_answer(self, endpoint: str, *, refused: bool) -> None:
        self.answers.labels(endpoint, str(refused).lower()).inc()

    def watch_state(
        self,
        index_info: Callable[[], IndexInfoOut | None],
        last_crawl: Callable[[], CrawlRunOut | None],
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
