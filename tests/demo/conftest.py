"""Fixtures for the demo: one built site and one loopback server per test session."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from demo.serve import make_server
from demo.site import Tree, build_site

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Tree]:
    root = tmp_path_factory.mktemp("demo-site") / "site"
    return root, build_site(root, today=TODAY)


@pytest.fixture(scope="session")
def demo_server(built_site: tuple[Path, Tree]) -> Iterator[str]:
    server = make_server(built_site[0], port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host!s}:{port}"
    server.shutdown()
    server.server_close()
