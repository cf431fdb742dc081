"""Index benchmarks: build throughput per embedder profile, and vector search at scale.

1. Indexing throughput: `update_index` over the demo corpus (demo/corpus.jsonl) from an
   empty index, per embedder profile, with an empty embedding cache: chunks embedded per
   second of the whole build (chunking, embedding, catalog, keyword index, vectors).
2. Vector search alone (the `VectorStore.search` call, one query at a time) at each size
   for exact FAISS (flat), approximate FAISS (HNSW) and Milvus Lite: p50/p95 latency
   unfiltered and under a 1% filter, build time, resident memory of the process (and its
   children: Milvus Lite runs a server process), and recall@k of each store against exact
   search. Vectors are synthetic: a Gaussian mixture (clusters, like real embeddings),
   L2-normalised; queries are noisy copies of stored vectors. For HNSW the efSearch
   sweep shows the latency/recall trade-off on the same graph (default efSearch 128).

Writes bench/results/index.json and prints a table. BENCH_QUICK=1 (or --quick) runs small
sizes. A size whose estimated build time exceeds the budget is skipped and said so.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.faiss_store import FaissStore  # noqa: E402

logger = logging.getLogger("bench.index")
RESULTS = ROOT / "bench" / "results" / "index.json"


# Measuring -----------------------------------------------------------------------------


def _rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def resident_memory() -> int:
    """RSS of this process and its children, in bytes (freed heap returned to the OS first)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    me = os.getpid()
    return _rss_bytes(me) + sum(_rss_bytes(p) for p in _descendants(me))


def percentiles(samples: list[float]) -> dict[str, float]:
    ms = np.array(samples) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p95_ms": round(float(np.percentile(ms, 95)), 3),
    }


# Synthetic data ------------------------------------------------------------------------


