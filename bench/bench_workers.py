"""Workers benchmark: `/search` and `/ask` requests per second with `policyqa serve
--workers 1` and `--workers 2`, on the demo corpus, with the same load.

The demo corpus is imported and indexed once (e5-small unless --embedder says otherwise);
then for each worker count a server starts on a free loopback port, is warmed up with
every question once, and takes `--requests` requests from `--clients` concurrent clients
(one connection each) per endpoint. The load generator shares the machine's cores with the
server, which is part of what the figures say.

Writes bench/results/workers.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_api import Server, load_questions, prepare_home, run_load  # noqa: E402
from bench.bench_scale import _tree_rss  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "workers.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument(
        "--models-dir",
        type=Path,
        default=Path(os.environ.get("POLICYQA_HOME", ROOT / "data")) / "models",
        help="Where the provisioned embedding models are (default $POLICYQA_HOME/models).",
    )
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=80)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    questions = load_questions()

    def ask(client: httpx.Client, i: int) -> httpx.Response:
        return client.post("/ask", json=questions[i % len(questions)])

    def search(client: httpx.Client, i: int) -> httpx.Response:
        return client.get("/search", params={"q": questions[i % len(questions)]["question"]})

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="policyqa-bench-workers-") as home:
        prepare_home(Path(home), args.embedder, args.models_dir)
        for workers in [int(w) for w in args.workers.split(",")]:
            server = Server(Path(home), args.embedder, workers)
            try:
                server.wait_ready()
                run_load(server.url, ask, len(questions), workers, {})  # warm every worker
                results[f"{workers}_workers"] = {
                    "search": run_load(server.url, search, args.requests, args.clients, {}),
                    "ask": run_load(server.url, ask, args.requests, args.clients, {}),
                    "server_rss_mb": round(_tree_rss(server.process.pid) / 2**20),
                    "load_average": os.getloadavg()[0],
                }
            finally:
                server.stop()
    report = {
        "benchmark": "workers",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, shared; load average at each run in the rows",
        "embedder": args.embedder,
        "clients": args.clients,
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{'workers':<10} {'search req/s':>12} {'ask req/s':>10} {'RSS MB':>7} {'load':>5}")
    for name, row in results.items():
        print(
            f"{name:<10} {row['search']['requests_per_second']:>12} "
            f"{row['ask']['requests_per_second']:>10} {row['server_rss_mb']:>7} "
            f"{row['load_average']:>5.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
