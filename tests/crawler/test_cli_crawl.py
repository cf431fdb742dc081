"""`policyqa crawl`, `policyqa import` and `policyqa articles export` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from filelock import FileLock
from typer.testing import CliRunner

from api.cli import app
from tests.crawler.helpers import ARTICLE_PATTERN
from tests.crawler.synthetic_site import SiteContent, SyntheticServer

HOST = "baotinh.example.vn"


def _sources_file(tmp_path: Path, address: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        f"""[network]
connect_to = {{ "{HOST}" = "{address}" }}
crawl_delay = 0

[[site]]
domain = "{HOST}"
province = "Lâm Đồng"
start_urls = ["https://{HOST}/tin-moi/"]
article_patterns = ['{ARTICLE_PATTERN}']
""",
        encoding="utf-8",
    )
    return path


@pytest.mark.integration
def test_crawl_prints_one_summary_line_and_exports_what_it_stored(tmp_path: Path) -> None:
    site = SiteContent(HOST, articles=4)
    with SyntheticServer([site]) as server:
        sources = _sources_file(tmp_path, server.address)
        result = CliRunner().invoke(app, ["crawl", "--sources", str(sources), "--site", HOST])
    assert result.exit_code == 0, result.output
    summary = [line for line in result.stdout.splitlines() if line.startswith("crawl:")]
    assert len(summary) == 1
    assert "sites=1" in summary[0] and "new=4" in summary[0] and "failed=0" in summary[0]

    exported = CliRunner().invoke(app, ["articles", "export", "--format", "jsonl"])
    assert exported.exit_code == 0
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(rows) == 4
    for row in rows:
        assert row["id"] and row["content_hash"] and row["version"] == 1 and row["fetched_at"]
        assert row["translation_group"] == row["id"] and row["lang_detected"] == "vi"
        assert row["province"] == "Lâm Đồng" and row["published"].endswith("+07:00")


def test_crawl_with_a_bad_sources_file_exits_2_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[[site]]\ndomain = "a.vn"\nstart_urls = ["https://a.vn/"]\ncrawl_delay = 2\n')
    result = CliRunner().invoke(app, ["crawl", "--sources", str(path)])
    assert result.exit_code == 2
    assert "line 4" in result.stderr and "crawl_delay" in result.stderr


def test_crawl_refuses_to_overlap_with_a_running_crawl(
    tmp_path: Path, _isolated_home: Path
) -> None:
    sources = _sources_file(tmp_path, "127.0.0.1:9")
    _isolated_home.mkdir(parents=True, exist_ok=True)
    with FileLock(str(_isolated_home / "crawl.lock")):
        result = CliRunner().invoke(app, ["crawl", "--sources", str(sources)])
    assert result.exit_code == 1
    assert "another crawl is running" in result.stderr


def test_crawl_rejects_an_unknown_site_and_a_bad_date(tmp_path: Path) -> None:
    sources = _sources_file(tmp_path, "127.0.0.1:9")
    unknown = CliRunner().invoke(app, ["crawl", "--sources", str(sources), "--site", "example.com"])
    bad_date = CliRunner().invoke(app, ["crawl", "--sources", str(sources), "--since", "last week"])
    assert unknown.exit_code == 2 and "known sites: baotinh.example.vn" in unknown.stderr
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.stderr


def test_import_dedupes_and_versions_like_crawling(tmp_path: Path) -> None:
    original = "https://baolamdong.vn/xa-hoi/202503/lam-dong-cam-ket-abc1234/"
    lines: list[dict[str, str | list[str]]] = [
        {
            "url": original,
            "title": "Lâm Đồng cam kết",
            "paragraphs": ["Tỉnh cam kết hoàn thành trước tháng 5."],
            "published": "2025-03-17T14:34:00+07:00",
            "province": "Lâm Đồng",
        },
        {
            "url": original + "?utm_source=zalo",
            "title": "Lâm Đồng cam kết",
            "text": "Tỉnh cam kết hoàn thành trước tháng 5.",
        },
        {
            "url": "https://www.vietnam.vn/en/lam-dong-commits",
            "title": "Lam Dong commits",
            "text": "The province committed to finish by May.",
            "translation_of": original,
        },
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8"
    )

    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "new=2 changed=0 unchanged=1" in result.stdout

    changed = tmp_path / "changed.jsonl"
    changed.write_text(
        json.dumps({**lines[0], "paragraphs": ["Tỉnh cam kết hoàn thành trước tháng 6."]}) + "\n"
    )
    assert "changed=1" in CliRunner().invoke(app, ["import", str(changed)]).stdout

    rows = [
        json.loads(line)
        for line in CliRunner().invoke(app, ["articles", "export"]).stdout.splitlines()
    ]
    by_url = {row["url"].split("?")[0]: row for row in rows}
    assert len(rows) == 2
    assert by_url[original]["version"] == 2 and by_url[original]["published_source"] == "import"
    translation = by_url["https://www.vietnam.vn/en/lam-dong-commits"]
    assert translation["translation_group"] == by_url[original]["id"]
    assert translation["province"] == "Lâm Đồng" and translation["lang"] == "en"


def test_a_bad_import_line_is_named_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text(
        json.dumps({"url": "https://a.vn/x-1.html", "title": "Tin", "text": "Nội dung"})
        + "\n\n"
        + json.dumps({"url": "https://a.vn/y-2.html", "title": "Tin"})
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 2
    assert "line 3" in result.stderr and "text" in result.stderr
    assert "new=1" in result.stdout and "skipped=1" in result.stdout
    exported = CliRunner().invoke(app, ["articles", "export"]).stdout.splitlines()
    assert [json.loads(line)["url"] for line in exported] == ["https://a.vn/x-1.html"]


def test_export_rejects_an_unknown_format() -> None:
    result = CliRunner().invoke(app, ["articles", "export", "--format", "csv"])
    assert result.exit_code == 2 and "jsonl" in result.stderr


@pytest.mark.integration
@pytest.mark.parametrize("how", ["--proxy", "HTTP_PROXY"])
def test_crawl_goes_through_a_proxy(
    tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = SiteContent(HOST, articles=2)
    path = tmp_path / "sources.toml"
    path.write_text(
        f'[network]\ncrawl_delay = 0\n\n[[site]]\ndomain = "{HOST}"\n'
        f"start_urls = [\"http://{HOST}/tin-moi/\"]\narticle_patterns = ['{ARTICLE_PATTERN}']\n",
        encoding="utf-8",
    )
    # The proxy connects, but the crawler still checks the address itself first.
    monkeypatch.setattr("crawler.fetch._resolve_host", lambda host: ["93.184.215.14"])
    with SyntheticServer([site]) as server:
        proxy = f"http://{server.address}"
        args = ["crawl", "--sources", str(path)]
        if how == "--proxy":
            args += ["--proxy", proxy]
        else:
            monkeypatch.setenv("HTTP_PROXY", proxy)
            monkeypatch.delenv("NO_PROXY", raising=False)
            monkeypatch.delenv("no_proxy", raising=False)
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "new=2" in result.stdout and server.proxied > 0
