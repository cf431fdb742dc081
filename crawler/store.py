"""The article store: one row per canonical article, every text version kept.

SQLite on one machine, PostgreSQL when the store is a `postgresql://` URL
(`POLICYQA_STORE_URL`): the same statements on either (crawler/database.py), the schema
from versioned migrations (crawler/migrations.py) applied on first use.

Tables:
- `articles`: one row per article id (a hash of the canonical URL), its latest version,
  translation group and the metadata used for grouping. A translation that names no
  original shares a group with the other unlinked language versions of its slug on a
  multilingual site (vietnam.vn/en/<slug>, /uk/<slug>): one story whose original is not
  stored.
- `article_versions`: every distinct (title, text) an article has had, as the full
  Article JSON, oldest first.
- `url_aliases`: every URL an article was seen under (fetched URL, canonical URL), so a
  translation that names its original by another spelling still finds the original.
- `fetch_state`: per URL, what the crawler knows: HTTP status, ETag, Last-Modified,
  attempts, when to retry, the sitemap `lastmod` last seen and the article it produced.
  Discovery documents (sitemaps, feeds, listings) keep their validators here too.
- `discovery_documents`: per discovery document, the links it listed when last read,
  so a 304 on the next run still yields its URLs and their `lastmod`.
- `runs`: crawl summaries, newest last.

Each write commits at once (SQLite in WAL mode), so a reader (the indexer, the API) can read
while a crawl writes and an interrupted crawl loses nothing already stored.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from crawler.database import Database, StoreLocation, open_database
from crawler.language import detect_language
from crawler.models import Article, article_id_for, content_hash_for
from crawler.urls import canonicalize_url, language_version_key

if TYPE_CHECKING:
    # Only for annotations: readers of the store (index, API) need not load the parsers.
    from crawler.discover import Discovery, Link

logger = logging.getLogger(__name__)

AddOutcome = Literal["new", "changed", "unchanged"]

# Fetch outcomes kept in fetch_state.outcome.
PENDING = "pending"  # discovered, never fetched (or an interrupted run)
FAILED = "failed"  # a transient failure: retried on a later run
DONE = "done"  # fetched; an article or a page that is not one
GONE = "gone"  # 404/410 or a permanent refusal: not retried
# Permanently redirected (301/308), or a duplicate of a stored canonical article: not
# requested again until its sitemap/feed lastmod is newer than the time it was recorded.
MOVED = "moved"


@dataclass(frozen=True)
class LinkSeen:
    """What a content-linking pass saw of an article: its row (version, content hash,
    last-seen time, original), and read from its text, its role ("original", "copy" or
    "other") and publication time in microseconds since the epoch."""

    article_id: str
    version: int
    content_hash: str
    last_seen_at: str
    translation_of_id: str | None
    role: str
    published_us: int | None


@dataclass(frozen=True)
class LinkState:
    """An article as the next linking pass finds it: the row now, what the last pass saw
    (None when it saw nothing), and the parsed article when the row changed since."""

    rowid: int
    seen: LinkSeen
    article: Article | None
    touched: bool
    seen_role: str | None
    seen_published_us: int | None
    seen_hash: str | None


@dataclass(frozen=True)
class FetchState:
    """What the store knows about one URL."""

    url: str
    site: str | None = None
    status: int | None = None
    outcome: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 0
    next_retry_at: datetime | None = None
    lastmod_seen: datetime | None = None
    fetched_at: datetime | None = None
    article_id: str | None = None
    error: str | None = None


def _parse_article(data: str) -> Article | None:
    """A stored article, or None (logged) when the row no longer passes validation: a
    row written before a rule existed (a `javascript:` URL) must not break every reader."""
    try:
        return Article.model_validate_json(data)
    except ValidationError as error:
        logger.warning("skipping a stored article that fails validation: %s", error)
        return None


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _parse_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _www_twin(url: str) -> str:
    """The same URL with `www.` added or removed: most sites serve both."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    host, slash, path = rest.partition("/")
    twin = host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"
    return f"{scheme}://{twin}{slash}{path}"


