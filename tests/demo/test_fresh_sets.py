"""The fresh corpora (demo/fresh/<name>/): articles and questions written without sight of
the code or of any question set, in the dev set's import schema. Each loads through
`policyqa eval`'s readers, every fact is stated in a version of its gold story, and
unanswerable questions have no gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.evaluation.matching import fact_found
from qa.evaluation.questions import load_questions
from qa.evaluation.stories import StoryMap, url_key

FRESH = Path(__file__).resolve().parents[2] / "demo" / "fresh"
SETS = sorted(p for p in FRESH.iterdir() if p.is_dir())


def _records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_there_are_twenty_eight_fresh_sets() -> None:
    assert [p.name for p in SETS] == [
        "agriculture",
        "central",
        "centralcoast",
        "cities",
        "coast",
        "delta",
        "east",
        "economy",
        "education",
        "environment",
        "governance",
        "health",
        "infra",
        "mekong",
        "merged",
        "midland",
        "north",
        "northeast",
        "plateau",
        "redriver",
        "ridge",
        "river",
        "social",
        "south",
        "southeast",
        "southland",
        "tourism",
        "west",
    ]


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_every_fact_is_stated_in_a_version_of_its_gold_story(folder: Path) -> None:
    articles = _records(folder / "articles.jsonl")
    stories = StoryMap.from_articles(articles)
    texts = {
        url_key(str(a["url"])): "\n".join(
            [str(a["title"]), str(a["sapo"]), *map(str, a["paragraphs"])]  # type: ignore[call-overload]
        )
        for a in articles
    }
    records = _records(folder / "questions.jsonl")
    # Every question loads through `policyqa eval`'s reader, none dropped.
    assert len(load_questions(folder / "questions.jsonl")) == len(records) >= 48
    for record in records:
        gold = record["gold_urls"]
        assert isinstance(gold, list)
        if record["kind"] == "unanswerable":
            assert not gold and not record["answer_facts"]
            continue
        versions = {key for url in gold for key in stories.story(url)}
        assert versions, record["id"]
        story_text = "\n".join(texts[key] for key in versions if key in texts)
        facts, variants = record["answer_facts"], record["answer_fact_variants"]
        assert isinstance(facts, list) and isinstance(variants, list)
        for fact, spellings in zip(facts, variants, strict=True):
            assert fact_found([fact, *spellings], story_text), (record["id"], fact)
