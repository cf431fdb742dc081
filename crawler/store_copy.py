"""Copying an article store to another database (SQLite to PostgreSQL, or back), whole.

Every table is copied row by row in the order it was written (so "first stored" order,
translation groups, versions, fetch state and crawl runs survive), into a target that must
be empty. Afterwards both sides are read again and compared table by table (row count and a
digest over every column), so a copy that lost or changed anything fails loudly.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from crawler.database import Database
from crawler.errors import StoreError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    # The order rows were written in: the target's identity columns follow it.
    order_by: str


TABLES: tuple[Table, ...] = (
    Table(
        "articles",
        (
            "id",
            "canonical_url",
            "site",
            "province",
            "translation_of_id",
            "translation_group",
            "latest_version",
            "content_hash",
            "first_seen_at",
            "last_seen_at",
        ),
        "rowid",
    ),
    Table(
        "article_versions",
        ("article_id", "version", "content_hash", "fetched_at", "data"),
        "article_id, version",
    ),
    Table("url_aliases", ("url", "article_id"), "url"),
    Table(
        "fetch_state",
        (
            "url",
            "site",
            "status",
            "outcome",
            "etag",
            "last_modified",
            "attempts",
            "next_retry_at",
            "lastmod_seen",
            "fetched_at",
            "article_id",
            "error",
        ),
        "rowid",
    ),
    Table("discovery_documents", ("url", "site", "links", "recorded_at"), "url"),
    Table("runs", ("recorded_at", "summary"), "id"),
    Table(
        "content_link_seen",
        (
            "article_id",
            "version",
            "content_hash",
            "last_seen_at",
            "translation_of_id",
            "role",
            "published_us",
        ),
        "article_id",
    ),
    Table("content_link_settings", ("name", "value"), "name"),
)

_BATCH = 1000


def _select(table: Table) -> str:
    return f"SELECT {', '.join(table.columns)} FROM {table.name} ORDER BY {table.order_by}"


def _values(row: Any, columns: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(row[column] for column in columns)


def _batches(database: Database, table: Table) -> Iterator[list[tuple[Any, ...]]]:
    for rows in database.stream(_select(table), batch_size=_BATCH):
        yield [_values(row, table.columns) for row in rows]


def table_digest(database: Database, table: Table) -> tuple[int, str]:
    """Row count and a digest of every value, in write order (the identity columns aside).

    Rows are ordered by a key both engines sort alike (text keys compare bytewise in
    SQLite; the digest sorts them itself, so collation differences cannot show up here).
    """
    digests: list[str] = []
    for batch in _batches(database, table):
        for values in batch:
            digests.append(hashlib.sha256(repr(values).encode()).hexdigest())
    if table.order_by != "rowid" and table.order_by != "id":
        digests.sort()
    total = hashlib.sha256("\n".join(digests).encode()).hexdigest()
    return len(digests), total


def _count(database: Database, table: Table) -> int:
    row = database.query(f"SELECT COUNT(*) AS n FROM {table.name}")[0]
    return int(row["n"])


def copy_store(source: Database, target: Database) -> dict[str, int]:
    """Copy every table of `source` into the empty store `target`; verify; rows per table."""
    occupied = {table.name: n for table in TABLES if (n := _count(target, table))}
    if occupied:
        listed = ", ".join(f"{name} {n}" for name, n in occupied.items())
        raise StoreError(
            f"the target store {target.description} is not empty ({listed} rows); "
            "copy into a new, empty database"
        )
    copied: dict[str, int] = {}
    for table in TABLES:
        insert = (
            f"INSERT INTO {table.name} ({', '.join(table.columns)})"
            f" VALUES ({', '.join('?' for _ in table.columns)})"
        )
        count = 0
        for batch in _batches(source, table):
            target.insert_many(insert, batch)
            count += len(batch)
        copied[table.name] = count
        logger.info("copied %d rows of %s", count, table.name)
    for table in TABLES:
        if table_digest(source, table) != table_digest(target, table):
            raise StoreError(
                f"the copy of table {table.name} in {target.description} differs from the "
                "source; the target is incomplete and should be dropped"
            )
    return copied
