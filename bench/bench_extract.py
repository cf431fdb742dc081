"""Extraction benchmark: documents per second on one core, over every HTML page of the
bundled demo sites (articles, listings, tag pages, soft 404s, the 3 MB page) and the saved
fixture pages under tests/data/pages.

    .venv/bin/python bench/bench_extract.py [--rounds 3]

Prints one JSON object and appends it to bench/results/extract.json (a JSON list).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.encoding import decode_html  # noqa: E402
from crawler.extract import extract  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "extract.json"


def demo_pages(root: Path) -> list[tuple[str, str]]:
    """(url, html) for every HTML route of a freshly built demo site."""
    from demo.site import build_site

    build_site(root, ROOT / "demo" / "corpus.jsonl")
    routes = json.loads((root / "_meta" / "routes.json").read_text(encoding="utf-8"))["hosts"]
    pages = []
    for host, paths in routes.items():
        for path, route in paths.items():
            if route.get("type") != "text/html" or route.get("status", 200) != 200:
                continue
            body = (root / host / route["file"]).read_bytes()
            pages.append((f"https://{host}{path}", decode_html(body, route.get("charset"))))
    return pages


def fixture_pages() -> list[tuple[str, str]]:
    pages = []
    for expectation in sorted((ROOT / "tests" / "data" / "pages").glob("*/*.json")):
        spec = json.loads(expectation.read_text(encoding="utf-8"))
        html_path = expectation.with_suffix(".html")
        if html_path.exists() and "url" in spec:
            pages.append(
                (spec["url"], decode_html(html_path.read_bytes(), spec.get("content_type")))
            )
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pages = demo_pages(Path(tmp) / "site") + fixture_pages()
    extract(pages[0][1], pages[0][0])  # the first call loads the language and date tables
    articles = 0
    started = time.perf_counter()
    for _ in range(args.rounds):
        articles = sum(extract(html, url) is not None for url, html in pages)
    seconds = time.perf_counter() - started
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.python_version()}",
        "pages": len(pages),
        "articles_extracted": articles,
        "megabytes": round(sum(len(h) for _, h in pages) / 1e6, 2),
        "docs_per_second_one_core": round(len(pages) * args.rounds / seconds, 1),
    }
    print(json.dumps(result))
    history = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    history.append(result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(history, indent=2) + "\n")


if __name__ == "__main__":
    main()
