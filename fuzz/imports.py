"""Hostile import files through the CLI: every bad line is named and skipped, the good
ones land, nothing prints a traceback, and export and index still work afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from crawler.urls import is_web_url
from fuzz.common import Stage

GOOD = {
    "url": "https://baolamdong.vn/tin-{n}.html",
    "title": "Lâm Đồng hỗ trợ học phí {n}",
    "text": "Tỉnh Lâm Đồng hỗ trợ học phí cho học sinh năm học 2025, đợt {n}.",
}


def _good(n: int) -> bytes:
    return json.dumps({k: v.format(n=n) for k, v in GOOD.items()}, ensure_ascii=False).encode()


def _hostile_lines() -> list[bytes]:
    base = {k: v.format(n=0) for k, v in GOOD.items()}
    variants: list[dict[str, object]] = [
        {**base, "canonical_url": "javascript:alert(document.cookie)"},
        {**base, "url": "JaVaScRiPt:alert(1)"},
        {**base, "translation_of": "data:text/html,<script>alert(1)</script>"},
        {**base, "url": "https://user:pass@baolamdong.vn/x.html"},  # accepted, userinfo dropped
        {**base, "url": "https://baolamdong.vn/\u202e/x.html"},
        {**base, "published": "9999-99-99T99:99:99+07:00"},
        {**base, "published": "2025-03-17T14:34:00+99:00"},
        {**base, "title": ""},
        {**base, "title": "T" * 1_000_000},
        {**base, "text": None},
        {**base, "paragraphs": [["nested"]]},
        {**base, "lang": "x" * 10_000},
        {**base, **{f"extra{n}": n for n in range(10_000)}},
    ]
    lines = [json.dumps(v, ensure_ascii=False).encode() for v in variants]
    lines += [
        b"[" * 200_000,
        b'{"url": "https://a.vn/x", "title": "t", "text": "' + b"a" * (20 * 1024 * 1024) + b'"}',
        b"\xff\xfe\x00\x00not utf-8",
        b"\x00" * 1000,
        b'{"url": 1e999999, "title": {}, "text": []}',
        b"1" * 5000,
    ]
    return lines


def _run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "POLICYQA_HOME": str(home),
        "POLICYQA_EMBEDDER": "e5-small",
        "HF_HUB_OFFLINE": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def run(stage: Stage) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-import-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        path = Path(tmp) / "hostile.jsonl"
        lines = [_good(1), *_hostile_lines(), _good(2)]
        path.write_bytes(b"\n".join(lines) + b"\n")
        result = _run(["import", str(path)], home)
        skipped = result.stderr.count("skipped")
        if "Traceback" in result.stderr + result.stdout:
            stage.fail(f"import printed a traceback: {result.stderr[-1500:]}")
        elif result.returncode != 2 or "skipped=" not in result.stdout:
            stage.fail(
                f"import: exit {result.returncode}, {result.stdout.strip()} {result.stderr[-800:]}"
            )
        else:
            stage.note(
                f"import of {len(lines)} lines: {result.stdout.strip()}; {skipped} named on stderr"
            )
        export = _run(["articles", "export"], home)
        urls = [json.loads(line)["url"] for line in export.stdout.splitlines() if line.strip()]
        good = {GOOD["url"].format(n=n) for n in (1, 2)}
        bad = [url for url in urls if not is_web_url(url) or "@" in url]
        if export.returncode != 0 or not good <= set(urls) or bad:
            stage.fail(f"export: exit {export.returncode}, urls {urls}, {export.stderr[-500:]}")
        else:
            stage.note(
                f"export: {len(urls)} articles, both good lines, every URL http(s) without userinfo"
            )
        index = _run(["index"], home)
        if index.returncode != 0 or "Traceback" in index.stderr:
            stage.fail(f"index: exit {index.returncode}: {index.stderr[-1200:]}")
        else:
            stage.note(f"index over the imported store: {index.stdout.strip()[:200]}")
