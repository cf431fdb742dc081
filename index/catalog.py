"""The metadata of one index version, in SQLite: articles, chunks, mentioned dates and
document numbers, and the filter columns (province key, language, site, translation group,
publication day in Vietnam time).

The catalog is the single source of truth for filters: `allowed_chunk_ids(filters)` turns
a `SearchFilters` into the chunk ids a vector or keyword search may return, so filters
apply before ranking. Chunk ids are stable int64s: an unchanged article keeps its chunk
ids from one version to the next.

Tables:
- `articles`: one row per article with its citable text and filter columns.
- `chunks`: id, article, ordinal, offsets into the article text, embedding context and
  a hash of the embedded text (so identical text is never embedded twice).
- `chunk_dates`, `chunk_doc_numbers`: what each chunk mentions; a date's `value` and
  `value_end` bound the period it names (a day, a month, a quarter or a year).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from crawler.models import Article, place_key
from index.mentions import period_end, vietnam_day
from index.models import Chunk, IndexedArticle, MentionedDate, SearchFilters

CATALOG_FILE = "catalog.sqlite"
# How much of a read-only catalog to memory-map (SQLite maps at most its own limit, 2 GiB
# in the usual builds).
_MAP_BYTES = 16 * 2**30

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    site TEXT,
    published TEXT,
    published_day TEXT,
    lang TEXT,
    province TEXT,
    province_key TEXT,
    translation_group TEXT,
    translation_of TEXT,
    sapo TEXT,
    content_hash TEXT,
    fingerprint TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    context TEXT NOT NULL,
    embedding_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunk_dates (
    chunk_id INTEGER NOT NULL,
    value TEXT NOT NULL,
    value_end TEXT NOT NULL,
    kind TEXT NOT NULL,
    precision TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    surface TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunk_doc_numbers (
    chunk_id INTEGER NOT NULL,
    doc_number TEXT NOT NULL
);
"""

# Created after bulk loading: cheaper than maintaining them row by row.
_INDEXES = """
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE INDEX IF NOT EXISTS chunks_embedding_hash ON chunks(embedding_hash);
CREATE INDEX IF NOT EXISTS chunk_dates_chunk ON chunk_dates(chunk_id, value);
CREATE INDEX IF NOT EXISTS chunk_dates_value ON chunk_dates(value, value_end);
CREATE INDEX IF NOT EXISTS chunk_doc_numbers_chunk ON chunk_doc_numbers(chunk_id);
CREATE INDEX IF NOT EXISTS chunk_doc_numbers_value ON chunk_doc_numbers(doc_number);
CREATE INDEX IF NOT EXISTS articles_group ON articles(translation_group);
"""

_ARTICLE_COLUMNS = (
    "id, url, title, text, site, published, published_day, lang, province, province_key, "
    "translation_group, translation_of, sapo, content_hash, fingerprint"
)


