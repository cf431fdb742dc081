"""Where the shared data (seed articles, dev set) lives, and a loud failure when it is not there.

The data sits beside the repository (`../shared` from the repository root, as on the team's
machines and in CI); `POLICYQA_SHARED` names another folder. A test that needs it must not
pass or skip without it: a missing folder stops the run with a message naming the path.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_root() -> Path:
    """`$POLICYQA_SHARED`, or `shared/` beside the repository."""
    configured = os.environ.get("POLICYQA_SHARED")
    return Path(configured) if configured else REPO.parent / "shared"


def shared_folder(name: str) -> Path:
    """One folder of the shared data; fails the run (never skips) when it is missing."""
    folder = shared_root() / name
    if not folder.is_dir():
        pytest.fail(
            f"the shared data folder {folder} is missing: put the shared data beside the "
            "repository (../shared) or set POLICYQA_SHARED to its folder",
            pytrace=False,
        )
    return folder


def seed_articles() -> list[Path]:
    """The shared seed articles (`seeds/*.txt`); fails the run when there are none."""
    folder = shared_folder("seeds")
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        pytest.fail(f"no seed articles (*.txt) in {folder}", pytrace=False)
    return paths
