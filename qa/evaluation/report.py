"""The evaluation report: metrics overall, per kind and per language, retrieval against
the plain dense baseline, taxonomy counts, and one line per question; or all of it as JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from qa.evaluation.metrics import Metrics, QuestionResult, summarize
from qa.evaluation.taxonomy import CATEGORIES


@dataclass
class EvalReport:
    overall: Metrics
    by_language: dict[str, Metrics] = field(default_factory=dict)
    by_kind: dict[str, Metrics] = field(default_factory=dict)
    results: list[QuestionResult] = field(default_factory=list)
    # What was evaluated: question file, split half, embedder, index version.
    about: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(
        cls, results: list[QuestionResult], about: dict[str, Any] | None = None
    ) -> EvalReport:
        def grouped(attribute: str) -> dict[str, Metrics]:
            values = sorted({getattr(r, attribute) for r in results})
            return {
                v: summarize([r for r in results if getattr(r, attribute) == v]) for v in values
            }

        return cls(summarize(results), grouped("lang"), grouped("kind"), results, about or {})

    def to_json(self) -> dict[str, Any]:
        return {
            "about": self.about,
            "overall": asdict(self.overall),
            "by_language": {k: asdict(v) for k, v in self.by_language.items()},
            "by_kind": {k: asdict(v) for k, v in self.by_kind.items()},
            "questions": [asdict(r) for r in self.results],
        }


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _rows(report: EvalReport) -> list[tuple[str, Metrics]]:
    rows = [("all", report.overall)]
    rows += [(f"lang={k}", m) for k, m in report.by_language.items()]
    rows += [(f"kind={k}", m) for k, m in report.by_kind.items()]
    return rows


def _answers_table(report: EvalReport) -> list[str]:
    header = (
        f"{'':<22} {'n':>4} {'cite':>5} {'facts':>5} {'allfx':>5} {'ans':>5} {'unref':>5} "
        f"{'bal':>5} {'badq':>4} {'mnc':>4} {'p50ms':>6} {'p95ms':>6} {'err':>3}"
    )
    lines = [header, "-" * len(header)]
    for label, m in _rows(report):
        lines.append(
            f"{label:<22} {m.questions:>4} {_cell(m.citation_recall):>5} "
            f"{_cell(m.fact_recall):>5} {_cell(m.all_facts_rate):>5} "
            f"{_cell(m.answered_rate):>5} {_cell(m.refused_rate):>5} "
            f"{_cell(m.balanced_refusal):>5} {m.invalid_quotes:>4} "
            f"{m.must_not_contain_hits:>4} {m.latency_p50_ms:>6.0f} {m.latency_p95_ms:>6.0f} "
            f"{m.errors:>3}"
        )
    return lines


def _retrieval_table(report: EvalReport) -> list[str]:
    header = (
        f"{'':<22} {'gold':>4} {'pipe@5':>7} {'dense@5':>7} {'pipe@20':>7} {'dense@20':>8}  "
        "pipeline >= dense @5"
    )
    lines = [header, "-" * len(header)]
    for label, m in _rows(report):
        gold = sum(1 for r in report.results if r.has_gold and _in_row(label, r))
        if not gold:
            continue
        holds = (
            "-"
            if m.pipeline_recall_at_5 is None or m.dense_recall_at_5 is None
            else ("yes" if m.pipeline_recall_at_5 >= m.dense_recall_at_5 else "NO")
        )
        lines.append(
            f"{label:<22} {gold:>4} {_cell(m.pipeline_recall_at_5):>7} "
            f"{_cell(m.dense_recall_at_5):>7} {_cell(m.pipeline_recall_at_20):>7} "
            f"{_cell(m.dense_recall_at_20):>8}  {holds}"
        )
    return lines


def _in_row(label: str, result: QuestionResult) -> bool:
    if label == "all":
        return True
    name, _, value = label.partition("=")
    return str(getattr(result, "lang" if name == "lang" else "kind")) == value


def _taxonomy_table(report: EvalReport) -> list[str]:
    shown = [c for c in CATEGORIES if report.overall.categories.get(c)]
    header = f"{'':<22} " + " ".join(f"{c:>{max(len(c), 3)}}" for c in shown)
    lines = [header, "-" * len(header)]
    for label, m in _rows(report):
        cells = " ".join(f"{m.categories.get(c, 0):>{max(len(c), 3)}}" for c in shown)
        lines.append(f"{label:<22} {cells}")
    return lines


def _question_lines(report: EvalReport) -> list[str]:
    lines = []
    for r in report.results:
        rank = r.pipeline_gold_rank if r.pipeline_gold_rank is not None else "-"
        dense = r.dense_gold_rank if r.dense_gold_rank is not None else "-"
        facts = f"{r.facts_found}/{r.facts_total}" if r.facts_total else "-"
        extra = f" must_not_contain={r.forbidden_hits}" if r.forbidden_hits else ""
        extra += f" error={r.error}" if r.error else ""
        lines.append(
            f"{r.id:<10} {r.lang:<3} {r.kind:<15} {r.category:<22} "
            f"{'refused' if r.refused else 'answered':<8} facts={facts:<5} "
            f"gold@pipe={rank!s:<3} gold@dense={dense!s:<3}{extra}"
        )
    return lines


def format_report(report: EvalReport, *, per_question: bool = True) -> str:
    """The report as plain text: header, answers, retrieval, taxonomy, questions."""
    lines = [f"{key}: {value}" for key, value in report.about.items()]
    lines += [
        "",
        "Answers (cite: citation recall; facts: fact recall; allfx: all facts stated; ans: "
        "answerable answered; unref: unanswerable refused; bal: balanced refusal; badq: "
        "invalid quotes; mnc: must_not_contain hits)",
        *_answers_table(report),
        "",
        "Retrieval: gold story in the top k stories, pipeline vs plain dense search",
        *_retrieval_table(report),
        "",
        "Error taxonomy (questions per category)",
        *_taxonomy_table(report),
    ]
    if per_question:
        lines += ["", "Questions", *_question_lines(report)]
    return "\n".join(lines)
