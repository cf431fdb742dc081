"""Shared test set-up: every test runs offline with its own $POLICYQA_HOME."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Nothing in the suite may reach a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """State goes to a temporary folder; settings are re-read for every test."""
    home = tmp_path / "policyqa-home"
    monkeypatch.setenv("POLICYQA_HOME", str(home))
    from api.settings import get_settings

    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()
