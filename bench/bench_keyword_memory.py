"""Keyword index build at a million chunks without building the rest: peak memory and time.

The chunks of a built index version (its catalog) are tokenized once; their term counts
are then added `--copies` times under new chunk ids (100k chunks x 10 = 1M), scored and
saved as `policyqa index` does (`index.keyword.KeywordCorpus`). The vocabulary does not
grow with the copies, so this measures the arrays that grow with the chunk count, which
is what decides whether a million-chunk build fits in memory. The script holds the
counted chunks it copies (about 1.5 GB for 100k), which a real build does not.

    python bench/bench_keyword_memory.py HOME/index/versions/1/catalog.sqlite --copies 10
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.keyword import KeywordCorpus, TermCounts  # noqa: E402
from index.tokenize import keyword_tokens  # noqa: E402


def _peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog", type=Path)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    with sqlite3.connect(args.catalog) as connection:
        rows = connection.execute(
            'SELECT c.context, substr(a.text, c.start + 1, c."end" - c.start) FROM chunks c '
            "JOIN articles a ON a.id = c.article_id ORDER BY c.id"
        ).fetchall()
    started = time.process_time()
    counted = [TermCounts.of(keyword_tokens(f"{c}\n{t}" if c else t)) for c, t in rows]
    del rows
    print(f"tokenized {len(counted)} chunks: {time.process_time() - started:.1f} s CPU, "
          f"peak {_peak_mb()} MB")  # fmt: skip
    corpus = KeywordCorpus()
    started = time.process_time()
    for copy in range(args.copies):
        for offset, terms in enumerate(counted):
            corpus.add(copy * len(counted) + offset, terms)
    print(f"added {len(corpus)} chunks: {time.process_time() - started:.1f} s CPU, "
          f"peak {_peak_mb()} MB")  # fmt: skip
    started = time.process_time()
    index = corpus.to_index()
    print(f"scored: {time.process_time() - started:.1f} s CPU, peak {_peak_mb()} MB")
    with tempfile.TemporaryDirectory() as directory:
        index.save(Path(directory) / "keyword")
        size = sum(p.stat().st_size for p in (Path(directory) / "keyword").rglob("*"))
    print(f"saved {size / 2**20:.0f} MB; peak {_peak_mb()} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
