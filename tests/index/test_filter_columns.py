"""The catalog's filter columns, read by SQLite as numbers, allow exactly the chunks a
row-by-row reading of the stored text allows (publication times in several time zones
around Vietnam's midnight, periods at month, quarter and year edges, absent values,
chunks of missing articles); and a served version reads them when it opens, so no
search waits for them."""

from __future__ import annotations

import itertools
import random
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Literal

import pytest

from crawler.models import Article, place_key
from index import catalog as catalog_module
from index.build import update_index
from index.catalog import Catalog, ChunkRecord
from index.models import Chunk, MentionedDate, SearchFilters
from index.reader import IndexHandle
from tests.fakes import HashingEmbedder
from tests.index.conftest import fill_store
from tests.index.test_build_workers import _demo_articles

PROVINCES = ["Hà Nội", "Đà Nẵng", "Cà Mau", None]
LANGS = ["vi", "en", "ru", None]
SITES = ["hanoi.gov.vn", "danang.gov.vn", None]
ZONES = [UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-5))]
EDGE_DAYS = [date(2024, 12, 31), date(2025, 1, 1), date(2025, 3, 31), date(2025, 6, 30)]


def _published(rng: random.Random) -> datetime | None:
    if rng.random() < 0.1:
        return None
    day = rng.choice(EDGE_DAYS)
    # 17:00 UTC is midnight in Vietnam: a second either side changes the Vietnam day.
    moment = datetime(day.year, day.month, day.day, 17, tzinfo=UTC)
    moment += timedelta(seconds=rng.choice([-1, 0, 1, -3600 * 17, 3600 * 7]))
    return moment.astimezone(rng.choice(ZONES))


