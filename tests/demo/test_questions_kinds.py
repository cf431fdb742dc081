"""The development sets over the dev set's articles (demo/questions_kinds.jsonl, the weak
kinds; demo/questions_blind.jsonl, written without sight of the code): over the tuning
half's stories only, with every fact stated in its gold story."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from qa.evaluation.matching import fact_found
from qa.evaluation.questions import load_questions
from qa.evaluation.split import load_split
from qa.evaluation.stories import StoryMap, url_key
from tests.shared_data import shared_folder

DEMO = Path(__file__).resolve().parents[2] / "demo"
KINDS_SET = DEMO / "questions_kinds.jsonl"
DEV_SETS = [KINDS_SET, DEMO / "questions_blind.jsonl"]


def _articles() -> tuple[StoryMap, dict[str, str]]:
    path = shared_folder("devset") / "articles.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    texts = {
        url_key(record["url"]): "\n".join([record["title"], record["sapo"], *record["paragraphs"]])
        for record in records
    }
    return StoryMap.from_articles(records), texts


@pytest.mark.parametrize("questions_file", DEV_SETS, ids=lambda p: p.name)
def test_every_gold_story_is_a_tuning_half_story(questions_file: Path) -> None:
    stories, _ = _articles()
    tune = {sid for sid, half in load_split().stories.items() if half == "tune"}
    questions = load_questions(questions_file)
    gold = {stories.story_id(url) for q in questions for url in q.gold_urls}
    assert gold and gold <= tune


@pytest.mark.parametrize("questions_file", DEV_SETS, ids=lambda p: p.name)
def test_every_fact_is_stated_in_a_version_of_its_gold_story(questions_file: Path) -> None:
    stories, texts = _articles()
    for record in map(json.loads, questions_file.read_text(encoding="utf-8").splitlines()):
        versions = {key for gold in record["gold_urls"] for key in stories.story(gold)}
        story_text = "\n".join(texts[key] for key in versions if key in texts)
        for fact, variants in zip(
            record["answer_facts"], record["answer_fact_variants"], strict=True
        ):
            assert fact_found([fact, *variants], story_text), (record["id"], fact)


def test_the_set_covers_the_weak_kinds_in_four_languages() -> None:
    questions = load_questions(KINDS_SET)
    kinds = Counter(q.kind for q in questions)
    assert {"entity_variant", "list", "temporal", "single_fact", "unanswerable"} <= kinds.keys()
    assert {q.lang for q in questions} == {"en", "vi", "ru", "uk"}
    assert all(not q.gold_urls for q in questions if q.kind == "unanswerable")
