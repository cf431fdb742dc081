"""Where `/ask` spends its time: each question of a set answered once, in process, under
cProfile, against the index of $POLICYQA_HOME with $POLICYQA_EMBEDDER.

Prints per-question latency (p50/p95, cold: each question once, after a warm-up on other
questions) and the functions with the most cumulative time, so a per-question cost that
belongs at index time stands out. No HTTP: the API adds its own (small) overhead.

    POLICYQA_HOME=... POLICYQA_EMBEDDER=e5-small .venv/bin/python bench/profile_ask.py
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "demo" / "questions.jsonl")
    parser.add_argument("--warmup", type=Path, default=ROOT / "demo" / "questions_holdout.jsonl")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument(
        "--no-profile", action="store_true", help="Time only (cProfile slows Python code)."
    )
    parser.add_argument(
        "--dump",
        type=Path,
        help="Write each answer (text, refusal, cited spans) as JSONL, to compare two runs.",
    )
    args = parser.parse_args()

    from api.services import load_embedder, open_retriever
    from api.settings import get_settings
    from qa.answer import answer
    from qa.gazetteer import Gazetteer
    from qa.models import Turn
    from qa.scoring import NullBaseline

    settings = get_settings()
    embedder = load_embedder(settings)
    retriever = open_retriever(settings, embedder)
    baseline = NullBaseline()  # as the API keeps it: embedded once, not per question
    gazetteer = Gazetteer.packaged()  # as the API keeps it: built once, shared by questions

    def ask(item: dict[str, Any]) -> Any:
        return answer(
            item["question"],
            retriever,
            filters={k: v for k, v in (item.get("filters") or {}).items() if v} or None,
            history=[Turn(t["role"], t["content"]) for t in item.get("history") or ()],
            baseline=baseline,
            gazetteer=gazetteer,
        )

    for item in _questions(args.warmup)[:5]:
        ask(item)
    profiler = cProfile.Profile()
    latencies = []
    cpu_times = []
    answers = []
    for item in _questions(args.questions):
        started, cpu_started = time.perf_counter(), time.process_time()
        if not args.no_profile:
            profiler.enable()
        result = ask(item)
        if not args.no_profile:
            profiler.disable()
        latencies.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
        cited = [[c.article_id, c.start, c.end] for c in result.citations]
        answers.append(
            {"question": item["question"], "refused": result.refused, "answer": result.answer}
            | {"citations": cited}
        )
    if args.dump:
        args.dump.write_text(
            "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answers), encoding="utf-8"
        )

    def at(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    # CPU time (all threads of the process) depends far less on what else the machine
    # runs than wall time does: on shared cores it is the steadier measure of the work.
    print(
        f"{embedder.name}: {len(latencies)} questions, wall p50 {at(latencies, 0.5):.0f} ms, "
        f"p95 {at(latencies, 0.95):.0f} ms; CPU p50 {at(cpu_times, 0.5):.0f} ms, "
        f"p95 {at(cpu_times, 0.95):.0f} ms"
    )
    if not args.no_profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
