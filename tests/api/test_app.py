"""The HTTP API with a fake index and answer function: contracts, errors, security."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from api.settings import Settings
from index.errors import IndexNotBuiltError
from qa.errors import QuestionError
from tests.api.support import (
    DA_NANG_RU,
    INJECTION,
    KHANH_HOA_UK,
    LAM_DONG_EN,
    LAM_DONG_VI,
    FakeRetriever,
    fake_answer,
)


def _app_client(settings: Settings, **kwargs: Any) -> TestClient:
    kwargs.setdefault("retriever", FakeRetriever())
    kwargs.setdefault("answer_fn", fake_answer)
    return TestClient(create_app(settings, **kwargs))


def _error(response: Any) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"type", "message"}, body
    assert "Traceback" not in body["error"]["message"]
    error: dict[str, str] = body["error"]
    return error


# -- POST /ask --------------------------------------------------------------------------


def test_ask_returns_an_answer_whose_markers_all_have_exact_citations(client: TestClient) -> None:
    response = client.post("/ask", json={"question": "What did Lam Dong commit to by May 2025?"})

    assert response.status_code == 200
    body = response.json()
    assert {"answer", "language", "refused", "citations", "commitments", "searched"} <= set(body)
    assert body["refused"] is False
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])}
    assert markers and markers == {c["n"] for c in body["citations"]}
    for citation in body["citations"]:
        assert set(citation) >= {
            "n",
            "article_id",
            "url",
            "title",
            "site",
            "published",
            "lang",
            "quote",
            "start",
            "end",
        }
        text = client.get(f"/articles/{citation['article_id']}").json()["text"]
        assert text[citation["start"] : citation["end"]] == citation["quote"]


@pytest.mark.parametrize(
    "question",
    [
        "What did Lam Dong commit to by May 2025?",
        "Lâm Đồng cam kết gì?",
        "Что Дананг поручил сделать к концу 2025 года?",
    ],
)
def test_ask_with_the_real_answer_function_cites_exact_sentences(
    settings: Settings, question: str
) -> None:
    from qa.answer import answer

    with _app_client(settings, answer_fn=answer) as client:
        body = client.post("/ask", json={"question": question}).json()
        texts = {
            c["article_id"]: client.get(f"/articles/{c['article_id']}").json()["text"]
            for c in body["citations"]
        }

    assert body["refused"] is False
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])}
    assert markers == {c["n"] for c in body["citations"]}
    for citation in body["citations"]:
        assert (
            texts[citation["article_id"]][citation["start"] : citation["end"]] == citation["quote"]
        )


def test_ask_passes_filters_and_history_to_the_answer_function(client: TestClient) -> None:
    response = client.post(
        "/ask",
        json={
            "question": "Что обещал Дананг?",
            "filters": {"province": "Đà Nẵng", "since": "2025-01-01", "lang": ["RU"], "site": []},
            "history": [
                {"role": "user", "content": "Tell me about Da Nang"},
                {"role": "assistant", "content": "Da Nang ..."},
            ],
        },
    )

    assert response.status_code == 200
    call = fake_answer.calls[-1]
    assert call["filters"] == {
        "province": ["Đà Nẵng"],
        "since": "2025-01-01",
        "until": None,
        "lang": ["ru"],
        "site": [],
    }
    assert [t.role for t in call["history"]] == ["user", "assistant"]
    assert {c["article_id"] for c in response.json()["citations"]} == {DA_NANG_RU.id}


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        ({"question": ""}, "question"),
        ({"question": "x" * 2001}, "question"),
        ({}, "question"),
        ({"question": "ok", "filters": {"provinces": ["Lam Dong"]}}, "provinces"),
        ({"question": "ok", "filters": {"since": "2025-05-01", "until": "2025-01-01"}}, "since"),
        ({"question": "ok", "filters": {"since": "May 2025"}}, "since"),
        ({"question": "ok", "history": [{"role": "robot", "content": "x"}]}, "role"),
    ],
)
def test_ask_rejects_bad_requests_with_a_message(
    client: TestClient, body: dict[str, Any], mentions: str
) -> None:
    response = client.post("/ask", json=body)

    assert response.status_code == 422
    error = _error(response)
    assert error["type"] == "invalid_request"
    assert mentions in error["message"]


def test_ask_rejects_a_body_that_is_not_json(client: TestClient) -> None:
    response = client.post(
        "/ask", content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert _error(response)["type"] == "invalid_request"


def test_question_errors_from_qa_become_422(settings: Settings) -> None:
    def refuses(*_args: Any, **_kwargs: Any) -> Any:
        raise QuestionError("the question is too vague; name a province or a topic")

    with _app_client(settings, answer_fn=refuses) as client:
        response = client.post("/ask", json={"question": "?"})

    assert response.status_code == 422
    assert _error(response)["message"] == "the question is too vague; name a province or a topic"


def test_a_missing_index_is_503_with_what_to_do(settings: Settings) -> None:
    class NoIndex(FakeRetriever):
        def search(self, *_args: Any, **_kwargs: Any) -> Any:
            raise IndexNotBuiltError("there is no index under data/index")

    with _app_client(settings, retriever=NoIndex()) as client:
        ask = client.post("/ask", json={"question": "Lam Dong?"})
        search = client.get("/search", params={"q": "Lam Dong"})

    for response in (ask, search):
        assert response.status_code == 503
        error = _error(response)
        assert error["type"] == "unavailable"
        assert "policyqa index" in error["message"]


def test_unexpected_errors_are_500_without_internals(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    def crashes(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail /etc/passwd")

    with _app_client(settings, answer_fn=crashes) as client:
        response = client.post("/ask", json={"question": "Lam Dong?"})

    assert response.status_code == 500
    error = _error(response)
    assert "secret" not in error["message"]
    assert "server log" in error["message"]
    assert "secret internal detail" in caplog.text


def test_slow_answers_time_out_with_504(settings: Settings) -> None:
    def slow(*_args: Any, **_kwargs: Any) -> Any:
        time.sleep(1.0)
        raise AssertionError("should have been abandoned")

    settings = settings.model_copy(update={"request_timeout_seconds": 0.2})
    with _app_client(settings, answer_fn=slow) as client:
        started = time.perf_counter()
        response = client.post("/ask", json={"question": "Lam Dong?"})
        elapsed = time.perf_counter() - started

    assert response.status_code == 504
    assert "0.2 s" in _error(response)["message"]
    assert elapsed < 0.9


# -- GET /search ------------------------------------------------------------------------


def test_search_returns_ranked_passages_with_metadata(
    client: TestClient, retriever: FakeRetriever
) -> None:
    response = client.get(
        "/search",
        params={
            "q": "cao tốc Tân Phú Bảo Lộc",
            "k": 3,
            "province": "Lâm Đồng",
            "lang": "vi",
            "since": "2025-03-01",
            "until": "2025-03-31",
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "cao tốc Tân Phú Bảo Lộc" and body["k"] == 3
    results = body["results"]
    assert [r["rank"] for r in results] == [1, 2, 3]
    assert all(r["article_id"] == LAM_DONG_VI.id for r in results)
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    first = results[0]
    assert LAM_DONG_VI.text[first["start"] : first["end"]] == first["text"]
    assert first["url"] == LAM_DONG_VI.url and first["published"].startswith("2025-03-17")
    _query, k, filters = retriever.searches[-1]
    assert k == 3
    assert filters is not None and filters.province == ("lam-dong",) and filters.lang == ("vi",)


def test_search_accepts_repeated_filters(client: TestClient, retriever: FakeRetriever) -> None:
    response = client.get("/search?q=2025&lang=ru&lang=uk&k=10")

    assert response.status_code == 200
    assert {r["lang"] for r in response.json()["results"]} == {"ru", "uk"}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=%20",
        "q=x&k=0",
        "q=x&k=500",
        "q=x&since=yesterday",
        "q=x&since=2025-02-01&until=2025-01-01",
        "q=x&province=Atlantis",
        "q=x&lang=english",
    ],
)
def test_search_rejects_bad_parameters(client: TestClient, query: str) -> None:
    response = client.get(f"/search?{query}")

    assert response.status_code == 422
    assert _error(response)["type"] == "invalid_request"


def test_search_resolves_province_names_in_any_script(
    client: TestClient, retriever: FakeRetriever
) -> None:
    response = client.get(
        "/search", params={"q": "cao tốc", "province": "Ламдонг", "site": "https://baolamdong.vn/"}
    )

    assert response.status_code == 200
    filters = retriever.searches[-1][2]
    assert filters is not None
    assert filters.province == ("lam-dong",) and filters.site == ("baolamdong.vn",)


def test_provinces_lists_the_gazetteer_units(client: TestClient) -> None:
    units = {u["key"]: u for u in client.get("/provinces").json()}

    assert units["lam-dong"]["name"] == "Lâm Đồng"
    assert units["lam-dong"]["current"] is True
    assert units["dak-nong"]["current"] is False
    assert units["lam-dong"]["names"]["en"]


def test_the_app_reads_places_with_its_containers_gazetteer(
    settings: Settings, retriever: FakeRetriever
) -> None:
    # The gazetteer is passed in, not read from a process-wide one: an app built with a
    # gazetteer of one unit lists that unit, resolves filters by its names and knows no other.
    from api.container import Container
    from qa.gazetteer import Gazetteer

    one_unit = Gazetteer(
        {"mergers": {}, "units": [{"key": "alpha-ridge", "vi": "Núi Alpha", "en": ["Alpha Ridge"]}]}
    )
    client = _app_client(settings, retriever=retriever, container=Container(gazetteer=one_unit))

    assert [u["key"] for u in client.get("/provinces").json()] == ["alpha-ridge"]
    assert client.get("/search", params={"q": "x", "province": "Alpha Ridge"}).status_code == 200
    assert retriever.searches[-1][2] is not None
    assert retriever.searches[-1][2].province == ("alpha-ridge",)
    unknown = client.get("/search", params={"q": "x", "province": "Lam Dong"})
    assert unknown.status_code == 422 and "unknown province" in unknown.text


# -- GET /articles/{id} -------------------------------------------------------------------


def test_article_from_the_index_lists_its_translations(client: TestClient) -> None:
    response = client.get(f"/articles/{LAM_DONG_VI.id}")

    assert response.status_code == 200
    body = response.json()
    assert body["source"] == "index"
    assert body["text"] == LAM_DONG_VI.text and body["title"] == LAM_DONG_VI.title
    assert [t["id"] for t in body["translations"]] == [LAM_DONG_EN.id]
    assert body["translations"][0]["lang"] == "en"


def test_unknown_article_is_404(client: TestClient) -> None:
    response = client.get("/articles/0123456789abcdef")

    assert response.status_code == 404
    assert "0123456789abcdef" in _error(response)["message"]


def test_article_from_the_store_has_versions_and_translations(settings: Settings) -> None:
    from crawler.models import Article
    from crawler.store import ArticleStore

    original = Article(
        url=LAM_DONG_VI.url,
        title="Old title",
        text=LAM_DONG_VI.text[:100],
        lang="vi",
        site="baolamdong.vn",
        published=LAM_DONG_VI.published,
    )
    with ArticleStore(settings.store_path) as store:
        store.add(original)
        store.add(
            original.model_copy(update={"title": LAM_DONG_VI.title, "text": LAM_DONG_VI.text})
        )
        store.add(
            Article(
                url=LAM_DONG_EN.url,
                title=LAM_DONG_EN.title,
                text=LAM_DONG_EN.text,
                lang="en",
                translation_of=LAM_DONG_VI.url,
            )
        )
        store.record_run({"fetched": 12, "failed": 1, "new": 3})
        stored_id = store.article_id_for_url(LAM_DONG_VI.url)
        translation_id = store.article_id_for_url(LAM_DONG_EN.url)

    with _app_client(settings) as client:
        response = client.get(f"/articles/{stored_id}")
        missing = client.get("/articles/0000000000000000")
        health = client.get("/health").json()
        metrics = client.get("/metrics").text

    assert response.status_code == 200
    body = response.json()
    assert body["source"] == "store"
    assert body["text"] == LAM_DONG_VI.text and body["title"] == LAM_DONG_VI.title
    assert [(t["id"], t["lang"]) for t in body["translations"]] == [(translation_id, "en")]
    assert [v["title"] for v in body["versions"]] == ["Old title", LAM_DONG_VI.title]
    assert "text" not in body["versions"][0]
    assert missing.status_code == 404
    assert health["store"] is True and health["last_crawl"]["fetched"] == 12
    assert 'policyqa_last_crawl{field="fetched"} 12.0' in metrics


# -- GET /health, /metrics -----------------------------------------------------------------


def test_health_reports_the_index(client: TestClient) -> None:
    body = client.get("/health").json()

    assert body["status"] == "ok"
    assert body["index"]["articles"] == 4 and body["index"]["chunks"] == 9
    assert body["embedder"] == "fake-hashing-256"
    assert body["last_crawl"] is None and body["store"] is False


def test_metrics_count_requests_by_route(client: TestClient) -> None:
    client.post("/ask", json={"question": "Lam Dong?"})
    client.get(f"/articles/{LAM_DONG_VI.id}")
    client.get("/articles/nope")

    text = client.get("/metrics").text

    assert 'policyqa_http_requests_total{method="POST",route="/ask",status="200"} 1.0' in text
    assert 'route="/articles/{article_id}",status="404"' in text
    assert "policyqa_http_request_duration_seconds_bucket" in text
    assert 'policyqa_index_size{kind="chunks"} 9.0' in text
    assert 'policyqa_answers_total{endpoint="ask",refused="false"} 1.0' in text


# -- security -----------------------------------------------------------------------------


def test_api_keys_are_required_when_configured(settings: Settings) -> None:
    settings = settings.model_copy(update={"api_keys": [SecretStr("k-one"), SecretStr("k-two")]})
    with _app_client(settings) as client:
        missing = client.post("/ask", json={"question": "Lam Dong?"})
        wrong = client.get("/search", params={"q": "x"}, headers={"X-API-Key": "nope"})
        bearer = client.post(
            "/ask", json={"question": "Lam Dong?"}, headers={"Authorization": "Bearer k-two"}
        )
        header = client.get("/search", params={"q": "x"}, headers={"X-API-Key": "k-one"})
        open_pages = [client.get(path).status_code for path in ("/", "/health", "/openapi.json")]
        models = client.get("/v1/models")

    assert missing.status_code == 401 and wrong.status_code == 401 and models.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert "API key" in _error(missing)["message"]
    assert bearer.status_code == 200 and header.status_code == 200
    assert open_pages == [200, 200, 200]


def test_any_presented_key_may_match_and_wrong_keys_are_rate_limited(settings: Settings) -> None:
    settings = settings.model_copy(
        update={"api_keys": [SecretStr("right")], "rate_limit_per_minute": 3}
    )
    with _app_client(settings) as client:
        both = client.get(
            "/v1/models", headers={"Authorization": "Bearer stale", "X-API-Key": "right"}
        )
        guesses = [
            client.get("/v1/models", headers={"X-API-Key": f"guess-{i}"}).status_code
            for i in range(4)
        ]

    assert both.status_code == 200
    assert guesses == [401, 401, 401, 429]


def test_rate_limit_answers_429_with_retry_after(settings: Settings) -> None:
    settings = settings.model_copy(update={"rate_limit_per_minute": 2})
    with _app_client(settings) as client:
        statuses = [client.get("/search", params={"q": "x"}).status_code for _ in range(3)]
        limited = client.get("/search", params={"q": "x"})

    assert statuses == [200, 200, 429]
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert _error(limited)["type"] == "rate_limited"


def test_oversized_requests_are_413(settings: Settings) -> None:
    settings = settings.model_copy(update={"max_request_bytes": 1_000})
    with _app_client(settings) as client:
        too_big = client.post("/ask", json={"question": "x" * 1_500})
        fine = client.post("/ask", json={"question": "Lam Dong?"})

    assert too_big.status_code == 413
    assert _error(too_big)["type"] == "request_too_large"
    assert fine.status_code == 200


def test_cors_allows_only_configured_origins(settings: Settings) -> None:
    settings = settings.model_copy(update={"cors_origins": ["https://staff.example"]})
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-api-key",
    }
    with _app_client(settings) as client:
        allowed = client.options("/ask", headers={"Origin": "https://staff.example", **preflight})
        denied = client.options("/ask", headers={"Origin": "https://evil.example", **preflight})

    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://staff.example"
    assert "access-control-allow-origin" not in denied.headers


def test_non_loopback_bind_without_keys_is_refused(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from api.commands_serve import serve
    from api.security import InsecureBindError, check_bind, is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    with pytest.raises(InsecureBindError, match="POLICYQA_API_KEYS"):
        check_bind("0.0.0.0", settings)
    check_bind("0.0.0.0", settings.model_copy(update={"api_keys": [SecretStr("k" * 16)]}))

    assert serve(settings, host="0.0.0.0", port=1) == 2
    assert "refusing to listen on 0.0.0.0" in capsys.readouterr().err


def test_rate_limiter_refills_over_time() -> None:
    from api.security import RateLimiter

    limiter = RateLimiter(per_minute=60)
    assert all(limiter.acquire("a", now=0.0) == 0.0 for _ in range(60))
    assert limiter.acquire("a", now=0.0) == pytest.approx(1.0)
    assert limiter.acquire("b", now=0.0) == 0.0
    assert limiter.acquire("a", now=1.5) == 0.0


# -- the page -------------------------------------------------------------------------------


def test_the_page_is_served_with_a_strict_content_security_policy(client: TestClient) -> None:
    page = client.get("/")
    script = client.get("/static/app.js")
    style = client.get("/static/app.css")

    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert '<script src="/static/app.js"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert script.status_code == 200 and style.status_code == 200
    # Article text only ever reaches the page as text, never as markup.
    assert "innerHTML" not in script.text and "insertAdjacentHTML" not in script.text
    assert "textContent" in script.text


def test_docs_are_served(client: TestClient) -> None:
    docs = client.get("/docs")
    spec = client.get("/openapi.json").json()

    assert docs.status_code == 200
    for path in (
        "/ask",
        "/search",
        "/articles/{article_id}",
        "/health",
        "/metrics",
        "/v1/chat/completions",
        "/v1/models",
    ):
        assert path in spec["paths"]


def test_injected_markup_in_articles_is_returned_as_plain_data(client: TestClient) -> None:
    response = client.get(f"/articles/{KHANH_HOA_UK.id}")

    assert response.status_code == 200
    assert INJECTION in response.json()["text"]
    assert response.headers["content-type"].startswith("application/json")


def test_unknown_static_files_are_404_json(client: TestClient) -> None:
    response = client.get("/static/missing.js")

    assert response.status_code == 404
    assert _error(response)["type"] == "not_found"


def test_the_app_keeps_the_similarity_floor_across_questions(
    settings: Settings, retriever: FakeRetriever
) -> None:
    from api.container import Container

    container = Container()
    app = create_app(settings, retriever=retriever, container=container)
    with TestClient(app) as client:
        for question in ("What did Lam Dong commit to?", "What is Da Nang digitising?"):
            assert client.post("/ask", json={"question": question}).status_code == 200
    embedded = len(retriever.embedder.calls)
    container.baseline.vectors(retriever.embedder)
    # The requests embedded the floor into the app's container: nothing is embedded again.
    assert len(retriever.embedder.calls) == embedded
    Container().baseline.vectors(retriever.embedder)
    # Another container starts empty: nothing is shared through the module.
    assert len(retriever.embedder.calls) == embedded + 1
