"""Scale benchmark: the real import -> index -> serve path at 10k, 100k and 1M chunks.

The corpus is synthetic, made from the demo articles (demo/corpus.jsonl): each article
recombines paragraphs of demo articles in one language, moved to another province (its
name replaces the original's), another date and another document number, so chunks are
distinct texts with the shape of real ones. No model is needed: the `hashing` embedder
profile (768 dimensions, load tests only) stands in, so the figures measure the pipeline,
the vector index and the API, not an embedding model.

For each size: `policyqa import` and `policyqa index` run as child processes (build
throughput = chunks in the index / seconds of `policyqa index`); `policyqa serve` starts
on a free loopback port and answers 50 `/search` and 50 `/ask` requests, one at a time,
each a question it has not seen (a demo question moved to another province): p50/p95.
Then the server's resident memory, the disk used by store and index, and recall@10 of the
served vector index against exact search over the same vectors (50 query vectors). When
the served index is HNSW, the same graph is searched at several efSearch, and HNSW graphs
built with other M and efConstruction over the same vectors are timed and scored too
(`--hnsw-grid`, sizes of 20k chunks and more): the sweep that chooses the index defaults.

`--mode distributed` runs the same path with the article store in PostgreSQL (a private
cluster started for the run, as the tests start one) and the vectors in Milvus Lite
(`POLICYQA_VECTOR_BACKEND=milvus`); its disk figure adds the PostgreSQL database's size
and recall against exact search is not measured (Milvus Lite searches exactly at these
sizes). Results are stored under "<size>-distributed".

Writes bench/results/scale.json (merged per size) and prints a table.
Sizes: --sizes 10000,100000 (default 10000,100000); the 1M size is asked for explicitly.
Run it niced: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_api import Server, percentile  # noqa: E402

logger = logging.getLogger("bench.scale")
RESULTS = ROOT / "bench" / "results" / "scale.json"
CORPUS = ROOT / "demo" / "corpus.jsonl"
QUESTIONS = [ROOT / "demo" / "questions.jsonl", ROOT / "demo" / "questions_holdout.jsonl"]
EMBEDDER = "hashing"
PROVINCES = [
    "Lâm Đồng", "Đắk Lắk", "Khánh Hòa", "Gia Lai", "Bình Định", "Quảng Nam", "Đà Nẵng",
    "Huế", "Nghệ An", "Thanh Hóa", "Hà Tĩnh", "Quảng Ninh", "Hải Phòng", "Hà Nội",
    "Bắc Ninh", "Thái Nguyên", "Lào Cai", "Sơn La", "Điện Biên", "Cần Thơ", "An Giang",
    "Cà Mau", "Đồng Nai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Hưng Yên", "Ninh Bình",
    "Phú Thọ", "Tuyên Quang", "Cao Bằng", "Lạng Sơn", "Quảng Ngãi", "Quảng Trị",
]  # fmt: skip
SOURCE_PROVINCE = ("Lâm Đồng", "Lam Dong", "Лам Донг", "Лам Донґ")


def _unaccented(name: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if unicodedata.category(c) != "Mn")


def _demo_articles() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]


def _move(text: str, province: str) -> str:
    """The text as if written about `province` (Vietnamese or unaccented spelling)."""
    for name in SOURCE_PROVINCE:
        text = text.replace(name, province if name == "Lâm Đồng" else _unaccented(province))
    return text


def synthetic_articles(count: int, seed: int = 13) -> Any:
    """`count` articles recombined from the demo corpus, deterministic for a seed."""
    rng = random.Random(seed)
    by_lang: dict[str, list[dict[str, Any]]] = {}
    for article in _demo_articles():
        by_lang.setdefault(article.get("lang") or "vi", []).append(article)
    languages = sorted(by_lang)
    weights = [len(by_lang[lang]) for lang in languages]
    start = date(2023, 1, 1)
    for n in range(count):
        lang = rng.choices(languages, weights)[0]
        pool = by_lang[lang]
        base = rng.choice(pool)
        province = rng.choice(PROVINCES)
        paragraphs = [p for a in rng.sample(pool, min(3, len(pool))) for p in a["paragraphs"]]
        rng.shuffle(paragraphs)
        paragraphs = [_move(p, province) for p in paragraphs[: rng.randint(4, 9)]]
        number = f"{rng.randint(1, 999)}/{rng.choice(['KH', 'QĐ', 'NQ', 'CT'])}-UBND"
        paragraphs.append(f"{_move(base['title'], province)} ({number}).")
        published = start + timedelta(days=rng.randint(0, 1000))
        yield {
            "url": f"https://{base['site']}/bench/{published:%Y%m}/{n}-{rng.getrandbits(32):08x}/",
            "site": base["site"],
            "lang": lang,
            "title": f"{_move(base['title'], province)} ({number})",
            "paragraphs": paragraphs,
            "published": f"{published.isoformat()}T08:00:00+07:00",
            "province": province,
        }


def chunks_per_article(sample: int = 300) -> float:
    from crawler.models import Article
    from index.chunk import chunk
    from index.profiles import profile_named

    profile = profile_named(EMBEDDER)
    assert profile is not None
    total = 0
    for item in synthetic_articles(sample, seed=99):
        text = "\n\n".join(item["paragraphs"])
        article = Article.model_validate({**item, "text": text}).with_identity()
        total += len(chunk(article, target_chars=profile.target_chars, max_chars=profile.max_chars))
    return total / sample


def cold_questions(count: int, seed: int = 7) -> list[str]:
    """Demo questions moved to other provinces: distinct texts the server has not seen."""
    rng = random.Random(seed)
    base = [
        json.loads(line)["question"]
        for path in QUESTIONS
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        question = _move(rng.choice(base), rng.choice(PROVINCES))
        if question not in seen:
            seen.add(question)
            out.append(question)
    return out


def _run(home: Path, *args: str, env: dict[str, str]) -> dict[str, float]:
    """Run `policyqa ARGS`; its wall seconds, CPU seconds (with its worker processes) and
    peak resident memory (the largest of its processes)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", *args],
            cwd=ROOT,
            env={**env, "POLICYQA_HOME": str(home)},
            stdout=out,
            stderr=err,
            text=True,
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"policyqa {' '.join(args)} failed:\n{err.read()[-3000:]}")
        logger.info("policyqa %s: %s", args[0], out.read().strip()[-300:])
    return {
        "seconds": wall,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and its descendants (uvicorn workers)."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(
                int(line.split()[1]) * 1024
                for line in status.splitlines()
                if line.startswith("VmRSS:")
            )
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            todo.extend(int(child) for child in children)
        except (OSError, StopIteration):
            continue
    return total


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _timed(client: httpx.Client, method: str, url: str, **kwargs: Any) -> float:
    started = time.perf_counter()
    response = client.request(method, url, **kwargs)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:300]}")
    return elapsed * 1000


