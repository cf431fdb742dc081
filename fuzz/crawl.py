"""Crawl each page of the hostile site in its own `policyqa crawl` run and check the
run: it ends by itself within the time limit, exits 0 (pages that fail are recorded,
not fatal), prints no traceback, and its peak RSS stays under the limit."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fuzz.common import Stage
from fuzz.hostile_site import HostileSite, build_pages

HOST = "hostile.example"
RSS_LIMIT_MIB = 400
RUN_LIMIT_SECONDS = 150


def _sources(port: int, path: str) -> str:
    start = f"http://{HOST}{path}" if path.endswith(".xml.gz") else f"http://{HOST}/list{path}"
    return (
        f'[network]\nconnect_to = {{ "{HOST}" = "127.0.0.1:{port}" }}\ncrawl_delay = 0\n\n'
        f'[[site]]\ndomain = "{HOST}"\nstart_urls = ["{start}"]\n'
        "article_patterns = ['\\.html$']\n"
    )


def crawl_page(port: int, path: str, workdir: Path) -> tuple[int, float, float, str, str]:
    """(exit code, peak RSS MiB, seconds, stderr tail, summary line) of one crawl run."""
    home = workdir / path.strip("/").replace("/", "_")
    home.mkdir(parents=True, exist_ok=True)
    sources = home / "sources.toml"
    sources.write_text(_sources(port, path), encoding="utf-8")
    env = {
        **os.environ,
        "POLICYQA_HOME": str(home),
        "POLICYQA_FETCH_TIMEOUT_SECONDS": "2",
        "HTTP_PROXY": "",
        "HTTPS_PROXY": "",
        "http_proxy": "",
        "https_proxy": "",
    }
    started = time.monotonic()
    with open(home / "stderr.txt", "wb") as err, open(home / "stdout.txt", "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "api.cli",
                "crawl",
                "--sources",
                str(sources),
                "--max-pages",
                "5",
            ],
            stdout=out,
            stderr=err,
            env=env,
        )
        try:
            _pid, status, usage = (
                os.wait4(process.pid, 0) if _wait(process, RUN_LIMIT_SECONDS) else (0, 0, None)
            )
        except ChildProcessError:
            status, usage = 0, None
    seconds = time.monotonic() - started
    if usage is None:  # still running: a hang
        process.kill()
        _pid, status, usage = os.wait4(process.pid, 0)
        code = -9
    else:
        code = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / 1024 if usage else 0.0
    tail = (home / "stderr.txt").read_text(encoding="utf-8", errors="replace")[-3000:]
    summary = (home / "stdout.txt").read_text(encoding="utf-8", errors="replace").strip()
    return code, peak, seconds, tail, summary


def _wait(process: subprocess.Popen[bytes], limit: float) -> bool:
    """Whether the process ended within `limit` seconds (without reaping it)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
                return True
        except ChildProcessError:
            return True
        time.sleep(0.2)
    return False


def run(stage: Stage, *, parallel: int = 3, only: list[str] | None = None) -> None:
    pages = build_pages()
    chosen = [
        path for path in pages
        if not path.startswith("/redirect-chain-") or path == "/redirect-chain-0.html"
    ]  # fmt: skip
    if only:
        chosen = [path for path in chosen if path in only]
    with HostileSite(pages) as site, tempfile.TemporaryDirectory(prefix="fuzz-crawl-") as tmp:
        workdir = Path(tmp)
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            results = dict(
                zip(
                    chosen,
                    pool.map(lambda p: crawl_page(site.port, p, workdir), chosen),
                    strict=True,
                )
            )
    worst = max(results.values(), key=lambda r: r[1])
    for path, (code, peak, seconds, tail, summary) in results.items():
        what = pages[path][0]
        line = f"{path}: exit {code}, peak RSS {peak:.0f} MiB, {seconds:.1f} s ({what})"
        if path == "/ok.html" and "new=1" not in summary:
            stage.fail(f"{line}: the control page was not stored ({summary})")
        if code == -9:
            stage.fail(f"{line}: did not end within {RUN_LIMIT_SECONDS} s")
        elif code != 0:
            stage.fail(f"{line}: {tail[-400:]}")
        elif "Traceback" in tail:
            stage.fail(f"{line}: traceback in the log: {tail[-600:]}")
        elif peak > RSS_LIMIT_MIB:
            stage.fail(f"{line}: over {RSS_LIMIT_MIB} MiB")
        else:
            stage.note(line)
    stage.note(f"largest peak RSS over {len(results)} hostile pages: {worst[1]:.0f} MiB")
