"""Filters evaluated over the catalog's in-memory columns select exactly the chunks that
the same conditions select in SQL over the catalog's tables (the demo corpus, real
chunking and dates, every kind of filter and combinations of them)."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from crawler.models import place_key
from index.build import update_index
from index.catalog import Catalog
from index.models import SearchFilters
from index.reader import version_dir
from tests.fakes import HashingEmbedder
from tests.index.conftest import fill_store
from tests.index.test_build_workers import _demo_articles


def _sql_reference(catalog_path: Path, filters: SearchFilters) -> np.ndarray:
    where: list[str] = []
    params: list[object] = []

    def any_of(column: str, values: list[str]) -> None:
        if values:
            where.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)

    provinces = [place_key(p) for p in filters.province]
    if provinces and filters.province_unstated:
        where.append(
            f"(a.province_key IN ({','.join('?' * len(provinces))}) OR a.province_key IS NULL)"
        )
        params.extend(provinces)
    else:
        any_of("a.province_key", provinces)
    any_of("a.lang", [v.lower() for v in filters.lang])
    any_of("a.site", [v.lower() for v in filters.site])
    any_of("a.translation_group", list(filters.translation_group))
    if filters.since:
        where.append("a.published_day >= ?")
        params.append(filters.since.isoformat())
    if filters.until:
        where.append("a.published_day <= ?")
        params.append(filters.until.isoformat())
    if filters.mentioned_since or filters.mentioned_until:
        where.append(
            "EXISTS (SELECT 1 FROM chunk_dates d WHERE d.chunk_id = c.id "
            "AND d.value_end >= ? AND d.value <= ?)"
        )
        params.extend(
            (
                (filters.mentioned_since or date.min).isoformat(),
                (filters.mentioned_until or date.max).isoformat(),
            )
        )
    import sqlite3

    with sqlite3.connect(catalog_path) as db:
        rows = db.execute(
            "SELECT c.id FROM chunks c JOIN articles a ON a.id = c.article_id "
            f"WHERE {' AND '.join(where)} ORDER BY c.id",
            params,
        ).fetchall()
    return np.array([row[0] for row in rows], dtype=np.int64)


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("filters")
    fill_store(base / "articles.sqlite", _demo_articles())
    update_index(base / "articles.sqlite", base / "index", HashingEmbedder())
    return version_dir(base / "index", 1) / "catalog.sqlite"


def _filter_cases(catalog: Catalog) -> list[SearchFilters]:
    articles = catalog._rows("SELECT province, lang, site, translation_group FROM articles")
    provinces = sorted({row[0] for row in articles if row[0]})[:3] + ["Atlantis"]
    langs = ["vi", "EN", "ru", "xx"]
    sites = sorted({row[2] for row in articles if row[2]})[:2]
    groups = sorted({row[3] for row in articles if row[3]})[:2]
    days = [None, date(2025, 1, 1), date(2025, 5, 15), date(2025, 7, 1)]
    cases = [SearchFilters(province=(p,)) for p in provinces] + [
        SearchFilters(lang=(lang,)) for lang in langs
    ]
    cases += [SearchFilters(site=(s,)) for s in sites]
    cases += [SearchFilters(translation_group=(g,), lang=("en",)) for g in groups]
    cases += [SearchFilters(province=tuple(provinces[:2]), lang=("vi", "en"))]
    cases += [SearchFilters(province=(p,), province_unstated=True) for p in provinces]
    for since, until in itertools.product(days, days):
        cases.append(SearchFilters(since=since, until=until))
        cases.append(SearchFilters(mentioned_since=since, mentioned_until=until))
        cases.append(SearchFilters(province=(provinces[0],), mentioned_since=since, until=until))
    return [case for case in cases if not case.is_empty()]


def test_in_memory_filters_equal_the_sql_conditions(catalog_path: Path) -> None:
    with Catalog(catalog_path) as catalog:
        cases = _filter_cases(catalog)
        selected = 0
        for filters in cases:
            expected = _sql_reference(catalog_path, filters)
            got = catalog.allowed_chunk_ids(filters)
            assert got is not None
            assert got.tolist() == expected.tolist(), filters
            selected += bool(len(expected))
        assert catalog.allowed_chunk_ids(SearchFilters()) is None
    # The cases select something most of the time: the comparison is not of empty sets.
    assert selected > len(cases) // 2
