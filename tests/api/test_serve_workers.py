"""`policyqa serve --workers 2` as an operator runs it: two processes on one port, metrics
summed over both, and a new index version picked up by every worker without a restart."""

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

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration

ARTICLES = [
    {
        "url": f"https://baolamdong.vn/tin/{n}-abc.html",
        "title": title,
        "text": text,
        "site": "baolamdong.vn",
        "province": "Lâm Đồng",
        "published": f"2025-03-1{n}T08:00:00+07:00",
    }
    for n, (title, text) in enumerate(
        [
            ("Lâm Đồng xóa nhà tạm", "Tỉnh Lâm Đồng cam kết xóa nhà tạm trước ngày 31/5/2025."),
            ("Điện mặt trời áp mái", "Lâm Đồng phê duyệt 3 dự án điện mặt trời áp mái."),
        ]
    )
]
NEW = {
    "url": "https://baolamdong.vn/tin/9-cafe.html",
    "title": "Cà phê Lâm Đồng xuất khẩu",
    "text": "Kim ngạch xuất khẩu cà phê của Lâm Đồng đạt 1,2 tỷ USD năm 2024.",
    "site": "baolamdong.vn",
    "province": "Lâm Đồng",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "POLICYQA_HOME": str(home),
        "POLICYQA_EMBEDDER": "hashing",
        "POLICYQA_RATE_LIMIT_PER_MINUTE": "0",
    }


def _policyqa(home: Path, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=REPO,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def _import(home: Path, articles: list[dict[str, str]]) -> None:
    path = home / f"in-{len(articles)}-{time.monotonic_ns()}.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in articles) + "\n")
    _policyqa(home, "import", str(path))


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    home = tmp_path / "home"
    home.mkdir()
    _import(home, ARTICLES)
    _policyqa(home, "index")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"],
        cwd=REPO,
        env=_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read()[-2000:]  # type: ignore[union-attr]
            try:
                if httpx.get(f"{url}/health", timeout=5).json().get("status") == "ok":
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url, home, server
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()  # type: ignore[union-attr]


def _search_count(metrics: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("policyqa_http_requests_total{")
        and 'route="/search"' in line
        and 'status="200"' in line
    )


def test_two_workers_share_the_port_sum_their_metrics_and_follow_new_versions(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    url, home, server = served
    assert len(_children(server.pid)) >= 2, "a supervisor with two worker processes"
    for n in range(20):
        # A new connection each time, so the kernel spreads them over both workers.
        response = httpx.get(f"{url}/search", params={"q": f"nhà tạm Lâm Đồng {n}"})
        assert response.status_code == 200
        assert response.json()["results"]
    for _ in range(6):
        # Whichever worker answers, it reports the requests of both.
        assert _search_count(httpx.get(f"{url}/metrics").text) == 20

    _import(home, [NEW])
    _policyqa(home, "index")
    deadline = time.monotonic() + 30
    streak = 0
    while streak < 10 and time.monotonic() < deadline:
        body = httpx.get(f"{url}/search", params={"q": "xuất khẩu cà phê"}).json()
        found = any("cà phê" in hit["title"].lower() for hit in body["results"])
        streak = streak + 1 if found else 0
    assert streak == 10, "every worker serves the new version without a restart"
