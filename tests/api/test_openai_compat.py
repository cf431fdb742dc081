"""The OpenAI-compatible chat endpoint, through the test client."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from api.openai_compat import sources_text, strip_sources
from tests.api.support import DA_NANG_RU, citation, fake_answer


def _events(text: str) -> list[str]:
    return [line[len("data: ") :] for line in text.splitlines() if line.startswith("data: ")]


def test_models_lists_policyqa(client: TestClient) -> None:
    body = client.get("/v1/models").json()

    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == ["policyqa"]


def test_chat_answers_with_sources_in_text_and_as_data(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        json={
            "model": "policyqa",
            "messages": [
                {"role": "system", "content": "You are helpful."},
                {"role": "user", "content": "Дананг цифровая трансформация"},
            ],
            "temperature": 0.2,
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-")
    message = body["choices"][0]["message"]
    assert message["role"] == "assistant" and body["choices"][0]["finish_reason"] == "stop"
    answer_text, sources = message["content"].split("\n\nSources:\n")
    assert answer_text == body["policyqa"]["answer"]
    citations = message["citations"]
    assert citations and citations[0]["article_id"] == DA_NANG_RU.id
    assert sources.splitlines()[0].startswith("- [1] Дананг ускоряет цифровую трансформацию")
    assert body["citations"] == [c["url"] for c in citations]
    assert body["usage"]["total_tokens"] > 0


def test_earlier_turns_become_history_without_their_sources(client: TestClient) -> None:
    client.post(
        "/v1/chat/completions",
        json={
            "messages": [
                {"role": "user", "content": "What did Lam Dong commit to?"},
                {
                    "role": "assistant",
                    "content": "Land clearance by May 2025 [1]\n\nSources:\n- [1] x",
                },
                {"role": "user", "content": [{"type": "text", "text": "And the funds?"}]},
            ]
        },
    )

    call = fake_answer.calls[-1]
    assert call["question"] == "And the funds?"
    assert [(t.role, t.content) for t in call["history"]] == [
        ("user", "What did Lam Dong commit to?"),
        ("assistant", "Land clearance by May 2025 [1]"),
    ]


def test_chat_filters_extension_is_passed_on(client: TestClient) -> None:
    client.post(
        "/v1/chat/completions",
        json={
            "messages": [{"role": "user", "content": "tourism"}],
            "filters": {"province": ["Khánh Hòa"], "lang": "uk"},
        },
    )

    assert fake_answer.calls[-1]["filters"]["province"] == ["Khánh Hòa"]


def test_chat_without_a_user_message_is_422(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions", json={"messages": [{"role": "system", "content": "hi"}]}
    )
    empty = client.post("/v1/chat/completions", json={"messages": []})

    assert response.status_code == 422
    assert "role 'user'" in response.json()["error"]["message"]
    assert empty.status_code == 422


def test_streaming_sends_chunks_citations_and_done(client: TestClient) -> None:
    request = {"messages": [{"role": "user", "content": "Lam Dong expressway"}]}
    whole = client.post("/v1/chat/completions", json=request).json()
    response = client.post(
        "/v1/chat/completions",
        json={**request, "stream": True, "stream_options": {"include_usage": True}},
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    content = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert content == whole["choices"][0]["message"]["content"]
    final = chunks[-2]
    assert final["choices"][0]["finish_reason"] == "stop"
    assert final["choices"][0]["citations"] == whole["choices"][0]["message"]["citations"]
    assert final["policyqa"]["citations"] == whole["policyqa"]["citations"]
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] > 0


def test_streaming_errors_before_the_stream_keep_their_status(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        json={"stream": True, "messages": [{"role": "user", "content": "   "}]},
    )

    assert response.status_code == 422
    assert response.json()["error"]["type"] == "invalid_request"


def test_sources_neutralise_markdown_from_articles() -> None:
    citations = [
        citation(
            n=1,
            title="Evil ![x](http://evil.example/t.png) title",
            site="a.vn",
            published="2025-01-02T00:00:00+07:00",
            url="https://a.vn/1",
            quote="<script>alert(1)</script> [click](http://evil.example)",
        )
    ]

    text = sources_text(citations)

    assert "![x](" not in text and "<script>" not in text and "](http://evil" not in text
    assert text.startswith("Sources:\n- [1] Evil")
    assert "(a.vn, 2025-01-02)" in text
    assert strip_sources("Answer [1]\n\n" + text) == "Answer [1]"
