"""Shared test set-up: every test runs offline with its own $POLICYQA_HOME."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from qa.gazetteer import Gazetteer

# Nothing in the suite may reach a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """State goes to a temporary folder; settings are re-read for every test."""
    home = tmp_path / "policyqa-home"
    monkeypatch.setenv("POLICYQA_HOME", str(home))
    from api.settings import get_settings

    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    """The packaged gazetteer, built once and handed to whatever reads place names (as the
    app's container does)."""
    from qa.gazetteer import Gazetteer

    return Gazetteer.packaged()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """One private PostgreSQL cluster for the session (started on first use)."""
    from tests.postgres_server import PostgresUnavailable, private_cluster

    try:
        cluster = private_cluster()
        url = cluster.__enter__()
    except PostgresUnavailable as error:
        pytest.fail(f"cannot start the test PostgreSQL server: {error}", pytrace=False)
    try:
        yield url
    finally:
        cluster.__exit__(None, None, None)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database for one test."""
    from tests.postgres_server import fresh_database

    with fresh_database(postgres_server) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a test's article store lives: an SQLite file, then a PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return tmp_path / "articles.sqlite"