def embedding_hash(text: str) -> str:
    """The identity of an embedded text: equal hashes never need embedding twice."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def article_fingerprint(article: Article, *, salt: str = "") -> str:
    """Everything about an article that changes its chunks or their embedding context.

    `salt` carries build settings that change chunking (chunk sizes), so changing them
    re-chunks every article.
    """
    parts = [
        article.content_hash or "",
        article.title,
        article.site or "",
        article.published.isoformat() if article.published else "",
        article_lang(article) or "",
        article.province or "",
        article.translation_group or "",
        article.translation_of or "",
        salt,
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def article_lang(article: Article) -> str | None:
    lang = article.lang or article.lang_detected
    return lang.lower() if lang else None


@dataclass(frozen=True)
class ChunkRecord:
    """A chunk as stored: its stable id and the hash of the text that was embedded."""

    id: int
    chunk: Chunk
    embedding_hash: str


class Catalog:
    """One version's metadata. Open read-only for searching; `create` for building."""

    def __init__(self, path: Path, *, readonly: bool = True) -> None:
        self.path = path
        if readonly:
            if not path.exists():
                raise FileNotFoundError(path)
            uri = f"{path.resolve().as_uri()}?mode=ro"
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            # A version's catalog never changes: reading it through a memory map (shared
            # page cache, no copy per read) makes the whole-table filter-column read about
            # a fifth faster at a million chunks. SQLite caps the size it maps.
            self._db.execute(f"PRAGMA mmap_size={_MAP_BYTES}")
        else:
            uri = path.resolve().as_uri()
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self._columns: _FilterColumns | None = None

    @classmethod
    def create(cls, path: Path) -> Catalog:
        """A new, empty catalog for a version being built (bulk-load settings)."""
        catalog = cls(path, readonly=False)
        catalog._db.execute("PRAGMA journal_mode=OFF")
        catalog._db.execute("PRAGMA synchronous=OFF")
        return catalog

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # Writing (during a build) -------------------------------------------------------

    def add_article(self, article: Article, fingerprint: str) -> None:
        day = vietnam_day(article.published)
        self._db.execute(
            f"INSERT OR REPLACE INTO articles ({_ARTICLE_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.url,
                article.title,
                article.text,
                article.site.lower() if article.site else None,
                article.published.isoformat() if article.published else None,
                day.isoformat() if day else None,
                article_lang(article),
                article.province,
                place_key(article.province) if article.province else None,
                article.translation_group,
                article.translation_of,
                article.sapo,
                article.content_hash,
                fingerprint,
            ),
        )

    def add_chunks(self, records: Iterable[ChunkRecord]) -> None:
        chunk_rows: list[tuple[object, ...]] = []
        date_rows: list[tuple[object, ...]] = []
        number_rows: list[tuple[object, ...]] = []
        for record in records:
            chunk = record.chunk
            chunk_rows.append(
                (
                    record.id,
                    chunk.article_id,
                    chunk.ordinal,
                    chunk.start,
                    chunk.end,
                    chunk.context,
                    record.embedding_hash,
                )
            )
            date_rows.extend(
                (
                    record.id,
                    d.value.isoformat(),
                    period_end(d).isoformat(),
                    d.kind,
                    d.precision,
                    d.start,
                    d.end,
                    d.surface,
                )
                for d in chunk.dates
            )
            number_rows.extend((record.id, number) for number in chunk.doc_numbers)
        self._db.executemany(
            'INSERT INTO chunks (id, article_id, ordinal, start, "end", context, embedding_hash) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            chunk_rows,
        )
        self._db.executemany("INSERT INTO chunk_dates VALUES (?, ?, ?, ?, ?, ?, ?, ?)", date_rows)
        self._db.executemany("INSERT INTO chunk_doc_numbers VALUES (?, ?)", number_rows)

    def copy_chunks_from(self, previous: Path, article_ids: Sequence[str]) -> None:
        """Copy the chunks (same ids) of unchanged articles from a previous version."""
        if not article_ids:
            return
        db = self._db
        db.execute("ATTACH DATABASE ? AS previous", (f"{previous.resolve().as_uri()}?mode=ro",))
        try:
            db.execute("CREATE TEMP TABLE keep (id TEXT PRIMARY KEY)")
            db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((a,) for a in article_ids))
            db.execute(
                "INSERT INTO chunks SELECT c.* FROM previous.chunks c "
                "WHERE c.article_id IN (SELECT id FROM temp.keep)"
            )
            db.execute(
                "INSERT INTO chunk_dates SELECT d.* FROM previous.chunk_dates d "
                "JOIN previous.chunks c ON c.id = d.chunk_id "
                "WHERE c.article_id IN (SELECT id FROM temp.keep)"
            )
            db.execute(
                "INSERT INTO chunk_doc_numbers SELECT n.* FROM previous.chunk_doc_numbers n "
                "JOIN previous.chunks c ON c.id = n.chunk_id "
                "WHERE c.article_id IN (SELECT id FROM temp.keep)"
            )
            db.execute("DROP TABLE temp.keep")
            db.commit()
        finally:
            db.execute("DETACH DATABASE previous")

    def finish(self) -> None:
        """Index the bulk-loaded tables and make the file durable."""
        self._db.executescript(_INDEXES)
        self._db.commit()
        self._db.execute("PRAGMA journal_mode=DELETE")
        self._db.execute("VACUUM")

    # Reading ---------------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def article_fingerprints(self) -> dict[str, str]:
        return dict(self._rows("SELECT id, fingerprint FROM articles"))

    def chunk_ids_of(self, article_ids: Sequence[str]) -> np.ndarray:
        ids: list[int] = []
        for start in range(0, len(article_ids), 500):
            batch = list(article_ids[start : start + 500])
            marks = ",".join("?" * len(batch))
            ids.extend(
                row[0]
                for row in self._rows(
                    f"SELECT id FROM chunks WHERE article_id IN ({marks}) ORDER BY id", batch
                )
            )
        return np.array(sorted(ids), dtype=np.int64)

    def chunk_id_for_embedding(self, digest: str) -> int | None:
        rows = self._rows("SELECT id FROM chunks WHERE embedding_hash = ? LIMIT 1", (digest,))
        return rows[0][0] if rows else None

    def counts(self) -> tuple[int, int]:
        articles = self._rows("SELECT COUNT(*) FROM articles")[0][0]
        chunks = self._rows("SELECT COUNT(*) FROM chunks")[0][0]
        return articles, chunks

    def keyword_texts(self, batch_size: int = 2000) -> Iterator[tuple[int, str]]:
        """(chunk id, context + text) for every chunk, in id order, read in batches."""
        last = -1
        while True:
            rows = self._rows(
                'SELECT c.id, c.context, substr(a.text, c.start + 1, c."end" - c.start) '
                "FROM chunks c JOIN articles a ON a.id = c.article_id "
                "WHERE c.id > ? ORDER BY c.id LIMIT ?",
                (last, batch_size),
            )
            if not rows:
                return
            for chunk_id, context, text in rows:
                yield chunk_id, f"{context}\n{text}" if context else text
            last = rows[-1][0]

    def allowed_chunk_ids(self, filters: SearchFilters | None) -> np.ndarray | None:
        """The chunk ids matching `filters`, sorted; None when nothing is filtered.

        Evaluated over the filter columns held in arrays (`_FilterColumns`, read once per
        open catalog): a filter costs a few vector operations over the chunks rather
        than a query that joins every chunk to its article."""
        if filters is None or filters.is_empty():
            return None
        return self.load_filter_columns().allowed(filters)

    def load_filter_columns(self) -> _FilterColumns:
        """Read the filter columns now, if not read yet. A served version calls it when
        it opens, so no search waits for the read (a second at a million chunks)."""
        with self._lock:
            if self._columns is None:
                self._columns = _FilterColumns.read(self._db)
            return self._columns

    def article(self, article_id: str) -> IndexedArticle | None:
        rows = self._rows(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        return _indexed_article(rows[0]) if rows else None

    def translations(self, translation_group: str) -> list[IndexedArticle]:
        rows = self._rows(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE translation_group = ? "
            "ORDER BY published, id",
            (translation_group,),
        )
        return [_indexed_article(row) for row in rows]

    def chunks(self, chunk_ids: Sequence[int]) -> dict[int, tuple[Chunk, IndexedArticle]]:
        """Chunks with their articles, by id (ids not in the catalog are left out)."""
        if not chunk_ids:
            return {}
        ids = [int(i) for i in chunk_ids]
        marks = ",".join("?" * len(ids))
        rows = self._rows(
            f'SELECT c.id, c.ordinal, c.start, c."end", c.context, '
            f"{', '.join('a.' + col.strip() for col in _ARTICLE_COLUMNS.split(','))} "
            f"FROM chunks c JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks})",
            ids,
        )
        dates: dict[int, list[MentionedDate]] = {}
        for chunk_id, value, value_end, kind, precision, start, end, surface in self._rows(
            f'SELECT chunk_id, value, value_end, kind, precision, start, "end", surface '
            f"FROM chunk_dates WHERE chunk_id IN ({marks}) ORDER BY chunk_id, start",
            ids,
        ):
            mentioned = MentionedDate(
                value=date.fromisoformat(value),
                kind=kind,
                precision=precision,
                start=start,
                end=end,
                surface=surface,
            )
            last = date.fromisoformat(value_end)
            if last != period_end(mentioned):
                # A part of a year ("the first 9 months of 2025") ends before the year.
                mentioned = replace(mentioned, last=last)
            dates.setdefault(chunk_id, []).append(mentioned)
        numbers: dict[int, list[str]] = {}
        for chunk_id, number in self._rows(
            f"SELECT chunk_id, doc_number FROM chunk_doc_numbers WHERE chunk_id IN ({marks}) "
            "ORDER BY rowid",
            ids,
        ):
            numbers.setdefault(chunk_id, []).append(number)
        found: dict[int, tuple[Chunk, IndexedArticle]] = {}
        articles: dict[str, IndexedArticle] = {}
        for row in rows:
            chunk_id, ordinal, start, end, context = row[:5]
            article_row = row[5:]
            article = articles.get(article_row[0])
            if article is None:
                article = articles[article_row[0]] = _indexed_article(article_row)
            chunk = Chunk(
                article_id=article.id,
                ordinal=ordinal,
                start=start,
                end=end,
                text=article.text[start:end],
                context=context,
                dates=tuple(dates.get(chunk_id, ())),
                doc_numbers=tuple(numbers.get(chunk_id, ())),
            )
            found[chunk_id] = (chunk, article)
        return found


# The day number `date.toordinal()` gives an ISO date, computed by SQLite: julianday() of
# a date is its midnight (x.5), and day 1 (0001-01-01) is julianday 1721425.5. An absent
# date is -1 (no comparison with a real day holds).
_JULIAN_DAY_ZERO = 1721424.5


def _day_number_sql(column: str) -> str:
    return f"COALESCE(CAST(round(julianday({column}) - {_JULIAN_DAY_ZERO}) AS INTEGER), -1)"


# Rows per read of an integer table: its text stays far below SQLite's string limit.
_ROWS_PER_READ = 1_000_000


def _integers(
    db: sqlite3.Connection, table: str, columns: Sequence[str], join: str = ""
) -> np.ndarray:
    """Integer expressions over every row of `table` (aliased `t`), as an (n, len(columns))
    int64 array in no particular row order.

    SQLite writes each column of a batch of rows as one text of numbers, which numpy
    parses: no Python object per value, so a million rows take a fraction of a second."""
    # One aggregate per column over the same rows (one scan), so the columns line up.
    aggregates = ", ".join(f"group_concat({column}, ' ')" for column in columns)
    low, high = db.execute(f"SELECT min(rowid), max(rowid) FROM {table}").fetchone()
    parts: list[np.ndarray] = []
    if low is not None:
        for start in range(low, high + 1, _ROWS_PER_READ):
            *texts, count = db.execute(
                f"SELECT {aggregates}, count(*) FROM {table} t {join} "
                "WHERE t.rowid >= ? AND t.rowid < ?",
                (start, start + _ROWS_PER_READ),
            ).fetchone()
            if not count:
                continue
            batch = [np.fromstring(text or "", dtype=np.int64, sep=" ") for text in texts]
            if any(len(values) != count for values in batch):  # a NULL, or not an integer
                raise ValueError(f"the catalog's {table} table has a value that is not a number")
            parts.append(np.stack(batch, axis=1))
    return np.concatenate(parts) if parts else np.zeros((0, len(columns)), dtype=np.int64)


# The code of an absent value (an article that states no province, language...).
UNSTATED = -1


def _codes(values: Sequence[str | None]) -> tuple[np.ndarray, dict[str, int]]:
    """Each value's number in a table of the distinct values (None: UNSTATED, matched
    only when a filter asks for it)."""
    table = {value: n for n, value in enumerate(dict.fromkeys(values))}
    codes = np.fromiter(map(table.__getitem__, values), dtype=np.int32, count=len(values))
    unstated = table.pop(None, None)
    if unstated is not None:
        codes[codes == unstated] = UNSTATED
    return codes, table  # type: ignore[return-value]


@dataclass(frozen=True)
class _FilterColumns:
    """What filters compare, as arrays: per article its province key, language, site,
    translation group (as numbers in a table of distinct values) and publication day;
    per chunk (sorted by id) its article; per mentioned date its chunk and the days its
    period starts and ends."""

    article_columns: dict[str, tuple[np.ndarray, dict[str, int]]]
    published_day: np.ndarray
    chunk_ids: np.ndarray
    chunk_article: np.ndarray
    date_chunk: np.ndarray
    date_start: np.ndarray
    date_end: np.ndarray

    @classmethod
    def read(cls, db: sqlite3.Connection) -> _FilterColumns:
        # Articles are numbered by their place in rowid order. One pass reads what filters
        # compare (each pass over the table reads the article texts too).
        names = ("province_key", "lang", "site", "translation_group")
        rows = db.execute(
            f"SELECT rowid, {_day_number_sql('published_day')}, {', '.join(names)} "
            "FROM articles ORDER BY rowid"
        ).fetchall()
        article_columns = {
            name: _codes([row[column] for row in rows]) for column, name in enumerate(names, 2)
        }
        rowids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        published_day = np.fromiter((row[1] for row in rows), dtype=np.int32, count=len(rows))
        del rows
        chunks = _integers(
            db,
            "chunks",
            ("t.id", "COALESCE(a.rowid, -1)"),
            join="LEFT JOIN articles a ON a.id = t.article_id",
        )
        chunks = chunks[np.argsort(chunks[:, 0], kind="stable")]
        # A chunk whose article is missing matches no filter.
        position = np.searchsorted(rowids, chunks[:, 1])
        chunk_article = np.where(chunks[:, 1] >= 0, position, -1)
        dates = _integers(
            db,
            "chunk_dates",
            ("t.chunk_id", _day_number_sql("t.value"), _day_number_sql("t.value_end")),
        )
        return cls(
            article_columns=article_columns,
            published_day=published_day,
            chunk_ids=np.ascontiguousarray(chunks[:, 0]),
            chunk_article=chunk_article.astype(np.int64),
            date_chunk=np.ascontiguousarray(dates[:, 0]),
            date_start=dates[:, 1].astype(np.int32),
            date_end=dates[:, 2].astype(np.int32),
        )

    def allowed(self, filters: SearchFilters) -> np.ndarray:
        articles = np.ones(len(self.published_day), dtype=bool)

        def any_of(name: str, values: Sequence[str], *, or_unstated: bool = False) -> None:
            nonlocal articles
            if values:
                codes, table = self.article_columns[name]
                wanted = [table[value] for value in values if value in table]
                if or_unstated:
                    wanted.append(UNSTATED)
                articles &= np.isin(codes, np.array(wanted, dtype=np.int32))

        provinces = [place_key(p) for p in filters.province]
        any_of("province_key", provinces, or_unstated=filters.province_unstated)
        any_of("lang", [v.lower() for v in filters.lang])
        any_of("site", [v.lower() for v in filters.site])
        any_of("translation_group", list(filters.translation_group))
        day = self.published_day
        if filters.since:
            articles &= day >= filters.since.toordinal()
        if filters.until:
            articles &= (day >= 0) & (day <= filters.until.toordinal())
        present = self.chunk_article >= 0
        chunks = present & articles[np.where(present, self.chunk_article, 0)]
        if filters.mentioned_since or filters.mentioned_until:
            # A mentioned period ("May 2025", "Q2") matches when it overlaps the range.
            low = (filters.mentioned_since or date.min).toordinal()
            high = (filters.mentioned_until or date.max).toordinal()
            overlapping = (self.date_end >= low) & (self.date_start <= high)
            chunks &= np.isin(self.chunk_ids, self.date_chunk[overlapping])
        return self.chunk_ids[chunks]


def _indexed_article(row: Sequence[Any]) -> IndexedArticle:
    (
        article_id,
        url,
        title,
        text,
        site,
        published,
        _day,
        lang,
        province,
        _province_key,
        group,
        translation_of,
        sapo,
        _content_hash,
        _fingerprint,
    ) = row
    return IndexedArticle(
        id=article_id,
        url=url,
        title=title,
        text=text,
        site=site,
        published=datetime.fromisoformat(published) if published else None,
        lang=lang,
        province=province,
        translation_group=group,
        translation_of=translation_of,
        sapo=sapo,
    )
