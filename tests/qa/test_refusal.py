"""The fitted refusal model: applying it, fitting it, and the examples it is fitted on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api import commands_qa
from api.cli import app
from qa.answer import answer
from qa.evaluation.depth import StoryResolver
from qa.evaluation.questions import as_question
from qa.evaluation.refusal_fit import (
    ALWAYS_ANSWER,
    RefusalExample,
    WithoutStories,
    collect_examples,
    fit_refusal,
    load_examples,
)
from qa.refusal import FEATURE_NAMES, RefusalFeatures, RefusalModel, packaged_models
from tests.qa.conftest import MemoryRetriever

PERCENT_QUESTION = "Lâm Đồng phấn đấu giải ngân bao nhiêu phần trăm vốn đầu tư công?"
LAM_DONG_STORY = ["https://baolamdong.vn/ld-vi.html"]


def _features(support: float, **others: float) -> RefusalFeatures:
    values = {name: 0.5 for name in FEATURE_NAMES} | {"support": support} | others
    return RefusalFeatures(**values)


def _support_model(threshold: float = 0.5) -> RefusalModel:
    """A model that reads support alone: 50% at support 0.4, rising with it."""
    names = FEATURE_NAMES
    return RefusalModel(
        features=names,
        mean=tuple(0.4 if n == "support" else 0.0 for n in names),
        scale=tuple(0.1 for _ in names),
        coef=tuple(1.0 if n == "support" else 0.0 for n in names),
        intercept=0.0,
        threshold=threshold,
    )


def test_probability_rises_with_the_evidence_and_survives_json() -> None:
    model = _support_model()
    low, mid, high = (model.probability(_features(s)) for s in (0.2, 0.4, 0.6))
    assert low < mid < high and mid == pytest.approx(0.5)
    assert not model.answers(_features(0.2)) and model.answers(_features(0.6))
    again = RefusalModel.from_json(json.loads(json.dumps(model.to_json())))
    assert again.probability(_features(0.55)) == pytest.approx(model.probability(_features(0.55)))


def test_a_model_file_with_unknown_features_or_ragged_columns_is_rejected() -> None:
    data = _support_model().to_json()
    with pytest.raises(ValueError, match="unknown features"):
        RefusalModel.from_json({**data, "features": [*data["features"][:-1], "mood"]})
    with pytest.raises(ValueError, match="one value per feature"):
        RefusalModel.from_json({**data, "coef": data["coef"][:2]})


def test_the_shipped_models_cover_the_real_profiles() -> None:
    models = packaged_models()
    assert {"gemma", "e5-small"} <= set(models)
    for model in models.values():
        assert model.features == FEATURE_NAMES
        # Fitted on data: the file says on what, and how well it did held out.
        assert model.fitted_on and model.fitted_on["cv_answered_refused"][0] > 0.9


def test_the_model_decides_instead_of_the_support_threshold(retriever: MemoryRetriever) -> None:
    # A threshold nothing reaches refuses; the same threshold with a model that always
    # answers does not, and the answer says how likely the model found it.
    assert answer(PERCENT_QUESTION, retriever, min_support=1.01).refused
    answered = answer(PERCENT_QUESTION, retriever, min_support=1.01, refusal_model=ALWAYS_ANSWER)
    assert not answered.refused and "60%" in answered.answer
    assert set(answered.searched["refusal_features"]) == set(FEATURE_NAMES)


def test_a_model_that_finds_an_answer_unlikely_refuses_and_says_so(
    retriever: MemoryRetriever,
) -> None:
    refused = answer(PERCENT_QUESTION, retriever, refusal_model=_support_model(threshold=0.999))
    assert refused.refused and not refused.citations
    assert "answer probability" in refused.searched["reason"]
    assert refused.searched["answer_probability"] < 0.999


def test_without_stories_hides_every_version_of_the_story(retriever: MemoryRetriever) -> None:
    resolver = StoryResolver(retriever)
    story = resolver.of_url(LAM_DONG_STORY[0], "ld-vi")
    assert len(story) > 1  # the Vietnamese original and its translations
    hidden = WithoutStories(retriever, [story], resolver)
    seen = {hit.article.id for hit in retriever.search("Lâm Đồng giải phóng mặt bằng", k=10)}
    assert {"ld-vi", "ld-en"} <= seen
    left = {hit.article.id for hit in hidden.search("Lâm Đồng giải phóng mặt bằng", k=10)}
    # Another story about Lam Dong (a meeting) is still found: the near miss.
    assert "ld-uk" in left and not left & {"ld-vi", "ld-en", "ld-ru"}
    assert hidden.translations("g-ld") == []


def test_examples_are_the_answer_and_the_same_question_without_its_story(
    retriever: MemoryRetriever,
) -> None:
    questions = [
        as_question({"id": "p", "question": PERCENT_QUESTION, "gold_urls": LAM_DONG_STORY}),
        as_question(
            {"id": "u", "question": "Đà Nẵng quyết định gì về tàu cá?", "answerable": False}
        ),
    ]
    resolver = StoryResolver(retriever)
    examples = collect_examples(
        questions,
        lambda source, q: answer(q.question, source, refusal_model=ALWAYS_ANSWER),
        retriever,
        resolver,
    )
    by_source = {e.source: e for e in examples}
    assert by_source["answered"].answers and by_source["answered"].question_id == "p"
    # The Da Nang question is refused for its place before the model is asked.
    assert "unanswerable" not in by_source
    # With the Lam Dong story gone, what is left about Lam Dong no longer answers.
    if "gold removed" in by_source:
        assert not by_source["gold removed"].answers
        assert by_source["gold removed"].features.support < by_source["answered"].features.support


def _examples(supports: list[tuple[float, bool]]) -> list[RefusalExample]:
    return [
        RefusalExample(
            f"q{i // 2}", _features(s), answers, "answered" if answers else "gold removed"
        )
        for i, (s, answers) in enumerate(supports)
    ]


def test_fitting_learns_which_way_the_features_point() -> None:
    data = [(0.7 + i / 100, True) for i in range(10)] + [(0.2 + i / 100, False) for i in range(8)]
    fitted = fit_refusal(_examples(data), about={"questions": "fake"})
    assert fitted.answering == 10 and fitted.not_answering == 8
    assert fitted.train_rates == (1.0, 1.0)
    # Held out, a question just below the others' lowest answer may be refused.
    assert fitted.cv_rates is not None and fitted.cv_rates[0] >= 0.8 and fitted.cv_rates[1] == 1.0
    model = fitted.model
    assert model.answers(_features(0.75)) and not model.answers(_features(0.22))
    assert model.fitted_on and model.fitted_on["examples"] == {"answered": 10, "gold removed": 8}


def test_fitting_needs_both_outcomes() -> None:
    with pytest.raises(ValueError, match="all answering"):
        fit_refusal(_examples([(0.5, True), (0.6, True)]))


def test_examples_round_trip_and_a_bad_line_names_its_place(tmp_path: Path) -> None:
    examples = _examples([(0.7, True), (0.3, False)])
    path = tmp_path / "examples.jsonl"
    path.write_text("".join(json.dumps(e.to_json()) + "\n" for e in examples), encoding="utf-8")
    assert load_examples(path) == examples
    path.write_text('{"question": "q1", "answers": true}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="examples.jsonl:1"):
        load_examples(path)


# --- policyqa eval --fit-refusal -------------------------------------------------------------

runner = CliRunner()


def _questions_file(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


@pytest.fixture
def memory_index(monkeypatch: pytest.MonkeyPatch, retriever: MemoryRetriever) -> MemoryRetriever:
    monkeypatch.setattr(commands_qa, "open_retriever", lambda settings: retriever)
    monkeypatch.setattr(commands_qa, "load_chat_model", lambda settings: None)
    return retriever


def test_fit_refusal_writes_the_profile_model_beside_the_others(
    memory_index: MemoryRetriever, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memory_index.embedder, "name", "hashing-256")
    questions = _questions_file(
        tmp_path, [{"id": "p", "question": PERCENT_QUESTION, "gold_urls": LAM_DONG_STORY}]
    )
    # The one question gives only answering examples; the saved near misses add the rest.
    near_misses = tmp_path / "near.jsonl"
    near_misses.write_text(
        "".join(json.dumps(e.to_json()) + "\n" for e in _examples([(0.1, False), (0.15, False)])),
        encoding="utf-8",
    )
    out = tmp_path / "refusal.json"
    out.write_text(json.dumps({"gemma": _support_model().to_json()}), encoding="utf-8")
    saved = tmp_path / "examples.jsonl"
    args = ["eval", "--questions", str(questions), "--fit-refusal", "--refusal-out", str(out)]
    result = runner.invoke(
        app, [*args, "--with-examples", str(near_misses), "--save-json", str(saved)]
    )
    assert result.exit_code == 0, result.output
    assert "refusal model for hashing" in result.stdout
    models = json.loads(out.read_text(encoding="utf-8"))
    assert set(models) == {"gemma", "hashing"}
    assert models["hashing"]["fitted_on"]["sets"] == ["questions.jsonl", "near.jsonl"]
    assert [e.source for e in load_examples(saved)][0] == "answered"


def test_fit_refusal_on_an_index_without_a_profile_says_why(
    memory_index: MemoryRetriever, tmp_path: Path
) -> None:
    questions = _questions_file(tmp_path, [{"id": "p", "question": PERCENT_QUESTION}])
    result = runner.invoke(
        app, ["eval", "--questions", str(questions), "--fit-refusal", "--refusal-out", "x.json"]
    )
    assert result.exit_code == 2 and "has no profile" in result.stderr
    assert "Traceback" not in result.output


def test_the_refusal_setting_chooses_the_profile_model(
    retriever: MemoryRetriever, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.container import Container

    refusing = _support_model(threshold=0.999)
    monkeypatch.setattr(retriever.embedder, "name", "hashing-256")
    monkeypatch.setattr(
        "qa.extractive.model_for_profile", lambda name: refusing if name == "hashing" else None
    )
    by_threshold = Container().answer(PERCENT_QUESTION, retriever)
    by_model = Container(refusal="model").answer(PERCENT_QUESTION, retriever)
    assert not by_threshold.refused and "answer_probability" not in by_threshold.searched
    assert by_model.refused and "answer probability" in by_model.searched["reason"]
