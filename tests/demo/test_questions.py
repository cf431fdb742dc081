"""The corpus and the development question set are consistent with each other."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

DEMO = Path(__file__).resolve().parents[2] / "demo"
CORPUS = [
    json.loads(line)
    for line in (DEMO / "corpus.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]
QUESTIONS = [
    json.loads(line)
    for line in (DEMO / "questions.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]
BY_URL = {a["url"]: a for a in CORPUS}
KINDS = {"fact", "temporal", "cross_lingual", "name_variant", "list", "commitments", "comparison",
         "follow_up", "unanswerable"}  # fmt: skip
SOURCE_LABELS = {
    "vi": "Nguồn",
    "en": "Source",
    "ru": "Источник",
    "uk": "Джерело",
    "fr": "Source",
    "zh-cn": "来源",
}
FIELDS = {"id", "site", "url", "lang", "title", "sapo", "published", "author", "section", "paragraphs",
          "captions", "translation_of", "province"}  # fmt: skip


def group_key(article: dict[str, Any]) -> str:
    key: str = article.get("translation_of") or article["url"]
    return key


def group_articles(url: str) -> list[dict[str, Any]]:
    """Every corpus article of the translation group that `url` belongs to."""
    key = group_key(BY_URL[url]) if url in BY_URL else url
    return [a for a in CORPUS if group_key(a) == key]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).casefold()


def article_text(article: dict[str, Any]) -> str:
    return normalise(
        " ".join([article["title"], article["sapo"], *article["paragraphs"], *article["captions"]])
    )


def test_corpus_records() -> None:
    assert len(CORPUS) >= 36
    assert len({a["id"] for a in CORPUS}) == len({a["url"] for a in CORPUS}) == len(CORPUS)
    langs = Counter(a["lang"] for a in CORPUS)
    assert {"vi", "en", "ru", "uk"} <= set(langs) and ({"fr", "zh-cn"} & set(langs))
    assert len({a["site"] for a in CORPUS}) >= 4
    for a in CORPUS:
        assert set(a) == FIELDS, a["id"]
        assert 3 <= len(a["paragraphs"]) <= 8, a["id"]
        assert datetime.fromisoformat(a["published"]).utcoffset() is not None, a["id"]
        if a["site"] == "www.vietnam.vn":
            assert a["translation_of"], a["id"]
            label = SOURCE_LABELS[a["lang"]]
            assert re.fullmatch(
                rf"{label}\s?[:：]\s?{re.escape(a['translation_of'])}", a["paragraphs"][-1]
            ), a["id"]
            slug = a["url"].rsplit("/", 1)[-1]
            expected = (
                "https://www.vietnam.vn/" + ("" if a["lang"] == "vi" else a["lang"] + "/") + slug
            )
            assert a["url"] == expected
        else:
            assert a["translation_of"] is None


def test_one_story_in_four_languages() -> None:
    groups = Counter(group_key(a) for a in CORPUS)
    big = [k for k, n in groups.items() if n >= 4]
    assert any({"vi", "en", "ru", "uk"} <= {a["lang"] for a in group_articles(k)} for k in big)


def test_questions_schema_and_coverage() -> None:
    assert len(QUESTIONS) >= 64
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    per_lang = Counter(q["lang"] for q in QUESTIONS)
    for lang in ("vi", "en", "ru", "uk"):
        assert per_lang[lang] >= 12, lang
        assert {q["kind"] for q in QUESTIONS if q["lang"] == lang} == KINDS, lang
    for q in QUESTIONS:
        assert set(q) == {
            "id",
            "question",
            "lang",
            "kind",
            "history",
            "filters",
            "answerable",
            "gold_urls",
            "facts",
        }
        assert q["kind"] in KINDS and isinstance(q["filters"], dict) and q["question"].strip()
        assert all(set(turn) == {"role", "content"} for turn in q["history"])
        assert bool(q["history"]) == (q["kind"] == "follow_up"), q["id"]
        assert q["answerable"] == (q["kind"] != "unanswerable"), q["id"]
        if q["answerable"]:
            assert q["gold_urls"] and q["facts"], q["id"]
            assert all(
                isinstance(f, list) and f and all(isinstance(s, str) for s in f) for f in q["facts"]
            )
        else:
            assert q["gold_urls"] == [] and q["facts"] == [], q["id"]


@pytest.mark.parametrize(
    "question", [q for q in QUESTIONS if q["answerable"]], ids=lambda q: q["id"]
)
def test_gold_urls_and_facts_are_in_the_corpus(question: dict[str, Any]) -> None:
    for url in question["gold_urls"]:
        assert url in BY_URL, f"{question['id']}: {url} is not a corpus article"
    texts = [article_text(a) for url in question["gold_urls"] for a in group_articles(url)]
    for forms in question["facts"]:
        assert any(normalise(form) in text for form in forms for text in texts), (
            f"{question['id']}: none of {forms} appears in the gold articles or their translations"
        )
    if question["kind"] == "cross_lingual":
        source_langs = {a["lang"] for url in question["gold_urls"] for a in group_articles(url)}
        assert question["lang"] not in source_langs, question["id"]