def recall_against_exact(
    home: Path,
    questions: list[str],
    k: int = 10,
    hnsw_grid: tuple[tuple[int, int], ...] = (),
) -> dict[str, Any]:
    """recall@k of the served vector index against exact inner-product search; with
    `hnsw_grid`, also of HNSW graphs built other ways over the same vectors."""
    from index.embed import HashingEmbedder
    from index.faiss_store import FaissStore
    from index.reader import current_version, version_dir

    index_dir = home / "index"
    version = current_version(index_dir)
    assert version is not None
    store = FaissStore.load(version_dir(index_dir, version))
    queries = HashingEmbedder().embed_queries(questions)
    served = [[chunk_id for chunk_id, _ in store.search(q, k, None)] for q in queries]
    ids = store.ids()
    best_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_ids = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(ids), 50_000):
        part = ids[start : start + 50_000]
        vectors = store.reconstruct(part)
        scores = queries @ vectors.T
        merged_scores = np.concatenate([best_scores, scores], axis=1)
        merged_ids = np.concatenate([best_ids, np.broadcast_to(part, scores.shape)], axis=1)
        order = np.argsort(-merged_scores, axis=1)[:, :k]
        best_scores = np.take_along_axis(merged_scores, order, axis=1)
        best_ids = np.take_along_axis(merged_ids, order, axis=1)
    hits = sum(len(set(s) & set(e.tolist())) for s, e in zip(served, best_ids, strict=True))
    result: dict[str, Any] = {
        "recall_at_10": round(hits / (k * len(queries)), 4),
        "index_kind": store.kind,
    }
    if store.kind == "hnsw":
        # The latency/recall trade-off of the same graph: efSearch is a reader setting.
        sweep = {}
        for ef in (128, 256, 512):
            tuned = FaissStore.load(version_dir(index_dir, version), ef_search=ef)
            started = time.perf_counter()
            found = [[chunk_id for chunk_id, _ in tuned.search(q, k, None)] for q in queries]
            per_query_ms = (time.perf_counter() - started) * 1000 / len(queries)
            got = sum(len(set(f) & set(e.tolist())) for f, e in zip(found, best_ids, strict=True))
            sweep[str(ef)] = {
                "recall_at_10": round(got / (k * len(queries)), 4),
                "mean_ms": round(per_query_ms, 2),
            }
        result["hnsw_ef_search_sweep"] = sweep
    if hnsw_grid and len(ids) >= 20_000:
        result["hnsw_graph_sweep"] = hnsw_graph_sweep(store, ids, queries, best_ids, hnsw_grid, k)
    return result


