"""The dev set's one-time split into a tuning half and a report half, by story.

Questions that cite the same story land in the same half, and so do all stories a
comparison or list question names (stories sharing a question are connected first), so
nothing tuned on one half has seen the other half's stories. Units of connected stories with
their questions are placed greedily, biggest first, in the half that keeps question counts
per kind, per language and overall most even; questions without gold (unanswerables) are
then alternated between the halves within each kind and language. A seeded shuffle
breaks ties. The result is written once (scripts/split_devset.py) and read
by `policyqa eval --split`; it is never regenerated.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import QuestionError
from qa.evaluation.questions import EvalQuestion
from qa.evaluation.stories import StoryMap, _UnionFind

HALVES = ("tune", "report")
SPLIT_FILE = Path(__file__).resolve().parent.parent / "data" / "devset_split.json"
DEFAULT_SEED = 20250701


@dataclass(frozen=True)
class DevsetSplit:
    seed: int
    # question id -> half
    questions: dict[str, str]
    # story id (smallest URL key of the story) -> half
    stories: dict[str, str]
    sources: dict[str, str]

    def question_ids(self, half: str) -> set[str]:
        return {qid for qid, where in self.questions.items() if where == half}

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "sources": self.sources,
            "questions": {half: sorted(self.question_ids(half)) for half in HALVES},
            "stories": {
                half: sorted(s for s, where in self.stories.items() if where == half)
                for half in HALVES
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DevsetSplit:
        return cls(
            seed=int(data["seed"]),
            questions={qid: half for half in HALVES for qid in data["questions"][half]},
            stories={sid: half for half in HALVES for sid in data["stories"][half]},
            sources=dict(data.get("sources") or {}),
        )


@dataclass
class _Unit:
    stories: set[str]
    questions: list[EvalQuestion]


def _units(questions: list[EvalQuestion], stories: StoryMap) -> list[_Unit]:
    links = _UnionFind()
    for story in stories.stories():
        links.find(min(story))
    for question in questions:
        ids = [stories.story_id(url) for url in question.gold_urls]
        for story_id in ids:
            links.find(story_id)
        for other in ids[1:]:
            links.union(ids[0], other)
    units = {root: _Unit(set(members), []) for root, members in links.groups().items()}
    loose: list[_Unit] = []
    for question in questions:
        if question.gold_urls:
            units[links.find(stories.story_id(question.gold_urls[0]))].questions.append(question)
        else:
            loose.append(_Unit(set(), [question]))
    return [units[root] for root in sorted(units)] + sorted(loose, key=lambda u: u.questions[0].id)


def _keys(question: EvalQuestion) -> list[str]:
    """What is kept even between the halves; a key listed twice weighs double (kinds
    matter most: each half must test every kind of question)."""
    kind, lang = f"kind={question.kind}", f"lang={question.lang}"
    return ["all", kind, kind, lang, f"{kind},{lang}"]


def make_split(
    questions: list[EvalQuestion], stories: StoryMap, *, seed: int = DEFAULT_SEED
) -> DevsetSplit:
    """Split questions and stories into two halves (deterministic for a seed)."""
    rng = random.Random(seed)
    units = _units(questions, stories)
    stories_units = [u for u in units if u.stories]
    rng.shuffle(stories_units)
    # Biggest units first: they are the hardest to balance; the shuffle orders equals.
    stories_units.sort(key=lambda u: len(u.questions), reverse=True)
    counts = {half: Counter[str]() for half in HALVES}
    question_half: dict[str, str] = {}
    story_half: dict[str, str] = {}
    for unit in stories_units:
        added = Counter(key for q in unit.questions for key in _keys(q))
        costs = {half: _imbalance(counts, half, added) for half in HALVES}
        if costs["tune"] == costs["report"]:
            half = HALVES[rng.random() < 0.5]
        else:
            half = min(HALVES, key=lambda h: costs[h])
        counts[half].update(added)
        question_half.update((q.id, half) for q in unit.questions)
        story_half.update((s, half) for s in unit.stories)
    # Questions without gold stand alone: alternate them between the halves within each
    # kind and language, an odd one out going to the half with fewer of that kind.
    strata: dict[tuple[str, str], list[EvalQuestion]] = {}
    for unit in units:
        if not unit.stories:
            for q in unit.questions:
                strata.setdefault((q.kind, q.lang), []).append(q)
    for key in sorted(strata):
        members = sorted(strata[key], key=lambda q: q.id)
        rng.shuffle(members)
        kind = f"kind={key[0]}"
        first = min(HALVES, key=lambda h: (counts[h][kind], rng.random()))
        order = (first, HALVES[1 - HALVES.index(first)])
        for position, question in enumerate(members):
            half = order[position % 2]
            counts[half].update(_keys(question))
            question_half[question.id] = half
    return DevsetSplit(seed, question_half, story_half, {})


def _imbalance(counts: dict[str, Counter[str]], half: str, added: Counter[str]) -> int:
    other = HALVES[1 - HALVES.index(half)]
    keys = set(added) | set(counts["tune"]) | set(counts["report"])
    return sum(abs(counts[half][k] + added[k] - counts[other][k]) for k in keys)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_split(path: Path = SPLIT_FILE) -> DevsetSplit:
    try:
        return DevsetSplit.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise QuestionError(f"cannot read the dev-set split {path}: {error}") from None


def select_half(questions: list[EvalQuestion], split: DevsetSplit, half: str) -> list[EvalQuestion]:
    """The questions of one half; QuestionError when the file is not the split's set."""
    if half not in HALVES:
        raise QuestionError(f"--split must be one of {', '.join(HALVES)}, not {half!r}")
    unknown = [q.id for q in questions if q.id not in split.questions]
    if unknown:
        raise QuestionError(
            f"{len(unknown)} question(s) (e.g. {unknown[0]!r}) are in neither half of the "
            "dev-set split; --split only applies to shared/devset/questions.jsonl"
        )
    wanted = split.question_ids(half)
    return [q for q in questions if q.id in wanted]
