"""The article store's database: SQLite (one machine) or PostgreSQL (several), one interface.

`open_database(location)` takes a path (SQLite) or a `postgresql://` URL and returns a
`Database` that runs the store's SQL on either engine. The store writes its statements once,
with `?` placeholders and the SQL both engines share; the PostgreSQL side rewrites the
placeholders for psycopg. Each `write` is one transaction, committed before it returns.

Schema changes are versioned migrations (crawler/migrations.py), applied on first use and by
`policyqa migrate`; `schema_migrations` records what has been applied.

`writer_lock(name)` keeps two crawls (or two index builds) apart: a file lock beside the
SQLite file, a session advisory lock in PostgreSQL, so writers on different hosts exclude
each other too. Either is released when its holder ends, even when it dies.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from crawler.errors import StoreError
from crawler.migrations import MIGRATIONS, Migration

logger = logging.getLogger(__name__)

StoreLocation = Path | str
Statement = tuple[str, tuple[Any, ...]]

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class WriterLockHeld(StoreError):
    """Another process holds the writer lock this one asked for."""


def is_postgres_url(location: StoreLocation) -> bool:
    return isinstance(location, str) and location.startswith(_POSTGRES_SCHEMES)


def describe_location(location: StoreLocation) -> str:
    """The location for messages: a URL without its password."""
    if not is_postgres_url(location):
        return str(location)
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", str(location))


class Database(Protocol):
    engine: str
    description: str

    def write(self, statements: list[Statement]) -> None: ...
    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]: ...
    def stream(self, sql: str, *, batch_size: int = 1000) -> Iterator[list[Any]]: ...
    def insert_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None: ...
    def schema_version(self) -> int: ...
    def migrate(self) -> list[Migration]: ...
    def writer_lock(self, name: str, *, file_lock_path: Path | None = None) -> Any: ...
    def close(self) -> None: ...


def open_database(location: StoreLocation) -> Database:
    """The store's database at `location`, migrated to the current schema."""
    database: Database
    if is_postgres_url(location):
        database = PostgresDatabase(str(location))
    else:
        database = SqliteDatabase(Path(location))
    try:
        database.migrate()
    except BaseException:
        database.close()
        raise
    return database


def _applied_at() -> str:
    return datetime.now(UTC).isoformat()