def synthetic_vectors(n: int, dim: int, *, seed: int = 0, clusters: int = 1000) -> np.ndarray:
    """A normalised Gaussian mixture, generated in blocks to bound memory."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, dim)).astype(np.float32)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):
        size = min(100_000, n - start)
        block = centres[rng.integers(0, clusters, size)]
        block += 0.6 * rng.standard_normal((size, dim)).astype(np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + size] = block
    return out


def noisy_queries(vectors: np.ndarray, count: int, *, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    picks = vectors[rng.choice(len(vectors), count, replace=False)]
    # Noise of norm about 0.5: a query close to, but not the same as, a stored passage.
    scale = 0.5 / np.sqrt(vectors.shape[1])
    queries = picks + scale * rng.standard_normal(picks.shape).astype(np.float32)
    normalised: np.ndarray = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    return normalised


def exact_neighbours(vectors: np.ndarray, queries: np.ndarray, k: int) -> list[set[int]]:
    found = []
    for query in queries:
        scores = vectors @ query
        found.append(set(np.argpartition(-scores, k)[:k].tolist()))
    return found


# Vector search -------------------------------------------------------------------------


def _time_searches(
    store: Any, queries: np.ndarray, k: int, allowed: np.ndarray | None, budget_seconds: float
) -> tuple[list[float], list[set[int]]]:
    """Latency per query; stops early (after at least 10) when the time budget is spent."""
    store.search(queries[0], k, allowed)  # warm-up
    timings, results = [], []
    spent = 0.0
    for query in queries:
        started = time.perf_counter()
        hits = store.search(query, k, allowed)
        elapsed = time.perf_counter() - started
        timings.append(elapsed)
        results.append({i for i, _ in hits})
        spent += elapsed
        if spent > budget_seconds and len(timings) >= 10:
            break
    return timings, results


def _recall(results: list[set[int]], truth: list[set[int]], k: int) -> float:
    pairs = zip(results, truth[: len(results)], strict=True)
    return round(float(np.mean([len(r & t) / k for r, t in pairs])), 4)


def bench_store(
    kind: str, size: int, dim: int, query_count: int, k: int, workdir: Path
) -> dict[str, Any]:
    """One store at one size, measured in this (fresh) process."""
    vectors = synthetic_vectors(size, dim)
    queries = noisy_queries(vectors, query_count)
    truth = exact_neighbours(vectors, queries, k)
    allowed = np.arange(0, size, 100, dtype=np.int64)  # 1% of the ids
    ids = np.arange(size, dtype=np.int64)
    store: Any
    if kind == "milvus-lite":
        from index.milvus_store import MilvusStore

        store = MilvusStore(str(workdir / "milvus.db"), "bench", dim, create=True)
    else:
        store = FaissStore(dim, kind=kind, expected_size=size)  # type: ignore[arg-type]
    gc.collect()
    baseline = resident_memory()
    started = time.perf_counter()
    store.add(ids, vectors)
    if kind == "milvus-lite":
        store.save(workdir / "milvus-version")  # flushes
    build_seconds = time.perf_counter() - started
    memory = resident_memory() - baseline
    # One thread per query, as when serving concurrent requests (and steadier on a shared box).
    import faiss

    faiss.omp_set_num_threads(1)
    timings, results = _time_searches(store, queries, k, None, 60.0)
    filtered, _ = _time_searches(store, queries[: max(10, len(queries) // 4)], k, allowed, 30.0)
    sweep = []
    if kind == "hnsw":
        # The speed/recall trade-off of the search-time parameter, on the same graph.
        for ef in (32, 64, 128, 256, 512):
            store.ef_search = ef
            ef_timings, ef_results = _time_searches(store, queries, k, None, 20.0)
            sweep.append(
                {
                    "ef_search": ef,
                    **percentiles(ef_timings),
                    f"recall_at_{k}": _recall(ef_results, truth, k),
                }
            )
    return {
        "store": kind,
        "vectors": size,
        "ef_search_sweep": sweep,
        "dimensions": dim,
        "build_seconds": round(build_seconds, 2),
        "resident_memory_mb": round(memory / 2**20, 1),
        "process_rss_mb": round(resident_memory() / 2**20, 1),
        "queries": len(timings),
        "search_threads": 1,
        **percentiles(timings),
        "filtered_1pct": percentiles(filtered),
        f"recall_at_{k}": _recall(results, truth, k),
    }


def _run_one(kind: str, size: int, dim: int, query_count: int, k: int) -> dict[str, Any]:
    """Measure in a child process, so resident memory belongs to this store alone."""
    with tempfile.TemporaryDirectory(prefix="bench-index-") as tmp:
        command = [
            sys.executable,
            __file__,
            "--one",
            kind,
            str(size),
            "--dimensions",
            str(dim),
            "--queries",
            str(query_count),
            "--k",
            str(k),
            "--workdir",
            tmp,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} at {size} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_vectors(
    sizes: list[int],
    dim: int,
    query_count: int,
    k: int,
    stores: list[str],
    budget_seconds: float,
) -> tuple[list[dict[str, Any]], list[str]]:
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    build_rate: dict[str, float] = {}  # vectors per second at the previous size
    for size in sizes:
        for kind in stores:
            if kind in build_rate:
                # Graph builds grow a little faster than linearly: pad the estimate.
                estimate = size / build_rate[kind] * 1.3
                if estimate > budget_seconds:
                    note = (
                        f"{kind} at {size:,} vectors skipped: estimated build "
                        f"{estimate / 60:.0f} min exceeds the {budget_seconds / 60:.0f} min "
                        "budget on this machine"
                    )
                    logger.warning(note)
                    notes.append(note)
                    continue
            logger.info("benchmarking %s at %d vectors", kind, size)
            try:
                row = _run_one(kind, size, dim, query_count, k)
            except RuntimeError as error:
                logger.warning("%s", error)
                notes.append(str(error)[:500])
                continue
            rows.append(row)
            build_rate[kind] = size / max(row["build_seconds"], 1e-3)
            print(_format_row(row), flush=True)
    return rows, notes


# Build throughput ----------------------------------------------------------------------


def _load_demo_articles(store_path: Path) -> int:
    from crawler.models import Article
    from crawler.store import ArticleStore

    count = 0
    with ArticleStore(store_path) as store:
        for line in (ROOT / "demo" / "corpus.jsonl").read_text().splitlines():
            if line.strip():
                data = json.loads(line)
                data.pop("id", None)
                store.add(Article.model_validate(data))
                count += 1
    return count


def bench_build(profiles: list[str], models_dir: Path) -> tuple[list[dict[str, Any]], list[str]]:
    from index.build import update_index

    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        store_path = Path(tmp) / "articles.sqlite"
        articles = _load_demo_articles(store_path)
        for profile in profiles:
            try:
                embedder = _embedder(profile, models_dir, Path(tmp) / f"cache-{profile}.sqlite")
                started = time.perf_counter()
                embedder.embed_queries(["warm-up"])  # model load is not indexing
                load_seconds = time.perf_counter() - started
            except Exception as error:  # a profile that cannot load is reported, not fatal
                note = f"profile {profile} skipped: {error}"
                logger.warning(note)
                notes.append(note)
                continue
            index_dir = Path(tmp) / f"index-{profile}"
            report = update_index(store_path, index_dir, embedder)
            row = {
                "profile": profile,
                "embedder": embedder.name,
                "articles": articles,
                "chunks": report.chunks,
                "model_load_seconds": round(load_seconds, 2),
                "build_seconds": round(report.seconds, 2),
                "chunks_per_second": round(report.chunks / report.seconds, 2),
            }
            rebuilt = update_index(store_path, index_dir, embedder)
            row["no_change_run_seconds"] = round(rebuilt.seconds, 3)
            rows.append(row)
            print(
                f"build {profile:>10}: {row['chunks']} chunks in {row['build_seconds']}s "
                f"= {row['chunks_per_second']} chunks/s (no-change rerun "
                f"{row['no_change_run_seconds']}s)",
                flush=True,
            )
            shutil.rmtree(index_dir, ignore_errors=True)
    return rows, notes


def _embedder(profile: str, models_dir: Path, cache_path: Path) -> Any:
    if profile == "fake-hashing":
        from tests.fakes import HashingEmbedder

        return HashingEmbedder(dimensions=256)
    from index.embed import load_embedder

    return load_embedder(profile, models_dir=models_dir, cache_path=cache_path)


# Output --------------------------------------------------------------------------------


def _format_row(row: dict[str, Any]) -> str:
    recall = next(v for key, v in row.items() if key.startswith("recall"))
    return (
        f"{row['store']:>12} {row['vectors']:>9,} vectors: build {row['build_seconds']:>8}s, "
        f"RSS +{row['resident_memory_mb']:>7} MB, p50 {row['p50_ms']:>8} ms, "
        f"p95 {row['p95_ms']:>8} ms, 1%-filter p50 {row['filtered_1pct']['p50_ms']:>8} ms, "
        f"recall {recall}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_QUICK")))
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--dimensions", type=int, default=256)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--stores", default="flat,hnsw,milvus-lite")
    parser.add_argument("--profiles", default="fake-hashing,e5-small,gemma")
    parser.add_argument("--models-dir", type=Path, default=None)
    parser.add_argument(
        "--budget-minutes",
        type=float,
        default=30.0,
        help="skip a store at a size whose build would take longer",
    )
    parser.add_argument("--one", nargs=2, metavar=("STORE", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args, _unknown = parser.parse_known_args(argv)  # scripts/bench.sh passes args to all
    if args.one:
        row = bench_store(
            args.one[0], int(args.one[1]), args.dimensions, args.queries, args.k, args.workdir
        )
        print(json.dumps(row))
        return 0
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )
    sizes = [2_000, 10_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    queries = 50 if args.quick else args.queries
    models_dir = args.models_dir
    if models_dir is None:
        from api.settings import get_settings

        models_dir = get_settings().models_dir

    build_rows, build_notes = bench_build(args.profiles.split(","), models_dir)
    vector_rows, vector_notes = bench_vectors(
        sizes, args.dimensions, queries, args.k, args.stores.split(","), args.budget_minutes * 60
    )
    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "build_throughput": build_rows,
        "vector_search": vector_rows,
        "notes": build_notes + vector_notes,
        "method": __doc__,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(
        f"\n{'store':>12} {'vectors':>9} {'build s':>8} {'RSS MB':>8} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'1% p50':>8} {'recall':>7}"
    )
    for row in vector_rows:
        recall = next(v for key, v in row.items() if key.startswith("recall"))
        print(
            f"{row['store']:>12} {row['vectors']:>9,} {row['build_seconds']:>8} "
            f"{row['resident_memory_mb']:>8} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['filtered_1pct']['p50_ms']:>8} {recall:>7}"
        )
        for point in row.get("ef_search_sweep", []):
            ef_recall = next(v for key, v in point.items() if key.startswith("recall"))
            print(
                f"{'efSearch ' + str(point['ef_search']):>22} {'':>17} {point['p50_ms']:>8} "
                f"{point['p95_ms']:>8} {'':>8} {ef_recall:>7}"
            )
    for row in build_rows:
        print(
            f"build {row['profile']}: {row['chunks_per_second']} chunks/s "
            f"({row['chunks']} chunks, {row['build_seconds']} s)"
        )
    for note in build_notes + vector_notes:
        print(f"note: {note}")
    print(f"results: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
