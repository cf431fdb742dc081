"""Hostile import files and stores poisoned before the URL rules existed: a `javascript:`
canonical URL, userinfo, giant and deeply nested lines. Bad lines are named and skipped;
everything that reads the store (export, the index, the API) keeps working."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crawler.errors import ImportFormatError
from crawler.jsonl import MAX_LINE_BYTES, export_jsonl, import_jsonl
from crawler.models import Article
from crawler.store import ArticleStore
from crawler.urls import canonicalize_url, display_url, is_web_url

GOOD = {
    "url": "https://baolamdong.vn/tin-1.html",
    "title": "Lâm Đồng hỗ trợ học phí",
    "text": "Tỉnh Lâm Đồng hỗ trợ học phí cho học sinh năm học 2025.",
}


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x",
        "https://",
        "https://exa mple.vn/x",
        "https://example.vn:99999999/x",
        "http://a.vn/\x00x",
    ],
)
def test_every_url_field_must_be_web_url(bad: str) -> None:
    assert not is_web_url(bad.strip())
    for field in ("url", "canonical_url", "translation_of"):
        with pytest.raises(ValueError, match="http"):
            Article.model_validate({**GOOD, field: bad})


def test_a_poisoned_line_is_skipped_and_the_rest_imports(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps(GOOD, ensure_ascii=False),
        json.dumps({**GOOD, "url": "https://a.vn/2", "canonical_url": "javascript:alert(1)"}),
        "[" * 100_000,  # nested too deep for any parser budget
        "1" * 5000,  # more digits than Python converts to an int
        json.dumps({**GOOD, "url": "https://a.vn/3", "translation_of": "data:x"}),
        json.dumps({**GOOD, "url": "https://baolamdong.vn/tin-4.html", "title": "Tin 4"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems: list[ImportFormatError] = []
    with ArticleStore(tmp_path / "a.sqlite") as store:
        outcomes = import_jsonl(store, path, problems)
        out = io.StringIO()
        exported = export_jsonl(store, out)
    assert outcomes["new"] == 2 and outcomes["skipped"] == 4
    assert [f"line {n}:" in str(p) for n, p in zip((2, 3, 4, 5), problems, strict=True)] == [
        True
    ] * 4
    assert exported == 2


def test_a_giant_line_is_skipped_without_being_held(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    with path.open("wb") as handle:
        handle.write(b'{"url": "https://a.vn/x", "title": "t", "text": "')
        chunk = b"a" * (1024 * 1024)
        for _ in range(MAX_LINE_BYTES // len(chunk) + 2):
            handle.write(chunk)
        handle.write(b'"}\n')
        handle.write(json.dumps(GOOD).encode() + b"\n")
    problems: list[ImportFormatError] = []
    with ArticleStore(tmp_path / "a.sqlite") as store:
        assert import_jsonl(store, path, problems)["new"] == 1
    assert "line 1" in str(problems[0]) and "longer than" in str(problems[0])


def _poison(store_path: Path) -> None:
    """Write a row as an older version without the URL rule would have."""
    with sqlite3.connect(store_path) as db:
        rows = db.execute("SELECT article_id, version, data FROM article_versions").fetchall()
        article_id, version, text = min(rows)
        data = json.loads(text)
        data["canonical_url"] = "javascript:alert(1)"
        db.execute(
            "UPDATE article_versions SET data = ? WHERE article_id = ? AND version = ?",
            (json.dumps(data), article_id, version),
        )


def test_a_store_poisoned_earlier_still_exports_and_answers(tmp_path: Path) -> None:
    from api.app import create_app
    from api.settings import Settings
    from tests.api.support import FakeRetriever, fake_answer

    home = tmp_path / "home"
    home.mkdir()
    settings = Settings(home=home, rate_limit_per_minute=0)
    with ArticleStore(settings.store_path) as store:
        store.add(Article.model_validate({**GOOD, "url": "https://baolamdong.vn/tin-0.html"}))
        store.add(Article.model_validate(GOOD))
        ids = sorted(article.id for article in store.articles() if article.id)
    _poison(settings.store_path)  # the article with the smaller id
    with ArticleStore(settings.store_path) as store:
        out = io.StringIO()
        assert export_jsonl(store, out) == 1  # the good one, whatever the order
        assert store.get(ids[0]) is None
    app = create_app(settings, retriever=FakeRetriever(), answer_fn=fake_answer)
    with TestClient(app) as client:
        poisoned = client.get(f"/articles/{ids[0]}")
        good = client.get(f"/articles/{ids[1]}")
    assert poisoned.status_code == 404 and good.status_code == 200


def test_userinfo_never_survives_canonicalisation_or_display() -> None:
    url = "https://a<img src=x>:pw@baolamdong.vn/tin-1.html"
    assert canonicalize_url("https://user:pw@baolamdong.vn/tin-1.html") == (
        "https://baolamdong.vn/tin-1.html"
    )
    assert display_url(url) == "https://baolamdong.vn/tin-1.html"
    assert display_url("javascript:alert(1)") == ""
