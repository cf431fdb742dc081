"""Keyword retrieval in PostgreSQL full-text search against bm25s, on question sets with
gold articles: is PostgreSQL a fit for keyword search in distributed mode?

For each set (the demo corpus with its development questions; the independent dev set
in shared/devset with its questions) the articles are imported and indexed as usual
(`hashing` embedder: only the keyword side is compared). Then every chunk's keyword
tokens (the same `index.tokenize.keyword_tokens` bm25s uses: folding, document numbers,
bigrams) go into a PostgreSQL table as a `tsvector` (`array_to_tsvector`, lexemes taken as
they are) with a GIN index, and each question is asked both ways, keyword only:
- bm25s: the version's keyword index (`IndexHandle.search_keyword`);
- PostgreSQL: `tokens @@ (t1 | t2 | ...)` ranked by `ts_rank` (no IDF: PostgreSQL ranks
  by the query terms a chunk holds, weighted equally).
Reported: gold hit@10 (a gold article among the top 10 chunks' articles, over answerable
questions), gold recall@10 (share of gold articles found), and per-query latency.

Needs PostgreSQL's server programs (it starts a private cluster, as the tests do).
Writes bench/results/keyword_pg.json and prints a table.
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results" / "keyword_pg.json"
SETS = {
    "demo (development)": (ROOT / "demo" / "corpus.jsonl", ROOT / "demo" / "questions.jsonl"),
    "devset (independent)": (
        ROOT.parent / "shared" / "devset" / "articles.jsonl",
        ROOT.parent / "shared" / "devset" / "questions.jsonl",
    ),
}


def _questions(path: Path) -> list[dict[str, Any]]:
    items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [item for item in items if item.get("gold_urls")]


def _tsquery(tokens: list[str]) -> str:
    """An OR of the tokens as literal lexemes (tsquery input syntax, quotes doubled)."""
    quoted = {"'" + token.replace("\\", "\\\\").replace("'", "''") + "'" for token in tokens}
    return " | ".join(sorted(quoted))


def _score(found: list[str], gold: list[str]) -> tuple[float, float]:
    top = set(found)
    hits = [url for url in gold if url in top]
    return (1.0 if hits else 0.0), len(hits) / len(gold)


def run_set(name: str, corpus: Path, questions_path: Path, server_url: str) -> dict[str, Any]:
    import psycopg

    from api.commands_crawl import import_articles
    from api.commands_index import build_index
    from api.settings import Settings
    from index.catalog import CATALOG_FILE
    from index.embed import HashingEmbedder
    from index.reader import IndexHandle, current_version, version_dir
    from index.tokenize import keyword_tokens
    from tests.postgres_server import fresh_database

    questions = _questions(questions_path)
    with tempfile.TemporaryDirectory() as home, fresh_database(server_url) as url:
        settings = Settings(home=Path(home), embedder="hashing")
        import_articles(settings, path=corpus)
        build_index(settings)
        handle = IndexHandle(settings.index_dir, HashingEmbedder())
        version = current_version(settings.index_dir)
        assert version is not None
        import sqlite3

        catalog = sqlite3.connect(version_dir(settings.index_dir, version) / CATALOG_FILE)
        url_of = dict(
            catalog.execute(
                "SELECT c.id, a.url FROM chunks c JOIN articles a ON a.id = c.article_id"
            ).fetchall()
        )
        texts = list(handle.current().catalog.keyword_texts())
        catalog.close()
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("CREATE TABLE chunks (id BIGINT PRIMARY KEY, tokens TSVECTOR NOT NULL)")
            with db.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO chunks VALUES (%s, array_to_tsvector(%s::text[]))",
                    [(chunk_id, sorted(set(keyword_tokens(text)))) for chunk_id, text in texts],
                )
            db.execute("CREATE INDEX chunks_tokens ON chunks USING GIN (tokens)")
            db.execute("ANALYZE chunks")
            rows: dict[str, list[tuple[float, float]]] = {"bm25s": [], "postgresql": []}
            latency: dict[str, list[float]] = {"bm25s": [], "postgresql": []}
            for item in questions:
                question, gold = item["question"], item["gold_urls"]
                started = time.perf_counter()
                hits = handle.search_keyword(question, k=10)
                latency["bm25s"].append((time.perf_counter() - started) * 1000)
                rows["bm25s"].append(_score([hit.article.url for hit in hits], gold))
                tokens = keyword_tokens(question)
                started = time.perf_counter()
                found = (
                    db.execute(
                        "SELECT id FROM chunks, CAST(%s AS tsquery) q WHERE tokens @@ q"
                        " ORDER BY ts_rank(tokens, q) DESC, id LIMIT 10",
                        (_tsquery(tokens),),
                    ).fetchall()
                    if tokens
                    else []
                )
                latency["postgresql"].append((time.perf_counter() - started) * 1000)
                rows["postgresql"].append(_score([url_of[row[0]] for row in found], gold))
    return {
        engine: {
            "questions": len(scores),
            "gold_hit_at_10": round(statistics.fmean(s[0] for s in scores), 3),
            "gold_recall_at_10": round(statistics.fmean(s[1] for s in scores), 3),
            "median_ms": round(statistics.median(latency[engine]), 2),
        }
        for engine, scores in rows.items()
    } | {"chunks": len(texts)}


def main() -> int:
    from tests.postgres_server import private_cluster

    logging.basicConfig(level=logging.WARNING)
    results: dict[str, Any] = {}
    with private_cluster() as server_url:
        for name, (corpus, questions) in SETS.items():
            if corpus.exists() and questions.exists():
                results[name] = run_set(name, corpus, questions, server_url)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"benchmark": "keyword_pg", "results": results}, indent=2))
    print(f"{'set':<22} {'engine':<11} {'hit@10':>7} {'recall@10':>9} {'median ms':>9}")
    for name, by_engine in results.items():
        for engine in ("bm25s", "postgresql"):
            row = by_engine[engine]
            print(
                f"{name:<22} {engine:<11} {row['gold_hit_at_10']:>7} "
                f"{row['gold_recall_at_10']:>9} {row['median_ms']:>9}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