# (M, efConstruction) pairs for the graph sweep; each is searched at every efSearch below.
HNSW_GRID = ((32, 80), (32, 200), (48, 200), (64, 200))
HNSW_EF_SEARCH = (128, 256, 512, 1024)


def hnsw_graph_sweep(
    store: Any,
    ids: np.ndarray,
    queries: np.ndarray,
    exact: np.ndarray,
    grid: tuple[tuple[int, int], ...],
    k: int,
) -> dict[str, Any]:
    """recall@k against exact search and time per query of HNSW graphs built with other
    M and efConstruction over the same vectors, at several efSearch: what to choose
    for large indexes. One query at a time, as the server searches."""
    import faiss

    vectors = np.vstack(
        [store.reconstruct(ids[s : s + 50_000]) for s in range(0, len(ids), 50_000)]
    )
    out: dict[str, Any] = {}
    for m, ef_construction in grid:
        base = faiss.IndexHNSWFlat(vectors.shape[1], m, faiss.METRIC_INNER_PRODUCT)
        base.hnsw.efConstruction = ef_construction
        graph = faiss.IndexIDMap2(base)
        started = time.perf_counter()
        graph.add_with_ids(vectors, ids)
        build_s = time.perf_counter() - started
        row: dict[str, Any] = {"build_seconds": round(build_s, 1)}
        for ef in HNSW_EF_SEARCH:
            params = faiss.SearchParametersHNSW(efSearch=max(ef, k))  # type: ignore[attr-defined]
            times: list[float] = []
            hits = 0
            for query, truth in zip(queries, exact, strict=True):
                started = time.perf_counter()
                _, labels = graph.search(query.reshape(1, -1), k, params=params)
                times.append((time.perf_counter() - started) * 1000)
                hits += len(set(labels[0].tolist()) & set(truth.tolist()))
            row[f"ef_search_{ef}"] = {
                "recall_at_10": round(hits / (k * len(queries)), 4),
                "p50_ms": round(percentile(times, 0.5), 2),
                "p95_ms": round(percentile(times, 0.95), 2),
            }
        out[f"M{m}_efC{ef_construction}"] = row
        logger.info("HNSW M=%d efConstruction=%d: %s", m, ef_construction, json.dumps(row))
        del graph, base
    return out


@contextmanager
def distributed_settings() -> Iterator[dict[str, str]]:
    """Settings for the distributed mode: a fresh database on a private PostgreSQL
    cluster for the store, Milvus Lite (a file in the home) for the vectors."""
    from tests.postgres_server import fresh_database, private_cluster

    with private_cluster() as server, fresh_database(server) as url:
        yield {"POLICYQA_STORE_URL": url, "POLICYQA_VECTOR_BACKEND": "milvus"}


