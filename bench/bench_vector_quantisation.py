"""HNSW over float vectors against HNSW over 8-bit scalar-quantised vectors (SQ8).

The vectors are bench-scale's (`bench/bench_scale.py`): its synthetic corpus at the
given size (same seed and article count, so the same chunks), chunked as `policyqa index`
chunks them and embedded by the `hashing` profile (768 dimensions, load tests only).
For each graph (M=48, efConstruction=200, the index defaults): build seconds, file size,
recall@10 against exact inner-product search and time per query (one at a time, as the
server searches) at several efSearch over 50 cold questions, and the resident memory of
a reader that memory-maps the file (`IO_FLAG_MMAP_IFC`, as the server does) before and
after those searches: private (anonymous) and file-backed pages apart.

What it answers: whether SQ8 (a quarter of the vector bytes) keeps recall@10 >= 0.95 for
the large-index case, where the float vectors alone are 2.9 GB at a million chunks.
Writes bench/results/vector_quantisation.json (merged per size). Run it niced.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
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

from bench.bench_api import percentile  # noqa: E402
from bench.bench_scale import (  # noqa: E402
    EMBEDDER,
    chunks_per_article,
    cold_questions,
    synthetic_articles,
)

logger = logging.getLogger("bench.vector_quantisation")
RESULTS = ROOT / "bench" / "results" / "vector_quantisation.json"
EF_SEARCH = (128, 256, 512)
# Candidates per result that the SQ8 graph hands to exact re-ranking ("hnsw_sq8_refine").
REFINE_FACTOR = 5
K = 10


def corpus_vectors(chunks: int) -> np.ndarray:
    """The hashing vectors of bench-scale's corpus of about `chunks` chunks."""
    from crawler.models import Article
    from index.chunk import chunk
    from index.embed import HashingEmbedder
    from index.profiles import profile_named

    profile = profile_named(EMBEDDER)
    assert profile is not None
    articles = max(1, round(chunks / chunks_per_article()))
    embedder = HashingEmbedder()
    parts: list[np.ndarray] = []
    texts: list[str] = []
    for item in synthetic_articles(articles):
        article = Article.model_validate(
            {**item, "text": "\n\n".join(item["paragraphs"])}
        ).with_identity()
        for piece in chunk(article, target_chars=profile.target_chars, max_chars=profile.max_chars):
            texts.append(piece.embedding_text)
        if len(texts) >= 4096:
            parts.append(embedder.embed_passages(texts))
            texts = []
    if texts:
        parts.append(embedder.embed_passages(texts))
    return np.vstack(parts)


def exact_top(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    scores = queries @ vectors.T
    return np.argsort(-scores, axis=1)[:, :K]


def _memory_mb(pid: int | None = None) -> dict[str, int]:
    wanted = ("VmRSS", "RssAnon", "RssFile")
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid or 'self'}/status").read_text().splitlines():
        key = line.split(":")[0]
        if key in wanted:
            out[key] = int(line.split()[1]) // 1024
    return out


def measure_graph(
    kind: str, vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray, workdir: Path
) -> dict[str, Any]:
    import faiss

    dims = vectors.shape[1]
    base: Any  # FAISS' type stubs are partial
    if kind == "hnsw_flat":
        base = faiss.IndexHNSWFlat(dims, 48, faiss.METRIC_INNER_PRODUCT)
    else:
        eight_bit: Any = faiss.ScalarQuantizer.QT_8bit
        base = faiss.IndexHNSWSQ(dims, eight_bit, 48, faiss.METRIC_INNER_PRODUCT)
    base.hnsw.efConstruction = 200
    started = time.perf_counter()
    cpu = time.process_time()
    base.train(vectors)
    if kind == "hnsw_sq8_refine":
        # The SQ8 graph finds REFINE_FACTOR x k candidates; their float vectors (in the
        # same file, read only for those candidates) rank them exactly.
        refined: Any = faiss.IndexRefineFlat(base)
        refined.k_factor = REFINE_FACTOR
        index = faiss.IndexIDMap2(refined)
    else:
        index = faiss.IndexIDMap2(base)
    index.add_with_ids(vectors, np.arange(len(vectors), dtype=np.int64))
    row: dict[str, Any] = {
        "build_seconds": round(time.perf_counter() - started, 1),
        "build_cpu_seconds": round(time.process_time() - cpu, 1),
        "load_average_after_build": round(os.getloadavg()[0], 2),
    }
    path = workdir / f"{kind}.faiss"
    faiss.write_index(index, str(path))
    del index, base
    row["file_mb"] = round(path.stat().st_size / 2**20)
    before = _memory_mb()
    mapped: Any = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC)
    row["reader_mb_after_load"] = {
        key: value - before.get(key, 0) for key, value in _memory_mb().items()
    }
    faiss.omp_set_num_threads(1)  # the server searches one query on its calling thread
    graph: Any = faiss.downcast_index(mapped.index)
    if kind == "hnsw_sq8_refine":
        graph.k_factor = REFINE_FACTOR
        graph = faiss.downcast_index(graph.base_index)
    hnsw = graph.hnsw
    for ef in EF_SEARCH:
        hnsw.efSearch = ef
        times: list[float] = []
        hits = 0
        for query, expected in zip(queries, truth, strict=True):
            t0 = time.perf_counter()
            _, labels = mapped.search(query.reshape(1, -1), K)
            times.append((time.perf_counter() - t0) * 1000)
            hits += len(set(labels[0].tolist()) & set(expected.tolist()))
        row[f"ef_search_{ef}"] = {
            "recall_at_10": round(hits / (K * len(queries)), 4),
            "p50_ms": round(percentile(times, 0.5), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
        }
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    row["reader_mb_after_searches"] = {
        key: value - before.get(key, 0) for key, value in _memory_mb().items()
    }
    del mapped
    path.unlink()
    logger.info("%s: %s", kind, json.dumps(row))
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--kinds", default="hnsw_flat,hnsw_sq8,hnsw_sq8_refine")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    from index.embed import HashingEmbedder

    load_before = os.getloadavg()[0]
    vectors = corpus_vectors(args.chunks)
    logger.info("%d vectors of %d dimensions", *vectors.shape)
    queries = HashingEmbedder().embed_queries(cold_questions(100)[:50])
    truth = exact_top(vectors, queries)
    result: dict[str, Any] = {
        "vectors": len(vectors),
        "dimensions": vectors.shape[1],
        "hnsw": {"M": 48, "efConstruction": 200},
        "load_average_before": round(load_before, 2),
    }
    with tempfile.TemporaryDirectory(prefix="policyqa-sq8-") as workdir:
        for kind in args.kinds.split(","):
            result[kind] = measure_graph(kind, vectors, queries, truth, Path(workdir))
    result["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs = dict(previous.get("runs", {}))
    runs[str(len(vectors))] = {**runs.get(str(len(vectors)), {}), **result}
    RESULTS.write_text(
        json.dumps(
            {
                "machine": f"{os.cpu_count()} cores, shared (see load)",
                "embedder": f"{EMBEDDER} (load tests only)",
                "runs": runs,
            },
            indent=2,
        )
    )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
