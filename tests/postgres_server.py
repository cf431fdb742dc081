"""A private PostgreSQL cluster for the tests: initdb + pg_ctl in a temporary folder,
listening on a free loopback port, stopped and removed afterwards.

PostgreSQL refuses to run as root, so under root the cluster belongs to `nobody` and its
commands run through `runuser`. Failing to start is an error, never a skip: `make test`
installs the server first (scripts/test.sh), so a missing server is a broken set-up.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

UNPRIVILEGED_USER = "nobody"


class PostgresUnavailable(RuntimeError):
    pass


def server_bin_dir() -> Path:
    """Where initdb and pg_ctl are: $POLICYQA_PG_BIN, Debian's newest, or the PATH."""
    if configured := os.environ.get("POLICYQA_PG_BIN"):
        return Path(configured)
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4])
    )
    if debian:
        return Path(debian[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise PostgresUnavailable(
        "PostgreSQL's server programs (initdb, pg_ctl) are not installed: run "
        "`apt-get install postgresql` (scripts/test.sh does this for `make test`)"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str], *, as_user: str | None, cwd: Path) -> None:
    if as_user:
        command = ["runuser", "-u", as_user, "--", *command]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise PostgresUnavailable(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )


@dataclass(frozen=True)
class Cluster:
    """A running private cluster: its server URL (no database name), and `stop` and
    `start`, which end every client connection as a server restart in production does."""

    url: str
    start: Callable[[], None]
    stop: Callable[..., None]


@contextmanager
def private_cluster() -> Iterator[str]:
    """Start a throwaway cluster; yield its server URL (no database name)."""
    with private_cluster_handle() as cluster:
        yield cluster.url


@contextmanager
def private_cluster_handle() -> Iterator[Cluster]:
    """Start a throwaway cluster; yield it (URL, stop and start)."""
    bin_dir = server_bin_dir()
    as_user = UNPRIVILEGED_USER if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="policyqa-pg-"))
    data = base / "data"
    port = _free_port()
    try:
        if as_user:
            entry = pwd.getpwnam(as_user)
            os.chown(base, entry.pw_uid, entry.pw_gid)
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            as_user=as_user,
            cwd=base,
        )
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -k {base} -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off"
        )
        pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data)]

        def start() -> None:
            _run(
                [*pg_ctl, "-l", str(base / "server.log"), "-o", options, "-w", "-t", "60", "start"],
                as_user=as_user,
                cwd=base,
            )

        def stop(mode: str = "immediate") -> None:
            _run([*pg_ctl, "-m", mode, "-w", "stop"], as_user=as_user, cwd=base)

        start()
        try:
            yield Cluster(f"postgresql://postgres@127.0.0.1:{port}", start, stop)
        finally:
            stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the cluster; dropped afterwards. Yields its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{server_url}/{name}"
    finally:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
