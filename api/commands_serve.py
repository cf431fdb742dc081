"""`policyqa serve`: the HTTP API and the staff page under uvicorn.

With `--workers N` (N > 1) uvicorn's supervisor runs N worker processes on one socket.
Each builds its app from the environment (`worker_app`), memory-maps the current FAISS
index version (the page cache holds one copy for all of them) and switches to a new
version by itself when `policyqa index` writes one. Prometheus counters go to a shared
folder (prometheus_client's multiprocess mode), so /metrics on any worker reports the
sum over all workers.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from typing import TYPE_CHECKING

import typer
import uvicorn

from api.http_server import server_options
from api.security import InsecureBindError, check_bind
from api.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

logger = logging.getLogger(__name__)

EXIT_USAGE = 2


METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def worker_app() -> FastAPI:
    """The app of one worker process, from the environment the supervisor passed on."""
    from api.app import create_app
    from api.settings import get_settings

    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s",
    )
    return create_app(settings)


def _serve_workers(settings: Settings, *, host: str, port: int, workers: int) -> int:
    own_dir = METRICS_DIR_VARIABLE not in os.environ
    metrics_dir = os.environ.get(METRICS_DIR_VARIABLE) or tempfile.mkdtemp(
        prefix="policyqa-metrics-"
    )
    # Counters of an earlier run must not be summed into this one.
    for leftover in os.listdir(metrics_dir):
        if leftover.endswith(".db"):
            os.unlink(os.path.join(metrics_dir, leftover))
    os.environ[METRICS_DIR_VARIABLE] = metrics_dir
    shown = f"[{host}]" if ":" in host else host
    logger.info(
        "serving the API and the staff page on http://%s:%d/ with %d workers",
        shown,
        port,
        workers,
    )
    try:
        uvicorn.run(
            "api.commands_serve:worker_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level=settings.log_level.lower(),
            log_config=None,
            **server_options(settings, workers=True),
        )
    finally:
        if own_dir:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


def serve(settings: Settings, *, host: str, port: int, workers: int = 1) -> int:
    """Serve until interrupted. Refuses a non-loopback address without API keys."""
    try:
        check_bind(host, settings)
    except InsecureBindError as error:
        typer.echo(f"policyqa: {error}", err=True)
        return EXIT_USAGE
    if workers < 1:
        typer.echo("policyqa: --workers must be at least 1", err=True)
        return EXIT_USAGE
    if workers > 1:
        return _serve_workers(settings, host=host, port=port, workers=workers)
    from api.app import create_app

    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    logger.info("serving the API and the staff page on http://%s:%d/", shown, port)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        # Logging is configured by the CLI; uvicorn keeps its access log under it.
        log_config=None,
        **server_options(settings),
    )
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 1
