"""`policyqa serve`: the HTTP API and the staff page under uvicorn."""

from __future__ import annotations

import logging

import typer
import uvicorn

from api.security import InsecureBindError, check_bind
from api.settings import Settings

logger = logging.getLogger(__name__)

EXIT_USAGE = 2


def serve(settings: Settings, *, host: str, port: int) -> int:
    """Serve until interrupted. Refuses a non-loopback address without API keys."""
    try:
        check_bind(host, settings)
    except InsecureBindError as error:
        typer.echo(f"policyqa: {error}", err=True)
        return EXIT_USAGE
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
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
        limit_concurrency=200,
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 1
