"""The app loading a real index from settings (IndexHandle over FAISS + BM25), with the
hashing embedder standing in for the model: start-up, health, answers, hot reload."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from crawler.models import Article
from crawler.store import ArticleStore
from index.build import update_index
from tests.fakes import HashingEmbedder


@pytest.fixture
def embedder(monkeypatch: pytest.MonkeyPatch) -> HashingEmbedder:
    embedder = HashingEmbedder()
    monkeypatch.setattr("api.services.load_embedder", lambda _settings: embedder)
    return embedder


def _store(settings: Settings, *articles: Article) -> None:
    with ArticleStore(settings.store_path) as store:
        for article in articles:
            store.add(article)


LAM_DONG = Article(
    url="https://baolamdong.vn/cam-ket-cao-toc.html",
    title="Lâm Đồng cam kết hoàn thành cao tốc",
    text="UBND tỉnh Lâm Đồng cam kết hoàn thành cao tốc Tân Phú - Bảo Lộc trước tháng 5/2025."
    "\n\nTỉnh bố trí đủ vốn đối ứng cho dự án.",
    lang="vi",
    province="Lâm Đồng",
    site="baolamdong.vn",
    published=datetime.fromisoformat("2025-03-17T14:34:00+07:00"),
)


def test_the_index_loads_at_start_up_and_new_versions_are_picked_up(
    settings: Settings, embedder: HashingEmbedder
) -> None:
    _store(settings, LAM_DONG)
    update_index(settings.store_path, settings.index_dir, embedder)

    with TestClient(create_app(settings)) as client:
        assert ("query", 1) in embedder.calls  # warmed up before the first request
        health = client.get("/health").json()
        answer = client.post("/ask", json={"question": "What did Lam Dong commit to by May 2025?"})

        _store(
            settings,
            Article(
                url="https://baolamdong.vn/giai-ngan.html",
                title="Lâm Đồng đẩy nhanh giải ngân",
                text="Tỉnh Lâm Đồng cam kết giải ngân 100% vốn đầu tư công năm 2025.",
                lang="vi",
                province="Lâm Đồng",
            ),
        )
        update_index(settings.store_path, settings.index_dir, embedder)
        # IndexHandle looks for a new version at most once a second; on a busy machine
        # the first look may come later, so poll rather than sleep a fixed time.
        deadline = time.monotonic() + 15
        after = client.get("/health").json()
        while after["index"]["articles"] < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            after = client.get("/health").json()

    assert health["status"] == "ok" and health["store"] is True
    assert health["index"]["articles"] == 1 and health["index"]["embedder"] == embedder.name
    assert answer.status_code == 200
    body = answer.json()
    assert body["citations"] and not body["refused"]
    assert (
        LAM_DONG.text[body["citations"][0]["start"] : body["citations"][0]["end"]]
        == (body["citations"][0]["quote"])
    )
    assert after["index"]["articles"] == 2
    assert after["index"]["version"] > health["index"]["version"]


def test_before_the_first_index_requests_say_to_run_policyqa_index(
    settings: Settings, embedder: HashingEmbedder
) -> None:
    with TestClient(create_app(settings)) as client:
        health = client.get("/health").json()
        ask = client.post("/ask", json={"question": "Lam Dong?"})
        search = client.get("/search", params={"q": "Lam Dong"})
        article = client.get("/articles/0123456789abcdef")

    assert health["status"] == "degraded"
    assert "policyqa index" in health["index_error"]
    for response in (ask, search, article):
        assert response.status_code == 503
        assert "policyqa index" in response.json()["error"]["message"]
