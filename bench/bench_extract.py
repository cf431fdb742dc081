"""Extraction benchmark on real pages and on our mirrors, next to trafilatura in the same run.

    .venv/bin/python bench/bench_extract.py [--rounds 2] [--aeb DIR] [--mirror DIR]
                                            [--devset FILE] [--skip-mirror]

- AEB (real news pages with hand-checked bodies, `../shared/realpages/aeb`): body F1 with
  the benchmark's own measure (bench/textscore.py), pages rejected as "not an article",
  documents per second on one core; for `crawler.extract` and for trafilatura's defaults,
  on each half of the pages (A: extraction was tuned there; B: only reported) and on all.
- mirror (the shared mirror generator, `../shared/mirror`; its held-out part renders the
  independent development set on hosts no profile lists): article recall, body F1 of the
  paragraphs, publication dates right to the minute, non-article pages taken as articles
  (junk), articles stored twice (duplicates), and markup translation links; also with the
  generic reader forced on every page (a CMS family no profile knows).
- demo (the bundled demo site): the same fields.

Speed is the best of `--rounds` passes, the two extractors alternating page by page
(the machine is shared, so both see the same load). Missing data folders are
skipped with a note. Prints one JSON object and appends it to bench/results/extract.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from api.place_names import place_names  # noqa: E402
from bench.extract_corpora import Page, aeb_pages, demo_pages, mirror_pages  # noqa: E402
from bench.textscore import score_page, summarise  # noqa: E402
from crawler.extract import extract  # noqa: E402
from crawler.models import Article  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "extract.json"
SHARED = Path(os.environ.get("POLICYQA_SHARED", "/work/shared"))
NOT_ARTICLE_KINDS = frozenset(
    {"listing", "home", "non_article", "soft_404", "tag", "not_found", "search"}
)


def _timed_pair(
    ours: Callable[[Page], Any], theirs: Callable[[Page], Any], pages: list[Page], rounds: int
) -> tuple[list[Any], list[Any], float, float]:
    """Both extractors page by page, alternating, so that the load of a shared machine
    falls on both alike. Outputs of the last round and each one's best pages per second."""
    best_ours = best_theirs = 0.0
    mine: list[Any] = []
    other: list[Any] = []
    for _ in range(rounds):
        spent_ours = spent_theirs = 0.0
        mine, other = [], []
        for page in pages:
            started = time.perf_counter()
            other.append(theirs(page))
            middle = time.perf_counter()
            mine.append(ours(page))
            spent_theirs += middle - started
            spent_ours += time.perf_counter() - middle
        best_ours = max(best_ours, len(pages) / spent_ours)
        best_theirs = max(best_theirs, len(pages) / spent_theirs)
    return mine, other, round(best_ours, 1), round(best_theirs, 1)


def aeb_report(pages: list[Page], rounds: int) -> dict[str, Any]:
    import trafilatura

    def ours(page: Page) -> str | None:
        article = extract(page.html, page.url)
        return article.text if article else None

    def theirs(page: Page) -> str | None:
        return trafilatura.extract(page.html, url=page.url)

    ours(pages[0]), theirs(pages[0])  # first calls load models and tables
    report: dict[str, Any] = {"pages": len(pages)}
    half = len(pages) // 2
    splits = {"A_tuned": slice(0, half), "B_reported": slice(half, None), "all": slice(None)}
    mine, other, speed_ours, speed_theirs = _timed_pair(ours, theirs, pages, rounds)
    for name, texts, speed in (
        ("trafilatura", other, speed_theirs),
        ("policyqa", mine, speed_ours),
    ):
        entry: dict[str, Any] = {"docs_per_second_one_core": speed}
        for split, part in splits.items():
            chosen = list(zip(pages[part], texts[part], strict=True))
            entry[split] = {
                **summarise([score_page(p.truth["body"], t or "") for p, t in chosen]),
                "rejected": sum(t is None for _, t in chosen),
            }
        report[name] = entry
    report["speed_ratio"] = round(
        report["policyqa"]["docs_per_second_one_core"]
        / report["trafilatura"]["docs_per_second_one_core"],
        2,
    )
    return report


