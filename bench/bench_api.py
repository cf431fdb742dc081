"""API benchmark: `POST /ask` and `GET /search` latency (p50/p95) and throughput with
concurrent clients, against a real `policyqa serve` process.

By default the demo corpus (demo/corpus.jsonl) is imported into a temporary home, indexed
with the chosen embedder (`e5-small` unless --embedder says otherwise; the index build's
time and size on disk are reported) and served on a free loopback port; the load comes
from this process (one HTTP client per thread), so client and server do not share an
interpreter. `--url` measures a server already running.

Measurements, in order:
- `ask_cold`: after a warm-up on other questions (demo/questions_holdout.jsonl: models
  loaded, lazy tables built), each development question (demo/questions.jsonl) is asked
  once, by one client: the latency of a question the server has not seen.
- `ask_1_client`, `ask_<n>_clients`: the same questions again, repeated (warm).
- `search_<n>_clients`: `GET /search`.

Writes bench/results/api-<embedder>.json and prints a table. BENCH_QUICK=1 (or --quick)
sends fewer requests in the warm measurements (the cold pass always asks every question).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

logger = logging.getLogger("bench.api")
RESULTS_DIR = ROOT / "bench" / "results"
CORPUS = ROOT / "demo" / "corpus.jsonl"
QUESTIONS = ROOT / "demo" / "questions.jsonl"
WARMUP_QUESTIONS = ROOT / "demo" / "questions_holdout.jsonl"
WARMUP_COUNT = 5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    """Request bodies for a question set, with their filters and history."""
    bodies = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        body: dict[str, Any] = {"question": item["question"]}
        filters = {k: v for k, v in (item.get("filters") or {}).items() if v}
        if filters:
            body["filters"] = filters
        if item.get("history"):
            body["history"] = item["history"]
        bodies.append(body)
    return bodies


def _disk_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def prepare_home(home: Path, embedder: str, models_dir: Path) -> dict[str, Any]:
    """Import the demo corpus and build the index, as `policyqa import` and `index` do;
    returns the build's time and what it left on disk."""
    from api.commands_crawl import import_articles
    from api.commands_index import build_index
    from api.settings import Settings
    from index.reader import current_version, version_dir

    if models_dir.exists():
        # The provisioned weights, shared rather than copied.
        (home / "models").symlink_to(models_dir.resolve(), target_is_directory=True)
    settings = Settings(home=home, embedder=embedder)
    import_articles(settings, path=CORPUS)
    started = time.perf_counter()
    build_index(settings)
    seconds = time.perf_counter() - started
    logger.info("index built in %.1f s", seconds)
    version = current_version(settings.index_dir)
    assert version is not None
    folder = version_dir(settings.index_dir, version)
    files = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()}
    return {
        "build_seconds": round(seconds, 2),
        "version_bytes": _disk_bytes(folder),
        "version_files_bytes": files,
        # The SQLite file and its write-ahead log.
        "embed_cache_bytes": sum(
            _disk_bytes(p) for p in home.glob(f"{settings.embed_cache_path.name}*")
        ),
        "note": "first build of the demo corpus into an empty home (model load included); "
        "the embedding cache is shared by index builds and the API",
    }


