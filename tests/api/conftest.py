"""Fixtures for the API tests: a fake index over a multilingual corpus and apps on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.support import FakeRetriever, fake_answer


@pytest.fixture
def retriever() -> FakeRetriever:
    return FakeRetriever()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", rate_limit_per_minute=0)


@pytest.fixture
def client(settings: Settings, retriever: FakeRetriever) -> Iterator[TestClient]:
    fake_answer.calls.clear()
    app = create_app(settings, retriever=retriever, answer_fn=fake_answer)
    with TestClient(app) as test_client:
        yield test_client
