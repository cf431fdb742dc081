"""Command functions for `policyqa search`, `policyqa ask` and `policyqa eval`.

Each returns an exit code; errors propagate to api/cli.py, which turns them into a
message. The JSON of `ask --json` is exactly `Answer.to_json()` (the `POST /ask` shape).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from api.services import load_chat_model, open_retriever
from api.settings import Settings
from qa.errors import QuestionError
from qa.models import Answer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from api.schemas import RawFilters
    from index.models import Retriever
    from qa.evaluation.questions import EvalQuestion
    from qa.evaluation.stories import StoryMap

logger = logging.getLogger(__name__)


def _dump(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def search(
    settings: Settings, *, query: str, k: int, as_json: bool, raw_filters: RawFilters
) -> int:
    """Ranked passages for `query`, with article metadata."""
    from qa.answer import resolve_filters
    from qa.gazetteer import Gazetteer

    query = (query or "").strip()
    if not query:
        raise QuestionError("the search query is empty")
    filters, _shown = resolve_filters(raw_filters, gazetteer=Gazetteer.packaged())
    retriever = open_retriever(settings)
    hits = retriever.search(query, k=k, filters=filters)
    passages: list[dict[str, object]] = [
        {
            "rank": rank,
            "score": round(float(hit.score), 6),
            "chunk_id": hit.chunk.chunk_id,
            "article_id": hit.article.id,
            "url": hit.article.url,
            "title": hit.article.title,
            "site": hit.article.site,
            "published": hit.article.published.isoformat() if hit.article.published else None,
            "lang": hit.article.lang,
            "province": hit.article.province,
            "translation_group": hit.article.translation_group,
            "start": hit.chunk.start,
            "end": hit.chunk.end,
            "text": hit.chunk.text,
        }
        for rank, hit in enumerate(hits, start=1)
    ]
    if as_json:
        _dump({"query": query, "k": k, "results": passages})
        return 0
    if not passages:
        print("no passages found")
        return 0
    for rank, hit in enumerate(hits, start=1):
        article = hit.article
        date = article.published.isoformat()[:10] if article.published else ""
        score = round(float(hit.score), 6)
        print(
            f"{rank:>2}. [{score:.4f}] {article.title} ({article.site or ''} {date} "
            f"{article.lang or ''})"
        )
        print(f"    {article.url}")
        snippet = " ".join(hit.chunk.text.split())
        print(f"    {snippet[:300]}{'…' if len(snippet) > 300 else ''}")
    return 0


def _print_answer(result: Answer) -> None:
    print(result.answer)
    if result.citations:
        print()
        for citation in result.citations:
            date = citation.published.date().isoformat() if citation.published else ""
            print(
                f"[{citation.n}] {citation.title} ({citation.site or ''} {date} "
                f"{citation.lang or ''})"
            )
            print(f"    {citation.url}")
            quote = " ".join(citation.quote.split())
            print(f'    "{quote[:400]}{"…" if len(quote) > 400 else ""}"')


def ask(settings: Settings, *, question: str, as_json: bool, raw_filters: RawFilters) -> int:
    """Answer one question with citations; exit 0 for answers and refusals alike."""
    from api.container import Container

    retriever = open_retriever(settings)
    llm = load_chat_model(settings)
    result = Container(refusal=settings.refusal).answer(
        question,
        retriever,
        llm,
        filters=raw_filters,
        llm_timeout=settings.llm_timeout_seconds if llm else None,
    )
    if as_json:
        _dump(result.to_json())
    else:
        _print_answer(result)
    return 0


def _machine() -> str:
    import os
    import platform

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.machine()}, "
        f"load average {load} at start"
    )


def evaluate(
    settings: Settings,
    *,
    questions_path: Path,
    as_json: bool,
    half: str | None = None,
    articles_path: Path | None = None,
    save_json: Path | None = None,
    fit_refusal: bool = False,
    refusal_out: Path | None = None,
    more_examples: Sequence[Path] = (),
) -> int:
    """Answer a question set (or one half of the dev set) and report metrics overall, per
    kind and per language, retrieval against plain dense search, and the error taxonomy.
    With `fit_refusal`, fit the refusal model of the index's embedder profile on the set
    instead (`refit_refusal`)."""
    from api.container import Container
    from qa.evaluate import evaluate as run_evaluation
    from qa.evaluate import format_report
    from qa.evaluation.questions import load_questions
    from qa.evaluation.split import SPLIT_FILE, load_split, select_half
    from qa.evaluation.stories import StoryMap

    questions = load_questions(questions_path)
    if half is not None:
        questions = select_half(questions, load_split(SPLIT_FILE), half)
    if articles_path is None:
        beside = questions_path.parent / "articles.jsonl"
        articles_path = beside if beside.is_file() else None
    stories = StoryMap.load(articles_path) if articles_path else None
    retriever = open_retriever(settings)
    if fit_refusal:
        fitted_on = {"questions": questions_path.name, "half": half or "all"}
        return refit_refusal(
            questions,
            retriever,
            stories,
            about=fitted_on,
            out=refusal_out,
            examples_out=save_json,
            more_examples=more_examples,
        )
    llm = load_chat_model(settings)
    timeout = settings.llm_timeout_seconds if llm else None

    container = Container(refusal=settings.refusal)

    def answer_fn(question: EvalQuestion) -> Answer:
        return container.answer(
            question.question,
            retriever,
            llm,
            filters=question.filters or None,
            history=question.history,
            llm_timeout=timeout,
        )

    # Load the model and the index before the clock starts: latency figures describe a
    # running service, not its start-up (the API warms up the same way).
    retriever.search("warm-up", k=1)
    info = retriever.info() if hasattr(retriever, "info") else {}
    about = {
        "questions": str(questions_path),
        "half": half or "all",
        "articles": str(articles_path) if articles_path else None,
        "embedder": info.get("embedder", settings.embedder),
        "index_version": info.get("version"),
        "refusal": settings.refusal,
        "indexed_articles": info.get("articles"),
        # Latency depends on the machine and on what else runs on it.
        "machine": _machine(),
    }
    report = run_evaluation(
        questions,
        answer_fn,
        retriever,
        stories=stories,
        about=about,
        gazetteer=container.gazetteer,
    )
    if save_json is not None:
        save_json.parent.mkdir(parents=True, exist_ok=True)
        save_json.write_text(
            json.dumps(report.to_json(), ensure_ascii=False, indent=2, default=str) + "\n",
            encoding="utf-8",
        )
    if as_json:
        _dump(report.to_json())
    else:
        print(format_report(report))
    return 0


def refit_refusal(
    questions: Sequence[EvalQuestion],
    retriever: Retriever,
    stories: StoryMap | None,
    *,
    about: dict[str, str],
    out: Path | None,
    examples_out: Path | None = None,
    more_examples: Sequence[Path] = (),
) -> int:
    """Fit the refusal model of the index's embedder profile on `questions` and write it
    into `out` (default: the models shipped with the code), beside other profiles'; the
    examples it was fitted on go to `examples_out` (JSON lines)."""
    from api.container import Container
    from index.profiles import profile_for
    from qa.evaluation.depth import StoryResolver
    from qa.evaluation.refusal_fit import (
        ALWAYS_ANSWER,
        collect_examples,
        fit_refusal,
        load_examples,
    )
    from qa.refusal import packaged_models_path

    embedder_name = getattr(retriever.embedder, "name", "") or ""
    profile = profile_for(embedder_name)
    if profile is None:
        raise QuestionError(
            f"the index's embedder {embedder_name!r} has no profile in index/profiles.py: "
            "refusal models are fitted per profile"
        )
    container = Container()

    def answer_with(source: Retriever, question: EvalQuestion) -> Answer:
        return container.answer(
            question.question,
            source,
            filters=question.filters or None,
            history=question.history,
            refusal_model=ALWAYS_ANSWER,
        )

    resolver = StoryResolver(retriever, stories)
    examples = collect_examples(questions, answer_with, retriever, resolver)
    if examples_out is not None:
        examples_out.parent.mkdir(parents=True, exist_ok=True)
        examples_out.write_text(
            "".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in examples),
            encoding="utf-8",
        )
    sets = [about["questions"], *(path.name for path in more_examples)]
    try:
        for path in more_examples:
            examples.extend(load_examples(path))
        fitted = fit_refusal(examples, about={**about, "sets": sets, "embedder": embedder_name})
    except ValueError as error:
        raise QuestionError(
            f"cannot fit a refusal model on {about['questions']}: {error}"
        ) from error
    target = out or packaged_models_path()
    models = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else {}
    models[profile.name] = fitted.model.to_json()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(models, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    cv = fitted.cv_rates
    held_out = "-" if cv is None else f"{cv[0]:.2f} / {cv[1]:.2f}"
    print(
        f"refusal model for {profile.name}: {fitted.examples} examples "
        f"({fitted.answering} answering, {fitted.not_answering} not); threshold "
        f"{fitted.model.threshold:.3f}; answering answered / others refused: "
        f"{fitted.train_rates[0]:.2f} / {fitted.train_rates[1]:.2f} on the examples, "
        f"{held_out} cross-validated by question; written to {target}"
    )
    for name, coef in zip(fitted.model.features, fitted.model.coef, strict=True):
        print(f"  {name:12s} {coef:+.3f}")
    return 0
