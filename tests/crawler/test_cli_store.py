"""`policyqa migrate` and `policyqa store copy` as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import get_settings
from crawler.migrations import LATEST_VERSION

ARTICLES = [
    {
        "url": f"https://baolamdong.vn/tin/{n}-abc.html",
        "title": f"Tin số {n}",
        "text": f"Tỉnh Lâm Đồng công bố kế hoạch số {n}/KH-UBND về đầu tư công năm 2025.",
        "site": "baolamdong.vn",
        "province": "Lâm Đồng",
    }
    for n in range(5)
]


def _import(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n")
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 0, result.output


def test_migrate_reports_the_schema_version_of_the_sqlite_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    assert f"(sqlite): schema version {LATEST_VERSION}" in result.output


def test_copy_refuses_a_missing_source_and_an_unreachable_target(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["store", "copy", "--to", str(tmp_path / "b.sqlite")])
    assert missing.exit_code == 2 and "no article store" in missing.output
    _import(tmp_path)
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    refused = runner.invoke(app, ["store", "copy", "--to", "postgresql://u:secret@127.0.0.1:9/x"])
    assert refused.exit_code == 1
    assert "cannot connect" in refused.output and "secret" not in refused.output


@pytest.mark.integration
def test_copy_to_postgres_then_serve_every_command_from_it(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    _import(tmp_path)
    exported = runner.invoke(app, ["articles", "export"])
    copied = runner.invoke(app, ["store", "copy", "--to", postgres_url])
    assert copied.exit_code == 0, copied.output
    assert "articles=5" in copied.output and "verified" in copied.output
    monkeypatch.setenv("POLICYQA_STORE_URL", postgres_url)
    get_settings.cache_clear()
    migrated = runner.invoke(app, ["migrate"])
    assert (
        migrated.exit_code == 0
        and f"(postgresql): schema version {LATEST_VERSION}" in migrated.output
    )
    again = runner.invoke(app, ["articles", "export"])
    assert again.exit_code == 0
    assert again.output == exported.output
