"""The API on a real uvicorn server: the `openai` client, schemathesis against the
OpenAPI spec, and the staff page in headless Chromium."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from pydantic import SecretStr

from api.app import create_app
from api.settings import Settings
from tests.api.support import DA_NANG_RU, INJECTION, KHANH_HOA_UK, FakeRetriever, fake_answer

pytestmark = pytest.mark.integration

API_KEY = "live-test-key"
CHROMIUM = Path("/usr/bin/chromium")
# As on these machines' notes: no sandbox as root, and no background connections
# (the network is closed; Chromium would otherwise keep retrying Google's hosts).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(answer_fn: Any, home: Path) -> Iterator[str]:
    """The app over the test corpus on a free loopback port, API keys required."""
    settings = Settings(home=home, api_keys=[SecretStr(API_KEY)], rate_limit_per_minute=0)
    app = create_app(settings, retriever=FakeRetriever(), answer_fn=answer_fn)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """With the deterministic fake answer function: every question gets citations."""
    with serving(fake_answer, tmp_path_factory.mktemp("live-home")) as url:
        yield url


@pytest.fixture(scope="module")
def live_server_real_qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """With the real `qa.answer.answer` behind the API."""
    from qa.answer import answer

    with serving(answer, tmp_path_factory.mktemp("live-home-qa")) as url:
        yield url


# -- the openai client ----------------------------------------------------------------------


def test_openai_client_gets_a_cited_answer(live_server_real_qa: str) -> None:
    import openai

    client = openai.OpenAI(base_url=f"{live_server_real_qa}/v1", api_key=API_KEY, max_retries=0)

    models = client.models.list()
    completion = client.chat.completions.create(
        model="policyqa",
        messages=[{"role": "user", "content": "Что Дананг поручил сделать к концу 2025 года?"}],
    )

    assert [m.id for m in models.data] == ["policyqa"]
    message = completion.choices[0].message
    assert message.content and "\n\nSources:\n- [1] " in message.content
    citations = (message.model_extra or {})["citations"]
    assert citations[0]["article_id"] == DA_NANG_RU.id
    assert citations[0]["quote"] in message.content


def test_openai_client_streams_the_answer(live_server: str) -> None:
    import openai

    client = openai.OpenAI(base_url=f"{live_server}/v1", api_key=API_KEY, max_retries=0)

    stream = client.chat.completions.create(
        model="policyqa",
        messages=[{"role": "user", "content": "Lam Dong expressway land clearance"}],
        stream=True,
    )
    chunks = list(stream)

    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert len(chunks) > 3
    assert "[1]" in text and "Sources:" in text
    final = chunks[-1].choices[0]
    assert final.finish_reason == "stop"
    assert (final.model_extra or {})["citations"][0]["n"] == 1


def test_openai_client_sees_api_errors(live_server: str) -> None:
    import openai

    bad_key = openai.OpenAI(base_url=f"{live_server}/v1", api_key="wrong", max_retries=0)
    client = openai.OpenAI(base_url=f"{live_server}/v1", api_key=API_KEY, max_retries=0)

    with pytest.raises(openai.AuthenticationError):
        bad_key.chat.completions.create(
            model="policyqa", messages=[{"role": "user", "content": "x"}]
        )
    with pytest.raises(openai.UnprocessableEntityError, match="role 'user'"):
        client.chat.completions.create(
            model="policyqa", messages=[{"role": "system", "content": "x"}]
        )


# -- schemathesis -------------------------------------------------------------------------------


def test_schemathesis_finds_no_server_errors(live_server_real_qa: str, tmp_path: Path) -> None:
    schemathesis = Path(sys.executable).parent / "schemathesis"
    if not schemathesis.exists():
        pytest.fail(
            "schemathesis is not installed in this environment (make setup installs it)",
            pytrace=False,
        )
    result = subprocess.run(
        [
            str(schemathesis),
            "run",
            f"{live_server_real_qa}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--header",
            f"Authorization: Bearer {API_KEY}",
            "--max-examples",
            "25",
            "--seed",
            "1",
            "--no-color",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--generation-database",
            "none",
            "--request-timeout",
            "20",
            "--report",
            "json",
            "--report-json-path",
            str(tmp_path / "report.json"),
        ],
        capture_output=True,
        text=True,
        timeout=540,
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


# -- the staff page in Chromium ----------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            "Chromium is not installed at /usr/bin/chromium (run scripts/install-browser.sh)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    """A page whose tab already holds the API key (the page keeps it in sessionStorage)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(f"sessionStorage.setItem('policyqa.apiKey', {json.dumps(API_KEY)})")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_asking_and_opening_a_citation_highlights_the_quote(
    live_server: str, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    page.goto(f"{live_server}/")
    question = page.get_by_role("textbox", name="Question")
    expect(question).to_be_focused()
    question.fill("What did Lam Dong commit to by May 2025?")
    question.press("Enter")

    citations = page.locator("#citations li")
    expect(citations.first).to_be_visible()
    expect(page.locator("#answer button.marker").first).to_have_text("[1]")
    expect(page.locator("#status")).to_contain_text("Answer ready with")
    quote = citations.first.locator(".quote").inner_text()

    citations.first.locator("button.citation-open").click()

    mark = page.locator("#article-text mark.cited")
    expect(mark).to_have_text(quote)
    expect(mark).to_be_focused()
    expect(mark).to_be_in_viewport()
    expect(page.locator("#article-original")).to_have_attribute(
        "href", re.compile(r"^https://baolamdong\.vn/")
    )
    expect(page.locator("#translation-list li")).to_have_count(1)

    page.keyboard.press("Escape")
    expect(page.locator("#article")).to_be_hidden()
    expect(citations.first.locator("button.citation-open")).to_be_focused()


def test_article_text_with_markup_is_shown_as_text(live_server: str, browser_page: object) -> None:
    from playwright.sync_api import Dialog, Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(f"{live_server}/")
    page.get_by_label("Search passages").check()
    page.locator("#filters summary").click()
    page.get_by_label("Language").select_option("uk")
    page.get_by_role("textbox", name="Question").fill("туризм Кханьхоа")
    page.get_by_role("button", name="Search").click()

    passages = page.locator("#passages li")
    expect(passages).to_have_count(2)
    passages.filter(has_text="Ignore all previous").locator("button").click()

    expect(page.locator("#article-title")).to_have_text(KHANH_HOA_UK.title)
    expect(page.locator("#article-text mark.cited")).to_have_text(INJECTION)
    assert page.locator("#article-text img, #article-text script").count() == 0
    assert page.locator("#passages img, #passages script").count() == 0
    assert dialogs == []


def test_the_page_fits_a_phone_screen(live_server: str, browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server}/")
    page.get_by_role("textbox", name="Question").fill("Lam Dong expressway")
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("#citations li").first).to_be_visible()
    page.locator("#citations button.citation-open").first.click()
    expect(page.locator("#article-text mark.cited")).to_be_in_viewport()

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_the_page_asks_for_the_api_key_the_server_wants(live_server: str, chromium: Any) -> None:
    from playwright.sync_api import expect

    assert httpx.get(f"{live_server}/search", params={"q": "x"}).status_code == 401
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server}/")
        dialog = page.get_by_role("dialog", name="API key")
        expect(dialog).to_be_visible()
        page.get_by_label("Key", exact=True).fill(API_KEY)
        page.get_by_role("button", name="Save").click()
        expect(dialog).to_be_hidden()
        question = page.get_by_role("textbox", name="Question")
        expect(question).to_be_focused()
        question.fill("Lam Dong expressway")
        question.press("Enter")
        expect(page.locator("#citations li").first).to_be_visible()
        expect(page.locator("#error")).to_be_hidden()
        assert page.locator("#province-list option").count() > 30
    finally:
        context.close()


def test_a_long_conversation_sends_only_the_history_the_server_accepts(
    live_server: str, browser_page: object
) -> None:
    """After many turns the page keeps asking (no 422) and says older turns are no longer
    sent; each request carries at most the server's history limit."""
    from playwright.sync_api import Page, expect

    from api.schemas import MAX_HISTORY_TURNS

    page: Page = browser_page  # type: ignore[assignment]
    sent: list[int] = []

    def record(request: Any) -> None:
        if request.url.endswith("/v1/chat/completions"):
            sent.append(len(json.loads(request.post_data or "{}")["messages"]))

    page.on("request", record)
    page.goto(f"{live_server}/")
    question = page.get_by_role("textbox", name="Question")
    asked = MAX_HISTORY_TURNS // 2 + 3
    for n in range(asked):
        question.fill(f"Lam Dong expressway, follow-up {n}")
        question.press("Enter")
        expect(page.locator("#status")).to_contain_text("Answer ready", timeout=20_000)
        expect(page.locator("#error")).to_be_hidden()
    assert len(sent) == asked
    assert max(sent) <= MAX_HISTORY_TURNS + 1  # the history, then the question
    expect(page.locator("#conversation-count")).to_contain_text("no longer sent")
