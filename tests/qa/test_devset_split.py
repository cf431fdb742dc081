"""The dev set's tuning/report split: by story, balanced, and fixed once made."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from qa.errors import QuestionError
from qa.evaluation.questions import EvalQuestion, load_questions
from qa.evaluation.split import (
    SPLIT_FILE,
    DevsetSplit,
    load_split,
    make_split,
    select_half,
)
from qa.evaluation.stories import StoryMap
from tests.shared_data import shared_folder


def _fake_set() -> tuple[list[EvalQuestion], StoryMap]:
    articles = []
    questions = []
    for n in range(12):
        original = f"https://bao{n}.vn/story-{n}.html"
        articles.append({"url": original})
        articles.append({"url": f"https://www.vietnam.vn/en/story-{n}", "translation_of": original})
        for lang in ("vi", "en"):
            questions.append(
                EvalQuestion(
                    id=f"s{n}-{lang}",
                    question="?",
                    lang=lang,
                    kind="single_fact",
                    gold_urls=(original if lang == "vi" else f"https://vietnam.vn/en/story-{n}",),
                )
            )
    questions.append(
        EvalQuestion(
            id="cmp",
            question="compare",
            lang="en",
            kind="comparison",
            gold_urls=("https://bao1.vn/story-1.html", "https://www.vietnam.vn/en/story-7"),
        )
    )
    for n in range(8):
        questions.append(
            EvalQuestion(
                id=f"u{n}",
                question="?",
                lang=("vi", "en", "ru", "uk")[n % 4],
                kind="unanswerable",
                answerable=False,
            )
        )
    return questions, StoryMap.from_articles(articles)


def test_a_story_and_its_translations_stay_in_one_half() -> None:
    questions, stories = _fake_set()
    split = make_split(questions, stories, seed=7)
    for n in range(12):
        assert split.questions[f"s{n}-vi"] == split.questions[f"s{n}-en"]
    # The comparison joins stories 1 and 7: both and their questions share its half.
    assert split.questions["cmp"] == split.questions["s1-vi"] == split.questions["s7-en"]
    assert split.stories["bao1.vn/story-1.html"] == split.stories["bao7.vn/story-7.html"]


def test_halves_are_balanced_by_kind_and_language() -> None:
    questions, stories = _fake_set()
    split = make_split(questions, stories, seed=7)
    counts = Counter((split.questions[q.id], q.kind, q.lang) for q in questions)
    for kind, lang in {(q.kind, q.lang) for q in questions}:
        tune, report = counts[("tune", kind, lang)], counts[("report", kind, lang)]
        assert abs(tune - report) <= 2, (kind, lang, tune, report)
    unanswerable = Counter(split.questions[f"u{n}"] for n in range(8))
    assert unanswerable["tune"] == unanswerable["report"] == 4


def test_the_split_does_not_depend_on_input_order() -> None:
    questions, stories = _fake_set()
    shuffled = list(questions)
    random.Random(1).shuffle(shuffled)
    assert make_split(questions, stories, seed=7) == make_split(shuffled, stories, seed=7)


def test_select_half_refuses_questions_outside_the_split() -> None:
    split = DevsetSplit(1, {"a": "tune", "b": "report"}, {}, {})
    questions = [EvalQuestion(id="a", question="?"), EvalQuestion(id="b", question="?")]
    assert [q.id for q in select_half(questions, split, "report")] == ["b"]
    with pytest.raises(QuestionError, match="neither half"):
        select_half([*questions, EvalQuestion(id="c", question="?")], split, "tune")
    with pytest.raises(QuestionError, match="tune, report"):
        select_half(questions, split, "test")


def test_the_committed_split_covers_the_devset_by_story() -> None:
    split = load_split(SPLIT_FILE)
    data = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))
    assert len(split.questions) == 120 and len(split.stories) == 29
    assert abs(len(split.question_ids("tune")) - len(split.question_ids("report"))) <= 2
    assert set(data["sources"]) == {"questions.jsonl", "articles.jsonl"}


def test_the_committed_split_is_what_the_script_makes() -> None:
    """The split is made once: the code and seed must still reproduce the committed file
    from the dev set, and every question of a gold story sits in that story's half."""
    devset = shared_folder("devset")
    committed = load_split(SPLIT_FILE)
    questions = load_questions(devset / "questions.jsonl")
    stories = StoryMap.load(devset / "articles.jsonl")
    remade = make_split(questions, stories, seed=committed.seed)
    assert remade.questions == committed.questions
    assert remade.stories == committed.stories
    for kind in {q.kind for q in questions}:  # each half tests every kind
        halves = {committed.questions[q.id] for q in questions if q.kind == kind}
        assert halves == {"tune", "report"}, kind
    for question in questions:
        for url in question.gold_urls:
            assert committed.stories[stories.story_id(url)] == committed.questions[question.id]