def _fetch_statement(
    url: str,
    *,
    site: str | None,
    status: int,
    outcome: str,
    etag: str | None,
    last_modified: str | None,
    article_id: str | None,
    fetched_at: datetime,
) -> tuple[str, tuple[Any, ...]]:
    return (
        "INSERT INTO fetch_state (url, site, status, outcome, etag, last_modified,"
        " attempts, next_retry_at, fetched_at, article_id, error)"
        " VALUES (?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, NULL)"
        " ON CONFLICT (url) DO UPDATE SET site = COALESCE(excluded.site, fetch_state.site),"
        " status = excluded.status, outcome = excluded.outcome,"
        " etag = COALESCE(excluded.etag, fetch_state.etag),"
        " last_modified = COALESCE(excluded.last_modified, fetch_state.last_modified),"
        " attempts = 0, next_retry_at = NULL, fetched_at = excluded.fetched_at,"
        " article_id = COALESCE(excluded.article_id, fetch_state.article_id),"
        " error = NULL",
        (url, site, status, outcome, etag, last_modified, _iso(fetched_at), article_id),
    )


def _links_json(links: list[Link]) -> list[list[str | None]]:
    return [[link.url, _iso(link.lastmod), _iso(link.published)] for link in links]


def _links_from_json(rows: list[list[str | None]]) -> list[Link]:
    from crawler.discover import Link

    return [
        Link(str(url), _parse_iso(lastmod), _parse_iso(published))
        for url, lastmod, published in rows
    ]


def _discovery_json(discovery: Discovery) -> str:
    return json.dumps(
        {
            "kind": discovery.kind,
            "pages": _links_json(discovery.pages),
            "follow": _links_json(discovery.follow),
        }
    )


def _discovery_from_json(text: str) -> Discovery:
    from crawler.discover import Discovery

    data = json.loads(text)
    return Discovery(
        kind=data["kind"],
        pages=_links_from_json(data["pages"]),
        follow=_links_from_json(data["follow"]),
    )


