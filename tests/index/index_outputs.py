"""What the index derives from article text, as a snapshot: dates and document numbers
found, chunk spans, keyword tokens and the places each chunk names.

The snapshot (tests/data/index_outputs.json) was written by this module from the demo
corpus, the shared dev-set articles and the shared seed articles; the tests compare the
current code with it, so a change meant only to make indexing faster cannot change what
the index holds. When a change to what is found is intended, rewrite it deliberately:
`python -m tests.index.index_outputs --write` (and say why in the commit).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.models import Article

if TYPE_CHECKING:
    from qa.gazetteer import Gazetteer

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = REPO / "tests" / "data" / "index_outputs.json"
# Day-and-month dates without a year take this year when an article has no date of its own.
SEED_REFERENCE = date(2025, 3, 20)


def _digest(values: list[str]) -> str:
    return hashlib.sha256("\x00".join(values).encode("utf-8")).hexdigest()[:16]


def articles(shared: Path) -> Iterator[tuple[str, Article]]:
    """(name, article) for the demo corpus, the dev-set articles and the seed articles."""
    sources = [
        ("demo", REPO / "demo" / "corpus.jsonl"),
        ("devset", shared / "devset" / "articles.jsonl"),
    ]
    for label, path in sources:
        for number, line in enumerate(path.read_text("utf-8").splitlines()):
            if not line.strip():
                continue
            item = json.loads(line)
            parts = [item.get("sapo") or "", *item.get("paragraphs", []), *item.get("captions", [])]
            text = "\n\n".join(part for part in parts if part)
            fields = {
                k: item.get(k) for k in ("url", "title", "lang", "site", "province", "published")
            }
            yield (
                f"{label}:{number}",
                Article.model_validate({**fields, "text": text}).with_identity(),
            )
    for path in sorted((shared / "seeds").glob("*.txt")):
        text = path.read_text("utf-8")
        yield (
            f"seed:{path.name}",
            Article.model_validate(
                {
                    "url": f"https://seed.example/{path.stem}/",
                    "title": text.strip().splitlines()[0][:200],
                    "text": text,
                    "published": f"{SEED_REFERENCE.isoformat()}T08:00:00+07:00",
                }
            ).with_identity(),
        )


def outputs(article: Article, gazetteer: Gazetteer) -> dict[str, Any]:
    """Everything the index derives from one article's text, in a comparable form."""
    from index.chunk import chunk, publication_day
    from index.mentions import find_dates
    from index.tokenize import keyword_tokens

    found = find_dates(article.text, article.lang, reference=publication_day(article))
    chunks = chunk(article)
    return {
        "dates": [[d.value.isoformat(), d.kind, d.precision, d.start, d.end] for d in found],
        "dates_without_reference": [
            [d.value.isoformat(), d.kind, d.precision, d.start, d.end]
            for d in find_dates(article.text, article.lang, reference=None)
        ],
        "chunks": [
            {
                "span": [c.start, c.end],
                "dates": [[d.start, d.end, d.kind] for d in c.dates],
                "doc_numbers": list(c.doc_numbers),
                "tokens": _digest(
                    keyword_tokens(f"{c.context}\n{c.text}" if c.context else c.text)
                ),
                "places": sorted({key for key, _surface, _s, _e in gazetteer.find_places(c.text)}),
                "place_spans": [[k, s, e] for k, _surface, s, e in gazetteer.find_places(c.text)],
            }
            for c in chunks
        ],
    }


def snapshot(shared: Path) -> dict[str, Any]:
    from qa.gazetteer import Gazetteer

    gazetteer = Gazetteer.packaged()
    return {name: outputs(article, gazetteer) for name, article in articles(shared)}


def main() -> int:
    from tests.shared_data import shared_root

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="Rewrite the snapshot file.")
    args = parser.parse_args()
    current = snapshot(shared_root())
    if args.write:
        SNAPSHOT.write_text(
            json.dumps(current, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
        )
        print(f"wrote {SNAPSHOT} ({len(current)} articles)")
        return 0
    expected = json.loads(SNAPSHOT.read_text("utf-8"))
    differing = [name for name in expected if expected[name] != current.get(name)]
    print(f"{len(differing)} of {len(expected)} articles differ: {differing[:10]}")
    return 1 if differing or set(expected) != set(current) else 0


if __name__ == "__main__":
    raise SystemExit(main())
