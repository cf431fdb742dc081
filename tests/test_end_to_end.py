"""The whole pipeline as a user runs it: demo sites on loopback -> `policyqa crawl` ->
`policyqa index` (the packaged e5-small model) -> `policyqa ask`, through the real CLI.

What a user relies on: the crawl stores every demo article, a second crawl downloads no
article again, and an answer's citations quote the stored text exactly.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
POLICYQA = str(Path(sys.executable).with_name("policyqa"))

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A running demo site and a sources file pointing at it."""
    base = tmp_path_factory.mktemp("e2e")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "demo.serve", "--root", str(base / "site"), "--port", str(port),
         "--build", "--access-log", str(base / "access.jsonl")],
        cwd=REPO, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/robots.txt", headers={"Host": "baolamdong.vn"})
            break
        except httpx.TransportError:
            time.sleep(0.1)
    sources = (REPO / "demo" / "sources.toml").read_text(encoding="utf-8")
    sources_path = base / "sources.toml"
    sources_path.write_text(sources.replace("127.0.0.1:8765", f"127.0.0.1:{port}"), "utf-8")
    try:
        yield base, sources_path
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stderr.close()  # type: ignore[union-attr]


def _policyqa(
    home: Path, *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "POLICYQA_HOME": str(home),
        "POLICYQA_EMBEDDER": "e5-small",
        **(extra_env or {}),
    }
    return subprocess.run(
        [POLICYQA, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=900
    )


def _summary(stdout: str) -> dict[str, str]:
    line = next(x for x in stdout.splitlines() if x.startswith("crawl:"))
    return dict(part.split("=", 1) for part in line.split()[1:])


def _article_downloads(access_log: Path) -> list[str]:
    """Paths answered 200 that are not robots.txt, sitemaps or feeds."""
    entries = [json.loads(line) for line in access_log.read_text().splitlines() if line]
    return [
        e["path"]
        for e in entries
        if e["status"] == 200 and not e["path"].endswith((".txt", ".xml", ".rss"))
    ]


def test_crawl_index_ask_with_exact_citations(demo_home: tuple[Path, Path]) -> None:
    base, sources = demo_home
    home, access_log = base / "home", base / "access.jsonl"
    corpus = [
        json.loads(line)
        for line in (REPO / "demo" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]

    first = _policyqa(home, "crawl", "--sources", str(sources))
    assert first.returncode == 0, first.stderr[-2000:]
    assert int(_summary(first.stdout)["new"]) == len(corpus)

    access_log.write_text("")
    second = _policyqa(home, "crawl", "--sources", str(sources))
    assert second.returncode == 0, second.stderr[-2000:]
    again = _summary(second.stdout)
    assert again["new"] == "0" and again["changed"] == "0"
    assert _article_downloads(access_log) == [], "an unchanged article is not downloaded again"

    built = _policyqa(home, "index")
    assert built.returncode == 0, built.stderr[-2000:]

    exported = _policyqa(home, "articles", "export")
    texts = {a["id"]: a["text"] for a in map(json.loads, exported.stdout.splitlines())}
    assert len(texts) == len(corpus)

    asked = _policyqa(home, "ask", "What did Lam Dong commit to by May 2025?", "--json")
    assert asked.returncode == 0, asked.stderr[-2000:]
    answer = json.loads(asked.stdout)
    assert not answer["refused"]
    assert answer["citations"], "an answer carries at least one citation"
    for citation in answer["citations"]:
        assert f"[{citation['n']}]" in answer["answer"]
        stored = texts[citation["article_id"]]
        assert stored[citation["start"] : citation["end"]] == citation["quote"]
    assert "31" in answer["answer"], "the May 31, 2025 deadline is stated"

    unanswerable = _policyqa(home, "ask", "How many tourists visited Lam Dong in 2019?", "--json")
    assert json.loads(unanswerable.stdout)["refused"] is True


def test_distributed_mode_crawl_index_ask(demo_home: tuple[Path, Path], postgres_url: str) -> None:
    """The same path with the store in PostgreSQL and the vectors in Milvus (Lite): nothing
    is written to an SQLite store, and the answer quotes the text stored in PostgreSQL."""
    base, sources = demo_home
    home = base / "distributed"
    distributed = {
        "POLICYQA_STORE_URL": postgres_url,
        "POLICYQA_VECTOR_BACKEND": "milvus",
        "POLICYQA_MILVUS_URI": str(base / "milvus.db"),
    }
    crawled = _policyqa(home, "crawl", "--sources", str(sources), extra_env=distributed)
    assert crawled.returncode == 0, crawled.stderr[-2000:]
    assert int(_summary(crawled.stdout)["new"]) > 0
    built = _policyqa(home, "index", extra_env=distributed)
    assert built.returncode == 0, built.stderr[-2000:]
    assert not (home / "articles.sqlite").exists()

    from crawler.store import ArticleStore

    with ArticleStore(postgres_url) as store:
        texts = {a.id: a.text for a in store.articles()}
    asked = _policyqa(
        home, "ask", "What did Lam Dong commit to by May 2025?", "--json", extra_env=distributed
    )
    assert asked.returncode == 0, asked.stderr[-2000:]
    answer = json.loads(asked.stdout)
    assert not answer["refused"] and answer["citations"]
    for citation in answer["citations"]:
        stored = texts[citation["article_id"]]
        assert stored[citation["start"] : citation["end"]] == citation["quote"]
    assert "31" in answer["answer"]
