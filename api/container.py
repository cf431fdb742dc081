"""What a process builds once and hands to the layers below, instead of module-level
caches: the similarity floor of the embedder (`qa.scoring.NullBaseline`), which
`answer()` would otherwise embed for every question, and the gazetteer (`qa.gazetteer`),
which reads every place name in questions, filters and passages and keeps the places each
passage names between questions. The HTTP app builds one container
per app, each CLI command one per run; tests build their own, so nothing is shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from qa.gazetteer import Gazetteer
from qa.scoring import NullBaseline

if TYPE_CHECKING:
    from index.models import Retriever
    from qa.models import Answer, Turn
    from qa.refusal import RefusalModel


@dataclass
class Container:
    baseline: NullBaseline = field(default_factory=NullBaseline)
    gazetteer: Gazetteer = field(default_factory=Gazetteer.packaged)
    # "model": the refusal model fitted for the embedder's profile decides whether the
    # evidence answers (`POLICYQA_REFUSAL`); "threshold": the profile's support threshold.
    refusal: str = "threshold"

    def answer(
        self,
        question: str,
        retriever: Retriever,
        llm: object | None = None,
        *,
        filters: dict[str, list[str] | str | None] | None = None,
        history: Sequence[Turn] = (),
        today: date | None = None,
        llm_timeout: float | None = None,
        refusal_model: RefusalModel | None = None,
    ) -> Answer:
        """`qa.answer.answer` with this container's baseline, gazetteer and refusal."""
        from qa.answer import answer
        from qa.extractive import refusal_model_for

        if refusal_model is None and self.refusal == "model":
            refusal_model = refusal_model_for(retriever.embedder)

        return answer(
            question,
            retriever,
            llm,
            filters=filters,
            history=history,
            today=today,
            llm_timeout=llm_timeout,
            refusal_model=refusal_model,
            baseline=self.baseline,
            gazetteer=self.gazetteer,
        )
