"""The refusal model: constraints are evidence it weighs, its parameters are fitted per
embedder profile, and the quote is in the asker's language when the story allows."""

from __future__ import annotations

import json
from datetime import date

import pytest

from index.profiles import PROFILES
from qa.align import VersionSentences, aligned_sentence
from qa.answer import answer
from qa.candidates import Candidate
from qa.compose import quote_for, quoted_in
from qa.models import QueryPlan
from qa.refusal import (
    DEFAULT_REFUSAL_FILE,
    FEATURES,
    RefusalModel,
    fit_refusal_model,
    load_refusal_model,
    refusal_model_for,
)
from qa.retrieve import Evidence
from tests.qa.conftest import MemoryRetriever
from tests.qa.test_extractive import assert_contract

LATE_2026 = date(2026, 11, 25)


def _model(**weights: float) -> RefusalModel:
    """A model that answers when the weighted features (unstandardised) exceed zero."""
    return RefusalModel(
        weights=tuple(weights.get(name, 0.0) for name in FEATURES),
        bias=weights.get("bias", 0.0),
        mean=tuple(0.0 for _ in FEATURES),
        scale=tuple(1.0 for _ in FEATURES),
    )


# Answers only when the best sentence meets every constraint the question names.
CONSTRAINED = _model(constraints_met=20.0, bias=-15.0)
# Answers whatever the constraints.
ALWAYS = _model(bias=10.0)


def test_a_document_the_evidence_does_not_mention_is_evidence_not_a_gate(
    retriever: MemoryRetriever,
) -> None:
    question = "Lâm Đồng cam kết gì trong Kế hoạch số 999/KH-UBND?"
    answered = answer(question, retriever, today=LATE_2026, refusal=ALWAYS)
    # Nothing is filtered out for the number: the best evidence is still found and cited.
    assert not answered.refused and answered.citations
    assert_contract(answered, retriever)
    assert answered.searched["constraints"]["document"] is False
    # A model that weighs the constraint refuses, and says what the evidence lacked.
    refused = answer(question, retriever, today=LATE_2026, refusal=CONSTRAINED)
    assert refused.refused and not refused.citations
    assert "document number" in refused.searched["reason"]


def test_a_numbered_meeting_the_evidence_does_not_report_lowers_the_answer(
    retriever: MemoryRetriever,
) -> None:
    first = "Bí thư Tỉnh ủy Hà Giang yêu cầu gì tại phiên họp thứ nhất Ban Chỉ đạo chuyển đổi số?"
    second = first.replace("thứ nhất", "thứ hai")
    asked_first = answer(first, retriever, today=LATE_2026, refusal=CONSTRAINED)
    assert not asked_first.refused and asked_first.searched["constraints"]["meeting"] is True
    asked_second = answer(second, retriever, today=LATE_2026, refusal=CONSTRAINED)
    assert asked_second.refused and not asked_second.citations
    assert "numbered meeting" in asked_second.searched["reason"]


def test_probability_rises_with_support_and_threshold_decides() -> None:
    model = _model(support=8.0, bias=-3.0)
    weak, strong = {"support": 0.1}, {"support": 0.7}
    assert model.probability(weak) < 0.5 < model.probability(strong)
    assert not model.answers(weak) and model.answers(strong)


def test_fit_separates_answerable_from_unanswerable() -> None:
    rows = [{"support": s, "constraints_met": c} for s, c in [(0.7, 1), (0.6, 1), (0.65, 1)]]
    rows += [{"support": s, "constraints_met": c} for s, c in [(0.2, 1), (0.6, 0), (0.25, 0)]]
    labels = [True, True, True, False, False, False]
    model = fit_refusal_model(rows, labels, regularisation=10.0)
    assert [model.answers(r) for r in rows] == labels
    restored = RefusalModel.from_json(json.loads(json.dumps(model.to_json())))
    assert restored == model
    with pytest.raises(ValueError, match="answerable and unanswerable"):
        fit_refusal_model(rows[:3], labels[:3])


def test_unknown_features_in_a_parameter_file_are_rejected() -> None:
    data = _model().to_json()
    data["features"] = [*FEATURES[:-1], "mystery"]
    with pytest.raises(ValueError, match="mystery"):
        RefusalModel.from_json(data)


def test_each_profile_ships_a_fitted_model() -> None:
    fitted = {name: p.refusal_file for name, p in PROFILES.items() if p.refusal_file}
    assert {"gemma", "e5-small"} <= set(fitted)
    for name, refusal_file in fitted.items():
        model = load_refusal_model(refusal_file)
        assert model.features == FEATURES
        assert model.fitted_on["embedder"].startswith(name)
        assert model.fitted_on["unanswerable"] > 0 and model.fitted_on["answerable"] > 0
        # The model refuses evidence that carries nothing, about another place, and
        # answers evidence that carries the question and meets its constraints.
        nothing = dict.fromkeys(FEATURES, 0.0) | {"constraints_asked": 1.0, "place_missing": 1.0}
        strong = {
            "support": 0.8,
            "support_any": 0.8,
            "dense": 0.8,
            "keyword": 0.9,
            "constraints_met": 1.0,
            "constraints_asked": 1.0,
            "place_missing": 0.0,
            "agreement": 1.0,
            "margin": 0.3,
            "passage_rank": 1.0,
        }
        assert not model.answers(nothing), name
        assert model.answers(strong), name
    assert refusal_model_for("gemma-768") == load_refusal_model("refusal-gemma.json")
    assert refusal_model_for("st:bge-m3-1024") == load_refusal_model(DEFAULT_REFUSAL_FILE)


def test_quote_in_the_askers_language_points_into_that_version(
    retriever: MemoryRetriever,
) -> None:
    vi = retriever.article("ld-vi")
    en = retriever.article("ld-en")
    assert vi is not None and en is not None
    chunk = next(c for c in retriever.chunks if c.article_id == "ld-vi" and "60%" in c.text)
    hit = next(h for h in retriever.search(chunk.text, k=20) if h.chunk == chunk)
    start = vi.text.index("Tỉnh cũng phấn đấu")
    evidence = Evidence(hit=hit, score=1.0, group="g-ld", alternates=(en,))
    candidate = Candidate(evidence, start, chunk.end, vi.text[start : chunk.end], 0)
    candidate.sibling = aligned_sentence(candidate, en, VersionSentences())
    candidate.sibling_lang = "en"
    plan = QueryPlan(question="q", language="en", search_text="q")
    quote = quote_for(plan, candidate)
    assert quote.article.id == "ld-en"
    assert en.text[quote.start : quote.end] == quote.text
    assert "60% of public investment" in quote.text
    # Asked in Vietnamese, the Vietnamese sentence stays.
    assert (
        quote_for(QueryPlan(question="q", language="vi", search_text="q"), candidate).article.id
        == "ld-vi"
    )


def test_a_quote_in_another_language_says_which() -> None:
    assert quoted_in("en", "vi") == " (in Vietnamese)"
    assert quoted_in("uk", "vi") == " (в'єтнамською)"
    assert quoted_in("ru", "ru") == ""
    assert quoted_in("fr", "zh") == " (in Chinese)"