class ArticleStore:
    """The article store at a path (SQLite) or a `postgresql://` URL (PostgreSQL).

    Thread-safe: the database serialises its own calls; `_lock` keeps a read-then-write
    (adding an article) whole.
    """

    def __init__(self, location: StoreLocation) -> None:
        self.location = location
        self._database: Database = open_database(location)
        self.path = self._database.description
        self._lock = threading.RLock()

    @property
    def database(self) -> Database:
        return self._database

    # -- lifecycle -------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._database.close()

    def __enter__(self) -> ArticleStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _write(self, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
        """Run statements in one transaction, committed before returning."""
        with self._lock:
            self._database.write(statements)

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            return self._database.query(sql, params)

    def writer_lock(self, name: str, *, file_lock_path: Path | None = None) -> Any:
        """The single-writer lock `name` (crawl, index): a file lock for SQLite (at
        `file_lock_path` when given), an advisory lock in PostgreSQL. Raises
        WriterLockHeld when another process holds it."""
        return self._database.writer_lock(name, file_lock_path=file_lock_path)

    # -- articles --------------------------------------------------------------------

    def _resolve_group(self, translation_of: str) -> str:
        """The id of the original a translation points at, through known aliases."""
        canonical = canonicalize_url(translation_of)
        for candidate in (canonical, _www_twin(canonical)):
            rows = self._query("SELECT article_id FROM url_aliases WHERE url = ?", (candidate,))
            if rows:
                return str(rows[0]["article_id"])
        return article_id_for(canonical)

    def add(self, article: Article, *, fetched_at: datetime | None = None) -> AddOutcome:
        """Store an article; a new version when its title or text changed.

        Returns "new", "changed" or "unchanged". Commits before returning.
        """
        fetched_at = fetched_at or _now()
        canonical = canonicalize_url(article.identity_url)
        article_id = article_id_for(canonical)
        content_hash = content_hash_for(article.title, article.text)
        with self._lock:
            rows = self._query(
                "SELECT latest_version, content_hash, first_seen_at, translation_of_id,"
                " translation_group FROM articles WHERE id = ?",
                (article_id,),
            )
            previous = rows[0] if rows else None
            if not article.translation_of and previous is not None:
                # A translation linked earlier (by content, after a crawl) stays linked
                # when the page, fetched again, still names no original.
                article = self._with_kept_link(article, article_id, previous)
            linked_group = (
                self._resolve_group(article.translation_of) if article.translation_of else None
            )
            group = linked_group or self._unlinked_versions_group(canonical, article_id)
            aliases = {canonical, canonicalize_url(article.url)}
            filled = article.model_copy(
                update={
                    # One row per canonical article: whichever duplicate URL (a second
                    # section path, an AMP copy) was fetched, the row is the canonical one.
                    "url": canonical,
                    "id": article_id,
                    "canonical_url": canonical,
                    "content_hash": content_hash,
                    "translation_group": group,
                    "lang_detected": article.lang_detected or detect_language(article.text),
                    "fetched_at": fetched_at,
                }
            )
            if filled.lang is None:
                filled = filled.model_copy(update={"lang": filled.lang_detected})
            statements: list[tuple[str, tuple[Any, ...]]] = []
            if previous is None:
                outcome: AddOutcome = "new"
                version = 1
            elif previous["content_hash"] != content_hash:
                outcome = "changed"
                version = int(previous["latest_version"]) + 1
            else:
                outcome = "unchanged"
                version = int(previous["latest_version"])
            if outcome == "unchanged":
                # Same text: refresh metadata (a better date, a province) in place, but
                # keep the time this version was first fetched.
                stored = self._version(article_id, version)
                kept_fetched_at = stored.fetched_at if stored else fetched_at
                filled = filled.model_copy(
                    update={"version": version, "fetched_at": kept_fetched_at}
                )
                statements.append(
                    (
                        "UPDATE article_versions SET data = ? WHERE article_id = ? AND version = ?",
                        (filled.model_dump_json(), article_id, version),
                    )
                )
            else:
                filled = filled.model_copy(update={"version": version})
                statements.append(
                    (
                        "INSERT INTO article_versions (article_id, version, content_hash,"
                        " fetched_at, data) VALUES (?, ?, ?, ?, ?)",
                        (
                            article_id,
                            version,
                            content_hash,
                            _iso(fetched_at),
                            filled.model_dump_json(),
                        ),
                    )
                )
            statements.append(
                (
                    "INSERT INTO articles (id, canonical_url, site, province, translation_of_id,"
                    " translation_group, latest_version, content_hash, first_seen_at, last_seen_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET canonical_url = excluded.canonical_url,"
                    " site = excluded.site, province = excluded.province,"
                    " translation_of_id = excluded.translation_of_id,"
                    " translation_group = excluded.translation_group,"
                    " latest_version = excluded.latest_version,"
                    " content_hash = excluded.content_hash, last_seen_at = excluded.last_seen_at",
                    (
                        article_id,
                        canonical,
                        filled.site,
                        filled.province,
                        linked_group if linked_group != article_id else None,
                        group,
                        version,
                        content_hash,
                        _iso(fetched_at),
                        _iso(fetched_at),
                    ),
                )
            )
            for alias in aliases:
                statements.append(
                    (
                        "INSERT INTO url_aliases (url, article_id) VALUES (?, ?)"
                        " ON CONFLICT (url) DO UPDATE SET article_id = excluded.article_id",
                        (alias, article_id),
                    )
                )
            if linked_group is None and group == article_id:
                # Translations stored before this original may have grouped under another
                # spelling of its URL: move them into this article's group.
                for alias in aliases:
                    for spelling in (alias, _www_twin(alias)):
                        provisional = article_id_for(spelling)
                        if provisional != article_id:
                            statements.append(
                                (
                                    "UPDATE articles SET translation_group = ?,"
                                    " translation_of_id = ? WHERE translation_group = ?",
                                    (article_id, article_id, provisional),
                                )
                            )
            self._write(statements)
        logger.debug("stored %s as %s (version %s): %s", canonical, article_id, version, outcome)
        return outcome

    def _unlinked_versions_group(self, canonical: str, article_id: str) -> str:
        """The group of the other unlinked language versions of this URL's story on a
        multilingual site, or the article's own id. Only unlinked versions are joined: a
        version linked to an original is in that original's group, which content linking
        may give this one too (`_link_statements` links the whole group)."""
        key = language_version_key(canonical)
        if key is None:
            return article_id
        slug = key.split("/", 1)[1]
        escaped = slug.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        rows = self._query(
            "SELECT id, canonical_url, translation_group FROM articles"
            " WHERE canonical_url LIKE ? ESCAPE '!' AND translation_of_id IS NULL AND id != ?",
            (f"%/{escaped}", article_id),
        )
        groups = sorted(
            str(row["translation_group"] or row["id"])
            for row in rows
            if language_version_key(str(row["canonical_url"])) == key
        )
        return groups[0] if groups else article_id

    def _with_kept_link(self, article: Article, article_id: str, previous: Any) -> Article:
        if not previous["translation_of_id"]:
            return article
        stored = self._version(article_id, int(previous["latest_version"]))
        if stored is None or not stored.translation_of:
            return article
        return article.model_copy(update={"translation_of": stored.translation_of})

    def link_translations(self, links: Iterable[tuple[str, str]]) -> int:
        """Record the original of stored translations that name none: for each
        (translation URL, original URL), the translation joins the original's translation
        group and its latest version names the original in `translation_of`.

        One transaction: all links are recorded or none. A translation that already names
        an original keeps it, so recording the same links again changes nothing. Returns
        how many translations were linked."""
        return self.record_link_pass(links, [], {})

    def record_link_pass(
        self,
        links: Iterable[tuple[str, str]],
        seen: Iterable[LinkSeen],
        settings: dict[str, str],
    ) -> int:
        """`link_translations`, and in the same transaction what the linking pass saw of
        the articles it read (`linking_state`) and the settings it ran with."""
        with self._lock:
            statements, linked = self._link_statements(links)
            statements += [
                (
                    "INSERT INTO content_link_seen (article_id, version, content_hash,"
                    " last_seen_at, translation_of_id, role, published_us)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET"
                    " version = excluded.version, content_hash = excluded.content_hash,"
                    " last_seen_at = excluded.last_seen_at,"
                    " translation_of_id = excluded.translation_of_id, role = excluded.role,"
                    " published_us = excluded.published_us",
                    (
                        row.article_id,
                        row.version,
                        row.content_hash,
                        row.last_seen_at,
                        row.translation_of_id,
                        row.role,
                        row.published_us,
                    ),
                )
                for row in seen
            ]
            statements += [
                (
                    "INSERT INTO content_link_settings (name, value) VALUES (?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    (name, value),
                )
                for name, value in settings.items()
            ]
            if statements:
                self._write(statements)
        return linked

    def link_settings(self) -> dict[str, str]:
        """The settings the last content-linking pass recorded."""
        rows = self._query("SELECT name, value FROM content_link_settings")
        return {str(row["name"]): str(row["value"]) for row in rows}

    def linking_state(self, *, everything: bool, batch_size: int = 1000) -> Iterator[LinkState]:
        """Every article, in the order first stored, with what the last linking pass saw
        of it; its latest version is read (and parsed) only when the article row changed
        since that pass, or for every article when `everything`."""
        after = 0
        while True:
            rows = self._query(
                "SELECT a.rowid AS article_rowid, a.id AS id, a.latest_version AS version,"
                " a.content_hash AS content_hash, a.last_seen_at AS last_seen_at,"
                " a.translation_of_id AS translation_of_id, s.role AS seen_role,"
                " s.published_us AS seen_published_us, s.content_hash AS seen_hash,"
                " CASE WHEN ? = 1 OR s.article_id IS NULL OR s.version != a.latest_version"
                " OR s.last_seen_at != a.last_seen_at OR s.content_hash != a.content_hash"
                " OR COALESCE(s.translation_of_id, '') != COALESCE(a.translation_of_id, '')"
                " THEN v.data END AS data"
                " FROM articles a"
                " JOIN article_versions v ON v.article_id = a.id AND v.version = a.latest_version"
                " LEFT JOIN content_link_seen s ON s.article_id = a.id"
                " WHERE a.rowid > ? ORDER BY a.rowid LIMIT ?",
                (1 if everything else 0, after, batch_size),
            )
            for row in rows:
                yield LinkState(
                    rowid=int(row["article_rowid"]),
                    seen=LinkSeen(
                        str(row["id"]),
                        int(row["version"]),
                        str(row["content_hash"]),
                        str(row["last_seen_at"]),
                        row["translation_of_id"],
                        "",
                        None,
                    ),
                    article=_parse_article(row["data"]) if row["data"] is not None else None,
                    touched=row["data"] is not None,
                    seen_role=row["seen_role"],
                    seen_published_us=row["seen_published_us"],
                    seen_hash=row["seen_hash"],
                )
            if len(rows) < batch_size:
                return
            after = int(rows[-1]["article_rowid"])

    def articles_with_ids(self, ids: Iterable[str], *, batch_size: int = 500) -> Iterator[Article]:
        """The latest version of the articles with these ids, a batch at a time, each
        batch in the order first stored."""
        wanted = list(ids)
        for start in range(0, len(wanted), batch_size):
            batch = wanted[start : start + batch_size]
            marks = ", ".join("?" for _ in batch)
            rows = self._query(
                f"{self._SELECT_WITH_ROWID} WHERE a.id IN ({marks}) ORDER BY a.rowid", tuple(batch)
            )
            for row in rows:
                article = self._materialise(row)
                if article is not None:
                    yield article

    def _link_statements(
        self, links: Iterable[tuple[str, str]]
    ) -> tuple[list[tuple[str, tuple[Any, ...]]], int]:
        linked = 0
        with self._lock:
            statements: list[tuple[str, tuple[Any, ...]]] = []
            seen: set[str] = set()
            for translation_url, original_url in links:
                copy_id = self.article_id_for_url(translation_url)
                original_id = self.article_id_for_url(original_url)
                if copy_id is None or original_id is None or copy_id in seen:
                    continue
                rows = self._query(
                    "SELECT c.translation_of_id AS linked, c.translation_group AS copy_group,"
                    " o.translation_group AS original_group FROM articles c, articles o"
                    " WHERE c.id = ? AND o.id = ?",
                    (copy_id, original_id),
                )
                if not rows or rows[0]["linked"]:
                    continue
                group = str(rows[0]["original_group"] or original_id)
                # An unlinked copy's group is its own or its story's other unlinked
                # language versions' (`_unlinked_versions_group`): they share the original.
                copy_group = str(rows[0]["copy_group"] or copy_id)
                versions = self._query(
                    "SELECT id, latest_version FROM articles WHERE (id = ? OR translation_group = ?)"
                    " AND translation_of_id IS NULL ORDER BY id",
                    (copy_id, copy_group),
                )
                updates: list[tuple[str, tuple[Any, ...]]] = []
                for row in versions:
                    member_id, version = str(row["id"]), int(row["latest_version"])
                    stored = self._version(member_id, version)
                    if stored is None or stored.translation_of or group == member_id:
                        continue
                    updated = stored.model_copy(
                        update={
                            "translation_of": canonicalize_url(original_url),
                            "translation_group": group,
                        }
                    )
                    updates.append(
                        (
                            "UPDATE article_versions SET data = ?"
                            " WHERE article_id = ? AND version = ?",
                            (updated.model_dump_json(), member_id, version),
                        )
                    )
                    updates.append(
                        (
                            "UPDATE articles SET translation_of_id = ?, translation_group = ?"
                            " WHERE id = ?",
                            (group, group, member_id),
                        )
                    )
                    seen.add(member_id)
                    linked += 1
                if updates:
                    # Translations stored as naming the copy itself follow it.
                    updates.append(
                        (
                            "UPDATE articles SET translation_of_id = ?, translation_group = ?"
                            " WHERE translation_group = ?",
                            (group, group, copy_id),
                        )
                    )
                    statements += updates
        return statements, linked

    _SELECT = (
        "SELECT v.data AS data, a.translation_group AS translation_group,"
        " a.province AS own_province, o.province AS original_province"
        " FROM articles a"
        " JOIN article_versions v ON v.article_id = a.id AND v.version = a.latest_version"
        " LEFT JOIN articles o ON o.id = a.translation_group AND o.id != a.id"
    )

    _SELECT_WITH_ROWID = _SELECT.replace("SELECT ", "SELECT a.rowid AS article_rowid, ", 1)

    @staticmethod
    def _materialise(row: Any) -> Article | None:
        article = _parse_article(row["data"])
        if article is None:
            return None
        update: dict[str, Any] = {"translation_group": row["translation_group"]}
        if not row["own_province"] and row["original_province"]:
            update["province"] = row["original_province"]
        return article.model_copy(update=update)

    def articles(self, *, batch_size: int = 500) -> Iterator[Article]:
        """The latest version of every article, in the order they were first stored.

        Read in batches, so a large store is never held in memory at once and writers
        are not blocked while the caller works through the articles.
        """
        after = 0
        while True:
            rows = self._query(
                f"{self._SELECT_WITH_ROWID} WHERE a.rowid > ? ORDER BY a.rowid LIMIT ?",
                (after, batch_size),
            )
            for row in rows:
                article = self._materialise(row)
                if article is not None:
                    yield article
            if len(rows) < batch_size:
                return
            after = int(rows[-1]["article_rowid"])

    def get(self, article_id: str) -> Article | None:
        rows = self._query(f"{self._SELECT} WHERE a.id = ?", (article_id,))
        return self._materialise(rows[0]) if rows else None

    def _version(self, article_id: str, version: int) -> Article | None:
        rows = self._query(
            "SELECT data FROM article_versions WHERE article_id = ? AND version = ?",
            (article_id, version),
        )
        return _parse_article(rows[0]["data"]) if rows else None

    def versions(self, article_id: str) -> list[Article]:
        """Every version of an article, oldest first."""
        current = self.get(article_id)
        if current is None:
            return []
        rows = self._query(
            "SELECT data FROM article_versions WHERE article_id = ? ORDER BY version",
            (article_id,),
        )
        shared = {"translation_group": current.translation_group}
        parsed = (_parse_article(row["data"]) for row in rows)
        return [article.model_copy(update=shared) for article in parsed if article is not None]

    def translations(self, translation_group: str) -> list[Article]:
        """Every article in a translation group, the original first when stored."""
        rows = self._query(
            f"{self._SELECT} WHERE a.translation_group = ? ORDER BY a.id != ?, a.rowid",
            (translation_group, translation_group),
        )
        return [article for row in rows if (article := self._materialise(row)) is not None]

    def count(self) -> int:
        return int(self._query("SELECT COUNT(*) AS n FROM articles")[0]["n"])

    def article_id_for_url(self, url: str) -> str | None:
        """The id of the article known under this URL (any stored spelling), if any."""
        rows = self._query(
            "SELECT article_id FROM url_aliases WHERE url = ?", (canonicalize_url(url),)
        )
        return str(rows[0]["article_id"]) if rows else None

    # -- runs ------------------------------------------------------------------------

    def record_run(self, summary: dict[str, Any]) -> None:
        self._write(
            [
                (
                    "INSERT INTO runs (recorded_at, summary) VALUES (?, ?)",
                    (_iso(_now()), json.dumps(summary, ensure_ascii=False, default=str)),
                )
            ]
        )

    def last_run(self) -> dict[str, Any] | None:
        rows = self._query("SELECT recorded_at, summary FROM runs ORDER BY id DESC LIMIT 1")
        if not rows:
            return None
        summary: dict[str, Any] = json.loads(rows[0]["summary"])
        summary.setdefault("recorded_at", rows[0]["recorded_at"])
        return summary

    # -- fetch state -----------------------------------------------------------------

    @staticmethod
    def _fetch_state(row: Any) -> FetchState:
        return FetchState(
            url=row["url"],
            site=row["site"],
            status=row["status"],
            outcome=row["outcome"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            attempts=int(row["attempts"]),
            next_retry_at=_parse_iso(row["next_retry_at"]),
            lastmod_seen=_parse_iso(row["lastmod_seen"]),
            fetched_at=_parse_iso(row["fetched_at"]),
            article_id=row["article_id"],
            error=row["error"],
        )

    def fetch_state(self, url: str) -> FetchState | None:
        rows = self._query("SELECT * FROM fetch_state WHERE url = ?", (url,))
        return self._fetch_state(rows[0]) if rows else None

    def note_discovered(
        self, links: Iterable[tuple[str, datetime | None]], *, site: str | None
    ) -> None:
        """Remember URLs found by discovery (with their sitemap lastmod) in one transaction,
        so an interrupted run picks them up next time."""
        self._write(
            [
                (
                    "INSERT INTO fetch_state (url, site, outcome, lastmod_seen) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (url) DO UPDATE SET"
                    " lastmod_seen = COALESCE(excluded.lastmod_seen, fetch_state.lastmod_seen),"
                    " site = COALESCE(fetch_state.site, excluded.site)",
                    (url, site, PENDING, _iso(lastmod)),
                )
                for url, lastmod in links
            ]
        )

    def record_fetch(
        self,
        url: str,
        *,
        site: str | None,
        status: int,
        outcome: str = DONE,
        etag: str | None = None,
        last_modified: str | None = None,
        article_id: str | None = None,
        fetched_at: datetime | None = None,
    ) -> None:
        """A completed fetch (2xx, 304, or a permanent 4xx): validators kept for next time."""
        self._write(
            [
                _fetch_statement(
                    url,
                    site=site,
                    status=status,
                    outcome=outcome,
                    etag=etag,
                    last_modified=last_modified,
                    article_id=article_id,
                    fetched_at=fetched_at or _now(),
                )
            ]
        )

    def record_document(
        self,
        url: str,
        *,
        site: str | None,
        status: int,
        etag: str | None,
        last_modified: str | None,
        discovery: Discovery | None,
    ) -> None:
        """A discovery document read (200) or confirmed unchanged (304, `discovery` None):
        its validators and, when read, the links it listed, in one transaction so the
        validators never vouch for links other than the ones stored."""
        now = _now()
        statements = [
            _fetch_statement(
                url,
                site=site,
                status=status,
                outcome=DONE,
                etag=etag,
                last_modified=last_modified,
                article_id=None,
                fetched_at=now,
            )
        ]
        if discovery is not None:
            statements.insert(
                0,
                (
                    "INSERT INTO discovery_documents (url, site, links, recorded_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                    " site = excluded.site, links = excluded.links,"
                    " recorded_at = excluded.recorded_at",
                    (url, site, _discovery_json(discovery), _iso(now)),
                ),
            )
        self._write(statements)

    def discovery(self, url: str) -> Discovery | None:
        """What a discovery document listed when it was last read, if it was."""
        rows = self._query("SELECT links FROM discovery_documents WHERE url = ?", (url,))
        return _discovery_from_json(rows[0]["links"]) if rows else None

    def record_failure(
        self,
        url: str,
        *,
        site: str | None,
        error: str,
        status: int | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """A transient failure: counted, and the URL is retried on a later run."""
        self._write(
            [
                (
                    "INSERT INTO fetch_state (url, site, status, outcome, attempts, next_retry_at,"
                    " error) VALUES (?, ?, ?, ?, 1, ?, ?)"
                    " ON CONFLICT (url) DO UPDATE SET status = excluded.status,"
                    " outcome = excluded.outcome, attempts = fetch_state.attempts + 1,"
                    " next_retry_at = excluded.next_retry_at, error = excluded.error",
                    (url, site, status, FAILED, _iso(retry_at), error),
                )
            ]
        )

    def pending_urls(self, *, site: str | None = None, now: datetime | None = None) -> list[str]:
        """URLs discovered but not fetched, and failed URLs whose retry time has come."""
        now_iso = _iso(now or _now())
        sql = (
            "SELECT url FROM fetch_state WHERE (outcome = ? OR (outcome = ? AND"
            " (next_retry_at IS NULL OR next_retry_at <= ?)))"
        )
        params: tuple[Any, ...] = (PENDING, FAILED, now_iso)
        if site is not None:
            sql += " AND site = ?"
            params += (site,)
        return [str(row["url"]) for row in self._query(sql + " ORDER BY rowid", params)]
