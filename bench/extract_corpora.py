"""The page sets the extraction benchmark reads, each as a list of `Page`.

- AEB: the Article Extraction Benchmark's real news pages (`html/<hash>.html.gz` and
  `ground-truth.json`), split in two halves by sorted hash: "A" is where extraction is
  tuned, "B" is only reported.
- mirror: the shared mirror generator's sites, rendered from its sample articles and,
  as the held-out part, from the independent development set (articles written outside
  the team, on hosts the profiles do not list). Every HTML route with its kind and truth.
- demo: the bundled demo site, every HTML route with its kind and truth.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.encoding import decode_html  # noqa: E402

SHARED = Path("/work/shared")
ARTICLE_KINDS = frozenset({"article"})
DUPLICATE_KINDS = frozenset({"duplicate"})


@dataclass
class Page:
    url: str
    html: str
    kind: str  # article | duplicate | listing | tag | soft_404 | home | non_article ...
    truth: dict[str, Any] = field(default_factory=dict)  # body, published, id, translation_of


def aeb_pages(root: Path) -> list[Page]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        raw = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        entry = truth[key]
        pages.append(
            Page(entry["url"], decode_html(raw, None), "article", {"body": entry["articleBody"]})
        )
    return pages


# A closing line this short is a byline or credit ("ПВ", "Новости и фото: THU PHUONG").
MAX_CREDIT_CHARS = 40


def story_paragraphs(paragraphs: list[str]) -> list[str]:
    """The record's paragraphs without its closing "Source: <URL>" and credit lines, which
    an Article keeps apart (in `translation_of` and `author`), not in its body. Read from
    the end: at most two closing lines, each naming a URL or at most MAX_CREDIT_CHARS long
    (Chinese characters counted three times)."""
    story = list(paragraphs)
    for _ in range(2):
        if len(story) > 1 and ("http" in story[-1] or _weight(story[-1]) <= MAX_CREDIT_CHARS):
            story.pop()
    return story


def _weight(text: str) -> int:
    """Length in Latin-script terms: a Chinese character says about as much as three letters."""
    return len(text) + 2 * sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")


def _html_routes(site_root: Path, routes: dict[str, dict[str, dict[str, Any]]]) -> dict[str, str]:
    """url -> decoded HTML for every 200 text/html route of a built site."""
    found = {}
    for host, paths in routes.items():
        for path, route in paths.items():
            if route.get("type") != "text/html" or route.get("status", 200) != 200:
                continue
            body = (site_root / host / route["file"]).read_bytes()
            found[f"https://{host}{path}"] = decode_html(body, route.get("charset"))
    return found


def _with_ids(source: Path, target: Path) -> Path:
    """The generator needs an `id` per record; the development set has only URLs."""
    with target.open("w", encoding="utf-8") as out:
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                record.setdefault("id", hashlib.sha1(record["url"].encode()).hexdigest()[:10])
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


def mirror_pages(mirror: Path, articles: Path, work: Path) -> list[Page]:
    """Build the mirror from `articles` under `work` and return its HTML pages."""
    records = _with_ids(articles, work / "articles.jsonl")
    out = work / "site"
    subprocess.run(
        [sys.executable, str(mirror / "build_mirror.py"), "-i", str(records), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    by_id = {
        json.loads(line)["id"]: json.loads(line)
        for line in records.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    manifest = json.loads((out / "_meta" / "manifest.json").read_text(encoding="utf-8"))
    expected = json.loads((out / "_meta" / "expected.json").read_text(encoding="utf-8"))
    html = _html_routes(out, manifest["routes"])
    pages = []
    for entry in expected:
        url = entry["url"]
        if url not in html:
            continue
        truth: dict[str, Any] = {}
        record = by_id.get(entry.get("id", ""))
        if record is not None:
            truth = {
                "id": record["id"],
                "body": "\n\n".join(record.get("paragraphs") or []),
                "story": "\n\n".join(story_paragraphs(record.get("paragraphs") or [])),
                "published": entry.get("published") or record.get("published"),
                "canonical": entry.get("canonical"),
                # The page names its original even when the set does not hold it.
                "translation_of": _original_url(record, by_id) or entry.get("source_url"),
                "lang": record.get("lang"),
            }
        pages.append(Page(url, html[url], entry["kind"], truth))
    return pages


def _original_url(record: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> str | None:
    original = record.get("translation_of")
    if not original:
        return None
    url: str = by_id[original]["url"] if original in by_id else original
    return url


def demo_pages(work: Path) -> list[Page]:
    from demo.site import build_site

    corpus = ROOT / "demo" / "corpus.jsonl"
    build_site(work, corpus)
    routes = json.loads((work / "_meta" / "routes.json").read_text(encoding="utf-8"))["hosts"]
    html = _html_routes(work, routes)
    records = {
        json.loads(line)["id"]: json.loads(line)
        for line in corpus.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    pages = []
    for entry in json.loads((work / "_meta" / "pages.json").read_text(encoding="utf-8")):
        url = entry["url"]
        if url not in html:
            continue
        truth: dict[str, Any] = {}
        record = records.get(entry.get("article_id", ""))
        if record is not None:
            truth = {
                "id": record["id"],
                "body": "\n\n".join(record.get("paragraphs") or []),
                "story": "\n\n".join(story_paragraphs(record.get("paragraphs") or [])),
                "published": record.get("published"),
                "canonical": record["url"],
                "translation_of": _original_url(record, records),
                "lang": record.get("lang"),
            }
        pages.append(Page(url, html[url], entry["kind"], truth))
    return pages