def site_report(pages: list[Page], profile: str | None = None) -> dict[str, Any]:
    """Recall, body F1, dates, junk, duplicates and translation links on a built site."""
    articles: list[tuple[Page, Article | None]] = [
        (page, extract(page.html, page.url, profile=profile)) for page in pages
    ]
    wanted = [(p, a) for p, a in articles if p.kind == "article"]
    found = [(p, a) for p, a in wanted if a is not None]
    dated = [(p, a) for p, a in found if p.truth.get("published")]
    dates_right = sum(
        1
        for p, a in dated
        if a.published is not None and a.published == datetime.fromisoformat(p.truth["published"])
    )
    junk = [p.url for p, a in articles if a is not None and p.kind in NOT_ARTICLE_KINDS]
    # A duplicate URL stored under an identity of its own would be a second copy.
    identities: dict[str, set[str]] = {}
    for p, a in articles:
        if a is not None and p.truth.get("id"):
            identities.setdefault(p.truth["id"], set()).add(a.identity_url)
    duplicates = sum(len(urls) - 1 for urls in identities.values())
    links = [(p, a) for p, a in found if p.truth.get("translation_of")]
    linked_right = sum(
        1
        for p, a in links
        if (a.translation_of or "").rstrip("/") == p.truth["translation_of"].rstrip("/")
    )
    # A page may name an original the set does not hold (the development set's orphans
    # keep their "Source:" line): counted apart, neither right nor wrong.
    linked_wrong = sum(
        1
        for p, a in found
        if a.translation_of
        and p.truth.get("translation_of")
        and a.translation_of.rstrip("/") != p.truth["translation_of"].rstrip("/")
    )
    outside_set = sum(1 for p, a in found if a.translation_of and not p.truth.get("translation_of"))
    return {
        "content_links": content_link_report(articles),
        "articles": len(wanted),
        "recall": round(len(found) / len(wanted), 3) if wanted else None,
        "body": summarise(
            [score_page(p.truth["body"], "\n\n".join(a.paragraphs)) for p, a in found]
        ),
        # The same without the closing "Source:" and credit lines of the truth, which the
        # Article keeps in translation_of and author: the story text alone.
        "body_story_lines": summarise(
            [score_page(p.truth["story"], "\n\n".join(a.paragraphs)) for p, a in found]
        ),
        "closing_lines_kept_as_metadata": _closing_lines_report(found),
        "dates_right": round(dates_right / len(dated), 3) if dated else None,
        "junk": len(junk),
        "junk_urls": junk[:5],
        "duplicates": duplicates,
        "markup_links": {
            "expected": len(links),
            "right": linked_right,
            "wrong": linked_wrong,
            "to_originals_outside_the_set": outside_set,
        },
    }


def _closing_lines_report(found: list[tuple[Page, Article]]) -> dict[str, int]:
    """Articles whose truth closes with a "Source:" or credit line, and how many of them
    have the original in translation_of or an author, where those lines belong."""
    sources = credits = with_original = with_author = 0
    for page, article in found:
        body, story = page.truth["body"], page.truth["story"]
        closing = body[len(story) :].split("\n\n") if story != body else []
        if any("http" in line for line in closing):
            sources += 1
            with_original += bool(article.translation_of)
        if any(line and "http" not in line for line in closing):
            credits += 1
            with_author += bool(article.author)
    return {
        "source_lines": sources,
        "of_them_with_translation_of": with_original,
        "credit_lines": credits,
        "of_them_with_author": with_author,
    }


