"""Refitting the refusal model of an embedder profile (`policyqa eval --fit-refusal`).

Every question of a tuning set is run through understanding, retrieval and scoring as
`answer()` runs it; the features the refusal model reads are recorded with whether the
question is answerable. The rows of each set are kept in the profile's rows file
(`qa/data/refusal-<profile>.rows.jsonl`, one set replaced at a time, since each set is
answered from its own index), and a logistic regression is fitted on all of them
(`qa.refusal`). The fitted parameters go to the profile's file in qa/data, which
`answer()` then loads. Only the tuning half of the dev set and the project's own sets are
ever passed here; the report half is for reporting.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from index.models import Retriever
from index.profiles import profile_for
from qa.answer import resolve_filters
from qa.candidates import gather_candidates
from qa.decide import decide
from qa.models import Turn
from qa.refusal import DATA_DIR, RefusalModel, SupportThreshold, fit_refusal_model
from qa.retrieve import retrieve
from qa.scoring import score_candidates
from qa.understand import understand

logger = logging.getLogger(__name__)


class LabelledQuestion(Protocol):
    """What fitting reads from a question (`qa.evaluation` questions have it)."""

    @property
    def id(self) -> str: ...
    @property
    def question(self) -> str: ...
    @property
    def answerable(self) -> bool: ...
    @property
    def history(self) -> Sequence[Turn]: ...
    @property
    def filters(self) -> dict[str, Any]: ...


def question_features(
    question: LabelledQuestion, retriever: Retriever, *, today: date | None = None
) -> dict[str, float] | None:
    """The refusal model's features for one question; None when retrieval finds nothing
    (such a question is refused whatever the model says)."""
    filters, _shown = resolve_filters(question.filters or None)
    plan = understand(question.question, tuple(question.history), today=today)
    result = retrieve(plan, retriever, filters)
    ranked = score_candidates(
        plan,
        gather_candidates(result.evidence),
        retriever.embedder,
        place_variants=result.place_variants,
    )
    if not ranked:
        return None
    return decide(plan, ranked, SupportThreshold(0.0)).features


def question_rows(
    questions: Sequence[LabelledQuestion],
    retriever: Retriever,
    *,
    source: str,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """One fitting row per question that retrieval finds evidence for."""
    rows = []
    for question in questions:
        features = question_features(question, retriever, today=today)
        if features is None:
            logger.info("no evidence for %s; not a fitting row", question.id)
            continue
        rows.append(
            {
                "source": source,
                "id": question.id,
                "answerable": bool(question.answerable),
                "features": {k: round(v, 6) for k, v in features.items()},
            }
        )
    return rows


def rows_path(embedder_name: str, data_dir: Path = DATA_DIR) -> Path:
    return data_dir / _refusal_file(embedder_name).replace(".json", ".rows.jsonl")


def replace_rows(path: Path, source: str, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows file with the rows of `source` replaced; returns every row."""
    kept = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row["source"] != source:
                    kept.append(row)
    every = kept + list(rows)
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in every)
    path.write_text(text, encoding="utf-8")
    return every


def fit_rows(rows: Sequence[dict[str, Any]], embedder_name: str) -> RefusalModel:
    labels = [bool(r["answerable"]) for r in rows]
    features = [r["features"] for r in rows]
    sources = sorted({r["source"] for r in rows})
    fitted_on: dict[str, Any] = {
        "embedder": embedder_name,
        "sources": sources,
        "questions": len(rows),
        "answerable": sum(labels),
        "unanswerable": len(labels) - sum(labels),
    }
    model = fit_refusal_model(features, labels, fitted_on=fitted_on)
    return model


def _refusal_file(embedder_name: str) -> str:
    profile = profile_for(embedder_name)
    if profile is None or profile.refusal_file is None:
        raise ValueError(
            f"embedder {embedder_name!r} has no profile in index.profiles; add one with a "
            "refusal_file before fitting its refusal model"
        )
    return profile.refusal_file


def write_profile_model(model: RefusalModel, embedder_name: str, data_dir: Path = DATA_DIR) -> Path:
    """Write the parameters to the file the embedder's profile names."""
    path = data_dir / _refusal_file(embedder_name)
    path.write_text(json.dumps(model.to_json(), indent=2, ensure_ascii=False) + "\n")
    return path