def _mentioned(rng: random.Random) -> MentionedDate:
    precisions: list[Literal["day", "month", "quarter", "year"]] = [
        "day",
        "month",
        "quarter",
        "year",
    ]
    precision = rng.choice(precisions)
    day = rng.choice([*EDGE_DAYS, date(1, 1, 1), date(9999, 12, 1), date(2025, 2, 28)])
    if precision != "day":
        day = day.replace(day=1)
    if precision == "quarter":
        day = day.replace(month=(day.month - 1) // 3 * 3 + 1)
    if precision == "year":
        day = day.replace(month=1)
    return MentionedDate(value=day, kind="event", precision=precision, start=0, end=1, surface="x")


def _write_catalog(path: Path, articles: int = 300, seed: int = 5) -> None:
    rng = random.Random(seed)
    catalog = Catalog.create(path)
    records: list[ChunkRecord] = []
    chunk_id = 10
    for n in range(articles):
        article = Article(
            url=f"https://example.vn/{n}",
            title=f"Bài {n}",
            text="nội dung",
            id=f"a{n}",
            published=_published(rng),
            province=rng.choice(PROVINCES),
            lang=rng.choice(LANGS),
            site=rng.choice(SITES),
            translation_group=rng.choice([f"g{n % 40}", None]),
        )
        catalog.add_article(article, fingerprint=str(n))
        for ordinal in range(rng.randint(0, 3)):
            chunk_id += rng.randint(1, 1000)
            dates = tuple(_mentioned(rng) for _ in range(rng.randint(0, 3)))
            chunk = Chunk(article_id=article.id or "", ordinal=ordinal, start=0, end=1, text="n")
            records.append(ChunkRecord(chunk_id, replace(chunk, dates=dates), "h"))
    # A chunk whose article is not in the catalog matches no filter.
    orphan = Chunk(article_id="gone", ordinal=0, start=0, end=1, text="n")
    records.append(ChunkRecord(chunk_id + 1, replace(orphan, dates=(_mentioned(rng),)), "h"))
    catalog.add_chunks(records)
    catalog.finish()
    catalog.close()


def _reference(path: Path, filters: SearchFilters) -> list[int]:
    """Row by row over the stored text, parsing every date in Python."""
    with sqlite3.connect(path) as db:
        articles = {
            row[0]: row[1:]
            for row in db.execute(
                "SELECT id, province_key, lang, site, translation_group, published_day "
                "FROM articles"
            )
        }
        chunks = db.execute("SELECT id, article_id FROM chunks ORDER BY id").fetchall()
        periods: dict[int, list[tuple[date, date]]] = {}
        for chunk_id, value, value_end in db.execute(
            "SELECT chunk_id, value, value_end FROM chunk_dates"
        ):
            periods.setdefault(chunk_id, []).append(
                (date.fromisoformat(value), date.fromisoformat(value_end))
            )
    provinces = {place_key(p) for p in filters.province}
    allowed = []
    for chunk_id, article_id in chunks:
        if article_id not in articles:
            continue
        province, lang, site, group, day_text = articles[article_id]
        day = date.fromisoformat(day_text) if day_text else None
        if provinces and not (
            province in provinces or (filters.province_unstated and province is None)
        ):
            continue
        if filters.lang and lang not in {v.lower() for v in filters.lang}:
            continue
        if filters.site and site not in {v.lower() for v in filters.site}:
            continue
        if filters.translation_group and group not in filters.translation_group:
            continue
        if filters.since and (day is None or day < filters.since):
            continue
        if filters.until and (day is None or day > filters.until):
            continue
        if filters.mentioned_since or filters.mentioned_until:
            low = filters.mentioned_since or date.min
            high = filters.mentioned_until or date.max
            if not any(end >= low and start <= high for start, end in periods.get(chunk_id, [])):
                continue
        allowed.append(chunk_id)
    return allowed


def _cases() -> list[SearchFilters]:
    days = [None, *EDGE_DAYS, date(1, 1, 1), date(9999, 12, 31)]
    cases = [SearchFilters(province=(p,)) for p in PROVINCES if p]
    cases += [SearchFilters(province=("Cà Mau",), province_unstated=True)]
    cases += [SearchFilters(lang=(lang,)) for lang in ["vi", "EN", "xx"]]
    cases += [SearchFilters(site=("DANANG.gov.vn",)), SearchFilters(translation_group=("g3",))]
    for since, until in itertools.product(days, days):
        cases.append(SearchFilters(since=since, until=until))
        cases.append(SearchFilters(mentioned_since=since, mentioned_until=until))
        cases.append(SearchFilters(lang=("vi", "en"), since=since, mentioned_until=until))
    return [case for case in cases if not case.is_empty()]


@pytest.mark.parametrize("rows_per_read", [1_000_000, 7])
def test_filters_allow_the_chunks_the_stored_text_allows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_per_read: int
) -> None:
    # Reads in small batches too, as a catalog bigger than one read is.
    monkeypatch.setattr(catalog_module, "_ROWS_PER_READ", rows_per_read)
    path = tmp_path / "catalog.sqlite"
    _write_catalog(path)
    selected = 0
    with Catalog(path) as catalog:
        for filters in _cases():
            got = catalog.allowed_chunk_ids(filters)
            assert got is not None
            expected = _reference(path, filters)
            assert got.tolist() == expected, filters
            selected += bool(expected)
    assert selected > len(_cases()) // 2


def test_an_empty_catalog_allows_nothing(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    Catalog.create(path).finish()
    with Catalog(path) as catalog:
        got = catalog.allowed_chunk_ids(SearchFilters(lang=("vi",)))
        assert got is not None and not len(got)


def test_a_version_reads_its_filter_columns_when_it_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Path] = []
    read = catalog_module._FilterColumns.read

    def counted(db: sqlite3.Connection) -> catalog_module._FilterColumns:
        reads.append(Path(db.execute("PRAGMA database_list").fetchone()[2]))
        return read(db)

    monkeypatch.setattr(catalog_module._FilterColumns, "read", counted)
    fill_store(tmp_path / "articles.sqlite", _demo_articles())
    update_index(tmp_path / "articles.sqlite", tmp_path / "index", HashingEmbedder())
    handle = IndexHandle(tmp_path / "index", HashingEmbedder())
    handle.info()  # what the server does before it reports ready
    assert len(reads) == 1
    assert handle.search_keyword("kế hoạch", 5, SearchFilters(lang=("vi",)))
    assert handle.search("kế hoạch", 5, SearchFilters(since=date(2025, 1, 1)))
    assert len(reads) == 1  # the searches used the columns read at open
