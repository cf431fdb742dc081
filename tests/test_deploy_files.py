"""Every `policyqa` command in deploy/ and docs/deploy.md is a real command with real
flags, so an operator following them never meets "No such command"."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from api.cli import app

REPO = Path(__file__).resolve().parents[1]
FILES = [*sorted((REPO / "deploy").rglob("*")), REPO / "docs" / "deploy.md"]
COMMAND = re.compile(r"(?<![\w-])policyqa((?: [a-z][a-z-]*)+)((?: [^\n`|&;]*)?)")


def _invocations() -> list[tuple[Path, list[str], list[str]]]:
    found = []
    for path in FILES:
        if not path.is_file():
            continue
        for match in COMMAND.finditer(path.read_text(encoding="utf-8")):
            words = match.group(1).split()
            flags = re.findall(r"(?<!\S)(--[a-z][a-z-]*)", match.group(2))
            found.append((path, words, flags))
    return found


def test_deploy_files_name_only_real_commands_and_flags() -> None:
    root = typer.main.get_command(app)
    invocations = _invocations()
    assert len(invocations) >= 8, "the deploy files and guide are read"
    for path, words, flags in invocations:
        command = root
        for word in words:
            # Groups have `commands` (typer may bring its own copy of click's classes).
            subcommands = getattr(command, "commands", None)
            if subcommands is None or word not in subcommands:
                break
            command = subcommands[word]
        assert command is not root, f"{path.name}: `policyqa {' '.join(words)}` is no command"
        assert not hasattr(command, "commands"), f"{path.name}: incomplete {words}"
        known = {opt for param in command.params for opt in param.opts}
        for flag in flags:
            assert flag in known, f"{path.name}: {command.name} has no {flag}"
