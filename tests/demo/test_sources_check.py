"""`policyqa sources check` against the demo server, and offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app

REPO = Path(__file__).resolve().parents[2]


def _demo_sources(tmp_path: Path, address: str) -> Path:
    text = (REPO / "demo" / "sources.toml").read_text(encoding="utf-8")
    path = tmp_path / "sources.toml"
    path.write_text(re.sub(r"127\.0\.0\.1:\d+", address, text), encoding="utf-8")
    return path


@pytest.mark.integration
def test_check_reports_each_demo_site_as_json(demo_server: str, tmp_path: Path) -> None:
    address = demo_server.removeprefix("http://")
    sources = _demo_sources(tmp_path, address)
    result = CliRunner().invoke(
        app, ["sources", "check", "--sources", str(sources), "--json", "--articles", "2"]
    )
    assert result.exit_code == 0, result.output
    reports = {r["domain"]: r for r in json.loads(result.stdout)}
    assert set(reports) == {"baolamdong.vn", "baohagiang.vn", "baohungyen.vn", "www.vietnam.vn"}
    for report in reports.values():
        assert report["ok"] and report["robots"] == "ok"
        assert report["sitemaps"], report["domain"]  # robots.txt names its sitemap
        assert report["feeds"], report["domain"]
        assert report["article_urls"] >= 2
        assert len(report["articles"]) == 2
        for article in report["articles"]:
            assert article["title"] and article["body_chars"] > 200
            assert article["published"] and article["extraction_path"]
    paths = {a["extraction_path"] for a in reports["www.vietnam.vn"]["articles"]}
    assert paths == {"vietnamvn"}


@pytest.mark.integration
def test_check_prints_a_table_for_one_site(demo_server: str, tmp_path: Path) -> None:
    sources = _demo_sources(tmp_path, demo_server.removeprefix("http://"))
    result = CliRunner().invoke(
        app, ["sources", "check", "--sources", str(sources), "--site", "baohagiang.vn"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["site", "robots"]
    assert lines[1].startswith("baohagiang.vn") and lines[1].rstrip().endswith("ok")
    assert any("hexcms:" in line for line in lines[2:])


@pytest.mark.integration  # real connection attempts, retried with backoff: seconds
def test_check_offline_fails_per_site_with_a_message(tmp_path: Path) -> None:
    # Nothing listens on this port: every site is unreachable.
    path = tmp_path / "sources.toml"
    path.write_text(
        """[network]
connect_to = { "a.example.vn" = "127.0.0.1:9", "b.example.vn" = "127.0.0.1:9" }
crawl_delay = 0

[[site]]
domain = "a.example.vn"
start_urls = ["https://a.example.vn/sitemap.xml"]

[[site]]
domain = "b.example.vn"
start_urls = ["https://b.example.vn/rss"]
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["sources", "check", "--sources", str(path), "--json"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    reports = json.loads(result.stdout)
    assert [r["domain"] for r in reports] == ["a.example.vn", "b.example.vn"]
    for report in reports:
        assert not report["ok"] and report["error"].startswith("unreachable")
