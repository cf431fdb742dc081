"""Command functions for the CLI (filled in as each area lands)."""

from __future__ import annotations

from typing import Any

from api.errors import NotAvailableError


def _not_yet(*_args: Any, **_kwargs: Any) -> int:
    raise NotAvailableError("this command is not available yet")


build_index = provision_models = _not_yet
