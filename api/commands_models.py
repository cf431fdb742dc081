"""`policyqa models`: provision embedder weights under $POLICYQA_HOME/models."""

from __future__ import annotations

from typing import Any

from api.errors import NotAvailableError


def provision_models(*_args: Any, **_kwargs: Any) -> int:
    raise NotAvailableError("this command is not available yet")
