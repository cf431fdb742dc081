"""Saved pages per site family: every expected field, and text that must / must not appear.

Each `tests/data/pages/<family>/<name>.html` has a `<name>.json` beside it:
`url`, `content_type`, optional `profile` and `defaults`, then either `"article": false`
or `expect` (field values), `must_include` and `must_not_include` (checked against the
citable text).
"""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from crawler.encoding import decode_html
from crawler.extract import extract
from crawler.models import Article

PAGES = Path(__file__).resolve().parents[1] / "data" / "pages"
CASES = sorted(PAGES.glob("*/*.json"))


def _load(case: Path) -> tuple[dict[str, Any], Article | None]:
    spec = json.loads(case.read_text(encoding="utf-8"))
    raw = case.with_suffix(".html").read_bytes()
    html = decode_html(raw, spec.get("content_type"))
    article = extract(html, spec["url"], profile=spec.get("profile"), defaults=spec.get("defaults"))
    return spec, article


def _case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.stem}"


def test_there_are_pages_for_every_family() -> None:
    families = {case.parent.name for case in CASES}
    assert {"hexcms", "cardcms", "detailcms", "vietnamvn", "generic", "nonarticle"} <= families


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_saved_page(case: Path) -> None:
    spec, article = _load(case)
    if spec.get("article") is False:
        assert article is None, f"{_case_id(case)} is not an article but gave {article!r}"
        return
    assert article is not None, f"{_case_id(case)} gave no article"
    assert article.url == spec["url"]
    for field, expected in spec.get("expect", {}).items():
        if field == "paragraph_count":
            assert len(article.paragraphs) == expected, article.paragraphs
            continue
        actual = getattr(article, field)
        if isinstance(actual, datetime):
            assert actual.isoformat() == expected, field
            offset = actual.utcoffset()
            assert offset is not None and offset.total_seconds() == 7 * 3600
        else:
            assert actual == expected, field
    for snippet in spec.get("must_include", []):
        assert snippet in article.text, f"missing from the text: {snippet!r}"
    for snippet in spec.get("must_not_include", []):
        assert snippet not in article.text, f"should not be in the text: {snippet!r}"
    for caption in article.captions:
        assert caption not in article.text, f"caption leaked into the text: {caption!r}"
    assert unicodedata.is_normalized("NFC", article.text)
    assert unicodedata.is_normalized("NFC", article.title)
