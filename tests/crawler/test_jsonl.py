"""Import files: every bad line is reported with its number; export round-trips."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from crawler.errors import ImportFormatError
from crawler.jsonl import export_jsonl, import_jsonl
from crawler.store import ArticleStore

GOOD = {
    "url": "https://baohungyen.vn/tin-3179979.html",
    "title": "Tin",
    "text": "Nội dung bài viết.",
}


@pytest.mark.parametrize(
    ("bad_line", "expected"),
    [
        ("{not json", "line 2: not valid JSON"),
        ("[1, 2]", "line 2: expected a JSON object"),
        (json.dumps({**GOOD, "url": "ftp://x"}), "line 2: url"),
        (json.dumps({**GOOD, "published": "2025-03-17T14:34:00"}), "line 2: published"),
    ],
)
def test_bad_lines_are_named_and_skipped_and_the_rest_imports(
    bad_line: str, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + bad_line + "\n", encoding="utf-8")
    problems: list[ImportFormatError] = []
    with ArticleStore(tmp_path / "a.sqlite") as store:
        outcomes = import_jsonl(store, path, problems)
        assert store.count() == 1
    assert outcomes == {"new": 1, "skipped": 1}
    assert len(problems) == 1 and expected in str(problems[0])


def test_a_line_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n" + '{"title": "Tin tức"}'.encode("utf-16"))
    problems: list[ImportFormatError] = []
    with ArticleStore(tmp_path / "a.sqlite") as store:
        assert import_jsonl(store, path, problems)["new"] == 1
    assert "UTF-8" in str(problems[0])


def test_export_then_import_elsewhere_gives_the_same_articles(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n", encoding="utf-8")
    with ArticleStore(tmp_path / "a.sqlite") as first:
        import_jsonl(first, path)
        exported = io.StringIO()
        assert export_jsonl(first, exported) == 1
    copy = tmp_path / "copy.jsonl"
    copy.write_text(exported.getvalue(), encoding="utf-8")
    with ArticleStore(tmp_path / "b.sqlite") as second:
        assert import_jsonl(second, copy) == {"new": 1}
        [article] = list(second.articles())
    [row] = [json.loads(line) for line in exported.getvalue().splitlines()]
    assert article.id == row["id"] and article.content_hash == row["content_hash"]
    assert row["site"] == "baohungyen.vn"