class SqliteDatabase:
    """One SQLite file in WAL mode; one connection guarded by a lock."""

    engine = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = str(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=30.0
            )
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=30000")
        except (OSError, sqlite3.Error) as error:
            raise StoreError(
                f"cannot open the article store at {self.path}: {error}. "
                "Check that the folder is writable and the file is an SQLite database "
                "(set POLICYQA_HOME to use another folder)."
            ) from error
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        """One immediate write transaction: committed when the block ends, rolled back
        on a database error, which is reported as a StoreError naming the store."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield
                self._db.execute("COMMIT")
            except sqlite3.Error as error:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise StoreError(
                    f"cannot write to the article store {self.path}: {error}"
                ) from error

    def write(self, statements: list[Statement]) -> None:
        with self._write_transaction():
            for sql, params in statements:
                self._db.execute(sql, params)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise StoreError(f"cannot read the article store {self.path}: {error}") from error

    def stream(self, sql: str, *, batch_size: int = 1000) -> Iterator[list[Any]]:
        """A large result in batches, read through a cursor of its own."""
        try:
            cursor = self._db.cursor()
            cursor.execute(sql)
            while rows := cursor.fetchmany(batch_size):
                yield rows
        except sqlite3.Error as error:
            raise StoreError(f"cannot read the article store {self.path}: {error}") from error

    def insert_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        with self._write_transaction():
            self._db.executemany(sql, rows)

    def schema_version(self) -> int:
        rows = self.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        )
        if not rows:
            return 0
        return int(self.query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")[0][0])

    def migrate(self) -> list[Migration]:
        """Apply pending migrations, each in its own transaction (BEGIN IMMEDIATE keeps two
        processes opening a new store from applying the same one twice)."""
        applied: list[Migration] = []
        with self._lock:
            try:
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                    " name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
                for migration in MIGRATIONS:
                    self._db.execute("BEGIN IMMEDIATE")
                    try:
                        done = self._db.execute(
                            "SELECT 1 FROM schema_migrations WHERE version = ?",
                            (migration.version,),
                        ).fetchone()
                        if not done:
                            for sql in migration.sqlite:
                                self._db.execute(sql)
                            self._db.execute(
                                "INSERT INTO schema_migrations (version, name, applied_at)"
                                " VALUES (?, ?, ?)",
                                (migration.version, migration.name, _applied_at()),
                            )
                            applied.append(migration)
                        self._db.execute("COMMIT")
                    except BaseException:
                        self._db.execute("ROLLBACK")
                        raise
            except sqlite3.Error as error:
                raise StoreError(
                    f"cannot bring the article store {self.path} to the current schema: {error}"
                ) from error
        for migration in applied:
            logger.info("store %s: applied migration %d (%s)", self.path, *migration[:2])
        return applied

    @contextmanager
    def writer_lock(self, name: str, *, file_lock_path: Path | None = None) -> Iterator[None]:
        from filelock import FileLock, Timeout

        path = file_lock_path or self.path.with_name(f"{name}.lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(path), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise WriterLockHeld(f"lock {path}") from None
        try:
            yield
        finally:
            lock.release()


def _postgres_sql(sql: str) -> str:
    """The store's `?` placeholders as psycopg's `%s` (the store's SQL has no `%`)."""
    return sql.replace("?", "%s")


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock from a lock name."""
    digest = hashlib.sha256(f"policyqa:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresDatabase:
    """PostgreSQL through psycopg 3: one autocommit connection guarded by a lock; each
    write an explicit transaction. Rows come back as dicts, read by column name.

    A connection lost to a server restart or a network cut is replaced on next use:
    reads are tried once more on a new connection, and so are writes whose transaction
    never began (its BEGIN failed, so nothing of it can have been applied). A write
    that fails after it began is reported, not repeated: whether its COMMIT reached the
    server cannot be known. While the server is down, each call fails with a StoreError
    and the next one tries to connect again.
    """

    engine = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.description = describe_location(url)
        self._lock = threading.RLock()
        self._db = self._connect()

    def _connect(self) -> Any:
        import psycopg
        from psycopg.rows import dict_row

        try:
            return psycopg.connect(
                self.url, autocommit=True, row_factory=dict_row, connect_timeout=10
            )
        except psycopg.Error as error:
            raise StoreError(
                f"cannot connect to the article store at {self.description}: "
                f"{str(error).strip()}. Check POLICYQA_STORE_URL and that the server is up."
            ) from error

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _connection(self) -> Any:
        """The shared connection; a new one when the last was lost. Call under the lock."""
        if self._db.broken or self._db.closed:
            logger.warning("store %s: connection lost; connecting again", self.description)
            self._db = self._connect()
        return self._db

    def _lost(self, connection: Any) -> bool:
        """Whether a failed call failed because its connection is gone."""
        return bool(connection.broken or connection.closed)

    def _transaction(self, body: Callable[[Any], None]) -> None:
        """Run `body(cursor)` in one transaction, committed at its end and rolled back on
        a database error, which is reported as a StoreError naming the store."""
        import psycopg

        with self._lock:
            for attempt in (1, 2):
                connection = self._connection()
                began = False
                try:
                    with connection.transaction():
                        began = True
                        with connection.cursor() as cursor:
                            body(cursor)
                    return
                except psycopg.Error as error:
                    if attempt == 1 and not began and self._lost(connection):
                        continue
                    raise StoreError(
                        f"cannot write to the article store {self.description}: {error}"
                    ) from error

    def write(self, statements: list[Statement]) -> None:
        def run(cursor: Any) -> None:
            for sql, params in statements:
                cursor.execute(_postgres_sql(sql), params)

        self._transaction(run)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        import psycopg

        with self._lock:
            for attempt in (1, 2):
                connection = self._connection()
                try:
                    with connection.cursor() as cursor:
                        cursor.execute(_postgres_sql(sql), params)
                        return list(cursor.fetchall())
                except psycopg.Error as error:
                    if attempt == 1 and self._lost(connection):
                        continue
                    raise StoreError(
                        f"cannot read the article store {self.description}: {error}"
                    ) from error
        raise AssertionError("unreachable")

    def stream(self, sql: str, *, batch_size: int = 1000) -> Iterator[list[Any]]:
        """A large result in batches, through a server-side cursor on its own connection
        (so the store stays usable meanwhile)."""
        import psycopg

        connection = self._connect()
        try:
            with connection.transaction(), connection.cursor(name="policyqa_stream") as cursor:
                cursor.execute(_postgres_sql(sql))
                while rows := cursor.fetchmany(batch_size):
                    yield rows
        except psycopg.Error as error:
            raise StoreError(
                f"cannot read the article store {self.description}: {error}"
            ) from error
        finally:
            connection.close()

    def insert_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self._transaction(lambda cursor: cursor.executemany(_postgres_sql(sql), rows))

    def schema_version(self) -> int:
        rows = self.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        if not rows[0]["present"]:
            return 0
        return int(
            self.query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")[0]["v"]
        )

    def migrate(self) -> list[Migration]:
        """Apply pending migrations in one transaction under a transaction-scoped advisory
        lock, so API workers starting together on a new database apply each exactly once."""
        import psycopg

        applied: list[Migration] = []
        with self._lock:
            connection = self._connection()
            try:
                with connection.transaction(), connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", (advisory_key("migrate"),))
                    cursor.execute(
                        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY"
                        " KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                    )
                    cursor.execute("SELECT version FROM schema_migrations")
                    done = {int(row["version"]) for row in cursor.fetchall()}
                    for migration in MIGRATIONS:
                        if migration.version in done:
                            continue
                        for sql in migration.postgresql:
                            cursor.execute(sql)
                        cursor.execute(
                            "INSERT INTO schema_migrations (version, name, applied_at)"
                            " VALUES (%s, %s, %s)",
                            (migration.version, migration.name, _applied_at()),
                        )
                        applied.append(migration)
            except psycopg.Error as error:
                raise StoreError(
                    f"cannot bring the article store {self.description} to the current "
                    f"schema: {error}"
                ) from error
        for migration in applied:
            logger.info("store %s: applied migration %d (%s)", self.description, *migration[:2])
        return applied

    @contextmanager
    def writer_lock(self, name: str, *, file_lock_path: Path | None = None) -> Iterator[None]:
        """A session advisory lock on a connection of its own, held until released or until
        the holder's connection ends (a killed writer frees it with its connection)."""
        connection = self._connect()
        try:
            key = advisory_key(name)
            row = connection.execute("SELECT pg_try_advisory_lock(%s) AS got", (key,)).fetchone()
            if not row["got"]:
                raise WriterLockHeld(f"advisory lock {name!r} in {self.description}")
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (key,))
        finally:
            connection.close()