def _database_bytes(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0


def run_size(
    chunks: int,
    per_article: float,
    workdir: Path,
    workers: int,
    hnsw_grid: tuple[tuple[int, int], ...] = (),
    settings: dict[str, str] | None = None,
) -> dict[str, Any]:
    settings = settings or {}
    home = workdir / f"home-{chunks}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    articles = max(1, round(chunks / per_article))
    corpus = workdir / f"corpus-{chunks}.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for item in synthetic_articles(articles):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    env = {
        **os.environ,
        "POLICYQA_EMBEDDER": EMBEDDER,
        "POLICYQA_LOG_LEVEL": "WARNING",
        "POLICYQA_RATE_LIMIT_PER_MINUTE": "0",
        **settings,
    }
    logger.info("%d chunks: importing %d articles", chunks, articles)
    import_s = _run(home, "import", str(corpus), env=env)["seconds"]
    logger.info("%d chunks: indexing", chunks)
    load_before_index = os.getloadavg()[0]
    indexing = _run(home, "index", env=env)
    index_s = indexing["seconds"]
    from index.reader import current_version, read_manifest, version_dir

    version = current_version(home / "index")
    assert version is not None
    manifest = read_manifest(version_dir(home / "index", version))
    questions = cold_questions(100)
    os.environ["POLICYQA_EMBEDDER"] = EMBEDDER
    os.environ.update(settings)  # the server reads the same store and vectors
    server = Server(home, EMBEDDER)
    try:
        server.wait_ready(timeout=1800)
        search_ms: list[float] = []
        ask_ms: list[float] = []
        with httpx.Client(base_url=server.url, timeout=120) as client:
            for question in questions[:50]:
                search_ms.append(_timed(client, "GET", "/search", params={"q": question, "k": 10}))
            for question in questions[50:]:
                ask_ms.append(_timed(client, "POST", "/ask", json={"question": question}))
        rss = _tree_rss(server.process.pid)
    finally:
        server.stop()
    recall: dict[str, Any] = (
        recall_against_exact(home, questions[:50], hnsw_grid=hnsw_grid)
        if manifest.backend == "faiss"
        else {"index_kind": manifest.backend}
    )
    # Single: the SQLite store and the index folder. Distributed: the PostgreSQL database,
    # and everything in the home (index folder and the Milvus Lite file).
    store_url = settings.get("POLICYQA_STORE_URL")
    index_bytes = _du(home) if store_url else _du(home / "index")
    store_bytes = _database_bytes(store_url) if store_url else _du(home) - index_bytes
    result = {
        "chunks": manifest.chunks,
        "articles": manifest.articles,
        "import_seconds": round(import_s, 1),
        "index_seconds": round(index_s, 1),
        "build_chunks_per_second": round(manifest.chunks / index_s, 1),
        # What the build costs whatever else the machine runs: chunks per CPU second of
        # `policyqa index` and its workers, and its peak memory.
        "index_cpu_seconds": round(indexing["cpu_seconds"], 1),
        "build_chunks_per_cpu_second": round(manifest.chunks / indexing["cpu_seconds"], 1),
        "index_peak_rss_mb": round(indexing["peak_rss_mb"]),
        "load_average_before_index": load_before_index,
        "search_p50_ms": round(percentile(search_ms, 0.5), 1),
        "search_p95_ms": round(percentile(search_ms, 0.95), 1),
        "ask_p50_ms": round(percentile(ask_ms, 0.5), 1),
        "ask_p95_ms": round(percentile(ask_ms, 0.95), 1),
        "server_rss_mb": round(rss / 2**20),
        "disk_mb": {
            "store": round(store_bytes / 2**20),
            "index": round(index_bytes / 2**20),
        },
        **recall,
        "vector_index": manifest.vector_index,
        "load_average_after": os.getloadavg()[0],
        "mode": "distributed" if settings else "single",
    }
    logger.info("%d chunks: %s", chunks, json.dumps(result))
    return result


@contextmanager
def _no_settings() -> Iterator[dict[str, str]]:
    yield {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SCALE_SIZES", "10000,100000"))
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="Keep the homes afterwards.")
    parser.add_argument(
        "--hnsw-grid",
        default=",".join(f"{m}:{ef}" for m, ef in HNSW_GRID),
        help="M:efConstruction pairs for the HNSW graph sweep (sizes of 20k chunks or more); "
        "'none' skips it.",
    )
    parser.add_argument(
        "--mode",
        choices=("single", "distributed"),
        default="single",
        help="single: SQLite store and FAISS files; distributed: PostgreSQL and Milvus Lite",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    sizes = [int(size) for size in args.sizes.split(",") if size]
    grid: tuple[tuple[int, int], ...] = (
        ()
        if args.hnsw_grid == "none"
        else tuple(
            (int(m), int(ef))
            for m, ef in (pair.split(":") for pair in args.hnsw_grid.split(",") if pair)
        )
    )
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="policyqa-scale-"))
    per_article = chunks_per_article()
    logger.info("about %.2f chunks per synthetic article", per_article)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs: dict[str, Any] = dict(previous.get("runs", {}))
    try:
        for size in sizes:
            key = str(size) if args.mode == "single" else f"{size}-distributed"
            with (
                distributed_settings() if args.mode == "distributed" else _no_settings()
            ) as settings:
                measured = run_size(
                    size, per_article, workdir, workers=1, hnsw_grid=grid, settings=settings
                )
            runs[key] = {
                **measured,
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            RESULTS.write_text(
                json.dumps(
                    {
                        "machine": f"{os.cpu_count()} cores, {platform.machine()}",
                        "embedder": f"{EMBEDDER} (load tests only)",
                        "note": "one request at a time; 50 cold questions per endpoint; "
                        "the machine's 2 cores are shared with other work (see load)",
                        "runs": runs,
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"{'chunks':>9} {'build c/s':>9} {'search p50/p95':>15} {'ask p50/p95':>15} "
          f"{'RSS MB':>7} {'disk MB':>8} {'recall':>6}")  # fmt: skip
    for size_key in sorted(runs, key=lambda key: (int(key.split("-")[0]), key)):
        r = runs[size_key]
        disk = r["disk_mb"]["store"] + r["disk_mb"]["index"]
        print(
            f"{r['chunks']:>9} {r['build_chunks_per_second']:>9} "
            f"{r['search_p50_ms']:>6}/{r['search_p95_ms']:<8} {r['ask_p50_ms']:>6}/"
            f"{r['ask_p95_ms']:<8} {r['server_rss_mb']:>7} {disk:>8} "
            f"{r.get('recall_at_10', '-'):>6} {r.get('mode', 'single')}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
