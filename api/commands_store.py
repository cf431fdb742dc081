"""`policyqa migrate` and `policyqa store copy`: the article store's schema and moving it."""

from __future__ import annotations

import sys

from api.settings import Settings

EXIT_OK = 0
EXIT_USAGE = 2


def migrate(settings: Settings) -> int:
    """Bring the configured store to the current schema; print what was applied."""
    from crawler.database import open_database

    database = open_database(settings.store_location)
    try:
        # open_database applied what was pending; a second pass reports nothing new.
        version = database.schema_version()
        rows = database.query(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        )
    finally:
        database.close()
    for row in rows:
        print(f"  {row['version']:>3}  {row['applied_at']}  {row['name']}")
    print(f"store {database.description} ({database.engine}): schema version {version}")
    return EXIT_OK


def copy(settings: Settings, *, to: str) -> int:
    """Copy the configured store, whole, into the empty store at `to` (URL or path)."""
    from crawler.database import describe_location, open_database
    from crawler.store_copy import copy_store

    if to == str(settings.store_location):
        print("policyqa: --to names the store being copied; give another one", file=sys.stderr)
        return EXIT_USAGE
    if not settings.store_url and not settings.store_path.exists():
        print(
            f"policyqa: there is no article store at {settings.store_path} to copy",
            file=sys.stderr,
        )
        return EXIT_USAGE
    source = open_database(settings.store_location)
    try:
        target = open_database(to)
        try:
            copied = copy_store(source, target)
        finally:
            target.close()
    finally:
        source.close()
    listed = ", ".join(f"{name}={n}" for name, n in copied.items())
    print(f"copied {source.description} to {describe_location(to)}: {listed}; verified")
    return EXIT_OK