class Server:
    """`policyqa serve` in a child process on a free loopback port."""

    def __init__(self, home: Path, embedder: str, workers: int = 1) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "POLICYQA_HOME": str(home),
            "POLICYQA_EMBEDDER": embedder,
            "POLICYQA_RATE_LIMIT_PER_MINUTE": "0",
            "POLICYQA_LOG_LEVEL": "WARNING",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "api.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_ready(self, timeout: float = 300.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                stderr = self.process.stderr.read() if self.process.stderr else ""
                raise RuntimeError(f"the server exited: {stderr[-2000:]}")
            try:
                health = httpx.get(f"{self.url}/health", timeout=5).json()
                if health.get("status") == "ok":
                    return dict(health)
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError("the server did not become ready in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run_load(
    url: str, make_request: Any, total: int, clients: int, headers: dict[str, str]
) -> dict[str, Any]:
    """`total` requests spread over `clients` threads, each with its own connection."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                started = time.perf_counter()
                try:
                    status = str(make_request(client, i).status_code)
                except httpx.HTTPError as error:
                    status = type(error).__name__
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(worker) for _ in range(clients)]:
            future.result()
    wall = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": total,
        "statuses": statuses,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "requests_per_second": round(total / wall, 2) if wall else None,
        "seconds": round(wall, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="Benchmark a running server instead of starting one.")
    parser.add_argument("--api-key", default=os.environ.get("POLICYQA_BENCH_API_KEY"))
    parser.add_argument("--embedder", default="e5-small", help="Embedder profile to index with.")
    parser.add_argument(
        "--models-dir",
        type=Path,
        default=Path(os.environ.get("POLICYQA_HOME", ROOT / "data")) / "models",
        help="Where the provisioned embedding models are (default $POLICYQA_HOME/models).",
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--requests",
        type=int,
        default=None,
        help="Requests per measurement (default 160, 48 with --quick).",
    )
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_QUICK")))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    total = args.requests or (48 if args.quick else 160)
    headers = {"X-API-Key": args.api_key} if args.api_key else {}

    questions = load_questions()
    warmup = load_questions(WARMUP_QUESTIONS)[:WARMUP_COUNT]

    def ask(client: httpx.Client, i: int) -> httpx.Response:
        return client.post("/ask", json=questions[i % len(questions)])

    def ask_warmup(client: httpx.Client, i: int) -> httpx.Response:
        return client.post("/ask", json=warmup[i])

    def search(client: httpx.Client, i: int) -> httpx.Response:
        return client.get(
            "/search", params={"q": questions[i % len(questions)]["question"], "k": 10}
        )

    server: Server | None = None
    index_build: dict[str, Any] | None = None
    with tempfile.TemporaryDirectory(prefix="policyqa-bench-api-") as home:
        try:
            if args.url:
                url = args.url.rstrip("/")
                health = httpx.get(f"{url}/health", headers=headers, timeout=10).json()
            else:
                index_build = prepare_home(Path(home), args.embedder, args.models_dir)
                server = Server(Path(home), args.embedder)
                health = server.wait_ready()
                url = server.url
            logger.info("server ready: %s", json.dumps(health.get("index"), default=str))

            # Warm-up on other questions: models and lazy tables loaded, nothing of the
            # measured questions seen.
            run_load(url, ask_warmup, len(warmup), 1, headers)
            results = {
                "ask_cold": run_load(url, ask, len(questions), 1, headers),
                "ask_1_client": run_load(url, ask, max(16, total // 4), 1, headers),
                f"ask_{args.clients}_clients": run_load(url, ask, total, args.clients, headers),
                f"search_{args.clients}_clients": run_load(
                    url, search, total, args.clients, headers
                ),
            }
            server_rss = _rss_bytes(server.process.pid) if server else None
        finally:
            if server is not None:
                server.stop()

    report = {
        "benchmark": "api",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "server": args.url or "policyqa serve (child process, demo corpus)",
        "embedder": (health.get("index") or {}).get("embedder") or health.get("embedder"),
        "index": health.get("index"),
        "questions": len(questions),
        "index_build": index_build,
        "server_rss_mb": round(server_rss / 2**20, 1) if server_rss else None,
        "results": results,
        "load_average": _load_average(),
        "notes": "Latency is measured by the client, per request, over loopback; the "
        "2 cores are shared by the server and the load generator. ask_cold: each "
        "question asked once after a warm-up on other questions.",
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    profile = args.embedder if not args.url else "url"
    results_path = RESULTS_DIR / f"api-{profile}.json"
    results_path.write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )

    print(f"{'measurement':<22} {'req':>5} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}  statuses")
    for name, row in results.items():
        print(
            f"{name:<22} {row['requests']:>5} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['requests_per_second']:>7}  {row['statuses']}"
        )
    if index_build:
        print(
            f"index build {index_build['build_seconds']} s, version folder "
            f"{index_build['version_bytes'] / 2**20:.1f} MiB, embedding cache "
            f"{index_build['embed_cache_bytes'] / 2**20:.1f} MiB"
        )
    print(f"results: {results_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
