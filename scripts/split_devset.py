"""Split the independent dev set once, by story, into a tuning half and a report half.

    .venv/bin/python scripts/split_devset.py [DEVSET_DIR]

Writes qa/data/devset_split.json (the seed, the files' digests, question ids and story ids
per half). The split was made once and is committed; rerunning this script with the same
seed on the same files reproduces it exactly (tests/qa/test_devset_split.py checks that),
and it must not be regenerated to suit results.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from qa.evaluation.questions import load_questions
from qa.evaluation.split import DEFAULT_SEED, SPLIT_FILE, file_digest, make_split
from qa.evaluation.stories import StoryMap


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    devset = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "devset"
    questions_path, articles_path = devset / "questions.jsonl", devset / "articles.jsonl"
    split = make_split(
        load_questions(questions_path), StoryMap.load(articles_path), seed=DEFAULT_SEED
    )
    data = split.to_json()
    data["sources"] = {
        "questions.jsonl": file_digest(questions_path),
        "articles.jsonl": file_digest(articles_path),
    }
    SPLIT_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    halves = {half: len(ids) for half, ids in data["questions"].items()}
    print(f"wrote {SPLIT_FILE}: {halves}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