def content_link_report(articles: list[tuple[Page, Article | None]]) -> dict[str, Any]:
    """Translations linked by content alone: every translation's markup link is removed
    and `crawler.linking` links it among the extracted Vietnamese originals. Precision and
    recall against the truth, and links made when the true original is withheld (each
    one would be wrong)."""
    from crawler.linking import link_translation, link_unmarked

    places = place_names()
    pool: list[Article] = []
    truth: dict[str, str] = {}
    for page, article in articles:
        if page.kind != "article" or article is None:
            continue
        if article.lang != "vi":
            truth[article.identity_url] = (page.truth.get("translation_of") or "").rstrip("/")
            article = article.model_copy(update={"translation_of": None})
        pool.append(article)
    originals = [a for a in pool if a.lang == "vi" and not a.translation_of]
    held = {a.identity_url.rstrip("/") for a in originals}
    linkable = {url for url, original in truth.items() if original in held}
    links = link_unmarked(pool, places=places)
    right = sum(1 for link in links if truth.get(link.translation) == link.original.rstrip("/"))
    withheld_links = 0
    for url in linkable:
        copy = next(a for a in pool if a.identity_url == url)
        others = [o for o in originals if o.identity_url.rstrip("/") != truth[url]]
        withheld_links += link_translation(copy, others, places=places) is not None
    return {
        "translations": len(truth),
        "with_original_in_set": len(linkable),
        "linked": len(links),
        "right": right,
        "wrong": len(links) - right,
        "precision": round(right / len(links), 3) if links else None,
        "recall": round(right / len(linkable), 3) if linkable else None,
        "links_with_original_withheld": withheld_links,
        "through_the_store": _stored_link_report(pool, truth, linkable),
    }


def _stored_link_report(
    pool: list[Article], truth: dict[str, str], linkable: set[str]
) -> dict[str, Any]:
    """The same articles stored (markup links removed) and linked by the pass that runs
    after a crawl (`crawler.content_links`), read back from the store."""
    from crawler.content_links import link_stored_translations
    from crawler.store import ArticleStore
    from crawler.urls import canonicalize_url

    with tempfile.TemporaryDirectory() as tmp, ArticleStore(Path(tmp) / "a.sqlite") as store:
        for article in pool:
            store.add(article)
        result = link_stored_translations(store, places=place_names())
        named = {a.identity_url: a.translation_of for a in store.articles()}
    right = wrong = 0
    for url, original in truth.items():
        found = named.get(canonicalize_url(url))
        same = found and original and found.rstrip("/") == canonicalize_url(original).rstrip("/")
        if same:
            right += 1
        elif found:
            wrong += 1
    return {
        "linked": result.linked,
        "right": right,
        "wrong": wrong,
        "precision": round(right / (right + wrong), 3) if right + wrong else None,
        "recall": round(right / len(linkable), 3) if linkable else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--aeb", type=Path, default=SHARED / "realpages" / "aeb")
    parser.add_argument("--mirror", type=Path, default=SHARED / "mirror")
    parser.add_argument("--devset", type=Path, default=SHARED / "devset" / "articles.jsonl")
    parser.add_argument("--skip-mirror", action="store_true")
    args = parser.parse_args()
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, load {os.getloadavg()[0]:.1f}",
    }
    if (args.aeb / "ground-truth.json").exists():
        result["aeb"] = aeb_report(aeb_pages(args.aeb), args.rounds)
    else:
        result["aeb"] = f"skipped: no {args.aeb}/ground-truth.json"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.skip_mirror or not (args.mirror / "build_mirror.py").exists():
            result["mirror"] = f"skipped: no {args.mirror}/build_mirror.py"
        else:
            for name, source in (
                ("mirror_sample", args.mirror / "sample_articles.jsonl"),
                ("mirror_heldout", args.devset),
            ):
                if not source.exists():
                    result[name] = f"skipped: no {source}"
                    continue
                (work / name).mkdir()
                pages = mirror_pages(args.mirror, source, work / name)
                result[name] = site_report(pages)
                result[f"{name}_generic_only"] = site_report(pages, profile="generic")
        result["demo"] = site_report(demo_pages(work / "demo"))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    history = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    history.append(result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(history, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
