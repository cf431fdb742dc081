from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api import commands_qa
from api.cli import app
from qa.answer import answer
from tests.qa.conftest import MemoryRetriever

runner = CliRunner()


@pytest.fixture
def memory_index(monkeypatch: pytest.MonkeyPatch) -> MemoryRetriever:
    retriever = MemoryRetriever()
    monkeypatch.setattr(commands_qa, "open_retriever", lambda settings: retriever)
    monkeypatch.setattr(commands_qa, "load_chat_model", lambda settings: None)
    return retriever


def _invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_ask_json_is_exactly_the_answer_json(memory_index: MemoryRetriever) -> None:
    question = "What did Lam Dong commit to by May 2025?"
    result = _invoke("ask", question, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(
        json.dumps(answer(question, memory_index).to_json(), default=str)
    )


def test_ask_text_lists_citations(memory_index: MemoryRetriever) -> None:
    result = _invoke(
        "ask", "Hà Giang đã giao nhiệm vụ gì cho quý II/2025?", "--province", "Ha Giang"
    )
    assert result.exit_code == 0, result.output
    assert "[1]" in result.stdout and "https://baohagiang.vn/hg-vi.html" in result.stdout


def test_ask_bad_filter_is_a_usage_error(memory_index: MemoryRetriever) -> None:
    result = _invoke("ask", "What did Lam Dong commit to?", "--since", "2025-02-30")
    assert result.exit_code == 2
    assert "'since' is not a date" in result.stderr
    assert "Traceback" not in result.output


def test_search_json(memory_index: MemoryRetriever) -> None:
    result = _invoke("search", "giải phóng mặt bằng", "--k", "3", "--json", "--lang", "vi")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert 0 < len(data["results"]) <= 3
    first = data["results"][0]
    assert first["lang"] == "vi" and first["rank"] == 1
    article = memory_index.article(first["article_id"])
    assert article is not None and article.text[first["start"] : first["end"]] == first["text"]


def test_search_text(memory_index: MemoryRetriever) -> None:
    result = _invoke("search", "Hung Yen", "--province", "Hưng Yên")
    assert result.exit_code == 0, result.output
    assert " 1. " in result.stdout
    assert "hy-vi" in result.stdout or "inj-en" in result.stdout


def test_eval_table_and_json(memory_index: MemoryRetriever, tmp_path: Path) -> None:
    path = tmp_path / "questions.jsonl"
    records = [
        {
            "id": "1",
            "question": "Lâm Đồng phấn đấu giải ngân bao nhiêu phần trăm vốn đầu tư công?",
            "lang": "vi",
            "kind": "fact",
            "history": [],
            "filters": {},
            "answerable": True,
            "gold_urls": ["https://www.vietnam.vn/ld-en.html"],
            "facts": [["60%"]],
        },
        {
            "id": "2",
            "question": "What did Da Nang decide about fishing boats?",
            "lang": "en",
            "kind": "fact",
            "history": [{"role": "user", "content": "Hi"}],
            "filters": {"lang": ["en"]},
            "answerable": False,
            "gold_urls": [],
            "facts": [],
        },
    ]
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    result = _invoke("eval", "--questions", str(path), "--json")
    assert result.exit_code == 0, result.output
    overall = json.loads(result.stdout)["overall"]
    assert overall["citation_recall"] == 1.0 and overall["balanced_refusal"] == 1.0
    table = _invoke("eval", "--questions", str(path), "--save-json", str(tmp_path / "r.json"))
    assert table.exit_code == 0 and "lang=en" in table.stdout and "dense@5" in table.stdout
    saved = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert saved["overall"]["questions"] == 2
    assert {q["id"]: q["category"] for q in saved["questions"]} == {"1": "ok", "2": "ok"}


def test_eval_split_only_applies_to_the_devset(
    memory_index: MemoryRetriever, tmp_path: Path
) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text(json.dumps({"id": "x1", "question": "Lâm Đồng?"}) + "\n", encoding="utf-8")
    result = _invoke("eval", "--questions", str(path), "--split", "report")
    assert result.exit_code == 2 and "neither half" in result.stderr
    assert "Traceback" not in result.output


def test_eval_bad_file(memory_index: MemoryRetriever, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    result = _invoke("eval", "--questions", str(path))
    assert result.exit_code == 2 and "not JSON" in result.stderr
    missing = _invoke("eval", "--questions", str(tmp_path / "missing.jsonl"))
    assert missing.exit_code == 2
